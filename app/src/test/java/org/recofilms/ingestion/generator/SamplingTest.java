package org.recofilms.ingestion.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The random building blocks: streams, the alias table and the exact allocation. */
class SamplingTest {

    @Test
    void streamsAreReproducibleAndIndependent() {
        assertEquals(Rng.stream(1, 2, 3).nextLong(), Rng.stream(1, 2, 3).nextLong());
        assertTrue(Rng.stream(1, 2, 3).nextLong() != Rng.stream(1, 2, 4).nextLong());
        assertTrue(Rng.stream(1, 2, 3).nextLong() != Rng.stream(2, 2, 3).nextLong());
        final Rng rng = new Rng(5);
        double sum = 0;
        double squares = 0;
        final int n = 200_000;
        for (int i = 0; i < n; i++) {
            final double x = rng.fastGaussian();
            sum += x;
            squares += x * x;
        }
        assertEquals(0, sum / n, 0.01, "mean");
        assertEquals(1, Math.sqrt(squares / n), 0.01, "standard deviation");
    }

    @Test
    void aliasTableDrawsInProportionToWeights() {
        final AliasTable table = new AliasTable(new int[] {10, 20, 30, 40}, new double[] {1, 2, 3, 4});
        final Rng rng = new Rng(11);
        final int[] counts = new int[5];
        final int n = 400_000;
        for (int i = 0; i < n; i++) {
            counts[table.sample(rng) / 10]++;
        }
        for (int item = 1; item <= 4; item++) {
            assertEquals(item / 10.0, counts[item] / (double) n, 0.005, "share of item " + item);
        }
    }

    @Test
    void allocationHitsTheTotalExactlyWithinFloorAndCaps() {
        final Rng rng = new Rng(3);
        final double[] weights = new double[1_000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.exp(1.3 * rng.nextGaussian());
        }
        final int[] caps = new int[weights.length];
        Arrays.fill(caps, 400);
        final int[] shares = Allocation.allocate(weights, 20, caps, 123_457);
        assertEquals(123_457, Arrays.stream(shares).asLongStream().sum());
        assertTrue(Arrays.stream(shares).allMatch(s -> s >= 20 && s <= 400));
        // Heavier weights never get fewer units than lighter ones, up to the one-unit remainder.
        for (int i = 0; i < weights.length; i++) {
            for (int j = 0; j < weights.length; j++) {
                if (weights[i] > weights[j]) {
                    assertTrue(shares[i] >= shares[j] - 1);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Allocation.allocate(weights, 20, caps, 19_999));
        assertThrows(IllegalArgumentException.class, () -> Allocation.allocate(weights, 20, caps, 400_001));
    }
}
