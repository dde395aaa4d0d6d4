package org.recofilms.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BayesianPopularityTest {

    @Test
    void handComputedExample() {
        // movie 1: 5, 4 -> n 2, mean 4.5 | movie 2: 3 -> n 1, mean 3 | movie 3: 4, 4, 4 -> n 3, mean 4
        // movie 5: 4, 5 -> n 2, mean 4.5
        // C = (2 + 1 + 3 + 2) / 4 = 2; M = (4.5 + 3 + 4 + 4.5) / 4 = 4
        // bayes: 1 -> (2*4 + 2*4.5) / 4 = 4.25; 2 -> (8 + 3) / 3 = 3.66667; 3 -> (8 + 12) / 5 = 4; 5 -> 4.25
        // order: 1 and 5 tie at 4.25 (lower id first), then 3, then 2
        Ratings ratings = new Ratings(
                new int[] {10, 11, 10, 10, 11, 12, 12, 13},
                new int[] {1, 1, 2, 3, 3, 3, 5, 5},
                new float[] {5, 4, 3, 4, 4, 4, 4, 5});
        MoviePopularity p = BayesianPopularity.compute(ratings);
        assertEquals(2.0, p.meanCount(), 1e-12);
        assertEquals(4.0, p.meanOfMeans(), 1e-12);
        assertArrayEquals(new int[] {1, 5, 3, 2}, p.movieIds());
        assertArrayEquals(new int[] {2, 2, 3, 1}, p.ratingCounts());
        assertArrayEquals(new float[] {4.5f, 4.5f, 4f, 3f}, p.meanRatings(), 1e-6f);
        assertArrayEquals(new double[] {4.25f, 4.25f, 4f, 3.6666667f}, p.bayesScores(), 1e-6f);
        assertArrayEquals(new int[] {1, 5}, p.top(2));
    }

    @Test
    void coversMoviesBelowAnyRatingThreshold() {
        // the seed computes popularity before the min_ratings filter: a single-rating movie is still listed
        Ratings ratings = new Ratings(new int[] {1, 2, 3}, new int[] {7, 7, 8}, new float[] {2, 2, 5});
        MoviePopularity p = BayesianPopularity.compute(ratings);
        // C = 1.5, M = 3.5; 7 -> (5.25 + 4) / 3.5 = 2.642857; 8 -> (5.25 + 5) / 2.5 = 4.1
        assertArrayEquals(new int[] {8, 7}, p.movieIds());
        assertArrayEquals(new double[] {4.1f, 2.642857f}, p.bayesScores(), 1e-6f);
    }

    @Test
    void empty() {
        MoviePopularity p = BayesianPopularity.compute(new Ratings(new int[0], new int[0], new float[0]));
        assertEquals(0, p.size());
    }
}
