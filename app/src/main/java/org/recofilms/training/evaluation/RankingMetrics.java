package org.recofilms.training.evaluation;

/**
 * Top-k metrics of one ranked list against a set of relevant items, with binary relevance.
 *
 * <p>A ranking is the first {@code length} entries of {@code ranked} (item positions, best first); relevance is
 * {@code relevant[item]}. Definitions, for {@code hits} = relevant items among the first {@code min(k, length)}:
 *
 * <ul>
 *   <li>precision@k = hits / k (the seed's {@code precision_10}: a list shorter than k is not rewarded);
 *   <li>recall@k = hits / |relevant| (the seed's {@code recall_10});
 *   <li>truncated recall@k = hits / min(k, |relevant|) (Liang et al. 2018, {@code Recall_at_k_batch});
 *   <li>NDCG@k = DCG / IDCG with DCG = sum of 1 / log2(rank + 1) over relevant ranks 1..k, and IDCG the same sum
 *       over ranks 1..min(k, |relevant|) (the seed's {@code ndcg_10}, and Liang's {@code NDCG_binary_at_k_batch}).
 * </ul>
 *
 * All return 0 when there is no relevant item.
 */
public final class RankingMetrics {

    private static final double[] DISCOUNT = new double[1025];

    static {
        for (int i = 0; i < DISCOUNT.length; i++) {
            DISCOUNT[i] = 1.0 / (Math.log(i + 2) / Math.log(2)); // rank i + 1 (0-based position i)
        }
    }

    private RankingMetrics() {}

    /** Relevant items among the first {@code min(k, length)} entries. */
    public static int hits(int k, int[] ranked, int length, boolean[] relevant) {
        int n = Math.min(k, length);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (relevant[ranked[i]]) {
                hits++;
            }
        }
        return hits;
    }

    /** hits / k. */
    public static double precision(int k, int[] ranked, int length, boolean[] relevant) {
        return k <= 0 ? 0 : (double) hits(k, ranked, length, relevant) / k;
    }

    /** hits / |relevant|. */
    public static double recall(int k, int[] ranked, int length, boolean[] relevant, int relevantCount) {
        return relevantCount <= 0 ? 0 : (double) hits(k, ranked, length, relevant) / relevantCount;
    }

    /** hits / min(k, |relevant|). */
    public static double truncatedRecall(int k, int[] ranked, int length, boolean[] relevant, int relevantCount) {
        return relevantCount <= 0 ? 0 : (double) hits(k, ranked, length, relevant) / Math.min(k, relevantCount);
    }

    /** Binary NDCG@k, ideal DCG over min(k, |relevant|) ranks. */
    public static double ndcg(int k, int[] ranked, int length, boolean[] relevant, int relevantCount) {
        if (relevantCount <= 0 || k <= 0) {
            return 0;
        }
        int n = Math.min(k, length);
        double dcg = 0;
        for (int i = 0; i < n; i++) {
            if (relevant[ranked[i]]) {
                dcg += discount(i);
            }
        }
        double idcg = 0;
        for (int i = 0, ideal = Math.min(k, relevantCount); i < ideal; i++) {
            idcg += discount(i);
        }
        return dcg / idcg;
    }

    /** 1 / log2(position + 2) for a 0-based position. */
    static double discount(int position) {
        return position < DISCOUNT.length ? DISCOUNT[position] : 1.0 / (Math.log(position + 2) / Math.log(2));
    }
}
