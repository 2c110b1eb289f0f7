package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.ParamGroups;
import org.junit.jupiter.api.Test;

/** Messages a user reads: no Java array addresses, no "1 or 1". */
class MessagesTest {

    @Test
    void oneCycle_twoMaxLrsForOneGroup_saysOneValue() {
        assertThatThrownBy(() -> Schedulers.oneCycleLR(0.1, 0.2).totalSteps(10).attach(ParamGroups.of(0.1)))
                .hasMessage("max_lr must have 1 value (there is 1 param group), got 2");
    }

    @Test
    void loadState_differentMaxLrs_showsBothListsAsNumbers() {
        LrScheduler saved = Schedulers.oneCycleLR(0.1, 0.2).totalSteps(10).cycleMomentum(false).attach(ParamGroups.of(0.1, 0.1));
        LrScheduler other = Schedulers.oneCycleLR(0.3, 0.2).totalSteps(10).cycleMomentum(false).attach(ParamGroups.of(0.1, 0.1));
        assertThatThrownBy(() -> other.loadState(saved.state()))
                .hasMessageContaining("[0.3, 0.2]")
                .hasMessageNotContaining("[D@");
    }
}
