package io.github.lr4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.Schedulers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleFreeTest {

    private static Optimizer withParams(String expression, long seed, int... sizes) {
        Optimizer opt = Optimizers.parse(expression);
        Random random = new Random(seed);
        for (int size : sizes) {
            float[] data = new float[size];
            for (int i = 0; i < size; i++) {
                data[i] = (float) random.nextGaussian();
            }
            opt.addParamGroup(List.of(Parameter.of("w" + size, data)));
        }
        return opt;
    }

    private static void steps(Optimizer opt, Random random, int steps) {
        for (int s = 0; s < steps; s++) {
            for (Parameter p : opt.params()) {
                for (int i = 0; i < p.size(); i++) {
                    p.grad()[i] = (float) (0.5 * random.nextGaussian());
                }
            }
            opt.step();
        }
    }

    private static float[][] values(Optimizer opt) {
        float[][] out = new float[opt.params().length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = opt.params()[i].data().clone();
        }
        return out;
    }

    /** The reference's {@code p.lerp_(z, weight)} on torch 1.13's CPU, written out element by element. */
    private static float[] referenceLerp(float[] p, float[] z, double weight) {
        float w = (float) weight;
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            float diff = z[i] - p[i];
            out[i] = w < 0.5f ? p[i] + w * diff : z[i] - diff * (1f - w);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "SGDScheduleFree(lr=0.5); 0.9",
        "SGDScheduleFree(lr=0.3, momentum=0.5, warmup_steps=4); 0.5",
        "SGDScheduleFree(lr=0.2, momentum=0.3); 0.3",
        "AdamWScheduleFree(lr=0.01, betas=(0.95, 0.99)); 0.95",
        "RAdamScheduleFree(lr=0.01, silent_sgd_phase=False); 0.9"})
    void modeSwitches_areTheReferencesTwoInterpolations_toTwoUlps(String expression, double beta) {
        Random random = new Random(expression.hashCode());
        Optimizer opt = withParams(expression, 11, 257, 31);
        for (int round = 0; round < 5; round++) {
            steps(opt, random, 1 + random.nextInt(4));
            float[][] y = values(opt);
            opt.eval();
            assertThat(opt.mode()).isEqualTo(OptimizerMode.EVAL);
            for (int i = 0; i < y.length; i++) {
                float[] z = opt.states()[i].buffers[0];
                assertWithinUlps(opt.params()[i].data(), referenceLerp(y[i], z, 1 - 1 / beta), 2);
            }
            float[][] x = values(opt);
            opt.train();
            assertThat(opt.mode()).isEqualTo(OptimizerMode.TRAIN);
            for (int i = 0; i < x.length; i++) {
                float[] z = opt.states()[i].buffers[0];
                assertWithinUlps(opt.params()[i].data(), referenceLerp(x[i], z, 1 - beta), 2);
            }
        }
    }

    private static void assertWithinUlps(float[] got, float[] want, int ulps) {
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs(got[i] - want[i])).as("element %d: got %s, reference %s", i, got[i], want[i])
                    .isLessThanOrEqualTo(ulps * Math.ulp(want[i]));
        }
    }

    @Test
    void sgdRoundTrip_isNotExact_asInTheReference() {
        Optimizer opt = withParams("SGDScheduleFree(lr=1.0)", 3, 500);
        steps(opt, new Random(3), 5);
        float[][] y = values(opt);
        opt.eval();
        opt.train();
        int changed = 0;
        for (int i = 0; i < y[0].length; i++) {
            changed += y[0][i] == opt.params()[0].data()[i] ? 0 : 1;
        }
        assertThat(changed).isBetween(1, 100);
    }

    @Test
    void switchingTwice_doesNothing_andStepRefusesEvalMode() throws IOException {
        Optimizer opt = withParams("AdamWScheduleFree(lr=0.01)", 5, 9);
        steps(opt, new Random(5), 3);
        opt.train();
        opt.eval();
        float[][] x = values(opt);
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        opt.save(state);
        opt.eval();
        assertThat(values(opt)).isDeepEqualTo(x);
        assertThatThrownBy(opt::step).isInstanceOf(IllegalStateException.class)
                .hasMessage("AdamWScheduleFree is in eval mode (its parameters hold x): call train() before step()");
        assertThat(values(opt)).isDeepEqualTo(x);
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        opt.save(after);
        assertThat(after.toByteArray()).isEqualTo(state.toByteArray());
    }

    @Test
    void checkpoint_recordsTheMode_andResumesLikeTheUninterruptedRun() throws IOException {
        Optimizer uninterrupted = withParams("SGDScheduleFree(lr=0.5, warmup_steps=2)", 9, 40, 7);
        steps(uninterrupted, new Random(1), 6);
        uninterrupted.eval();
        float[][] saved = values(uninterrupted);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        uninterrupted.save(bytes);
        uninterrupted.train();
        steps(uninterrupted, new Random(2), 6);

        Optimizer resumed = withParams("SGDScheduleFree(lr=0.5, warmup_steps=2)", 99, 40, 7);
        for (int i = 0; i < saved.length; i++) {
            System.arraycopy(saved[i], 0, resumed.params()[i].data(), 0, saved[i].length);
        }
        resumed.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(resumed.mode()).isEqualTo(OptimizerMode.EVAL);
        assertThat(resumed.group(0).get("k")).isEqualTo(6);
        resumed.train();
        steps(resumed, new Random(2), 6);
        assertThat(values(resumed)).isDeepEqualTo(values(uninterrupted));
    }

    @Test
    void aGroupAddedInEvalMode_joinsInEvalMode() {
        Optimizer opt = withParams("SGDScheduleFree(lr=0.5)", 1, 4);
        steps(opt, new Random(1), 2);
        opt.eval();
        opt.addParamGroup(List.of(Parameter.zeros("late", 3)));
        opt.train();
        assertThat(opt.group(1).flag("train_mode")).isTrue();
        assertThat(opt.params()[1].data()).containsOnly(0f);
    }

    @Test
    void aScheduler_drivesTheLr_thatWarmUpMultiplies() {
        Optimizer opt = withParams("AdamWScheduleFree(lr=0.01, warmup_steps=4)", 2, 5);
        LrScheduler halving = Schedulers.stepLR(opt, 1, 0.5);
        Random random = new Random(4);
        for (int s = 0; s < 6; s++) {
            double lr = opt.lr(0);
            steps(opt, random, 1);
            assertThat(opt.group(0).get("scheduled_lr")).isEqualTo(lr * Math.min(1.0, (s + 1) / 4.0));
            halving.step();
        }
        // The first two steps used the largest lr (0.01 / 4 in warm-up, then 0.005 / 2); lr_max remembers it.
        assertThat(opt.group(0).get("lr_max")).isEqualTo(0.01 / 4);
    }

    @Test
    void badOptions_nameTheParameterRangeAndValue() {
        assertThatThrownBy(() -> Optimizers.parse("SGDScheduleFree(momentum=1.0)"))
                .hasMessageEndingWith("SGDScheduleFree: momentum must be in (0, 1), got 1");
        assertThatThrownBy(() -> Optimizers.parse("AdamWScheduleFree(warmup_steps=2.5)"))
                .hasMessageEndingWith("AdamWScheduleFree: warmup_steps must be a whole number >= 0, got 2.5");
        assertThatThrownBy(() -> Optimizers.create("RAdamScheduleFree", Map.of("k", 3)))
                .hasMessage("k is RAdamScheduleFree's own running state, not a hyper-parameter: it cannot be set");
        assertThatThrownBy(() -> Optimizers.create("RAdamScheduleFree", Map.of("warmup_steps", 3)))
                .hasMessage("RAdamScheduleFree has no hyper-parameter warmup_steps; it has lr, beta1, beta2, eps, weight_decay, r,"
                        + " weight_lr_power, silent_sgd_phase");
        Optimizer opt = withParams("SGDScheduleFree()", 1, 3);
        assertThatThrownBy(() -> opt.group(0).set("lr_max", 1.0))
                .hasMessage("lr_max is SGDScheduleFree's own running state, not a hyper-parameter: it cannot be set");
    }

    @Test
    void parse_takesTheReferencesNamesAndDefaults() {
        Optimizer adamw = Optimizers.parse("AdamWScheduleFree(lr=2.5e-3, warmup_steps=100)");
        assertThat(adamw.defaultValue("warmup_steps")).isEqualTo(100);
        assertThat(adamw.defaultValue("beta1")).isEqualTo(0.9);
        assertThat(adamw.defaultValue("weight_lr_power")).isEqualTo(2);
        assertThat(adamw.toString()).isEqualTo("AdamWScheduleFree(lr=0.0025, betas=(0.9, 0.999), eps=1.0E-8,"
                + " weight_decay=0, warmup_steps=100, r=0, weight_lr_power=2, inner_momentum=0)");
        assertThat(Optimizers.parse(adamw.toString()).toString()).isEqualTo(adamw.toString()); // parses back
        assertThat(Optimizers.parse("SGDScheduleFree(params)").defaultValue("lr")).isEqualTo(1.0);
        assertThat(Optimizers.parse("RAdamScheduleFree(silent_sgd_phase=False)").defaultValue("silent_sgd_phase")).isZero();
        assertThat(Optimizers.isScheduleFree("RAdamScheduleFree")).isTrue();
        assertThat(Optimizers.isScheduleFree("AdamW")).isFalse();
    }
}
