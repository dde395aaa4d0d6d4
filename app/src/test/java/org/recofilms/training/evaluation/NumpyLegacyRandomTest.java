package org.recofilms.training.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Expected values printed by numpy 2.4 ({@code np.random.RandomState}) and scikit-learn 1.9. */
class NumpyLegacyRandomTest {

    @Test
    void rawOutputsMatchMt19937() {
        NumpyLegacyRandom seed42 = new NumpyLegacyRandom(42);
        assertEquals(1608637542L, seed42.nextUint32());
        assertEquals(3421126067L, seed42.nextUint32());
        assertEquals(4083286876L, seed42.nextUint32());
        assertEquals(2357136044L, new NumpyLegacyRandom(0).nextUint32());
    }

    @Test
    void permutationsMatchNumpy() {
        // np.random.RandomState(42).permutation(10)
        assertArrayEquals(new int[] {8, 1, 5, 0, 7, 2, 9, 4, 3, 6}, new NumpyLegacyRandom(42).permutation(10));
        // np.random.RandomState(98765).permutation(25)
        assertArrayEquals(
                new int[] {17, 14, 5, 11, 3, 18, 1, 23, 24, 8, 2, 20, 0, 7, 22, 15, 10, 4, 9, 6, 16, 13, 12, 19, 21},
                new NumpyLegacyRandom(98765).permutation(25));
        assertArrayEquals(new int[] {1, 5, 0, 6, 4, 2, 3}, new NumpyLegacyRandom(4294967295L).permutation(7));
    }

    @Test
    void largePermutationsMatchNumpy() {
        int[] p = new NumpyLegacyRandom(42).permutation(100_000);
        assertArrayEquals(new int[] {75721, 80184, 19864, 76699, 92991}, Arrays.copyOfRange(p, 0, 5));
        assertArrayEquals(new int[] {6265, 54886, 76820, 860, 15795}, Arrays.copyOfRange(p, 99_995, 100_000));
        long checksum = 0; // (p * arange(n) % 1000003).sum()
        for (int i = 0; i < p.length; i++) {
            checksum += ((long) p[i] * i) % 1_000_003;
        }
        assertEquals(49994926168L, checksum);
        // Liang's user permutation size on ML-20M
        int[] liang = new NumpyLegacyRandom(98765).permutation(136_677);
        assertArrayEquals(new int[] {104323, 11053, 111295, 50587, 126873}, Arrays.copyOfRange(liang, 0, 5));
        assertArrayEquals(new int[] {2057, 37808, 126893, 69107, 134933}, Arrays.copyOfRange(liang, 136_672, 136_677));
    }

    @Test
    void choiceWithoutReplacementIsAPermutationPrefix() {
        // r = RandomState(98765); r.choice(17, 3, replace=False) -> [3, 1, 5]; r.choice(9, 1, replace=False) -> [7]
        NumpyLegacyRandom r = new NumpyLegacyRandom(98765);
        assertArrayEquals(new int[] {3, 1, 5}, Arrays.copyOf(r.permutation(17), 3));
        assertArrayEquals(new int[] {7}, Arrays.copyOf(r.permutation(9), 1));
    }

    @Test
    void trainTestSplitOfScikitLearn() {
        // train_test_split(np.arange(23), test_size=0.2, random_state=42): test first ceil(0.2 * 23) = 5
        int[] p = new NumpyLegacyRandom(42).permutation(23);
        int nTest = (int) Math.ceil(0.2 * 23);
        assertArrayEquals(new int[] {15, 9, 0, 8, 17}, Arrays.copyOf(p, nTest));
        assertArrayEquals(
                new int[] {12, 1, 13, 5, 2, 11, 20, 3, 4, 18, 16, 21, 22, 7, 10, 14, 19, 6},
                Arrays.copyOfRange(p, nTest, 23));
    }
}
