package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DigitsTest {

    @Test
    void shippedDataSet_has1797SamplesOf64PixelsInTenClasses() {
        Dataset all = Digits.load();
        assertThat(all.size()).isEqualTo(1797);
        assertThat(all.features()).isEqualTo(64);
        assertThat(Arrays.stream(all.y()).distinct().count()).isEqualTo(10);
        for (float[] x : all.x()) {
            for (float v : x) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void split_isFixed_disjoint_andSized1257_270_270() {
        Digits.Split a = Digits.split();
        Digits.Split b = Digits.split();
        assertThat(a.train().size()).isEqualTo(1257);
        assertThat(a.validation().size()).isEqualTo(270);
        assertThat(a.test().size()).isEqualTo(270);
        assertThat(a.test().y()).containsExactly(b.test().y());
        assertThat(a.test().x()[0]).containsExactly(b.test().x()[0]);
        java.util.Set<float[]> train = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        train.addAll(Arrays.asList(a.train().x()));
        for (float[] x : a.test().x()) {
            assertThat(train).doesNotContain(x);
        }
    }

    @Test
    void shifts_addFourShiftedCopies() {
        Dataset train = Digits.split().train();
        Dataset shifted = Digits.withShifts(train);
        assertThat(shifted.size()).isEqualTo(5 * train.size());
        float[] original = train.x()[0];
        float[] down = shifted.x()[train.size()]; // shift {-1, 0}: row r takes row r + 1
        for (int c = 0; c < 8; c++) {
            assertThat(down[c]).isEqualTo(original[8 + c]);
            assertThat(down[56 + c]).isZero();
        }
    }
}
