package io.github.lr4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A block that is only its parameter tensors, so DJL names and binds them like a model's: the tensors of group 0 are
 * named a0, a1, ..., group 1's b0, b1, ... (a DjlParamGroups prefix per group), in that order.
 */
final class TensorBlock extends AbstractBlock {
    TensorBlock(NDManager manager, List<List<List<Number>>> perGroup) {
        for (int g = 0; g < perGroup.size(); g++) {
            for (int t = 0; t < perGroup.get(g).size(); t++) {
                Parameter p = addParameter(Parameter.builder().setName((char) ('a' + g) + String.valueOf(t))
                        .setType(Parameter.Type.WEIGHT).build());
                NDArray array = manager.create(floats(perGroup.get(g).get(t)));
                array.setRequiresGradient(true);
                p.setArray(array);
            }
        }
    }

    static float[] floats(List<Number> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("only its parameters are used");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException("only its parameters are used");
    }
}
