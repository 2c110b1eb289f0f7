package io.github.lr4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.Schedulers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OptimizerTest {

    /** Every optimizer with every option switched on at least once. */
    static Stream<Arguments> configurations() {
        return Stream.of(
            Arguments.of("SGD", Map.of("lr", 0.1)),
            Arguments.of("SGD", Map.of("lr", 0.1, "momentum", 0.9, "dampening", 0.1, "weight_decay", 0.01, "maximize", true)),
            Arguments.of("SGD", Map.of("lr", 0.05, "momentum", 0.8, "nesterov", true)),
            Arguments.of("Adam", Map.of("lr", 0.01)),
            Arguments.of("Adam", Map.of("lr", 0.01, "betas", List.of(0.8, 0.99), "weight_decay", 0.1, "amsgrad", true, "maximize", true)),
            Arguments.of("AdamW", Map.of("lr", 0.01, "eps", 1e-6, "amsgrad", true)),
            Arguments.of("RMSprop", Map.of("lr", 0.01)),
            Arguments.of("RMSprop", Map.of("lr", 0.01, "momentum", 0.9, "centered", true, "weight_decay", 0.01, "maximize", true)),
            Arguments.of("RMSprop", Map.of("lr", 0.01, "centered", true)),
            Arguments.of("Adagrad", Map.of("lr", 0.1, "lr_decay", 0.01, "weight_decay", 0.05, "initial_accumulator_value", 0.1)),
            Arguments.of("SGDScheduleFree", Map.of("lr", 0.5, "warmup_steps", 3, "weight_decay", 0.01)),
            Arguments.of("AdamWScheduleFree", Map.of("lr", 0.01)),
            Arguments.of("AdamWScheduleFree", Map.of("lr", 0.01, "inner_momentum", 0.9, "weight_decay", 0.01, "r", 1.0)),
            Arguments.of("RAdamScheduleFree", Map.of("lr", 0.01, "silent_sgd_phase", false, "weight_lr_power", 0.0)));
    }

    static final class Model {
        final Optimizer opt;
        final List<Parameter> params = new ArrayList<>();

        Model(String name, Map<String, ?> options, int threads, int... sizes) {
            opt = Optimizers.create(name, options).threads(threads);
            Random random = new Random(7);
            for (int k = 0; k < sizes.length; k++) {
                float[] data = new float[sizes[k]];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) random.nextGaussian();
                }
                params.add(Parameter.of("w" + k, data));
            }
            opt.addParamGroup(params.subList(0, 1));
            opt.addParamGroup(params.subList(1, params.size()), Map.of("lr", opt.defaultValue("lr") / 2));
        }

        void grads(long seed) {
            Random random = new Random(seed);
            for (Parameter p : params) {
                for (int i = 0; i < p.size(); i++) {
                    p.grad()[i] = (float) random.nextGaussian();
                }
            }
        }

        void steps(int from, int to) {
            for (int s = from; s < to; s++) {
                grads(s);
                opt.step();
            }
        }

        float[][] values() {
            float[][] out = new float[params.size()][];
            for (int k = 0; k < out.length; k++) {
                out[k] = params.get(k).data().clone();
            }
            return out;
        }

        void load(float[][] values) {
            for (int k = 0; k < values.length; k++) {
                System.arraycopy(values[k], 0, params.get(k).data(), 0, values[k].length);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configurations")
    void restoredCheckpoint_continuesBitForBit(String name, Map<String, ?> options) throws IOException {
        Model uninterrupted = new Model(name, options, 1, 37, 5, 11);
        uninterrupted.steps(0, 20);

        Model first = new Model(name, options, 1, 37, 5, 11);
        first.steps(0, 9);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        first.opt.save(saved);
        Model resumed = new Model(name, options, 1, 37, 5, 11);
        resumed.load(first.values());
        resumed.opt.load(new ByteArrayInputStream(saved.toByteArray()));
        resumed.steps(9, 20);

        assertThat(resumed.values()).isDeepEqualTo(uninterrupted.values());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configurations")
    void twoThreads_giveTheSameBitsAsOne(String name, Map<String, ?> options) {
        Model one = new Model(name, options, 1, 1_200_000, 300_001, 7);
        Model two = new Model(name, options, 2, 1_200_000, 300_001, 7);
        one.steps(0, 3);
        two.steps(0, 3);
        assertThat(two.values()).isDeepEqualTo(one.values());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configurations")
    void nonFiniteGradient_failsOrSkips_andChangesNothing(String name, Map<String, ?> options) throws IOException {
        Model m = new Model(name, options, 1, 8, 3);
        m.steps(0, 2);
        float[][] before = m.values();
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        m.opt.save(state);
        m.grads(5);
        m.params.get(1).grad()[2] = Float.NaN;
        assertThatThrownBy(m.opt::step).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gradient of w1 (group 1, parameter 0) is not finite (NaN or infinite); the step was not taken"
                        + " and nothing changed");
        m.opt.nonFiniteGradients(NonFiniteGradients.SKIP);
        m.params.get(0).grad()[0] = Float.POSITIVE_INFINITY;
        assertThat(m.opt.step()).isFalse();
        assertThat(m.values()).isDeepEqualTo(before);
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        m.opt.save(after);
        assertThat(after.toByteArray()).isEqualTo(state.toByteArray());
    }

    @Test
    void gradientOfWrongLength_failsNamingTheParameter_andChangesNothing() {
        Model m = new Model("Adam", Map.of("lr", 0.1), 1, 8, 3);
        m.steps(0, 1);
        float[][] before = m.values();
        m.params.get(1).setGrad(new float[4]);
        assertThatThrownBy(m.opt::step).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gradient of w1 (group 1, parameter 0) has 4 values but the parameter has 3");
        assertThat(m.values()).isDeepEqualTo(before);
    }

    @Test
    void badCheckpoints_areRejected_andChangeNothing() throws IOException {
        Model m = new Model("SGD", Map.of("lr", 0.1, "momentum", 0.9), 1, 8, 3);
        m.steps(0, 2);
        ByteArrayOutputStream good = new ByteArrayOutputStream();
        m.opt.save(good);
        byte[] bytes = good.toByteArray();
        m.steps(2, 3);
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        m.opt.save(before);

        byte[] damaged = bytes.clone();
        damaged[damaged.length / 2] ^= 1;
        assertThatThrownBy(() -> m.opt.load(new ByteArrayInputStream(damaged)))
                .hasMessage("optimizer checkpoint is damaged (checksum mismatch); nothing was restored");
        byte[] future = bytes.clone();
        future[7] = 9;
        assertThatThrownBy(() -> m.opt.load(new ByteArrayInputStream(future)))
                .hasMessage("Unknown version 9 of the optimizer checkpoint, this lr4j supports versions 1 to 1");
        assertThatThrownBy(() -> m.opt.load(new ByteArrayInputStream(new byte[] {1, 2, 3})))
                .hasMessageStartingWith("not an lr4j optimizer checkpoint");
        Model other = new Model("Adam", Map.of("lr", 0.1), 1, 8, 3);
        assertThatThrownBy(() -> other.opt.load(new ByteArrayInputStream(bytes)))
                .hasMessage("cannot restore Adam from the checkpoint of a SGD");
        Model sizes = new Model("SGD", Map.of("lr", 0.1, "momentum", 0.9), 1, 8, 4);
        assertThatThrownBy(() -> sizes.opt.load(new ByteArrayInputStream(bytes)))
                .hasMessage("parameter 0 of group 1 has 3 values in the checkpoint but 4 here");

        ByteArrayOutputStream after = new ByteArrayOutputStream();
        m.opt.save(after);
        assertThat(after.toByteArray()).isEqualTo(before.toByteArray());
    }

    @Test
    void oneCycle_drivesSgdMomentumAndAdamBeta1() {
        Model sgd = new Model("SGD", Map.of("lr", 0.1, "momentum", 0.9), 1, 4, 2);
        LrScheduler s = Schedulers.oneCycleLR(0.2, 0.1).totalSteps(10).attach(sgd.opt);
        assertThat(sgd.opt.group(0).get("momentum")).isEqualTo(0.95);
        assertThat(sgd.opt.group(1).get("lr")).isEqualTo(s.lastLr(1));
        Model adam = new Model("Adam", Map.of("lr", 0.1), 1, 4, 2);
        Schedulers.oneCycleLR(0.01).totalSteps(10).attach(adam.opt);
        assertThat(adam.opt.group(1).get("beta1")).isEqualTo(0.95);
        assertThatThrownBy(() -> Schedulers.oneCycleLR(0.01).totalSteps(10).attach(Optimizers.adagrad(0.1)))
                .hasMessageContaining("have no momentum or beta1");
    }

    @Test
    void badOptions_nameTheParameterRangeAndValue() {
        assertThatThrownBy(() -> Optimizers.create("SGD", Map.of())).hasMessage("SGD needs lr (it has no default)");
        assertThatThrownBy(() -> Optimizers.create("Adam", Map.of("betas", List.of(0.9, 1.0))))
                .hasMessage("beta2 must be in [0, 1), got 1");
        assertThatThrownBy(() -> Optimizers.create("SGD", Map.of("lr", -0.1))).hasMessage("lr must be finite and >= 0, got -0.1");
        assertThatThrownBy(() -> Optimizers.create("SGD", Map.of("lr", 0.1, "momentun", 0.9)))
                .hasMessage("SGD has no hyper-parameter momentun (did you mean momentum?); it has lr, momentum, dampening, weight_decay, nesterov, maximize");
        Optimizer sgd = Optimizers.create("SGD", Map.of("lr", 0.1));
        assertThatThrownBy(() -> sgd.addParamGroup(List.of(Parameter.zeros("w", 3)), Map.of("nesterov", true)))
                .hasMessage("nesterov must be False unless momentum > 0 and dampening = 0, got momentum=0.0, dampening=0.0");
    }

    @Test
    void parse_readsPyTorchConstructorSyntax() {
        Optimizer opt = Optimizers.parse("AdamW(params, lr=1e-3, betas=(0.9, 0.95), weight_decay=0.01, amsgrad=True)");
        assertThat(opt.name()).isEqualTo("AdamW");
        assertThat(opt.defaultValue("beta2")).isEqualTo(0.95);
        assertThat(opt.defaultValue("amsgrad")).isEqualTo(1);
        assertThat(Optimizers.parse("SGD(0.1, momentum=0.9)").defaultValue("lr")).isEqualTo(0.1);
    }
}
