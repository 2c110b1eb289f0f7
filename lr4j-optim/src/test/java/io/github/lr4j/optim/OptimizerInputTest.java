package io.github.lr4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.MomentumKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What schedulers and users may write into an optimizer, and how optimizers describe themselves. */
class OptimizerInputTest {

    private static Optimizer withTwoGroups(String name) {
        Optimizer opt = Optimizers.create(name, Map.of("lr", 0.1));
        opt.addParamGroup(List.of(Parameter.of("a", new float[] {1, 2})));
        opt.addParamGroup(List.of(Parameter.of("b", new float[] {3})), Map.of("lr", 0.05));
        return opt;
    }

    @ParameterizedTest
    @ValueSource(strings = {"SGD", "Adam", "AdamW", "RMSprop", "Adagrad"})
    void setLr_nonFiniteOrNegative_refusedNamingGroupAndValue_nothingChanged(String name) {
        Optimizer opt = withTwoGroups(name);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.1}) {
            assertThatThrownBy(() -> opt.setLr(1, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(name + " group 1: lr must be finite and >= 0, got " + io.github.lr4j.util.Checks.fmt(bad)
                            + "; nothing was changed");
            assertThat(opt.lr(1)).isEqualTo(0.05);
            assertThat(opt.lr(0)).isEqualTo(0.1);
        }
        opt.setLr(1, 0);
        assertThat(opt.lr(1)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SGD", "Adam", "AdamW", "RMSprop"})
    void setMomentum_outOfTheConstructorsRange_refused_nothingChanged(String name) {
        Optimizer opt = withTwoGroups(name);
        double before = opt.momentum(0);
        boolean beta1 = opt.momentumKind() == MomentumKind.BETA1;
        double[] bad = beta1 ? new double[] {Double.NaN, -0.5, 1, 5} : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1.1};
        for (double v : bad) {
            assertThatThrownBy(() -> opt.setMomentum(0, v))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(name + " group 0: " + (beta1 ? "beta1" : "momentum") + " must be")
                    .hasMessageEndingWith("got " + io.github.lr4j.util.Checks.fmt(v) + "; nothing was changed");
            assertThat(opt.momentum(0)).isEqualTo(before);
        }
    }

    @Test
    void setLr_nanNeverReachesTheWeights() {
        Optimizer opt = withTwoGroups("SGD");
        assertThatThrownBy(() -> opt.setLr(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        opt.paramGroups().forEach(g -> g.params().forEach(p -> java.util.Arrays.fill(p.grad(), 1f)));
        opt.step();
        assertThat(opt.group(0).params().get(0).data()).containsExactly(0.9f, 1.9f);
    }

    @Test
    void toString_flagsAsTrueFalse_betasAsPair_andParsesBack() {
        Optimizer adam = Optimizers.parse("Adam(lr=1e-3, betas=(0.8, 0.99), amsgrad=True)");
        assertThat(adam.toString()).isEqualTo("Adam(lr=0.001, betas=(0.8, 0.99), eps=1.0E-8, weight_decay=0, amsgrad=True, maximize=False)");
        assertThat(Optimizers.parse(adam.toString()).toString()).isEqualTo(adam.toString());
        Optimizer sgd = Optimizers.parse("SGD(lr=0.1, momentum=0.9, nesterov=True)");
        assertThat(sgd.toString()).isEqualTo("SGD(lr=0.1, momentum=0.9, dampening=0, weight_decay=0, nesterov=True, maximize=False)");
    }

    @Test
    void parse_empty_talksAboutAnOptimizer() {
        assertThatThrownBy(() -> Optimizers.parse("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 1: expected an optimizer such as SGD(lr=0.1, momentum=0.9), got nothing");
        assertThatThrownBy(() -> Optimizers.parse("  ")).hasMessageContaining("expected an optimizer");
    }

    @Test
    void create_nulls_clearErrorsNotNullPointerExceptions() {
        assertThatThrownBy(() -> Optimizers.create("SGD", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SGD needs its hyper-parameters (at least lr), got null");
        assertThatThrownBy(() -> Optimizers.create(null, Map.of("lr", 0.1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the optimizer name must be one of SGD, Adam, AdamW, RMSprop, Adagrad, SGDScheduleFree, AdamWScheduleFree,"
                        + " RAdamScheduleFree, got null");
    }

    /** A checkpoint with a valid checksum whose group holds {@code lr}: SGD's first value, right after its name. */
    private static byte[] sgdCheckpointWithLr(Optimizer opt, double lr) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        opt.save(out);
        byte[] bytes = out.toByteArray();
        int lrAt = 7 + 1 + 2 + 3 + 4 + 4 + 2 + 2; // magic, version, "SGD", group count, value count, "lr"
        java.nio.ByteBuffer.wrap(bytes).putDouble(lrAt, lr);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        java.nio.ByteBuffer.wrap(bytes).putLong(bytes.length - 8, crc.getValue());
        return bytes;
    }

    @Test
    void load_craftedCheckpointWithNaNLr_refused_nothingChanged() throws Exception {
        Optimizer opt = withTwoGroups("SGD");
        byte[] sane = sgdCheckpointWithLr(opt, 0.3);
        opt.load(new java.io.ByteArrayInputStream(sane));
        assertThat(opt.lr(0)).isEqualTo(0.3);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1}) {
            byte[] crafted = sgdCheckpointWithLr(opt, bad);
            assertThatThrownBy(() -> opt.load(new java.io.ByteArrayInputStream(crafted)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("group 0 of the checkpoint: lr must be finite and >= 0, got " + io.github.lr4j.util.Checks.fmt(bad)
                            + "; nothing was restored");
            assertThat(opt.lr(0)).isEqualTo(0.3);
        }
    }
}
