package dev.procpool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void median_odd_isTheMiddleValue_whateverTheOrder() {
        Samples samples = new Samples(new double[] {9, 1, 5});

        assertEquals(5, samples.median());
        assertEquals(1, samples.min());
        assertEquals(9, samples.max());
    }

    @Test
    void median_even_isTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, new Samples(new double[] {4, 1, 2, 3}).median());
    }

    @Test
    void samples_areCopied() {
        double[] values = {1, 2, 3};
        Samples samples = new Samples(values);
        values[1] = 100;

        assertEquals(2, samples.median());
    }

    @Test
    void noValues_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Samples(new double[0]));
    }

    @Test
    void bars_onRatioOrValue() {
        Samples ratios = new Samples(new double[] {1.04, 1.08, 1.2});
        Samples value = new Samples(new double[] {60, 70, 80});

        assertTrue(new Measurement("d", "k", "l", "s", value, ratios, "threads", Bar.ratioAtMost(1.10)).passes());
        assertFalse(new Measurement("d", "k", "l", "s", value, ratios, "threads", Bar.ratioAtMost(1.05)).passes());
        assertTrue(new Measurement("e", "k", "l", "MiB", value, null, null, Bar.valueAtMost(70)).passes());
        assertFalse(new Measurement("e", "k", "l", "MiB", value, null, null, Bar.valueAtMost(64)).passes());
        assertTrue(new Measurement("b", "k", "l", "/s", value, ratios, "pipelined", Bar.ratioAtLeast(0.5)).passes());
    }

    @Test
    void dividedBy_pairsTheRepetitions() {
        Samples measured = new Samples(new double[] {2, 6, 12});

        assertEquals(new Samples(new double[] {2, 3, 4}), measured.dividedBy(new Samples(new double[] {1, 2, 3})));
        assertThrows(IllegalArgumentException.class, () -> measured.dividedBy(new Samples(new double[] {1, 2})));
    }

    @Test
    void medianOver_isOneRatioOfTheMedians() {
        Samples measured = new Samples(new double[] {30, 10, 20});
        Samples reference = new Samples(new double[] {40, 80});

        assertEquals(new Samples(new double[] {20.0 / 60}), measured.medianOver(reference));
    }
}
