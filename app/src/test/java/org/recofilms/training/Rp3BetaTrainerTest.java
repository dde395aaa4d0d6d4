package org.recofilms.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Rp3BetaTrainerTest {

    /** u1: A B; u2: A B C; u3: C; u4: A (A = 10, B = 20, C = 30; one rating of 2 stars by u4 on B). */
    private static Ratings handExample() {
        return new Ratings(new int[] {1, 1, 2, 2, 2, 3, 4, 4}, new int[] {10, 20, 10, 20, 30, 30, 10, 20}, new float[] {
            4, 5, 4, 3.5f, 4, 5, 4, 2
        });
    }

    @Test
    void handComputedWeights() {
        // Only ratings >= 3: u4's B drops. Degrees: u1 2, u2 3, u3 1, u4 1; A 3, B 2, C 2.
        // alpha 1, beta 1: W_ij = d(i)^-1 * sum_u d(u)^-1 / d(j).
        NeighborLists lists = new Rp3BetaTrainer(Rp3BetaParams.defaults()
                        .withBeta(1.0)
                        .withPositiveThreshold(3f)
                        .withParallelism(1))
                .train(handExample());
        assertArrayEquals(new int[] {10, 20, 30}, lists.movieIds());
        // A: B = 1/3 (1/2 + 1/3) / 2 = 5/36, C = 1/3 * 1/3 / 2 = 1/18
        assertArrayEquals(new int[] {20, 30}, lists.neighborsOf(10));
        assertArrayEquals(new float[] {5f / 36, 1f / 18}, lists.similaritiesOf(10), 1e-7f);
        // B: A = 1/2 (5/6) / 3 = 5/36, C = 1/2 * 1/3 / 2 = 1/12
        assertArrayEquals(new int[] {10, 30}, lists.neighborsOf(20));
        assertArrayEquals(new float[] {5f / 36, 1f / 12}, lists.similaritiesOf(20), 1e-7f);
        // C: B = 1/2 * 1/3 / 2 = 1/12 before A = 1/2 * 1/3 / 3 = 1/18
        assertArrayEquals(new int[] {20, 10}, lists.neighborsOf(30));
        assertArrayEquals(new float[] {1f / 12, 1f / 18}, lists.similaritiesOf(30), 1e-7f);

        NeighborLists top1 = new Rp3BetaTrainer(Rp3BetaParams.defaults()
                        .withBeta(1.0)
                        .withPositiveThreshold(3f)
                        .withTopK(1)
                        .withNormalizeSimilarity(true))
                .train(handExample());
        assertArrayEquals(new int[] {20}, top1.neighborsOf(10));
        assertArrayEquals(new float[] {1f}, top1.similaritiesOf(10), 1e-7f);
    }

    @ParameterizedTest
    @CsvSource({
        "1.0, 0.6, 100, 1, 0, false, 1",
        "0.7, 0.3, 5, 3, 0, false, 2",
        "1.3, 0.0, 8, 1, 3.5, true, 3",
        "0.5, 1.0, 1, 10, 4, false, 2"
    })
    void matchesNaiveDenseComputation(
            double alpha, double beta, int k, int minRatings, float threshold, boolean normalize, int threads) {
        Ratings ratings = ItemKnnTrainerTest.heavyTailed(42 + k, 120, 60);
        Rp3BetaParams params = new Rp3BetaParams(alpha, beta, k, minRatings, threshold, normalize, threads);
        NeighborLists lists = new Rp3BetaTrainer(params).train(ratings);
        DenseReference.Dense dense = DenseReference.binarise(ratings, minRatings, threshold);
        DenseReference.assertPrunedRows(
                lists, dense.movieIds(), DenseReference.rp3beta(dense, alpha, beta), k, normalize);
        DenseReference.assertWellFormed(lists, k);
    }

    @Test
    void resultDoesNotDependOnThreadsAndReportsProgress() {
        Ratings ratings = ItemKnnTrainerTest.heavyTailed(7, 300, 150);
        List<TrainingPhase> phases = new ArrayList<>();
        NeighborLists one = new Rp3BetaTrainer(
                        Rp3BetaParams.defaults().withTopK(20).withParallelism(1))
                .train(ratings, (phase, done, total) -> {
                    if (done == total) {
                        phases.add(phase);
                    }
                });
        NeighborLists four =
                new Rp3BetaTrainer(Rp3BetaParams.defaults().withTopK(20).withParallelism(4)).train(ratings);
        assertArrayEquals(one.neighborMovieIds(), four.neighborMovieIds());
        assertArrayEquals(one.similarities(), four.similarities());
        assertEquals(List.of(TrainingPhase.MATRIX, TrainingPhase.SIMILARITIES), phases);
        DenseReference.assertWellFormed(one, 20);
    }

    @Test
    void emptyWhenNoMoviePassesTheFilter() {
        NeighborLists lists = new Rp3BetaTrainer(Rp3BetaParams.defaults().withMinRatings(100)).train(handExample());
        assertEquals(0, lists.size());
        assertEquals(0, lists.totalNeighbors());
    }
}
