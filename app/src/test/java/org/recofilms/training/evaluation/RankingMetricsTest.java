package org.recofilms.training.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    private static boolean[] relevant(int size, int... items) {
        boolean[] r = new boolean[size];
        for (int i : items) {
            r[i] = true;
        }
        return r;
    }

    @Test
    void tenItemListWithThreeRelevant() {
        // ranking 10 items; relevant = {4, 7, 9, 42}, 42 never recommended; hits at ranks 2 (item 4) and 5 (item 9)
        int[] ranked = {1, 4, 2, 3, 9, 5, 6, 8, 0, 10};
        boolean[] rel = relevant(50, 4, 7, 9, 42);
        // precision@10 = 2/10; recall@10 = 2/4; truncated recall@10 = 2/min(10,4) = 0.5
        assertEquals(0.2, RankingMetrics.precision(10, ranked, 10, rel), 1e-12);
        assertEquals(0.5, RankingMetrics.recall(10, ranked, 10, rel, 4), 1e-12);
        assertEquals(0.5, RankingMetrics.truncatedRecall(10, ranked, 10, rel, 4), 1e-12);
        // DCG = 1/log2(3) + 1/log2(6) = 0.63093 + 0.38685 = 1.01778
        // IDCG over min(4,10) = 4 ranks = 1 + 0.63093 + 0.5 + 0.43068 = 2.56161; NDCG = 0.39732
        double dcg = 1 / LOG2_3 + 1 / (Math.log(6) / Math.log(2));
        double idcg = 1 + 1 / LOG2_3 + 0.5 + 1 / (Math.log(5) / Math.log(2));
        assertEquals(dcg / idcg, RankingMetrics.ndcg(10, ranked, 10, rel, 4), 1e-12);
        assertEquals(0.39732, RankingMetrics.ndcg(10, ranked, 10, rel, 4), 1e-5);
    }

    @Test
    void truncatedRecallDividesByTheListLengthWhenManyAreRelevant() {
        // 30 relevant items, 3 of them in the top 20: recall@20 = 3/30 = 0.1, truncated = 3/min(20,30) = 0.15
        int[] ranked = new int[20];
        for (int i = 0; i < 20; i++) {
            ranked[i] = 100 + i; // items 100..119
        }
        int[] relevantItems = new int[30];
        relevantItems[0] = 100;
        relevantItems[1] = 105;
        relevantItems[2] = 119;
        for (int i = 3; i < 30; i++) {
            relevantItems[i] = 200 + i;
        }
        boolean[] rel = relevant(300, relevantItems);
        assertEquals(0.1, RankingMetrics.recall(20, ranked, 20, rel, 30), 1e-12);
        assertEquals(0.15, RankingMetrics.truncatedRecall(20, ranked, 20, rel, 30), 1e-12);
        // NDCG@20: hits at ranks 1, 6, 20 -> DCG = 1 + 1/log2(7) + 1/log2(21) = 1 + 0.35621 + 0.22767 = 1.58388;
        // IDCG = sum over ranks 1..20 of 1/log2(rank+1) = 7.04045; NDCG = 0.22497
        assertEquals(0.22497, RankingMetrics.ndcg(20, ranked, 20, rel, 30), 1e-5);
    }

    @Test
    void shortListsAreNotRewardedByPrecision() {
        // the seed: precision = hits / 10 even when fewer than 10 movies were recommended
        int[] ranked = {3, 1};
        boolean[] rel = relevant(5, 3);
        assertEquals(0.1, RankingMetrics.precision(10, ranked, 2, rel), 1e-12);
        assertEquals(1.0, RankingMetrics.recall(10, ranked, 2, rel, 1), 1e-12);
        assertEquals(1.0, RankingMetrics.ndcg(10, ranked, 2, rel, 1), 1e-12);
    }

    @Test
    void onlyTheFirstKCount() {
        // relevant item at rank 3 of a list cut at k = 2
        int[] ranked = {0, 1, 2};
        boolean[] rel = relevant(3, 2);
        assertEquals(0, RankingMetrics.hits(2, ranked, 3, rel));
        assertEquals(0, RankingMetrics.ndcg(2, ranked, 3, rel, 1), 1e-12);
        // at k = 3: NDCG = (1/log2(4)) / 1 = 0.5
        assertEquals(0.5, RankingMetrics.ndcg(3, ranked, 3, rel, 1), 1e-12);
    }

    @Test
    void noRelevantItemGivesZero() {
        int[] ranked = {0, 1};
        boolean[] rel = new boolean[2];
        assertEquals(0, RankingMetrics.recall(10, ranked, 2, rel, 0));
        assertEquals(0, RankingMetrics.truncatedRecall(10, ranked, 2, rel, 0));
        assertEquals(0, RankingMetrics.ndcg(10, ranked, 2, rel, 0));
    }

    @Test
    void topNOrdersByScoreThenPosition() {
        double[] scores = {0.5, 2.0, 0.5, 0, 3.0, 2.0, 0.1};
        boolean[] excluded = new boolean[7];
        excluded[4] = true; // a seen item, however good
        int[] top = new int[4];
        double[] topScores = new double[4];
        int n = TopN.select(scores, 7, excluded, false, 4, top, topScores);
        assertEquals(4, n);
        assertArrayEquals(new int[] {1, 5, 0, 2}, top);
        // only positive scores, longer buffer than candidates
        int[] all = new int[10];
        double[] allScores = new double[10];
        assertEquals(5, TopN.select(scores, 7, excluded, true, 10, all, allScores));
        assertArrayEquals(new int[] {1, 5, 0, 2, 6}, java.util.Arrays.copyOf(all, 5));
        // zero scores fill the tail in position order when the whole catalogue is ranked
        assertEquals(6, TopN.select(scores, 7, excluded, false, 10, all, allScores));
        assertEquals(3, all[5]);
    }
}
