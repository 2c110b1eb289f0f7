package io.github.lr4j.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values PyTorch accepts but that are surely mistakes are {@code check} warnings. */
class ValueLintsTest {

    private static List<String> warnings(String spec, long steps) {
        ParamGroups groups = ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1}, new double[] {0.9});
        return ScheduleCheck.check(ScheduleSpec.build(spec, groups), steps, null).warnings();
    }

    @Test
    void cyclicExpRangeWithGammaAboveOne_warnsAboutMomentumAndHugeLrs_thenReportsTheFailingStep() {
        List<String> w = warnings("CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=2000, mode='exp_range', gamma=10)", 400);
        assertThat(w).contains(
                "group 0: momentum is -1.1 at step 4 (outside [0, 1]; it ranges from -1.54e+306 to 0.9): PyTorch accepts it,"
                        + " but it is surely a mistake",
                "group 0: the lr is 22.51 at step 5 (above 10; it peaks at 1.386e+306 at step 308): PyTorch accepts it,"
                        + " but it is surely a mistake",
                "stepping fails at step 309: CyclicLR would set group 0's lr to Infinity at step 309; lr4j never writes a"
                        + " non-finite or negative lr, so the step fails and nothing was changed");
    }

    @Test
    void momentumBoundsOfPyTorchsOwnTests_areAcceptedButWarnedAbout() {
        assertThat(warnings("OneCycleLR(max_lr=0.1, base_momentum=1, max_momentum=22, total_steps=100)", 100))
                .containsExactly("group 0: momentum is 22 at step 0 (outside [0, 1]; it ranges from 1 to 22): PyTorch accepts it,"
                        + " but it is surely a mistake");
        assertThat(warnings("OneCycleLR(max_lr=0.1, base_momentum=-0.5, max_momentum=0.9, total_steps=100)", 100))
                .singleElement().asString().startsWith("group 0: momentum is -0.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "LambdaLR(lr_lambda=lambda e: 101 if e >= 3 else 1) | group 0: the lr is 10.1 at step 3 (above 10; it peaks at 10.1 at step 3): PyTorch accepts it, but it is surely a mistake",
        "LambdaLR(lr_lambda=lambda e: 100 if e == 2 else 1) | group 0: the lr rises 100x in one step, from 0.1 at step 1 to 10 at step 2 (100x or more is surely a mistake)",
    })
    void surelyMistakenLrs_areWarnings(String spec, String warning) {
        assertThat(warnings(spec, 5)).contains(warning);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"LambdaLR(lr_lambda=lambda e: 100)", "LambdaLR(lr_lambda=lambda e: 99 if e == 2 else 1)",
        "ExponentialLR(gamma=0.001)", "OneCycleLR(max_lr=0.1, total_steps=5)"})
    void lrsUpTo10_risesBelow100x_andFalls_areNotWarnedAbout(String spec) {
        assertThat(warnings(spec, 5)).isEmpty();
    }
}
