package org.recofilms.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.snapshot.FactorBundle;
import org.recofilms.snapshot.PopularityArrays;
import org.recofilms.snapshot.SnapshotException;
import org.recofilms.training.FactorModel;
import org.recofilms.training.IalsParams;
import org.recofilms.training.IalsTrainer;
import org.recofilms.training.Ratings;

/**
 * iALS's serving rule: the popularity fallbacks, fold-in from the current ratings, never a seen movie,
 * {@code because} by item-vector dot products; checked against {@link FactorModel#recommend} (the
 * trainer's own top-N) on a model trained on random data, and the factor file round trip.
 */
class FactorRecommenderTest {

    @TempDir
    Path tmp;

    private static PopularityArrays popularity() {
        return new PopularityArrays(
                new int[] {1, 2, 7, 8, 9},
                new int[] {100, 90, 80, 70, 60},
                new float[] {4.0f, 3.9f, 4.4f, 4.5f, 3.0f},
                new double[] {4.0, 3.9, 4.4, 4.5, 3.0});
    }

    /** 60 users, 40 movies (ids 1, 3, 5, ...), 10 ratings each, trained with 8 factors. */
    private static FactorModel trained() {
        SplittableRandom rng = new SplittableRandom(15);
        int n = 60 * 10;
        int[] users = new int[n];
        int[] movies = new int[n];
        float[] ratings = new float[n];
        for (int u = 0, r = 0; u < 60; u++) {
            int start = rng.nextInt(40);
            for (int k = 0; k < 10; k++, r++) {
                users[r] = u + 1;
                // users like a window of neighbouring movies: a structure the factors can learn
                movies[r] = 1 + 2 * ((start + k * (1 + rng.nextInt(2))) % 40);
                ratings[r] = 1 + rng.nextInt(5);
            }
        }
        return new IalsTrainer(
                        IalsParams.defaults().withFactors(8).withIterations(6).withParallelism(1))
                .train(new Ratings(users, movies, ratings));
    }

    private static FactorBundle.Factors arrays(FactorModel m) {
        return new FactorBundle.Factors(
                m.movieIds(),
                m.factors(),
                m.itemFactors(),
                m.gram(),
                m.regularization(),
                m.unobservedWeight(),
                m.alpha(),
                m.positiveThreshold());
    }

    @Test
    void fewRatingsUnknownUsersAndUsersWithoutFactorsGetThePopularityList() {
        FactorRecommender r = new FactorRecommender(arrays(trained()), popularity());
        Recommender.Recommendation none = r.recommend(new int[0], new float[0], 3);
        assertEquals(Recommender.Fallback.UNKNOWN_USER, none.fallback());
        Recommender.Recommendation few = r.recommend(new int[] {1, 3}, new float[] {5, 5}, 3);
        assertEquals(Recommender.Fallback.FEW_RATINGS, few.fallback());
        assertEquals(Recommender.POPULARITY, few.strategy());
        assertEquals(
                Arrays.asList(8, 7, 2),
                few.items().stream().map(Recommender.Item::movieId).toList());
        // even ids are not in the model: nothing to fold in
        Recommender.Recommendation outside = r.recommend(new int[] {2, 4, 6, 8, 10}, new float[] {5, 5, 5, 5, 5}, 3);
        assertEquals(Recommender.Fallback.NO_CANDIDATE, outside.fallback());
        assertTrue(outside.items().stream().noneMatch(i -> i.movieId() == 2 || i.movieId() == 8));
    }

    @Test
    void theAnswerIsTheFoldedInTopNWithoutSeenMoviesAndBecauseByDotProducts() {
        FactorModel model = trained();
        FactorRecommender r = new FactorRecommender(arrays(model), popularity());
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 30; trial++) {
            int count = 5 + rng.nextInt(10);
            int[] rated = rng.ints(0, 40)
                    .distinct()
                    .limit(count)
                    .map(i -> 1 + 2 * i)
                    .sorted()
                    .toArray();
            float[] ratings = new float[rated.length];
            for (int k = 0; k < ratings.length; k++) {
                ratings[k] = 1 + rng.nextInt(5);
            }
            int topN = 1 + rng.nextInt(20);
            Recommender.Recommendation answer = r.recommend(rated, ratings, topN);
            assertNull(answer.fallback());
            assertEquals(FactorRecommender.STRATEGY, answer.strategy());
            int[] got =
                    answer.items().stream().mapToInt(Recommender.Item::movieId).toArray();
            assertArrayEquals(model.recommend(rated, ratings, topN), got, "trial " + trial);
            float[] user = model.foldIn(rated, ratings);
            for (Recommender.Item item : answer.items()) {
                assertTrue(Arrays.binarySearch(rated, item.movieId()) < 0, "seen movie " + item.movieId());
                assertEquals(model.score(user, model.indexOf(item.movieId())), item.score(), 1e-9);
                assertTrue(item.because().length <= Recommender.BECAUSE);
                double previous = Double.MAX_VALUE;
                for (int anchor : item.because()) {
                    assertTrue(Arrays.binarySearch(rated, anchor) >= 0, "because lists rated movies");
                    double dot = dot(model, anchor, item.movieId());
                    assertTrue(dot > 0 && dot <= previous, "by dot product, descending");
                    previous = dot;
                }
                // no rated movie left out points more the recommended movie's way than the last listed one
                if (item.because().length == Recommender.BECAUSE) {
                    for (int movie : rated) {
                        if (Arrays.stream(item.because()).noneMatch(b -> b == movie)) {
                            assertTrue(dot(model, movie, item.movieId()) <= previous + 1e-12);
                        }
                    }
                }
            }
        }
    }

    private static double dot(FactorModel m, int a, int b) {
        int f = m.factors();
        int ia = m.indexOf(a) * f;
        int ib = m.indexOf(b) * f;
        double s = 0;
        for (int k = 0; k < f; k++) {
            s += (double) m.itemFactors()[ia + k] * m.itemFactors()[ib + k];
        }
        return s;
    }

    @Test
    void theFactorFileRoundTripsAndACorruptOneIsRefused() throws Exception {
        FactorModel model = trained();
        Path file = tmp.resolve(FactorBundle.FILE);
        FactorBundle.write(file, arrays(model));
        FactorBundle.Factors back = FactorBundle.read(file);
        assertArrayEquals(model.movieIds(), back.movieIds());
        assertEquals(model.factors(), back.factors());
        assertArrayEquals(model.itemFactors(), back.itemFactors());
        assertArrayEquals(model.gram(), back.gram());
        assertEquals(model.regularization(), back.regularization());
        assertEquals(model.unobservedWeight(), back.unobservedWeight());
        assertEquals(model.alpha(), back.alpha());
        assertEquals(model.positiveThreshold(), back.positiveThreshold());

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertThrows(SnapshotException.class, () -> FactorBundle.read(file));
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 9));
        assertThrows(SnapshotException.class, () -> FactorBundle.read(file));
    }
}
