package org.recofilms.training.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.recofilms.registry.PromotionPolicy;
import org.recofilms.training.ItemKnnParams;
import org.recofilms.training.NeighborLists;
import org.recofilms.training.ProgressListener;
import org.recofilms.training.Ratings;
import org.recofilms.training.SyntheticRatings;

class SeedProtocolTest {

    @Test
    void handComputedScoring() {
        // model: 1 -> [2 (0.9), 3 (0.5)], 2 -> [1 (0.9), 4 (0.4)], 3 -> [1 (0.5)], 4 -> [2 (0.4)]
        NeighborLists model = new NeighborLists(
                new int[] {1, 2, 3, 4}, new int[] {0, 2, 4, 5, 6}, new int[] {1, 2, 0, 3, 0, 1}, new float[] {
                    0.9f, 0.5f, 0.9f, 0.4f, 0.5f, 0.4f
                });
        // rows 0..3 are the test rows (in split order), rows 4..6 the training rows
        Ratings ratings = new Ratings(
                new int[] {7, 8, 8, 9, 7, 8, 8}, new int[] {3, 4, 99, 1, 1, 1, 2}, new float[] {4, 4, 4, 4, 4, 4, 4});
        byte[] role = {2, 2, 2, 2, 1, 1, 1};
        int[] testRows = {0, 1, 2, 3};
        // user 7: history {1}, truth {3}: scores 2 -> 0.9, 3 -> 0.5; top [2, 3]; one hit at rank 2
        //   precision 1/10, recall 1/1, ndcg (1/log2 3) / 1 = 0.63093
        // user 8: history {1, 2}, truth {4, 99 (not in the model)}: scores 3 -> 0.5, 4 -> 0.4; top [3, 4]
        //   hit at rank 2: precision 1/10, recall 1/2, ndcg 0.63093 / (1 + 0.63093) = 0.38685
        // user 9: no training movie, skipped as the seed does (sampled, not evaluated)
        SeedMetrics m =
                SeedProtocol.score(ratings, role, testRows, model, SeedProtocol.Config.seed(), ProgressListener.NONE);
        assertEquals(3, m.sampledUsers());
        assertEquals(2, m.evaluatedUsers());
        assertEquals(0.1, m.precision(), 1e-12);
        assertEquals(0.75, m.recall(), 1e-12);
        assertEquals((0.63093 + 0.38685) / 2, m.ndcg(), 1e-5);
        assertEquals(
                0.6 * m.ndcg() + 0.3 * 0.1 + 0.1 * 0.75, PromotionPolicy.seed().score(m.asMap()), 1e-12);
    }

    /**
     * Expected values printed by the seed's own pipeline (its {@code train_model2.py} steps: pandas, scikit-learn
     * {@code train_test_split} and {@code NearestNeighbors(metric="cosine", algorithm="brute")}, the same
     * evaluation loop) on the same generated rows written as CSV; neighbour lists matched too (every pair, same
     * order up to near-ties, similarities within 2.2e-6). They depend on {@link SyntheticRatings}' output for these shapes.
     */
    @Test
    void reproducesTheSeedsNumbers() {
        Ratings small = SyntheticRatings.generate(new SyntheticRatings.Shape(500, 300, 25_000, 6, 20, 3));
        SeedMetrics a = SeedProtocol.run(
                        small,
                        ItemKnnParams.seed().withMinRatings(20),
                        SeedProtocol.Config.seed(),
                        ProgressListener.NONE)
                .metrics();
        assertEquals(19263, a.trainRows());
        assertEquals(4816, a.testRows());
        assertEquals(500, a.evaluatedUsers());
        assertEquals(0.4942, a.precision(), 1e-9);
        assertEquals(0.535058260975, a.recall(), 1e-9);
        assertEquals(0.636012266773, a.ndcg(), 1e-9);

        Ratings mid = SyntheticRatings.generate(new SyntheticRatings.Shape(3000, 1500, 200_000, 12, 20, 5));
        SeedMetrics b = SeedProtocol.run(mid, ItemKnnParams.seed(), SeedProtocol.Config.seed(), ProgressListener.NONE)
                .metrics();
        assertEquals(151116, b.trainRows());
        assertEquals(37779, b.testRows());
        assertEquals(1000, b.sampledUsers());
        assertEquals(0.4938, b.precision(), 1e-9);
        assertEquals(0.296268021982, b.recall(), 1e-9);
        assertEquals(0.551405241808, b.ndcg(), 1e-9);
    }
}
