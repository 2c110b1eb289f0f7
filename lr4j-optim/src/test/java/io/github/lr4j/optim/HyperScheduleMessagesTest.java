package io.github.lr4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A failing schedule of another hyper-parameter speaks of that hyper-parameter, not of an "lr" (issue 22, class 6). */
class HyperScheduleMessagesTest {

    @Test
    void anEpsScheduleGoingNegative_namesEps_notLr_andChangesNothing() {
        Optimizer adam = Optimizers.parse("Adam(lr=1e-3, eps=1e-8)");
        adam.addParamGroup(List.of(Parameter.zeros("w", 3)));
        HyperParameterSchedule eps = HyperParameterSchedule.of(adam, "eps", "LambdaLR(lr_lambda=lambda e: 1 - e)", Map.of());
        eps.step(java.util.OptionalDouble.empty()); // 1 - 1 = 0: eps 0 is allowed
        assertThatThrownBy(() -> eps.step(java.util.OptionalDouble.empty())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the eps schedule").hasMessageContaining("group 0's eps to -1.0E-8")
                .hasMessageNotContaining("'s lr");
        assertThat(HyperParameters.of(adam).get(0, "eps")).isZero();
    }
}
