package org.recofilms.training;

import java.util.Arrays;

/**
 * The distinct values of an id column, in ascending order, with the number of rows holding each.
 *
 * <p>Ids map to dense positions {@code 0..size()-1} in ascending id order, so position order is id order.
 * Lookups use a direct table when the id range is compact (MovieLens user and movie ids are), and a
 * binary search otherwise.
 */
public final class IdIndex {

    /** Largest id range served by a direct table (32 MiB of ints). */
    private static final long MAX_DENSE_RANGE = 1L << 23;

    private final int[] ids;
    private final int[] counts;
    private final int min;
    private final int[] table;

    private IdIndex(int[] ids, int[] counts, int min, int[] table) {
        this.ids = ids;
        this.counts = counts;
        this.min = min;
        this.table = table;
    }

    /** Indexes every value of {@code values}. */
    public static IdIndex of(int[] values) {
        int n = values.length;
        if (n == 0) {
            return new IdIndex(new int[0], new int[0], 0, new int[0]);
        }
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int v : values) {
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        long range = (long) hi - lo + 1;
        if (range <= MAX_DENSE_RANGE) {
            int[] table = new int[(int) range];
            for (int v : values) {
                table[v - lo]++;
            }
            int distinct = 0;
            for (int c : table) {
                if (c > 0) {
                    distinct++;
                }
            }
            int[] ids = new int[distinct];
            int[] counts = new int[distinct];
            int k = 0;
            for (int t = 0; t < table.length; t++) {
                int c = table[t];
                if (c > 0) {
                    ids[k] = lo + t;
                    counts[k] = c;
                    table[t] = k++;
                } else {
                    table[t] = -1;
                }
            }
            return new IdIndex(ids, counts, lo, table);
        }
        int[] sorted = values.clone();
        Arrays.parallelSort(sorted);
        int distinct = 0;
        for (int r = 0; r < n; r++) {
            if (r == 0 || sorted[r] != sorted[r - 1]) {
                distinct++;
            }
        }
        int[] ids = new int[distinct];
        int[] counts = new int[distinct];
        int k = -1;
        for (int r = 0; r < n; r++) {
            if (r == 0 || sorted[r] != sorted[r - 1]) {
                ids[++k] = sorted[r];
            }
            counts[k]++;
        }
        return new IdIndex(ids, counts, lo, null);
    }

    /** Number of distinct ids. */
    public int size() {
        return ids.length;
    }

    /** The id at a position. */
    public int id(int index) {
        return ids[index];
    }

    /** Number of rows holding the id at a position. */
    public int count(int index) {
        return counts[index];
    }

    /** Position of an id, or -1 when absent. */
    public int indexOf(int id) {
        if (table != null) {
            long t = (long) id - min;
            return t >= 0 && t < table.length ? table[(int) t] : -1;
        }
        int k = Arrays.binarySearch(ids, id);
        return k >= 0 ? k : -1;
    }

    /** The distinct ids in ascending order; shared, must not be modified. */
    public int[] ids() {
        return ids;
    }

    /** Rows per id, aligned with {@link #ids()}; shared, must not be modified. */
    public int[] counts() {
        return counts;
    }
}
