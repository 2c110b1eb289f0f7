package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LrFinderTest {

    @Test
    void sweep_findsASensibleLr_stopsOnDivergence_andRestoresEverything() throws Exception {
        Digits.Split split = Digits.split();
        Mlp model = new Mlp(64, new int[] {32}, 10, 3);
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.01, "momentum", 0.9));
        opt.addParamGroup(model.parameters());
        opt.zeroGrad();
        opt.step(); // some optimizer state to restore
        float[] before = model.parameters().get(0).data().clone();
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        opt.save(state);

        LrFinder.Result r = new LrFinder().range(1e-5, 100).steps(200).run(model, opt, split.train());

        assertThat(r.diverged()).isTrue();
        assertThat(r.lrs().length).isLessThan(200);
        assertThat(r.lrs()[0]).isEqualTo(1e-5);
        for (int i = 1; i < r.lrs().length; i++) {
            assertThat(r.lrs()[i]).isGreaterThan(r.lrs()[i - 1]);
        }
        assertThat(r.suggestion()).isBetween(1e-3, 3.0);
        assertThat(r.valley()).isBetween(1e-4, 3.0);
        assertThat(r.minimumOverTen()).isBetween(1e-4, 1.0);
        assertThat(Arrays.equals(model.parameters().get(0).data(), before)).isTrue();
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        opt.save(after);
        assertThat(after.toByteArray()).isEqualTo(state.toByteArray());
        assertThat(opt.lr(0)).isEqualTo(0.01);
    }

    @Test
    void badRange_fails() {
        assertThatThrownBy(() -> new LrFinder().range(1, 0.1))
                .hasMessage("the lr range must satisfy 0 < minLr < maxLr < infinity, got [1.0, 0.1]");
    }
}
