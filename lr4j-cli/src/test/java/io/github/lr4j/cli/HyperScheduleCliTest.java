package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code train --schedule NAME=SPEC}: other hyper-parameters scheduled like the lr; clear one-line refusals. */
class HyperScheduleCliTest extends CliHarness {

    @Test
    void weightDecaySchedule_trains() {
        assertThat(run("train", "--quiet", "--epochs", "1", "--report", System.getProperty("java.io.tmpdir") + "/lr4j-hyper-cli",
                "--schedule", "weight_decay=CosineAnnealingLR(T_max=total_steps, eta_min=0.0)")).isZero();
    }

    @Test
    void aMomentumScheduleUnderOneCycle_isRefused() {
        assertThat(run("train", "--epochs", "1", "--schedule", "momentum=LinearLR(start_factor=0.5, total_iters=10)")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: a momentum schedule cannot drive SGD's momentum: OneCycleLR already cycles it"
                + " (give it cycle_momentum=False, or drop the momentum schedule)" + System.lineSeparator());
    }

    @Test
    void aNameTheOptimizerLacks_isRefusedListingItsOwn() {
        assertThat(run("train", "--epochs", "1", "--schedule", "beta2=ConstantLR()")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: SGD has no hyper-parameter beta2; it has lr, momentum, dampening, weight_decay,"
                + " nesterov, maximize" + System.lineSeparator());
    }
}
