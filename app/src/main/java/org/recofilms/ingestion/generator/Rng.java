package org.recofilms.ingestion.generator;

/**
 * SplitMix64 random numbers. The generator promises byte-identical files for one configuration on
 * any JVM, so it cannot rely on {@code java.util.Random} subclasses whose algorithms may change, and
 * every transcendental function goes through {@link StrictMath}.
 *
 * <p>Independent streams ({@link #stream}) keep the parts of the data set decoupled: injecting bad
 * rows, for example, draws from its own streams and so leaves every good row unchanged.
 */
final class Rng {

    private static final long GOLDEN = 0x9e3779b97f4a7c15L;
    private static final int NORMAL_BITS = 12;
    private static final double[] NORMAL_TABLE = normalTable(1 << NORMAL_BITS);

    private long state;

    Rng(final long randomSeed) {
        this.state = randomSeed;
    }

    /** A stream for one purpose (a constant) and one index (a user, a movie) under a random seed. */
    static Rng stream(final long randomSeed, final long purpose, final long index) {
        return new Rng(mix(mix(randomSeed + purpose * GOLDEN) ^ mix(index + GOLDEN)));
    }

    static long mix(final long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound); the bias of the multiply-shift method is below 2^-32, harmless here. */
    int nextInt(final int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [lo, hi] (inclusive). */
    long nextLong(final long lo, final long hi) {
        return lo + (long) (nextDouble() * (hi - lo + 1));
    }

    boolean chance(final double probability) {
        return nextDouble() < probability;
    }

    /** Exact standard normal (Box-Muller); for per-user and per-movie parameters. */
    double nextGaussian() {
        final double u1 = 1.0 - nextDouble();
        final double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /**
     * Approximate standard normal from an interpolated quantile table, truncated near +-3.4: cheap
     * enough for the per-rating noise of twenty million ratings.
     */
    double fastGaussian() {
        final long bits = nextLong();
        final int index = (int) (bits >>> (64 - NORMAL_BITS));
        final double fraction = (bits & 0xFFFFFFFFL) * 0x1.0p-32;
        final double lo = NORMAL_TABLE[index];
        final double hi = index + 1 < NORMAL_TABLE.length ? NORMAL_TABLE[index + 1] : lo;
        return lo + (hi - lo) * fraction;
    }

    /** Geometric number of failures before a success, with the given mean (0 when mean <= 0). */
    int geometric(final double mean) {
        if (mean <= 0) {
            return 0;
        }
        final double p = 1.0 / (1.0 + mean);
        return (int) StrictMath.floor(StrictMath.log(1.0 - nextDouble()) / StrictMath.log(1.0 - p));
    }

    private static double[] normalTable(final int size) {
        final double[] table = new double[size];
        for (int i = 0; i < size; i++) {
            table[i] = inverseNormal((i + 0.5) / size);
        }
        return table;
    }

    /** Acklam's rational approximation of the normal quantile (relative error about 1e-9). */
    static double inverseNormal(final double p) {
        final double[] a = {
            -3.969683028665376e+01,
            2.209460984245205e+02,
            -2.759285104469687e+02,
            1.383577518672690e+02,
            -3.066479806614716e+01,
            2.506628277459239e+00
        };
        final double[] b = {
            -5.447609879822406e+01,
            1.615858368580409e+02,
            -1.556989798598866e+02,
            6.680131188771972e+01,
            -1.328068155288572e+01
        };
        final double[] c = {
            -7.784894002430293e-03,
            -3.223964580411365e-01,
            -2.400758277161838e+00,
            -2.549732539343734e+00,
            4.374664141464968e+00,
            2.938163982698783e+00
        };
        final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        final double low = 0.02425;
        if (p < low) {
            final double q = StrictMath.sqrt(-2 * StrictMath.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            final double q = StrictMath.sqrt(-2 * StrictMath.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        final double q = p - 0.5;
        final double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
