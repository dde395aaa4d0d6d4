package org.recofilms.ingestion.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.MovieLensFileSet;

/**
 * The data set has the shape a recommender test needs: deterministic, a long tail of movie
 * popularity, heavy-tailed user activity, and taste that an item-kNN model can find.
 */
class MovieLensShapeTest {

    /** Sparse enough (50 ratings per user on average) for taste to matter, small enough to be quick. */
    private static final GeneratorConfig CONFIG = GeneratorConfig.tiny().toBuilder()
            .users(1_500)
            .movies(2_500)
            .ratings(75_000)
            .tags(500)
            .genomeMovies(120)
            .genomeTags(80)
            .build();

    @TempDir
    static Path dir;

    @TempDir
    static Path again;

    @TempDir
    static Path otherSeed;

    private static int[] movieIds;
    private static int[] clusters;
    private static int[] genres;
    /** Per user (index = userId - 1): movie indices and rating codes (half stars). */
    private static final List<int[]> userMovies = new ArrayList<>();

    private static final List<int[]> userRatings = new ArrayList<>();
    private static final List<long[]> userTimes = new ArrayList<>();
    private static int[] counts;

    @BeforeAll
    static void generate() throws IOException {
        MovieLensGenerator.generate(CONFIG, dir);
        final TasteClusters taste = MovieLensGenerator.tasteClusters(CONFIG);
        movieIds = taste.movieIds();
        clusters = new int[movieIds.length];
        for (int m = 0; m < movieIds.length; m++) {
            clusters[m] = taste.clusterOf(movieIds[m]);
        }
        genres = new int[movieIds.length];
        final List<CSVRecord> movies = GeneratedFiles.records(dir, MovieLensFileSet.MOVIES);
        for (int m = 0; m < movies.size(); m++) {
            assertEquals(movieIds[m], Integer.parseInt(movies.get(m).get("movieId")));
            for (final String genre : movies.get(m).get("genres").split("\\|")) {
                final int g = MovieLensGenres.ALL.indexOf(genre);
                genres[m] |= g < 0 ? 0 : 1 << g;
            }
        }
        counts = new int[movieIds.length];
        final List<CSVRecord> ratings = GeneratedFiles.records(dir, MovieLensFileSet.RATINGS);
        int start = 0;
        while (start < ratings.size()) {
            int end = start;
            while (end < ratings.size()
                    && ratings.get(end).get(0).equals(ratings.get(start).get(0))) {
                end++;
            }
            final int[] items = new int[end - start];
            final int[] stars = new int[end - start];
            final long[] times = new long[end - start];
            for (int i = start; i < end; i++) {
                items[i - start] = Arrays.binarySearch(
                        movieIds, Integer.parseInt(ratings.get(i).get(1)));
                stars[i - start] =
                        (int) Math.round(Double.parseDouble(ratings.get(i).get(2)) * 2);
                times[i - start] = Long.parseLong(ratings.get(i).get(3));
                counts[items[i - start]]++;
            }
            userMovies.add(items);
            userRatings.add(stars);
            userTimes.add(times);
            start = end;
        }
    }

    @Test
    void sameConfigurationGivesTheSameBytesAndAnotherSeedOtherBytes() throws IOException {
        MovieLensGenerator.generate(CONFIG, again);
        MovieLensGenerator.generate(CONFIG.withRandomSeed(CONFIG.randomSeed() + 1), otherSeed);
        for (final String file : MovieLensFiles.ALL) {
            final byte[] first = Files.readAllBytes(dir.resolve(file));
            assertArrayEquals(first, Files.readAllBytes(again.resolve(file)), file);
            assertFalse(
                    Arrays.equals(first, Files.readAllBytes(otherSeed.resolve(file))), file + " depends on the seed");
        }
    }

    @Test
    void aFewMoviesGetMostRatingsAndManyGetFew() {
        final int[] sorted = counts.clone();
        Arrays.sort(sorted);
        long top = 0;
        for (int i = 0; i < sorted.length / 10; i++) {
            top += sorted[sorted.length - 1 - i];
        }
        final double topShare = (double) top / CONFIG.ratings();
        assertTrue(topShare > 0.45, "top 10% of movies hold well over a third of ratings: " + topShare);
        final long underFifty = Arrays.stream(counts).filter(c -> c < 50).count();
        assertTrue(underFifty > counts.length / 2, "most movies have fewer than 50 ratings: " + underFifty);
        assertTrue(sorted[sorted.length - 1] > 20 * Math.max(1, sorted[sorted.length / 2]), "a steep head");
        assertTrue(sorted[sorted.length - 1] < CONFIG.users(), "even the top movie is not rated by everybody");
    }

    @Test
    void userActivityIsHeavyTailed() {
        final int[] activity =
                userMovies.stream().mapToInt(items -> items.length).sorted().toArray();
        assertEquals(CONFIG.users(), activity.length);
        assertTrue(activity[0] >= 20, "nobody has fewer than 20 ratings");
        final int median = activity[activity.length / 2];
        final double mean = (double) CONFIG.ratings() / CONFIG.users();
        assertTrue(mean > median * 1.2, "mean " + mean + " well above median " + median);
        assertTrue(
                activity[activity.length - 1] > 10 * median, "a few very busy users: " + activity[activity.length - 1]);
    }

    @Test
    void usersRateWithinActivityWindows() {
        int oneSitting = 0;
        int longer = 0;
        for (final long[] times : userTimes) {
            final long span = Arrays.stream(times).max().getAsLong()
                    - Arrays.stream(times).min().getAsLong();
            oneSitting += span <= 2 * 86_400 ? 1 : 0;
            longer += span > 365 * 86_400L ? 1 : 0;
        }
        assertTrue(oneSitting > CONFIG.users() / 5, "many users rate in one sitting: " + oneSitting);
        assertTrue(longer > CONFIG.users() / 20, "some users rate over years: " + longer);
    }

    @Test
    void moviesOfOneClusterAreCoRatedFarMoreThanChance() {
        final int k = MovieLensGenerator.tasteClusters(CONFIG).count();
        final double[] share = new double[k];
        for (int m = 0; m < counts.length; m++) {
            share[clusters[m]] += (double) counts[m] / CONFIG.ratings();
        }
        double chance = 0;
        for (final double s : share) {
            chance += s * s;
        }
        long same = 0;
        long pairs = 0;
        for (final int[] items : userMovies) {
            final int[] perCluster = new int[k];
            for (final int m : items) {
                perCluster[clusters[m]]++;
            }
            for (final int c : perCluster) {
                same += (long) c * (c - 1);
            }
            pairs += (long) items.length * (items.length - 1);
        }
        final double lift = (double) same / pairs / chance;
        assertTrue(lift > 2.0, "same-cluster co-rating lift " + lift);
    }

    @Test
    void usersRateTheirFavouriteGenreAndClusterHigher() {
        final double[] cluster = insideVersusOutside(true);
        assertTrue(cluster[0] - cluster[1] > 0.2, "favourite cluster " + cluster[0] + " vs " + cluster[1]);
        // Visible without the hidden clusters too: through genres.
        final double[] genre = insideVersusOutside(false);
        assertTrue(genre[0] - genre[1] > 0.1, "favourite genre " + genre[0] + " vs " + genre[1]);
    }

    @Test
    void itemKnnFindsSameClusterNeighboursAndBeatsPopularityOnHeldOutRatings() {
        final int movies = movieIds.length;
        final SplittableRandom random = new SplittableRandom(1);
        final List<int[]> train = new ArrayList<>();
        final List<int[]> test = new ArrayList<>();
        final int[] popularity = new int[movies];
        for (final int[] items : userMovies) {
            final int[] fold = items.clone();
            for (int i = fold.length - 1; i > 0; i--) {
                final int j = random.nextInt(i + 1);
                final int swap = fold[i];
                fold[i] = fold[j];
                fold[j] = swap;
            }
            final int held = fold.length / 5;
            test.add(Arrays.copyOf(fold, held));
            train.add(Arrays.copyOfRange(fold, held, fold.length));
            for (int i = held; i < fold.length; i++) {
                popularity[fold[i]]++;
            }
        }
        // Cosine similarity on binary co-occurrence; 20 neighbours per movie.
        final float[][] co = new float[movies][movies];
        for (final int[] items : train) {
            for (final int a : items) {
                for (final int b : items) {
                    if (a != b) {
                        co[a][b]++;
                    }
                }
            }
        }
        final int k = 20;
        final int[][] neighbours = new int[movies][];
        final double[][] similarity = new double[movies][];
        long sameCluster = 0;
        long judged = 0;
        for (int a = 0; a < movies; a++) {
            final double[] row = new double[movies];
            for (int b = 0; b < movies; b++) {
                row[b] = popularity[a] == 0 || popularity[b] == 0
                        ? 0
                        : co[a][b] / Math.sqrt((double) popularity[a] * popularity[b]);
            }
            neighbours[a] = topIndices(row, k, new boolean[movies]);
            similarity[a] =
                    Arrays.stream(neighbours[a]).mapToDouble(b -> row[b]).toArray();
            if (popularity[a] >= 50) {
                for (final int b : neighbours[a]) {
                    sameCluster += clusters[b] == clusters[a] ? 1 : 0;
                    judged++;
                }
            }
        }
        final double sameShare = (double) sameCluster / judged;
        assertTrue(sameShare > 0.7, "neighbours of well-rated movies share their cluster: " + sameShare);

        final double[] byPopularity = Arrays.stream(popularity).asDoubleStream().toArray();
        double knnHits = 0;
        double popularHits = 0;
        int evaluated = 0;
        for (int u = 0; u < train.size(); u++) {
            if (test.get(u).length == 0) {
                continue;
            }
            final boolean[] seen = new boolean[movies];
            final double[] score = new double[movies];
            for (final int m : train.get(u)) {
                seen[m] = true;
                for (int n = 0; n < k; n++) {
                    score[neighbours[m][n]] += similarity[m][n];
                }
            }
            knnHits += hits(topIndices(score, 10, seen), test.get(u));
            popularHits += hits(topIndices(byPopularity, 10, seen), test.get(u));
            evaluated++;
        }
        final double knn = knnHits / (10.0 * evaluated);
        final double popular = popularHits / (10.0 * evaluated);
        assertTrue(knn > 1.5 * popular, "precision@10 item-kNN " + knn + " vs popularity " + popular);
    }

    @Test
    void genomeGenreTagsAreMoreRelevantToMoviesOfTheirGenre() throws IOException {
        final Map<String, Integer> tagGenre = new HashMap<>();
        for (final CSVRecord tag : GeneratedFiles.records(dir, MovieLensFileSet.GENOME_TAGS)) {
            tagGenre.put(tag.get("tagId"), Words.genreOfTag(tag.get("tag")));
        }
        final double[] sum = new double[2];
        final int[] n = new int[2];
        for (final CSVRecord score : GeneratedFiles.records(dir, MovieLensFileSet.GENOME_SCORES)) {
            final int genre = tagGenre.get(score.get("tagId"));
            if (genre < 0) {
                continue;
            }
            final int movie = Arrays.binarySearch(movieIds, Integer.parseInt(score.get("movieId")));
            final int fits = (genres[movie] & 1 << genre) != 0 ? 1 : 0;
            sum[fits] += Double.parseDouble(score.get("relevance"));
            n[fits]++;
        }
        assertTrue(n[0] > 0 && n[1] > 0);
        assertTrue(sum[1] / n[1] > 2 * (sum[0] / n[0]), "genre tags fit their genre");
    }

    /** Mean rating (stars) inside and outside each user's most-rated cluster (or genre). */
    private static double[] insideVersusOutside(final boolean byCluster) {
        final double[] sum = new double[2];
        final long[] n = new long[2];
        for (int u = 0; u < userMovies.size(); u++) {
            final int[] items = userMovies.get(u);
            final int[] tally = new int[32];
            for (final int m : items) {
                if (byCluster) {
                    tally[clusters[m]]++;
                } else {
                    for (int g = 0; g < MovieLensGenres.ALL.size(); g++) {
                        tally[g] += (genres[m] >> g) & 1;
                    }
                }
            }
            int favourite = 0;
            for (int i = 1; i < tally.length; i++) {
                favourite = tally[i] > tally[favourite] ? i : favourite;
            }
            for (int i = 0; i < items.length; i++) {
                final int m = items[i];
                final boolean inside = byCluster ? clusters[m] == favourite : (genres[m] & 1 << favourite) != 0;
                sum[inside ? 0 : 1] += userRatings.get(u)[i] / 2.0;
                n[inside ? 0 : 1]++;
            }
        }
        return new double[] {sum[0] / n[0], sum[1] / n[1]};
    }

    private static int[] topIndices(final double[] values, final int count, final boolean[] excluded) {
        final int[] top = new int[count];
        Arrays.fill(top, -1);
        for (int i = 0; i < values.length; i++) {
            if (excluded[i]) {
                continue;
            }
            int at = count;
            while (at > 0 && (top[at - 1] < 0 || values[top[at - 1]] < values[i])) {
                at--;
            }
            if (at < count) {
                System.arraycopy(top, at, top, at + 1, count - at - 1);
                top[at] = i;
            }
        }
        return top;
    }

    private static int hits(final int[] recommended, final int[] heldOut) {
        int hits = 0;
        for (final int m : recommended) {
            for (final int h : heldOut) {
                hits += m == h ? 1 : 0;
            }
        }
        return hits;
    }
}
