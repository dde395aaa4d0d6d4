package org.recofilms.ingestion.generator;

/**
 * Walker's alias method: draws one of a fixed set of items with probability proportional to its
 * weight in constant time, which the per-rating movie choice needs at the ML-20M scale.
 */
final class AliasTable {

    private final int[] items;
    private final int[] aliases;
    private final double[] keep;

    /**
     * @param items the values to draw (movie indices)
     * @param weights one positive weight per item
     */
    AliasTable(final int[] items, final double[] weights) {
        final int n = items.length;
        if (n == 0 || weights.length != n) {
            throw new IllegalArgumentException("need one weight per item and at least one item");
        }
        this.items = items.clone();
        this.aliases = new int[n];
        this.keep = new double[n];
        double total = 0;
        for (final double w : weights) {
            total += w;
        }
        final double[] scaled = new double[n];
        final int[] small = new int[n];
        final int[] large = new int[n];
        int smallCount = 0;
        int largeCount = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / total;
            if (scaled[i] < 1.0) {
                small[smallCount++] = i;
            } else {
                large[largeCount++] = i;
            }
        }
        while (smallCount > 0 && largeCount > 0) {
            final int s = small[--smallCount];
            final int l = large[--largeCount];
            keep[s] = scaled[s];
            aliases[s] = items[l];
            scaled[l] = (scaled[l] + scaled[s]) - 1.0;
            if (scaled[l] < 1.0) {
                small[smallCount++] = l;
            } else {
                large[largeCount++] = l;
            }
        }
        // Leftovers hold (up to rounding) exactly one unit of probability each.
        while (largeCount > 0) {
            final int l = large[--largeCount];
            keep[l] = 1.0;
            aliases[l] = items[l];
        }
        while (smallCount > 0) {
            final int s = small[--smallCount];
            keep[s] = 1.0;
            aliases[s] = items[s];
        }
    }

    int size() {
        return items.length;
    }

    /** One draw; consumes exactly one random long (32 bits for the slot, 32 for the coin). */
    int sample(final Rng rng) {
        final long bits = rng.nextLong();
        final int slot = (int) (((bits >>> 32) * items.length) >>> 32);
        final double coin = (bits & 0xFFFFFFFFL) * 0x1.0p-32;
        return coin < keep[slot] ? items[slot] : aliases[slot];
    }
}
