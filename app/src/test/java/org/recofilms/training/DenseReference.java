package org.recofilms.training;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.TreeSet;

/** Naive dense computations the trainers are checked against: small inputs only. */
final class DenseReference {

    /** Binarised user x item matrix with the trainers' filters. */
    record Dense(int[] movieIds, int[] userIds, double[][] x) {}

    private DenseReference() {}

    static Dense binarise(Ratings ratings, int minRatings, float positiveThreshold) {
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (int m : ratings.movieIds()) {
            counts.merge(m, 1, Integer::sum);
        }
        int[] movieIds = counts.entrySet().stream()
                .filter(e -> e.getValue() >= minRatings)
                .mapToInt(e -> e.getKey())
                .toArray();
        int[] userIds = new TreeSet<>(Arrays.stream(ratings.userIds()).boxed().toList())
                .stream().mapToInt(Integer::intValue).toArray();
        double[][] x = new double[userIds.length][movieIds.length];
        for (int r = 0; r < ratings.size(); r++) {
            int i = Arrays.binarySearch(movieIds, ratings.movieIds()[r]);
            if (i >= 0 && (positiveThreshold <= 0 || ratings.ratings()[r] >= positiveThreshold)) {
                x[Arrays.binarySearch(userIds, ratings.userIds()[r])][i] = 1;
            }
        }
        return new Dense(movieIds, userIds, x);
    }

    /** The full RP3beta matrix before pruning, diagonal zero. */
    static double[][] rp3beta(Dense d, double alpha, double beta) {
        int users = d.userIds().length;
        int items = d.movieIds().length;
        double[][] x = d.x();
        double[] du = new double[users];
        double[] di = new double[items];
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                du[u] += x[u][i];
                di[i] += x[u][i];
            }
        }
        double[][] w = new double[items][items];
        for (int i = 0; i < items; i++) {
            for (int j = 0; j < items; j++) {
                if (i == j) {
                    continue;
                }
                double s = 0;
                for (int u = 0; u < users; u++) {
                    double piu = di[i] > 0 ? Math.pow(x[u][i] / di[i], alpha) : 0;
                    double puj = du[u] > 0 ? Math.pow(x[u][j] / du[u], alpha) : 0;
                    s += piu * puj;
                }
                w[i][j] = di[j] > 0 ? s / Math.pow(di[j], beta) : 0;
            }
        }
        return w;
    }

    /**
     * Checks that {@code lists} are {@code full} pruned to the top {@code k} positive weights per row (optionally
     * L1-normalised), up to float precision: same number of entries, each entry's weight the dense one, no
     * missing entry larger than the smallest kept one.
     */
    static void assertPrunedRows(NeighborLists lists, int[] movieIds, double[][] full, int k, boolean normalize) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(movieIds, lists.movieIds());
        for (int i = 0; i < movieIds.length; i++) {
            double[] row = full[i];
            Integer[] order = new Integer[row.length];
            for (int j = 0; j < row.length; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Double.compare(row[b], row[a]));
            int positives = (int) Arrays.stream(row).filter(v -> v > 0).count();
            int expected = Math.min(k, positives);
            int[] neighbors = lists.neighborsOf(movieIds[i]);
            float[] sims = lists.similaritiesOf(movieIds[i]);
            org.junit.jupiter.api.Assertions.assertEquals(expected, neighbors.length, "row " + i);
            double sum = 0;
            for (int t = 0; t < expected; t++) {
                sum += row[order[t]];
            }
            double scale = normalize && sum > 0 ? 1 / sum : 1;
            double kthLargest = expected == 0 ? 0 : row[order[expected - 1]];
            for (int t = 0; t < neighbors.length; t++) {
                int j = Arrays.binarySearch(movieIds, neighbors[t]);
                double want = row[j] * scale;
                org.junit.jupiter.api.Assertions.assertEquals(want, sims[t], 1e-6 * Math.abs(want) + 1e-12, "row " + i);
                org.junit.jupiter.api.Assertions.assertTrue(
                        row[j] >= kthLargest * (1 - 1e-6), "a kept neighbour must be among the top k");
            }
        }
    }

    /** Properties of every item-item model: no self neighbour, at most k, positive, sorted desc then id asc. */
    static void assertWellFormed(NeighborLists lists, int k) {
        for (int i = 0; i < lists.size(); i++) {
            int movie = lists.movieId(i);
            int[] neighbors = lists.neighborsOf(movie);
            float[] sims = lists.similaritiesOf(movie);
            org.junit.jupiter.api.Assertions.assertTrue(neighbors.length <= k);
            for (int t = 0; t < neighbors.length; t++) {
                org.junit.jupiter.api.Assertions.assertNotEquals(movie, neighbors[t], "self neighbour");
                org.junit.jupiter.api.Assertions.assertTrue(sims[t] > 0, "positive weights only");
                if (t > 0) {
                    boolean ordered =
                            sims[t - 1] > sims[t] || (sims[t - 1] == sims[t] && neighbors[t - 1] < neighbors[t]);
                    org.junit.jupiter.api.Assertions.assertTrue(ordered, "sorted by weight desc, then id asc");
                }
            }
        }
    }
}
