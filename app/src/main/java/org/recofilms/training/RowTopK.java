package org.recofilms.training;

/**
 * Keeps the {@code k} largest positive weights of one row, ordered by weight descending, then item ascending
 * (items are numbered in movie id order, so this is the item-kNN order). A bounded min-heap whose root is the
 * worst kept entry; one instance per worker thread, reused row after row.
 */
final class RowTopK {

    private final int k;
    private final int[] heapItem;
    private final double[] heapWeight;
    private int size;

    RowTopK(int k) {
        this.k = k;
        this.heapItem = new int[k];
        this.heapWeight = new double[k];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** True when {@code (wa, ia)} ranks below {@code (wb, ib)}. */
    private static boolean worse(double wa, int ia, double wb, int ib) {
        return wa < wb || (wa == wb && ia > ib);
    }

    /** Offers one entry; weights that are not {@code > 0} are ignored. */
    void offer(int item, double weight) {
        if (!(weight > 0)) {
            return;
        }
        if (size < k) {
            int c = size++;
            while (c > 0) {
                int parent = (c - 1) >>> 1;
                if (!worse(weight, item, heapWeight[parent], heapItem[parent])) {
                    break;
                }
                heapItem[c] = heapItem[parent];
                heapWeight[c] = heapWeight[parent];
                c = parent;
            }
            heapItem[c] = item;
            heapWeight[c] = weight;
        } else if (worse(heapWeight[0], heapItem[0], weight, item)) {
            siftDown(0, item, weight, size);
        }
    }

    private void siftDown(int c, int item, double weight, int n) {
        while (true) {
            int child = 2 * c + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n
                    && worse(heapWeight[child + 1], heapItem[child + 1], heapWeight[child], heapItem[child])) {
                child++;
            }
            if (!worse(heapWeight[child], heapItem[child], weight, item)) {
                break;
            }
            heapItem[c] = heapItem[child];
            heapWeight[c] = heapWeight[child];
            c = child;
        }
        heapItem[c] = item;
        heapWeight[c] = weight;
    }

    /**
     * Writes the kept entries best first into {@code items}/{@code weights} (each scaled by {@code scale}) and
     * returns their number; empties the selector.
     */
    int drainSorted(int[] items, float[] weights, double scale) {
        int n = size;
        // Repeatedly move the worst (root) to the end: the arrays end up best first.
        for (int last = n - 1; last >= 0; last--) {
            items[last] = heapItem[0];
            weights[last] = (float) (heapWeight[0] * scale);
            int movedItem = heapItem[last];
            double movedWeight = heapWeight[last];
            siftDown(0, movedItem, movedWeight, last);
        }
        size = 0;
        // The float rounding may make neighbours equal: restore item order inside each run of equal weights.
        for (int a = 0; a < n; ) {
            int b = a + 1;
            while (b < n && weights[b] == weights[a]) {
                b++;
            }
            java.util.Arrays.sort(items, a, b);
            a = b;
        }
        return n;
    }

    /** Concatenates per-item rows (neighbour items, weights) into the CSR lists. */
    static NeighborLists assemble(int[] movieIds, int[][] rowItems, float[][] rowWeights) {
        int n = movieIds.length;
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i + 1] = offsets[i] + rowItems[i].length;
        }
        int[] neighbors = new int[offsets[n]];
        float[] similarities = new float[offsets[n]];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rowItems[i], 0, neighbors, offsets[i], rowItems[i].length);
            System.arraycopy(rowWeights[i], 0, similarities, offsets[i], rowWeights[i].length);
        }
        return new NeighborLists(movieIds, offsets, neighbors, similarities);
    }

    /** Sum of the kept weights, for L1 normalisation. */
    double sum() {
        double s = 0;
        for (int p = 0; p < size; p++) {
            s += heapWeight[p];
        }
        return s;
    }
}
