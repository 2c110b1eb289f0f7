package io.github.lr4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.lr4j.groups.MomentumKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DJL-side restores check everything before changing anything; DJL param groups refuse bad lrs. */
class DjlRestoreTest {

    private static byte[] optimizerState(Lr4jOptimizer opt) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        opt.saveState(out);
        return out.toByteArray();
    }

    @Test
    void optimizerLoadState_undecodableBuffer_refused_stateUnchanged() throws Exception {
        try (DjlDigits run = new DjlDigits(new int[] {8}, 1, 256, 1, null, null)) {
            Lr4jTraining.fit(run.trainer, 1, run.train, run.validation, run.listener);
            byte[] before = optimizerState(run.optimizer);
            Pair<String, Parameter> first = run.model.getBlock().getParameters().get(0);

            ByteArrayOutputStream crafted = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(crafted);
            out.write("LR4JDJLO".getBytes(StandardCharsets.US_ASCII));
            out.writeByte(1);
            out.writeUTF("Sgd");
            out.writeInt(1);
            out.writeUTF(first.getKey());
            out.writeLong(7);
            out.writeInt(1);
            out.writeUTF("momentum_buffer");
            out.writeInt(4);
            out.write(new byte[] {1, 2, 3, 4});
            assertThatThrownBy(() -> run.optimizer.loadState(new ByteArrayInputStream(crafted.toByteArray()), run.model.getBlock()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("buffer momentum_buffer of parameter " + first.getValue().getName()
                            + " in the DJL optimizer state cannot be decoded");
            assertThat(optimizerState(run.optimizer)).isEqualTo(before);
        }
    }

    @Test
    void optimizerLoadState_hugeCounts_refusedBeforeAllocating() throws Exception {
        try (DjlDigits run = new DjlDigits(new int[] {8}, 1, 256, 1, null, null)) {
            ByteArrayOutputStream crafted = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(crafted);
            out.write("LR4JDJLO".getBytes(StandardCharsets.US_ASCII));
            out.writeByte(1);
            out.writeUTF("Sgd");
            out.writeInt(0x7fffffff);
            assertThatThrownBy(() -> run.optimizer.loadState(new ByteArrayInputStream(crafted.toByteArray()), run.model.getBlock()))
                    .hasMessage("the DJL optimizer state holds 2147483647 parameters, the model has 4");
        }
    }

    @Test
    void listenerLoadState_badFields_oneClearLine_nothingChanged() throws Exception {
        try (DjlDigits run = new DjlDigits(new int[] {8}, 2, 256, 1, null, null)) {
            Lr4jTraining.fit(run.trainer, 1, run.train, run.validation, run.listener);
            Map<String, Object> before = run.listener.state();
            double lr = run.groups.lr(0);

            assertThatThrownBy(() -> run.listener.loadState(Map.of())).hasMessage(
                    "not an lr4j-djl listener state: format must be \"lr4j-djl-listener\", got nothing");
            Map<String, Object> wrongVersion = new LinkedHashMap<>(before);
            wrongVersion.put("version", 3);
            assertThatThrownBy(() -> run.listener.loadState(wrongVersion)).hasMessage(
                    "Unknown version 3 of the lr4j-djl listener state, this lr4j supports versions 1 and 2");
            Map<String, Object> negative = new LinkedHashMap<>(before);
            negative.put("epoch", -7);
            assertThatThrownBy(() -> run.listener.loadState(negative)).hasMessage(
                    "listener state: epoch must be an integer >= 0, got -7");
            Map<String, Object> badScheduler = new LinkedHashMap<>(before);
            badScheduler.put("updates", 999);
            badScheduler.put("schedulers", List.of(Map.of("type", "StepLR", "version", 1)));
            assertThatThrownBy(() -> run.listener.loadState(badScheduler)).isInstanceOf(IllegalArgumentException.class);

            assertThat(run.listener.state()).isEqualTo(before);
            assertThat(run.groups.lr(0)).isEqualTo(lr);
        }
    }

    @Test
    void paramGroups_refuseNonFiniteOrNegativeLrs_andOutOfRangeBeta1() {
        DjlParamGroups sgd = DjlParamGroups.single(0.1, MomentumKind.MOMENTUM, 0.9);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.5}) {
            assertThatThrownBy(() -> sgd.setLr(0, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("group 0: lr must be finite and >= 0, got " + bad + "; nothing was changed");
            assertThatThrownBy(() -> sgd.setMomentum(0, bad)).hasMessageContaining("momentum must be finite and >= 0");
        }
        assertThat(sgd.lr(0)).isEqualTo(0.1);
        assertThat(sgd.momentum(0)).isEqualTo(0.9);
        DjlParamGroups adam = DjlParamGroups.single(1e-3, MomentumKind.BETA1, 0.9);
        assertThatThrownBy(() -> adam.setMomentum(0, 1.0)).hasMessage("group 0: beta1 must be in [0, 1), got 1.0; nothing was changed");
    }
}
