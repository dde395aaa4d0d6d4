package org.recofilms.training.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.recofilms.training.ItemKnnParams;
import org.recofilms.training.ProgressListener;
import org.recofilms.training.Ratings;
import org.recofilms.training.SyntheticRatings;

class FullRankingProtocolTest {

    @Test
    void handComputedMetrics() {
        // 30 catalogue items; the scorer ranks them in catalogue order (score 30 - position)
        int[] catalogue = new int[30];
        double[] fixed = new double[30];
        for (int c = 0; c < 30; c++) {
            catalogue[c] = 100 + c;
            fixed[c] = 30 - c;
        }
        // user A: fold-in {0, 1}, test {2, 25}; user B: fold-in {5}, test {6..29} (24 items); user C: no test item
        int[] testB = new int[24];
        for (int i = 0; i < 24; i++) {
            testB[i] = 6 + i;
        }
        int[] test = new int[26];
        test[0] = 2;
        test[1] = 25;
        System.arraycopy(testB, 0, test, 2, 24);
        Ratings none = new Ratings(new int[0], new int[0], new float[0]);
        FullRankingProtocol.Split split = new FullRankingProtocol.Split(
                catalogue,
                none,
                none,
                new int[] {1, 2, 3},
                new FullRankingProtocol.PerUser(new int[] {0, 2, 3, 5}, new int[] {0, 1, 5, 7, 8}),
                new FullRankingProtocol.PerUser(new int[] {0, 2, 26, 26}, test),
                0);
        FullRankingMetrics m = FullRankingProtocol.evaluate(split, Scorers.fixed(fixed), 2, ProgressListener.NONE);
        // A: ranking 2, 3, ..., 29. Top 20 holds 2 (rank 1), not 25 (rank 24).
        //   recall@20 = 1/2, truncated = 1/min(20, 2) = 1/2, recall@50 truncated = 2/2 = 1
        //   NDCG@100 = (1 + 1/log2 25) / (1 + 1/log2 3) = 1.21534 / 1.63093 = 0.74518
        // B: ranking 0..4, 6, 7, ..., 29. Top 20 = 0..4 and 6..20: 15 hits.
        //   recall@20 = 15/24 = 0.625, truncated = 15/20 = 0.75, recall@50 truncated = 24/24 = 1
        //   NDCG@100 = sum_{p=5..28} 1/log2(p+2) / sum_{p=0..23} 1/log2(p+2) = 0.75909
        // C is not evaluated. Coverage@20: A's top 20 = 2..21, B's = 0..4 and 6..20: items 0..21, 22 of 30.
        assertEquals(2, m.users());
        assertEquals(30, m.catalogueSize());
        assertEquals((0.5 + 0.625) / 2, m.recall20(), 1e-12);
        assertEquals((0.5 + 0.75) / 2, m.truncatedRecall20(), 1e-12);
        assertEquals(1.0, m.truncatedRecall50(), 1e-12);
        assertEquals((0.74518 + 0.75909) / 2, m.ndcg100(), 1e-5);
        assertEquals(22 / 30.0, m.coverage20(), 1e-12);
    }

    /**
     * The same split as Liang et al.'s notebook: expected values printed by its preprocessing code (pandas and
     * numpy, held-out count parameterised) on the same generated rows written as CSV.
     */
    @Test
    void splitsLikeLiangsNotebook() {
        Ratings ratings = SyntheticRatings.generate(new SyntheticRatings.Shape(3000, 1500, 200_000, 12, 20, 5));
        FullRankingProtocol.Split split = FullRankingProtocol.split(
                ratings,
                FullRankingProtocol.Config.defaults().withHeldOutUsers(200).withValidationUsers(200),
                ProgressListener.NONE);
        assertEquals(2577, split.trainingUsers());
        assertEquals(1267, split.catalogue().length);
        assertEquals(200, split.heldOutUserIds().length);
        assertEquals(
                308568, Arrays.stream(split.heldOutUserIds()).asLongStream().sum());
        assertArrayEquals(new int[] {4, 29, 58, 75, 93}, Arrays.copyOf(split.heldOutUserIds(), 5));
        assertEquals(1244, split.test().positions().length);
        assertEquals(5350, split.foldIn().positions().length);
        long hash = 0;
        for (int s = 0; s < 200; s++) {
            for (int k = split.test().offsets()[s]; k < split.test().offsets()[s + 1]; k++) {
                hash += (long) split.heldOutUserIds()[s] * 100003
                        + split.catalogue()[split.test().positions()[k]];
            }
        }
        assertEquals(755227894L, hash % 1_000_000_007L);
    }

    @Test
    void splitKeepsTrainingAndHeldOutApart() {
        Ratings ratings = SyntheticRatings.generate(new SyntheticRatings.Shape(800, 400, 40_000, 8, 20, 9));
        FullRankingProtocol.Split split =
                FullRankingProtocol.split(ratings, FullRankingProtocol.Config.defaults(), ProgressListener.NONE);
        // proportional to Liang's 10,000 of 136,677 users
        assertTrue(split.heldOutUserIds().length >= 50 && split.heldOutUserIds().length <= 60);
        for (int userId : split.trainingPositives().userIds()) {
            int s = Arrays.binarySearch(split.heldOutUserIds(), userId);
            if (s >= 0) {
                // a held-out user's training rows are exactly its fold-in items
                assertTrue(split.foldIn().offsets()[s + 1] > split.foldIn().offsets()[s]);
            }
        }
        for (float v : split.trainingPositives().ratings()) {
            assertEquals(1f, v);
        }
        for (int s = 0; s < split.heldOutUserIds().length; s++) {
            int n = split.foldIn().offsets()[s + 1]
                    - split.foldIn().offsets()[s]
                    + split.test().offsets()[s + 1]
                    - split.test().offsets()[s];
            assertEquals(
                    n >= 5 ? (int) (0.2 * n) : 0,
                    split.test().offsets()[s + 1] - split.test().offsets()[s]);
        }
    }

    @Test
    void itemKnnBeatsPopularityOnDataWithTaste() {
        Ratings ratings = SyntheticRatings.generate(new SyntheticRatings.Shape(3000, 1500, 200_000, 12, 20, 21));
        FullRankingProtocol.Report report = FullRankingProtocol.run(
                ratings,
                ItemKnnParams.seed().withMinRatings(1).withKNeighbors(50),
                FullRankingProtocol.Config.defaults().withHeldOutUsers(300),
                ProgressListener.NONE);
        FullRankingMetrics knn = report.itemKnn();
        for (FullRankingMetrics baseline :
                new FullRankingMetrics[] {report.bayesianPopularity(), report.topPopularity()}) {
            assertTrue(knn.truncatedRecall20() > baseline.truncatedRecall20() * 1.1, () -> knn + " vs " + baseline);
            assertTrue(knn.ndcg100() > baseline.ndcg100() * 1.1, () -> knn + " vs " + baseline);
            assertTrue(knn.coverage20() > baseline.coverage20(), () -> knn + " vs " + baseline);
        }
    }
}
