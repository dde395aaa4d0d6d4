package org.recofilms.ingestion.generator;

import static org.recofilms.ingestion.generator.MovieLensGenres.ACTION;
import static org.recofilms.ingestion.generator.MovieLensGenres.ADVENTURE;
import static org.recofilms.ingestion.generator.MovieLensGenres.ANIMATION;
import static org.recofilms.ingestion.generator.MovieLensGenres.CHILDREN;
import static org.recofilms.ingestion.generator.MovieLensGenres.COMEDY;
import static org.recofilms.ingestion.generator.MovieLensGenres.CRIME;
import static org.recofilms.ingestion.generator.MovieLensGenres.DOCUMENTARY;
import static org.recofilms.ingestion.generator.MovieLensGenres.DRAMA;
import static org.recofilms.ingestion.generator.MovieLensGenres.FANTASY;
import static org.recofilms.ingestion.generator.MovieLensGenres.FILM_NOIR;
import static org.recofilms.ingestion.generator.MovieLensGenres.HORROR;
import static org.recofilms.ingestion.generator.MovieLensGenres.IMAX;
import static org.recofilms.ingestion.generator.MovieLensGenres.MUSICAL;
import static org.recofilms.ingestion.generator.MovieLensGenres.MYSTERY;
import static org.recofilms.ingestion.generator.MovieLensGenres.ROMANCE;
import static org.recofilms.ingestion.generator.MovieLensGenres.SCI_FI;
import static org.recofilms.ingestion.generator.MovieLensGenres.THRILLER;
import static org.recofilms.ingestion.generator.MovieLensGenres.WAR;
import static org.recofilms.ingestion.generator.MovieLensGenres.WESTERN;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * The movies and their hidden parameters: taste cluster, popularity weight, quality and release
 * date. Everything is O(movies) and derived from the random seed alone, so that the catalogue is the same
 * whatever the number of users or ratings.
 *
 * <p>Movies are indexed 0..count-1 in increasing movieId order.
 */
final class Catalog {

    /** First and last rating timestamps of MovieLens 20M (1995-01-09 and 2015-03-31, UTC). */
    static final long FIRST_TIMESTAMP =
            LocalDate.of(1995, 1, 9).atStartOfDay(ZoneOffset.UTC).toEpochSecond();

    static final long LAST_TIMESTAMP =
            LocalDate.of(2015, 3, 31).atStartOfDay(ZoneOffset.UTC).toEpochSecond() + 86_399;

    /**
     * Popularity is a stretched exponential of a random rank, weight = exp(-(rank / s)^0.45) with
     * s = 0.3% of the catalogue, plus a small floor. Together with users who cannot rate a movie
     * twice this gives the ML-20M shape at full scale: the top 10% of movies hold over 80% of the
     * ratings, the median movie has under 20 ratings, about 10,000 movies have 50 or more, and a
     * few percent have none. (A plain Zipf law cannot: its tail is either too fat or too empty.)
     */
    private static final double POPULARITY_EXPONENT = 0.45;

    private static final double POPULARITY_SCALE_SHARE = 0.003;
    private static final double POPULARITY_FLOOR = 1e-5;

    /** Taste clusters: what a user likes. Each stands for a few core genres; order = importance. */
    static final Cluster[] CLUSTERS = {
        new Cluster("Drama", 3.0, DRAMA),
        new Cluster("Comedy", 2.4, COMEDY),
        new Cluster("Action|Adventure|Sci-Fi", 1.0, ACTION, ADVENTURE, SCI_FI),
        new Cluster("Horror|Thriller", 1.0, HORROR, THRILLER),
        new Cluster("Animation|Children", 0.6, ANIMATION, CHILDREN),
        new Cluster("Documentary", 0.9, DOCUMENTARY),
        new Cluster("Comedy|Romance", 1.0, COMEDY, ROMANCE),
        new Cluster("Crime|Thriller", 0.9, CRIME, THRILLER),
        new Cluster("Drama|Romance", 1.2, DRAMA, ROMANCE),
        new Cluster("Western", 0.3, WESTERN),
        new Cluster("Drama|War", 0.4, DRAMA, WAR),
        new Cluster("Musical|Romance", 0.3, MUSICAL, ROMANCE),
        new Cluster("Adventure|Fantasy", 0.5, ADVENTURE, FANTASY),
        new Cluster("Mystery|Thriller", 0.6, MYSTERY, THRILLER),
        new Cluster("Horror|Sci-Fi", 0.4, HORROR, SCI_FI),
        new Cluster("Action|Crime", 0.7, ACTION, CRIME),
        new Cluster("Comedy|Drama", 1.0, COMEDY, DRAMA),
        new Cluster("Children|Comedy|Fantasy", 0.4, CHILDREN, COMEDY, FANTASY),
        new Cluster("Action|Comedy", 0.5, ACTION, COMEDY),
        new Cluster("Crime|Drama|Film-Noir", 0.3, CRIME, DRAMA, FILM_NOIR)
    };

    /** Genres that show up as an extra genre, weighted roughly like their ML-20M frequency. */
    private static final double[] EXTRA_GENRE_WEIGHTS = extraGenreWeights();

    private static final int LAST_YEAR = 2015;
    private static final int LAST_RELEASE_DAY_OF_2015 = 85;

    // Stream purposes, one per independent part of the catalogue.
    private static final long IDS = 1;
    private static final long CLUSTER_AND_GENRES = 2;
    private static final long POPULARITY = 3;
    private static final long TITLES = 4;
    private static final long LINKS = 5;

    final int count;
    final int clusterCount;
    final int[] ids;
    final int[] years;
    final long[] releases;
    final int[] genres;
    final int[] clusters;
    final double[] weights;
    final double[] quality;
    /** Popularity rank, 0 = most popular. */
    final int[] rank;

    final String[] titles;
    final int[] imdbIds;
    /** tmdbId, or -1 when links.csv leaves it empty. */
    final int[] tmdbIds;
    /** Sum of the popularity weights of each cluster's movies. */
    final double[] clusterWeights;

    final AliasTable all;
    final AliasTable[] byCluster;
    /** Movie indices from the most to the least popular. */
    final int[] byRank;
    /** Each cluster's movie indices from the most to the least popular. */
    final int[][] clusterByRank;

    private Catalog(final long randomSeed, final int count) {
        this.count = count;
        this.clusterCount = clusterCount(count);
        this.ids = new int[count];
        this.years = new int[count];
        this.releases = new long[count];
        this.genres = new int[count];
        this.clusters = new int[count];
        this.weights = new double[count];
        this.quality = new double[count];
        this.rank = new int[count];
        this.titles = new String[count];
        this.imdbIds = new int[count];
        this.tmdbIds = new int[count];
        this.clusterWeights = new double[clusterCount];

        assignIds(Rng.stream(randomSeed, IDS, 0));
        assignClustersYearsGenres(Rng.stream(randomSeed, CLUSTER_AND_GENRES, 0));
        assignPopularity(Rng.stream(randomSeed, POPULARITY, 0));
        for (int m = 0; m < count; m++) {
            titles[m] = Words.title(Rng.stream(randomSeed, TITLES, m)) + " (" + years[m] + ")";
        }
        assignLinks(Rng.stream(randomSeed, LINKS, 0));

        this.byRank = new int[count];
        for (int m = 0; m < count; m++) {
            byRank[rank[m]] = m;
        }
        this.clusterByRank = new int[clusterCount][];
        final int[] filled = new int[clusterCount];
        for (int m = 0; m < count; m++) {
            filled[clusters[m]]++;
        }
        for (int c = 0; c < clusterCount; c++) {
            clusterByRank[c] = new int[filled[c]];
            filled[c] = 0;
        }
        for (final int m : byRank) {
            clusterByRank[clusters[m]][filled[clusters[m]]++] = m;
        }
        this.all = new AliasTable(range(count), weights);
        this.byCluster = new AliasTable[clusterCount];
        for (int c = 0; c < clusterCount; c++) {
            final int cluster = c;
            final int[] members = java.util.stream.IntStream.range(0, count)
                    .filter(m -> clusters[m] == cluster)
                    .toArray();
            final double[] memberWeights = new double[members.length];
            for (int i = 0; i < members.length; i++) {
                memberWeights[i] = weights[members[i]];
                clusterWeights[c] += weights[members[i]];
            }
            byCluster[c] = members.length == 0 ? null : new AliasTable(members, memberWeights);
        }
    }

    static Catalog build(final GeneratorConfig config) {
        return new Catalog(config.randomSeed(), config.movies());
    }

    /** Roughly 15 movies per cluster at least, so that small catalogues keep dense clusters. */
    static int clusterCount(final int movies) {
        return Math.min(CLUSTERS.length, Math.max(2, movies / 15));
    }

    int maxId() {
        return ids[count - 1];
    }

    /** The index of a movieId, or a negative number when no movie has it. */
    int indexOf(final int movieId) {
        return Arrays.binarySearch(ids, movieId);
    }

    /** The genome movies: the {@code n} most popular, as indices in increasing movieId order. */
    int[] mostPopular(final int n) {
        final Integer[] order = new Integer[count];
        for (int m = 0; m < count; m++) {
            order[m] = m;
        }
        Arrays.sort(order, (a, b) -> {
            final int byWeight = Double.compare(weights[b], weights[a]);
            return byWeight != 0 ? byWeight : Integer.compare(a, b);
        });
        final int[] chosen = new int[n];
        for (int i = 0; i < n; i++) {
            chosen[i] = order[i];
        }
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Increasing, sparse ids like ML-20M: the oldest third of the ids is nearly dense, later ones
     * leave gaps, so that 27,278 movies end near id 131,000.
     */
    private void assignIds(final Rng rng) {
        final int denseCount = count / 3;
        int id = 0;
        for (int m = 0; m < count; m++) {
            id += 1 + rng.geometric(m < denseCount ? 0.1 : 5.67);
            ids[m] = id;
        }
    }

    private void assignClustersYearsGenres(final Rng rng) {
        final double[] clusterShares = new double[clusterCount];
        double total = 0;
        for (int c = 0; c < clusterCount; c++) {
            clusterShares[c] = CLUSTERS[c].share;
            total += clusterShares[c];
        }
        double extraTotal = 0;
        for (final double w : EXTRA_GENRE_WEIGHTS) {
            extraTotal += w;
        }
        for (int m = 0; m < count; m++) {
            // The first movies cover every cluster once so that none is empty in a small catalogue.
            final int cluster = m < clusterCount ? m : pick(rng, clusterShares, total);
            clusters[m] = cluster;
            final int year = year(rng, cluster);
            years[m] = year;
            final int lastDay = year == LAST_YEAR ? LAST_RELEASE_DAY_OF_2015 : 364;
            releases[m] = LocalDate.of(year, 1, 1).toEpochDay() * 86_400 + rng.nextInt(lastDay + 1) * 86_400L;
            genres[m] = genres(rng, CLUSTERS[cluster], year, extraTotal);
        }
    }

    private static double[] extraGenreWeights() {
        final double[] weights = new double[MovieLensGenres.ALL.size()];
        weights[ACTION] = 3.5;
        weights[ADVENTURE] = 2.3;
        weights[ANIMATION] = 1.0;
        weights[CHILDREN] = 1.1;
        weights[COMEDY] = 8.0;
        weights[CRIME] = 2.9;
        weights[DOCUMENTARY] = 0.5;
        weights[DRAMA] = 12.0;
        weights[FANTASY] = 1.4;
        weights[FILM_NOIR] = 0.1;
        weights[HORROR] = 2.6;
        // IMAX is only added on purpose, to recent spectacles.
        weights[IMAX] = 0.0;
        weights[MUSICAL] = 1.0;
        weights[MYSTERY] = 1.5;
        weights[ROMANCE] = 4.1;
        weights[SCI_FI] = 1.7;
        weights[THRILLER] = 4.2;
        weights[WAR] = 1.2;
        weights[WESTERN] = 0.7;
        return weights;
    }

    private static int year(final Rng rng, final int cluster) {
        if (CLUSTERS[cluster].has(WESTERN) && rng.chance(0.7)) {
            return 1930 + rng.nextInt(46);
        }
        if (CLUSTERS[cluster].has(FILM_NOIR) && rng.chance(0.8)) {
            return 1940 + rng.nextInt(20);
        }
        final double u = rng.nextDouble();
        if (u < 0.55) {
            return 1990 + rng.nextInt(LAST_YEAR - 1990 + 1);
        }
        if (u < 0.8) {
            return 1960 + rng.nextInt(30);
        }
        return 1902 + rng.nextInt(58);
    }

    private static int genres(final Rng rng, final Cluster cluster, final int year, final double extraTotal) {
        // About 0.9% of ML-20M movies list no genre; their hidden cluster still drives who rates them.
        if (rng.chance(0.009)) {
            return 0;
        }
        int mask = 0;
        for (final int genre : cluster.core) {
            if (rng.chance(0.88)) {
                mask |= 1 << genre;
            }
        }
        if (mask == 0) {
            mask = 1 << cluster.core[0];
        }
        if (rng.chance(0.3)) {
            mask |= 1 << pick(rng, EXTRA_GENRE_WEIGHTS, extraTotal);
            if (rng.chance(0.25)) {
                mask |= 1 << pick(rng, EXTRA_GENRE_WEIGHTS, extraTotal);
            }
        }
        // Crime films of the forties and fifties are often film noir.
        if ((mask & 1 << CRIME) != 0 && year >= 1940 && year < 1960 && rng.chance(0.3)) {
            mask |= 1 << FILM_NOIR;
        }
        final int imaxGenres = 1 << ACTION | 1 << ADVENTURE | 1 << ANIMATION | 1 << SCI_FI | 1 << DOCUMENTARY;
        if (year >= 2004 && (mask & imaxGenres) != 0 && rng.chance(0.08)) {
            mask |= 1 << IMAX;
        }
        return mask;
    }

    private void assignPopularity(final Rng rng) {
        for (int m = 0; m < count; m++) {
            rank[m] = m;
        }
        for (int i = count - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int swap = rank[i];
            rank[i] = rank[j];
            rank[j] = swap;
        }
        final double scale = Math.max(1.0, POPULARITY_SCALE_SHARE * count);
        for (int m = 0; m < count; m++) {
            weights[m] = StrictMath.exp(-StrictMath.pow(rank[m] / scale, POPULARITY_EXPONENT)) + POPULARITY_FLOOR;
            // Popular movies are rated a little higher, as in MovieLens.
            quality[m] = 0.4 * rng.nextGaussian() + 0.3 * (0.5 - (double) rank[m] / count);
        }
    }

    /**
     * imdbIds grow with the release year (older films were catalogued first), tmdbIds are random;
     * both unique. About 1% of the movies have no tmdbId.
     */
    private void assignLinks(final Rng rng) {
        final int[] imdb = increasingUnique(rng, 400, 3_400_000);
        final Integer[] byYear = new Integer[count];
        for (int m = 0; m < count; m++) {
            byYear[m] = m;
        }
        Arrays.sort(
                byYear, (a, b) -> years[a] != years[b] ? Integer.compare(years[a], years[b]) : Integer.compare(a, b));
        for (int i = 0; i < count; i++) {
            imdbIds[byYear[i]] = imdb[i];
        }
        final int[] tmdb = increasingUnique(rng, 2, Math.max(2 + 2 * count, 330_000));
        for (int i = count - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int swap = tmdb[i];
            tmdb[i] = tmdb[j];
            tmdb[j] = swap;
        }
        for (int m = 0; m < count; m++) {
            tmdbIds[m] = rng.chance(0.009) ? -1 : tmdb[m];
        }
    }

    /** {@code count} distinct increasing integers spread over [from, to). */
    private int[] increasingUnique(final Rng rng, final int from, final int to) {
        final double meanGap = (double) (to - from) / count;
        final int[] values = new int[count];
        long value = from;
        for (int i = 0; i < count; i++) {
            value += 1 + (long) (rng.nextDouble() * 2 * (meanGap - 1));
            values[i] = (int) Math.min(Integer.MAX_VALUE, value);
        }
        return values;
    }

    private static int pick(final Rng rng, final double[] weights, final double total) {
        double u = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        // Rounding left u just above zero: fall back to the last item with weight.
        for (int i = weights.length - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        throw new IllegalStateException("no positive weight");
    }

    static int[] range(final int n) {
        final int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    /** One taste cluster: a name, a share of the catalogue and its core genres. */
    static final class Cluster {
        final String name;
        final double share;
        final int[] core;

        Cluster(final String name, final double share, final int... core) {
            this.name = name;
            this.share = share;
            this.core = core;
        }

        boolean has(final int genre) {
            for (final int g : core) {
                if (g == genre) {
                    return true;
                }
            }
            return false;
        }
    }
}
