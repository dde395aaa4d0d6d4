package org.recofilms.training;

/**
 * Packs (score, tie-breaker) pairs into longs whose ascending order is score descending, then tie-breaker
 * ascending, so that rankings sort as primitive {@code long[]} with no comparator or boxing.
 */
public final class SortKeys {

    private SortKeys() {}

    /** Key ordering by {@code score} descending, then {@code tieBreaker} ascending (any int). */
    public static long descending(float score, int tieBreaker) {
        int bits = Float.floatToIntBits(score == 0f ? 0f : score); // -0.0 and 0.0 rank alike
        bits ^= (bits >> 31) & 0x7fffffff; // signed-int order now matches float order
        return ((long) ~bits << 32) | ((tieBreaker ^ 0x80000000) & 0xffffffffL);
    }

    /** The tie-breaker packed by {@link #descending(float, int)}. */
    public static int tieBreaker(long key) {
        return ((int) key) ^ 0x80000000;
    }

    /** The score packed by {@link #descending(float, int)}. */
    public static float score(long key) {
        int bits = ~(int) (key >>> 32);
        bits ^= (bits >> 31) & 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }
}
