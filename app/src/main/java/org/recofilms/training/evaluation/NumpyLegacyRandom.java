package org.recofilms.training.evaluation;

/**
 * numpy's legacy {@code RandomState} (MT19937), bit for bit, for the draws the reference splits make.
 *
 * <p>The seed's split is scikit-learn's {@code train_test_split(ratings, test_size=0.2, random_state=42)}, which
 * takes {@code RandomState(42).permutation(n)}; Liang et al.'s MovieLens split uses {@code np.random.seed(98765)},
 * {@code permutation} and {@code choice(n, size, replace=False)} (= {@code permutation(n)[:size]}). Reproducing the
 * generator exactly makes our splits identical to theirs on the same rows in the same order. Seeding is MT19937's
 * {@code init_genrand}; {@code permutation} is numpy's {@code shuffle} of {@code arange(n)}: for {@code i} from
 * {@code n-1} down to 1, swap with {@code j = random_interval(i)}, itself a masked rejection draw on 32-bit outputs.
 */
final class NumpyLegacyRandom {

    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int index;

    /** {@code np.random.RandomState(randomSeed)} for a random seed in [0, 2^32). */
    NumpyLegacyRandom(long randomSeed) {
        if (randomSeed < 0 || randomSeed > 0xffffffffL) {
            throw new IllegalArgumentException("random seed must be between 0 and 2**32 - 1, got " + randomSeed);
        }
        mt[0] = (int) randomSeed;
        for (int i = 1; i < N; i++) {
            int prev = mt[i - 1];
            mt[i] = 1812433253 * (prev ^ (prev >>> 30)) + i;
        }
        index = N;
    }

    /** The next 32-bit output, as an unsigned value. */
    long nextUint32() {
        if (index >= N) {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        int i = 0;
        for (; i < N - M; i++) {
            int y = (mt[i] & 0x80000000) | (mt[i + 1] & 0x7fffffff);
            mt[i] = mt[i + M] ^ (y >>> 1) ^ ((y & 1) * 0x9908b0df);
        }
        for (; i < N - 1; i++) {
            int y = (mt[i] & 0x80000000) | (mt[i + 1] & 0x7fffffff);
            mt[i] = mt[i + M - N] ^ (y >>> 1) ^ ((y & 1) * 0x9908b0df);
        }
        int y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) * 0x9908b0df);
        index = 0;
    }

    /** numpy's {@code random_interval(max)}: uniform in [0, max] by masked rejection. */
    int interval(int max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        while ((value = nextUint32() & mask) > max) {
            // rejected, draw again
        }
        return (int) value;
    }

    /** {@code RandomState.permutation(n)}. */
    int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = interval(i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
