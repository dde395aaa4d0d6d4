package org.recofilms.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.recofilms.snapshot.NeighborArrays;
import org.recofilms.snapshot.PopularityArrays;

/** The seed's recommendation rule on a hand-made model, then against a naive version on random ones. */
class RecommenderTest {

    /** 1: [2 .9, 3 .5]; 2: [1 .9, 4 .4]; 3: [1 .5, 5 .3]; 4: [2 .4]; 5: [3 .3, 6 .2]; 6: [5 .2]. */
    private static NeighborArrays small() {
        return new NeighborArrays(
                new int[] {1, 2, 3, 4, 5, 6},
                new int[] {0, 2, 4, 6, 7, 9, 10},
                new int[] {2, 3, 1, 4, 1, 5, 2, 3, 6, 5},
                new float[] {0.9f, 0.5f, 0.9f, 0.4f, 0.5f, 0.3f, 0.4f, 0.3f, 0.2f, 0.2f});
    }

    private static PopularityArrays popularity() {
        return new PopularityArrays(
                new int[] {1, 2, 7, 8, 9},
                new int[] {100, 90, 80, 70, 60},
                new float[] {4.0f, 3.9f, 4.4f, 4.5f, 3.0f},
                new double[] {4.0, 3.9, 4.4, 4.5, 3.0});
    }

    @Test
    void anchorsAreTheLikedMoviesAndSeenMoviesAreNeverRecommended() {
        Recommender r = new Recommender(small(), popularity());
        // liked: 1 and 3; from 1: 2 +.9, 3 (seen); from 3: 1 (seen), 5 +.3
        var rec = r.recommend(new int[] {1, 3, 10, 11, 12}, new float[] {5.0f, 4.5f, 2.0f, 1.0f, 3.0f}, 10);
        assertEquals("item_cf", rec.strategy());
        assertNull(rec.fallback());
        assertEquals(
                List.of(2, 5),
                rec.items().stream().map(Recommender.Item::movieId).toList());
        assertEquals(0.9, rec.items().get(0).score(), 1e-6);
        assertArrayEquals(new int[] {1}, rec.items().get(0).because());
        assertArrayEquals(new int[] {3}, rec.items().get(1).because());
    }

    @Test
    void withoutALikedMovieEveryRatedMovieIsAnAnchor() {
        Recommender r = new Recommender(small(), popularity());
        // anchors 1, 2 (and 20..22 without neighbours): 3 <- .5 (1); 4 <- .4 (2)
        var rec = r.recommend(new int[] {1, 2, 20, 21, 22}, new float[] {3.0f, 2.5f, 1.0f, 1.0f, 1.0f}, 10);
        assertEquals(
                List.of(3, 4),
                rec.items().stream().map(Recommender.Item::movieId).toList());
    }

    @Test
    void fewRatingsOrNoCandidateGetPopularityWithoutSeenMovies() {
        Recommender r = new Recommender(small(), popularity());
        var few = r.recommend(new int[] {7, 8}, new float[] {5, 5}, 3);
        assertEquals("popularity", few.strategy());
        assertEquals(Recommender.Fallback.FEW_RATINGS, few.fallback());
        assertEquals(
                List.of(1, 2, 9),
                few.items().stream().map(Recommender.Item::movieId).toList());

        var none = r.recommend(new int[] {30, 31, 32, 33, 34}, new float[] {5, 5, 5, 5, 5}, 2);
        assertEquals("popularity", none.strategy());
        assertEquals(Recommender.Fallback.NO_CANDIDATE, none.fallback());
        assertEquals(
                List.of(8, 7),
                none.items().stream().map(Recommender.Item::movieId).toList());
    }

    @Test
    void topNCutsAndTiesGoToTheLowerMovieId() {
        NeighborArrays tie = new NeighborArrays(
                new int[] {1}, new int[] {0, 3}, new int[] {9, 4, 6}, new float[] {0.5f, 0.5f, 0.5f});
        Recommender r = new Recommender(tie, popularity());
        var rec = r.recommend(new int[] {1, 40, 41, 42, 43}, new float[] {5, 1, 1, 1, 1}, 2);
        assertEquals(
                List.of(4, 6),
                rec.items().stream().map(Recommender.Item::movieId).toList());
    }

    @Test
    void equalsANaiveImplementationOnRandomModels() {
        Random random = new Random(11);
        for (int round = 0; round < 30; round++) {
            int movies = 50 + random.nextInt(100);
            List<Integer> offsets = new ArrayList<>(List.of(0));
            List<Integer> ids = new ArrayList<>();
            List<Float> sims = new ArrayList<>();
            Map<Integer, Map<Integer, Float>> lists = new HashMap<>();
            int[] movieIds = new int[movies];
            for (int m = 0; m < movies; m++) {
                movieIds[m] = m + 1;
                TreeSet<Integer> nb = new TreeSet<>();
                int k = random.nextInt(8);
                while (nb.size() < k) {
                    int n = 1 + random.nextInt(movies);
                    if (n != m + 1) {
                        nb.add(n);
                    }
                }
                Map<Integer, Float> list = new HashMap<>();
                for (int n : nb) {
                    float s = (1 + random.nextInt(100)) / 100f;
                    ids.add(n);
                    sims.add(s);
                    list.put(n, s);
                }
                lists.put(m + 1, list);
                offsets.add(ids.size());
            }
            float[] simArray = new float[sims.size()];
            for (int i = 0; i < simArray.length; i++) {
                simArray[i] = sims.get(i);
            }
            Recommender r = new Recommender(
                    new NeighborArrays(
                            movieIds,
                            offsets.stream().mapToInt(Integer::intValue).toArray(),
                            ids.stream().mapToInt(Integer::intValue).toArray(),
                            simArray),
                    popularity());
            for (int u = 0; u < 20; u++) {
                TreeSet<Integer> rated = new TreeSet<>();
                int n = 5 + random.nextInt(20);
                while (rated.size() < n) {
                    rated.add(1 + random.nextInt(movies));
                }
                int[] userMovies = rated.stream().mapToInt(Integer::intValue).toArray();
                float[] userRatings = new float[userMovies.length];
                for (int i = 0; i < userRatings.length; i++) {
                    userRatings[i] = (1 + random.nextInt(10)) / 2f;
                }
                var got = r.recommend(userMovies, userRatings, 10);
                List<Integer> expected = naive(lists, userMovies, userRatings, 10);
                if (expected.isEmpty()) {
                    assertEquals("popularity", got.strategy());
                } else {
                    assertEquals(
                            expected,
                            got.items().stream().map(Recommender.Item::movieId).toList());
                    for (Recommender.Item item : got.items()) {
                        assertEquals(
                                naiveBecause(lists, userMovies, userRatings, item.movieId()),
                                java.util.Arrays.stream(item.because()).boxed().toList(),
                                "because of " + item.movieId());
                    }
                }
            }
        }
    }

    /** The seed's anchor movies: rated 4.0 or more, else all rated. */
    private static List<Integer> anchors(int[] movies, float[] ratings) {
        List<Integer> anchors = new ArrayList<>();
        for (int i = 0; i < movies.length; i++) {
            if (ratings[i] >= 4.0f) {
                anchors.add(movies[i]);
            }
        }
        if (anchors.isEmpty()) {
            for (int m : movies) {
                anchors.add(m);
            }
        }
        return anchors;
    }

    /** The anchors whose lists hold the candidate, by similarity then id, at most three. */
    private static List<Integer> naiveBecause(
            Map<Integer, Map<Integer, Float>> lists, int[] movies, float[] ratings, int candidate) {
        List<Integer> anchors = anchors(movies, ratings);
        return anchors.stream()
                .filter(sd -> lists.getOrDefault(sd, Map.of()).containsKey(candidate))
                .sorted(Comparator.<Integer>comparingDouble(sd -> lists.get(sd).get(candidate))
                        .reversed()
                        .thenComparing(Comparator.naturalOrder()))
                .limit(Recommender.BECAUSE)
                .toList();
    }

    private static List<Integer> naive(
            Map<Integer, Map<Integer, Float>> lists, int[] movies, float[] ratings, int topN) {
        List<Integer> anchors = anchors(movies, ratings);
        Map<Integer, Float> score = new HashMap<>();
        for (int s : anchors) {
            lists.getOrDefault(s, Map.of()).forEach((n, sim) -> score.merge(n, sim, Float::sum));
        }
        TreeSet<Integer> seen = new TreeSet<>();
        for (int m : movies) {
            seen.add(m);
        }
        return score.entrySet().stream()
                .filter(e -> !seen.contains(e.getKey()))
                .sorted(Comparator.<Map.Entry<Integer, Float>>comparingDouble(Map.Entry::getValue)
                        .reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(topN)
                .map(Map.Entry::getKey)
                .toList();
    }
}
