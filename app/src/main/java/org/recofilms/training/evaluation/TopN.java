package org.recofilms.training.evaluation;

/**
 * Selects the best {@code n} items of a dense score array: score descending, then item position ascending.
 *
 * <p>A bounded insertion into a sorted buffer: with n up to a few hundred and tens of thousands of items, almost
 * every item is rejected by one comparison with the current worst, so this beats sorting the catalogue.
 */
final class TopN {

    private TopN() {}

    /**
     * Writes into {@code out} the best {@code n} items among {@code 0..size-1} that are not {@code excluded} and,
     * when {@code positiveOnly}, have a score {@code > 0}; returns how many were written.
     */
    static int select(
            double[] scores, int size, boolean[] excluded, boolean positiveOnly, int n, int[] out, double[] outScores) {
        return select(scores, null, size, excluded, positiveOnly, n, out, outScores);
    }

    /**
     * As {@link #select(double[], int, boolean[], boolean, int, int[], double[])}, with equal scores ranked by
     * {@code tieBreak} descending (when not null), then item position ascending.
     */
    static int select(
            double[] scores,
            double[] tieBreak,
            int size,
            boolean[] excluded,
            boolean positiveOnly,
            int n,
            int[] out,
            double[] outScores) {
        if (tieBreak != null) {
            return selectWithTieBreak(scores, tieBreak, size, excluded, positiveOnly, n, out, outScores);
        }
        if (n <= 0) {
            return 0;
        }
        int count = 0;
        for (int item = 0; item < size; item++) {
            if (excluded[item]) {
                continue;
            }
            double s = scores[item];
            if (positiveOnly && !(s > 0)) {
                continue;
            }
            if (count == n) {
                // items arrive in ascending position, so an equal score never beats the current worst
                if (!(s > outScores[n - 1])) {
                    continue;
                }
                count--;
            }
            int k = count;
            while (k > 0 && s > outScores[k - 1]) {
                out[k] = out[k - 1];
                outScores[k] = outScores[k - 1];
                k--;
            }
            out[k] = item;
            outScores[k] = s;
            count++;
        }
        return count;
    }

    private static int selectWithTieBreak(
            double[] scores,
            double[] tieBreak,
            int size,
            boolean[] excluded,
            boolean positiveOnly,
            int n,
            int[] out,
            double[] outScores) {
        if (n <= 0) {
            return 0;
        }
        int count = 0;
        for (int item = 0; item < size; item++) {
            if (excluded[item]) {
                continue;
            }
            double s = scores[item];
            if (positiveOnly && !(s > 0)) {
                continue;
            }
            double t = tieBreak[item];
            if (count == n) {
                // items arrive in ascending position: an entry equal on both keys never beats the current worst
                if (!better(s, t, outScores[n - 1], tieBreak[out[n - 1]])) {
                    continue;
                }
                count--;
            }
            int k = count;
            while (k > 0 && better(s, t, outScores[k - 1], tieBreak[out[k - 1]])) {
                out[k] = out[k - 1];
                outScores[k] = outScores[k - 1];
                k--;
            }
            out[k] = item;
            outScores[k] = s;
            count++;
        }
        return count;
    }

    private static boolean better(double score, double tie, double otherScore, double otherTie) {
        return score > otherScore || (score == otherScore && tie > otherTie);
    }
}
