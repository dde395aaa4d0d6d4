package org.recofilms.ingestion.generator;

/**
 * Splits an exact total into integer shares that follow given weights, with a floor and per-item
 * caps: share(i) = clamp(min + floor(c * weight(i)), min, cap(i)) for the c that comes closest to the
 * total from below, then the few missing units go one by one to items under their cap. This is how
 * "lognormal user activity" meets "exactly 20,000,263 ratings".
 */
final class Allocation {

    private Allocation() {}

    /**
     * @param weights non-negative weight per item
     * @param min the floor of every share
     * @param caps the ceiling of each share (each at least {@code min})
     * @param total the exact sum wanted, between {@code min * n} and the sum of the caps
     */
    static int[] allocate(final double[] weights, final int min, final int[] caps, final long total) {
        final int n = weights.length;
        long capSum = 0;
        for (final int cap : caps) {
            if (cap < min) {
                throw new IllegalArgumentException("a cap is below the minimum share");
            }
            capSum += cap;
        }
        if (total < (long) min * n || total > capSum) {
            throw new IllegalArgumentException("cannot split " + total + " into " + n + " shares between " + min
                    + " and their caps (" + capSum + " in all)");
        }
        double low = 0;
        double high = 1;
        while (sum(weights, min, caps, high) < total && high < 1e300) {
            high *= 2;
        }
        for (int i = 0; i < 200 && high - low > low * 1e-15; i++) {
            final double mid = (low + high) / 2;
            if (sum(weights, min, caps, mid) <= total) {
                low = mid;
            } else {
                high = mid;
            }
        }
        final int[] shares = new int[n];
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            shares[i] = share(weights[i], min, caps[i], low);
            assigned += shares[i];
        }
        // Hand out the remainder one unit at a time, walking the items with a stride that is
        // coprime with n so that the extra units do not all land on the first users.
        final int stride = coprimeStride(n);
        int index = 0;
        while (assigned < total) {
            if (shares[index] < caps[index]) {
                shares[index]++;
                assigned++;
            }
            index = (int) ((index + (long) stride) % n);
        }
        return shares;
    }

    private static long sum(final double[] weights, final int min, final int[] caps, final double scale) {
        long sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += share(weights[i], min, caps[i], scale);
        }
        return sum;
    }

    private static int share(final double weight, final int min, final int cap, final double scale) {
        final double extra = Math.floor(scale * weight);
        return extra >= cap - min ? cap : min + (int) extra;
    }

    private static int coprimeStride(final int n) {
        int stride = Math.max(1, (int) (n * 0.618));
        while (gcd(stride, n) != 1) {
            stride--;
        }
        return stride;
    }

    private static int gcd(final int a, final int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
