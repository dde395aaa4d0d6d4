package org.recofilms.training;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deterministic MovieLens-shaped ratings for tests and the benchmark, generated straight into arrays.
 *
 * <p>Shape: movie popularity is a stretched exponential in rank, {@code exp(-(rank/s)^0.43)} with {@code s} = 0.4%
 * of the catalogue (a long tail like ML-20M's); user activity is {@code minPerUser} plus a lognormal (sigma 1.38),
 * capped at 35% of the catalogue and scaled to the requested total exactly. At ML-20M size ({@link Shape#ml20m})
 * this gives: ratings per user min 20, median 68, max 9,547 (sum of squares 1.4e10, the cost driver of item-kNN);
 * per movie 27k for the top one, 5.4k at rank 1,000, 136 at rank 10,000, 13.8k movies with at least 50. Taste:
 * every movie belongs to one of {@code clusters} genres and every user draws half of their movies from a favourite
 * genre, a quarter from a second one and the rest from the whole catalogue; ratings are {@code 3.3 + user bias +
 * movie quality + 0.5 on favourite genres + noise}, rounded to half stars in [0.5, 5] (mean 3.7). Rows come grouped
 * by user id, movie ids ascending within a user, as in MovieLens' ratings.csv; movie ids are sparse
 * ({@code 5k + 1}) and unrelated to popularity. The seed-parity tests hold numbers computed on this output: changing
 * the generator means recomputing them.
 */
public final class SyntheticRatings {

    /** What to generate. */
    public record Shape(int users, int movies, long ratings, int clusters, int minPerUser, long randomSeed) {

        /** ML-20M's size: 138,493 users, 27,278 movies, 20,000,263 ratings, at least 20 per user. */
        public static Shape ml20m(long randomSeed) {
            return new Shape(138_493, 27_278, 20_000_263L, 24, 20, randomSeed);
        }
    }

    private static final double POPULARITY_EXPONENT = 0.43;
    private static final double POPULARITY_SCALE = 0.004;
    private static final double ACTIVITY_SIGMA = 1.38;
    private static final double MAX_SHARE_PER_USER = 0.35;
    private static final double FAVOURITE_SHARE = 0.5;
    private static final double SECOND_SHARE = 0.25;

    private SyntheticRatings() {}

    /** Generates ratings of the given shape; same shape and random seed, same arrays. */
    public static Ratings generate(Shape shape) {
        int nUsers = shape.users();
        int nMovies = shape.movies();
        SplittableRandom rng = new SplittableRandom(shape.randomSeed());

        // Movies by popularity rank: weight, genre, quality, sparse id.
        double scale = Math.max(1.0, POPULARITY_SCALE * nMovies);
        double[] weight = new double[nMovies];
        int[] genre = new int[nMovies];
        float[] quality = new float[nMovies];
        int[] movieId = new int[nMovies];
        int[] idOrder = permutation(nMovies, rng);
        for (int r = 0; r < nMovies; r++) {
            weight[r] = Math.exp(-Math.pow(r / scale, POPULARITY_EXPONENT));
            genre[r] = rng.nextInt(shape.clusters());
            quality[r] = (float) (0.4 * gaussian(rng) + 0.5 * (0.5 - (double) r / nMovies));
            movieId[r] = idOrder[r] * 5 + 1;
        }
        double[] globalCum = cumulative(weight, null);
        int[][] genreMembers = new int[shape.clusters()][];
        double[][] genreCum = new double[shape.clusters()][];
        for (int g = 0; g < shape.clusters(); g++) {
            int count = 0;
            for (int r = 0; r < nMovies; r++) {
                if (genre[r] == g) {
                    count++;
                }
            }
            int[] members = new int[count];
            for (int r = 0, k = 0; r < nMovies; r++) {
                if (genre[r] == g) {
                    members[k++] = r;
                }
            }
            genreMembers[g] = members;
            genreCum[g] = cumulative(weight, members);
        }

        // User activity: lognormal above the minimum, scaled to the requested total exactly.
        int cap = Math.max(shape.minPerUser(), (int) (MAX_SHARE_PER_USER * nMovies));
        double[] raw = new double[nUsers];
        for (int u = 0; u < nUsers; u++) {
            raw[u] = Math.exp(ACTIVITY_SIGMA * gaussian(rng));
        }
        int[] counts = scaleActivity(raw, shape.minPerUser(), cap, shape.ratings(), rng);
        long[] offsets = new long[nUsers + 1];
        for (int u = 0; u < nUsers; u++) {
            offsets[u + 1] = offsets[u] + counts[u];
        }
        int total = Math.toIntExact(offsets[nUsers]);
        int[] userIds = new int[total];
        int[] movieIds = new int[total];
        float[] ratings = new float[total];

        int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger next = new AtomicInteger();
        Parallel.run(
                threads,
                "synthetic-ratings",
                worker -> {
                    long[] taken = new long[(nMovies + 63) / 64];
                    int[] chosen = new int[cap];
                    double[] keys = new double[nMovies];
                    int start;
                    while ((start = next.getAndAdd(512)) < nUsers) {
                        for (int u = start; u < Math.min(nUsers, start + 512); u++) {
                            SplittableRandom ur = new SplittableRandom(shape.randomSeed() * 0x9E3779B97F4A7C15L + u);
                            int g1 = ur.nextInt(shape.clusters());
                            int g2 = ur.nextInt(shape.clusters());
                            float bias = (float) (0.4 * gaussian(ur));
                            int n = counts[u];
                            if (n > nMovies / 8) {
                                sampleHeavy(n, weight, genre, g1, g2, ur, keys, chosen);
                            } else {
                                sampleLight(n, globalCum, genreMembers, genreCum, g1, g2, ur, taken, chosen);
                            }
                            int base = (int) offsets[u];
                            fillUser(
                                    u + 1, n, chosen, movieId, genre, quality, g1, g2, bias, ur, base, userIds,
                                    movieIds, ratings);
                        }
                    }
                },
                60_000,
                () -> {});
        return new Ratings(userIds, movieIds, ratings);
    }

    private static void fillUser(
            int userId,
            int n,
            int[] chosenRanks,
            int[] movieId,
            int[] genre,
            float[] quality,
            int g1,
            int g2,
            float bias,
            SplittableRandom ur,
            int base,
            int[] userIds,
            int[] movieIds,
            float[] ratings) {
        long[] packed = new long[n];
        for (int k = 0; k < n; k++) {
            int r = chosenRanks[k];
            packed[k] = ((long) movieId[r] << 32) | r;
        }
        Arrays.sort(packed);
        for (int k = 0; k < n; k++) {
            int r = (int) packed[k];
            double affinity = genre[r] == g1 || genre[r] == g2 ? 0.5 : -0.1;
            double value = 3.3 + bias + quality[r] + affinity + 0.8 * gaussian(ur);
            double halfStars = Math.rint(value * 2) / 2;
            userIds[base + k] = userId;
            movieIds[base + k] = (int) (packed[k] >>> 32);
            ratings[base + k] = (float) Math.max(0.5, Math.min(5.0, halfStars));
        }
    }

    /** Draws n distinct ranks by rejection: favourite genre, second genre or whole catalogue. */
    private static void sampleLight(
            int n,
            double[] globalCum,
            int[][] genreMembers,
            double[][] genreCum,
            int g1,
            int g2,
            SplittableRandom ur,
            long[] taken,
            int[] chosen) {
        int k = 0;
        int misses = 0;
        while (k < n) {
            double source = ur.nextDouble();
            int r;
            if (misses < 32 && source < FAVOURITE_SHARE && genreMembers[g1].length > 0) {
                r = genreMembers[g1][draw(genreCum[g1], ur)];
            } else if (misses < 32 && source < FAVOURITE_SHARE + SECOND_SHARE && genreMembers[g2].length > 0) {
                r = genreMembers[g2][draw(genreCum[g2], ur)];
            } else {
                r = draw(globalCum, ur);
            }
            if ((taken[r >>> 6] & (1L << r)) != 0) {
                misses++;
                if (misses > 4096) { // saturated: take the next free rank
                    r = 0;
                    while ((taken[r >>> 6] & (1L << r)) != 0) {
                        r++;
                    }
                } else {
                    continue;
                }
            }
            misses = 0;
            taken[r >>> 6] |= 1L << r;
            chosen[k++] = r;
        }
        for (int i = 0; i < n; i++) {
            taken[chosen[i] >>> 6] = 0;
        }
    }

    /** Weighted sampling without replacement for heavy users (exponential keys), O(movies) per user. */
    private static void sampleHeavy(
            int n, double[] weight, int[] genre, int g1, int g2, SplittableRandom ur, double[] keys, int[] chosen) {
        int nMovies = weight.length;
        for (int r = 0; r < nMovies; r++) {
            double w = weight[r] * (genre[r] == g1 ? 4 : genre[r] == g2 ? 2 : 1);
            keys[r] = Math.log(1 - ur.nextDouble()) / w; // larger is better
        }
        double[] sorted = keys.clone();
        Arrays.sort(sorted);
        double cut = sorted[nMovies - n];
        int k = 0;
        for (int r = 0; r < nMovies && k < n; r++) {
            if (keys[r] >= cut) {
                chosen[k++] = r;
            }
        }
    }

    private static int draw(double[] cum, SplittableRandom ur) {
        double x = ur.nextDouble() * cum[cum.length - 1];
        int i = Arrays.binarySearch(cum, x);
        i = i >= 0 ? i + 1 : -i - 1;
        return Math.min(i, cum.length - 1);
    }

    private static double[] cumulative(double[] weight, int[] members) {
        int n = members == null ? weight.length : members.length;
        double[] cum = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += weight[members == null ? i : members[i]];
            cum[i] = s;
        }
        return cum;
    }

    private static int[] scaleActivity(double[] raw, int min, int cap, long target, SplittableRandom rng) {
        int n = raw.length;
        long floor = (long) n * min;
        if (target < floor || target > (long) n * cap) {
            throw new IllegalArgumentException("cannot reach " + target + " ratings with " + n + " users");
        }
        double lo = 0;
        double hi = 1;
        while (sum(raw, min, cap, hi) < target) {
            hi *= 2;
        }
        for (int it = 0; it < 100; it++) {
            double mid = (lo + hi) / 2;
            if (sum(raw, min, cap, mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        int[] counts = new int[n];
        long total = 0;
        for (int u = 0; u < n; u++) {
            counts[u] = (int) Math.min(cap, min + Math.floor(lo * raw[u]));
            total += counts[u];
        }
        while (total < target) {
            int u = rng.nextInt(n);
            if (counts[u] < cap) {
                counts[u]++;
                total++;
            }
        }
        return counts;
    }

    private static long sum(double[] raw, int min, int cap, double s) {
        long total = 0;
        for (double x : raw) {
            total += (long) Math.min(cap, min + Math.floor(s * x));
        }
        return total;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; SplittableRandom has no nextGaussian in Java 17.
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
