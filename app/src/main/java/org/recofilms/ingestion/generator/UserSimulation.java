package org.recofilms.ingestion.generator;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.recofilms.ingestion.MovieLensFileSet;
import org.recofilms.ingestion.RejectKind;

/**
 * Simulates the users one at a time, in userId order, and streams ratings.csv and tags.csv. Memory
 * is O(users + movies): per-user counts, a "seen in this user" stamp per movie, and buffers for one
 * user's ratings.
 *
 * <p>The taste model: each user has one to three favourite clusters (more for busy users, so that
 * their favourites hold twice their ratings) and draws 75-95% of their movies from them (less for
 * users with more than 150 ratings, who rate broadly), the rest from the whole catalogue. Each draw
 * first picks its source (a favourite cluster or the catalogue), then a movie of that source by
 * popularity, without repetition; a user who has used up a source continues down its popularity
 * ranking. A rating is {@code 3.2 + userBias + movieQuality + affinity(cluster) + noise}, rounded to
 * half stars (or to whole stars for users who started before half stars existed in 2003) and
 * clipped to [0.5, 5]. Affinity is positive for favourite clusters, strongly negative for one
 * disliked cluster and slightly negative elsewhere. Hence item neighbourhoods follow clusters and
 * users like what they mostly rate.
 */
final class UserSimulation {

    private static final System.Logger LOG = System.getLogger(UserSimulation.class.getName());
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private static final long USER = 101;
    private static final long ACTIVITY = 102;
    private static final long TAGGERS = 103;
    private static final long TAG = 104;
    private static final long BAD_PLAN = 105;
    private static final long BAD_ROW = 106;
    private static final long BAD_TAG_ROW = 107;

    /** Users' ratings per user follow 20 + c * lognormal(sigma); ML-20M: median ~70, mean 144. */
    private static final double ACTIVITY_SIGMA = 1.25;
    /** About 5.6% of ML-20M users wrote tags; their tag counts are far more skewed than ratings. */
    private static final double TAGGER_SHARE = 0.0563;

    private static final double TAG_SIGMA = 1.8;
    /** Share of a user's ratings drawn from favourite clusters: uniform in [min, min + spread]. */
    private static final double FAVOURITE_DRAWS_MIN = 0.75;

    private static final double FAVOURITE_DRAWS_SPREAD = 0.2;
    /** Users with more ratings than this draw less from their favourites (by sqrt(this / n)). */
    private static final double BUSY_USER = 150;

    private static final double BASE_SCORE = 3.2;
    private static final double NOISE = 0.8;
    private static final long DAY = 86_400;
    private static final long HALF_STARS_INTRODUCED =
            LocalDate.of(2003, 2, 18).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    private static final long YEAR_1996 =
            LocalDate.of(1996, 1, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    private static final long YEAR_2000 =
            LocalDate.of(2000, 1, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    private static final int MAX_DRAWS = 24;

    /** Rating text for a code 1..10 (half stars): {@code 0.5} .. {@code 5.0}. */
    private static final byte[][] RATING_TEXT = new byte[11][];

    private static final String[] OUT_OF_RANGE = {"5.5", "0.0", "-1", "6.0", "0", "10"};
    private static final String[] NOT_HALF_STEP = {"3.7", "2.25", "4.1", "1.3", "0.75", "4.99"};
    private static final String[] NOT_A_TIMESTAMP = {"2009-05-01 10:00:00", "n/a", "12a45", "yesterday"};
    private static final String[] COMMA_TAGS = {"funny, but sad", "long, slow", "dark, violent", "Paris, France"};

    static {
        for (int code = 1; code <= 10; code++) {
            RATING_TEXT[code] = (code / 2 + "." + (code % 2 == 0 ? "0" : "5")).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final GeneratorConfig config;
    private final Catalog catalog;
    private final PhantomIds phantoms;
    private final int[] ratingCounts;
    private final int[] tagCounts;

    /** Ratings bad rows, as (user << 32 | sequence) sorted; sequence orders the kinds. */
    private final long[] ratingPlan;

    private final RejectKind[] ratingPlanKinds;
    /** Tag bad rows, as (user << 32 | sequence) sorted. */
    private final long[] tagPlan;

    // Tag vocabulary: general tags first, then each genre's tags.
    private final byte[][] tagText;
    private final byte[][] tagTextLower;
    private final int generalTags;
    private final int[] genreTagStart;

    // Per-user scratch, sized for the busiest user.
    private final int[] seen;
    private final int[] chosen;
    private final int[] codes;
    private final long[] timestamps;
    private final long[] tagPicks;
    private final double[] affinity;
    private final double[] clusterPull;
    /** Per-user positions in the popularity rankings, see {@link #nextByPopularity}. */
    private final int[] cursors;

    private final int[] releasedCursors;
    private final int[] favourite;
    private final double[] favouriteShare;

    UserSimulation(final GeneratorConfig config, final Catalog catalog, final PhantomIds phantoms) {
        this.config = config;
        this.catalog = catalog;
        this.phantoms = phantoms;
        final int users = config.users();
        final int cap = GeneratorConfig.maxRatingsPerUser(config.movies());
        this.ratingCounts = allocateRatings(config, cap);
        this.tagCounts = allocateTags(config, ratingCounts);

        final List<RejectKind> kinds = new ArrayList<>();
        for (final Map.Entry<RejectKind, Integer> entry :
                config.badRows().counts().entrySet()) {
            if (BadRows.homeFile(entry.getKey()).equals(MovieLensFileSet.RATINGS)) {
                for (int i = 0; i < entry.getValue(); i++) {
                    kinds.add(entry.getKey());
                }
            }
        }
        this.ratingPlanKinds = kinds.toArray(RejectKind[]::new);
        final Rng planRng = Rng.stream(config.randomSeed(), BAD_PLAN, 0);
        this.ratingPlan = new long[ratingPlanKinds.length];
        for (int i = 0; i < ratingPlan.length; i++) {
            ratingPlan[i] = (long) planRng.nextInt(users) << 32 | i;
        }
        Arrays.sort(ratingPlan);
        final int[] taggers = java.util.stream.IntStream.range(0, users)
                .filter(u -> tagCounts[u] > 0)
                .toArray();
        this.tagPlan = new long[config.badRows().tagWrongColumnCount()];
        for (int i = 0; i < tagPlan.length; i++) {
            tagPlan[i] = (long) taggers[planRng.nextInt(taggers.length)] << 32 | i;
        }
        Arrays.sort(tagPlan);

        final List<String> vocabulary = new ArrayList<>(List.of(Words.GENERAL_TAGS));
        this.generalTags = vocabulary.size();
        this.genreTagStart = new int[Words.GENRE_TAGS.length + 1];
        for (int g = 0; g < Words.GENRE_TAGS.length; g++) {
            genreTagStart[g] = vocabulary.size();
            vocabulary.addAll(List.of(Words.GENRE_TAGS[g]));
        }
        genreTagStart[Words.GENRE_TAGS.length] = vocabulary.size();
        this.tagText = new byte[vocabulary.size()][];
        this.tagTextLower = new byte[vocabulary.size()][];
        for (int t = 0; t < vocabulary.size(); t++) {
            tagText[t] = CsvOut.escape(vocabulary.get(t));
            tagTextLower[t] = CsvOut.escape(vocabulary.get(t).toLowerCase(Locale.ROOT));
        }

        this.seen = new int[catalog.count];
        this.chosen = new int[cap];
        this.codes = new int[cap];
        this.timestamps = new long[cap];
        this.tagPicks = new long[cap];
        this.affinity = new double[catalog.clusterCount];
        this.clusterPull = new double[catalog.clusterCount];
        this.cursors = new int[catalog.clusterCount + 1];
        this.releasedCursors = new int[catalog.clusterCount + 1];
        this.favourite = new int[catalog.clusterCount];
        this.favouriteShare = new double[catalog.clusterCount];
    }

    long totalTags() {
        long total = 0;
        for (final int count : tagCounts) {
            total += count;
        }
        return total;
    }

    private static int[] allocateRatings(final GeneratorConfig config, final int cap) {
        final int users = config.users();
        final double[] activity = new double[users];
        final Rng rng = Rng.stream(config.randomSeed(), ACTIVITY, 0);
        for (int u = 0; u < users; u++) {
            activity[u] = StrictMath.exp(ACTIVITY_SIGMA * rng.nextGaussian());
        }
        final int[] caps = new int[users];
        Arrays.fill(caps, cap);
        return Allocation.allocate(activity, GeneratorConfig.MIN_RATINGS_PER_USER, caps, config.ratings());
    }

    /**
     * A few users write all tags, at most three per movie they rated. When the chosen few cannot
     * hold the requested number (tiny data sets), every user becomes a tagger.
     */
    private static int[] allocateTags(final GeneratorConfig config, final int[] ratingCounts) {
        final int users = config.users();
        final int[] counts = new int[users];
        if (config.tags() == 0) {
            return counts;
        }
        final Rng rng = Rng.stream(config.randomSeed(), TAGGERS, 0);
        final int[] order = Catalog.range(users);
        for (int i = users - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int taggers = (int) Math.max(1, Math.min(Math.min(users, config.tags()), Math.round(TAGGER_SHARE * users)));
        long capacity = 0;
        for (int i = 0; i < taggers; i++) {
            capacity += 3L * ratingCounts[order[i]];
        }
        if (capacity < config.tags()) {
            taggers = (int) Math.min(users, config.tags());
            capacity = 0;
            for (int i = 0; i < taggers; i++) {
                capacity += 3L * ratingCounts[order[i]];
            }
            if (capacity < config.tags()) {
                taggers = users;
            }
        }
        final double[] weights = new double[taggers];
        final int[] caps = new int[taggers];
        for (int i = 0; i < taggers; i++) {
            weights[i] = StrictMath.exp(TAG_SIGMA * rng.nextGaussian());
            caps[i] = 3 * ratingCounts[order[i]];
        }
        final int[] shares = Allocation.allocate(weights, 1, caps, config.tags());
        for (int i = 0; i < taggers; i++) {
            counts[order[i]] = shares[i];
        }
        return counts;
    }

    /** Streams both files; adds the injected bad rows of each file, in line order, to its list. */
    void write(
            final CsvOut ratingsOut,
            final CsvOut tagsOut,
            final List<InjectedBadRow> ratingBad,
            final List<InjectedBadRow> tagBad)
            throws IOException {
        ratingsOut.line(MovieLensFileSet.header(MovieLensFileSet.RATINGS));
        tagsOut.line(MovieLensFileSet.header(MovieLensFileSet.TAGS));
        final List<BadLine> userBad = new ArrayList<>();
        int ratingPlanAt = 0;
        int tagPlanAt = 0;
        final long started = System.nanoTime();
        long lastReport = started;
        long written = 0;
        for (int u = 0; u < config.users(); u++) {
            final int n = ratingCounts[u];
            final UserTaste taste = simulate(u, n);
            written += n;

            userBad.clear();
            final Rng badRng = Rng.stream(config.randomSeed(), BAD_ROW, u);
            while (ratingPlanAt < ratingPlan.length && (int) (ratingPlan[ratingPlanAt] >>> 32) == u) {
                final RejectKind kind = ratingPlanKinds[(int) ratingPlan[ratingPlanAt]];
                userBad.add(badRating(u, n, taste, kind, badRng, userBad));
                ratingPlanAt++;
            }
            writeRatings(ratingsOut, u, n, userBad, ratingBad);

            userBad.clear();
            final Rng badTagRng = Rng.stream(config.randomSeed(), BAD_TAG_ROW, u);
            while (tagPlanAt < tagPlan.length && (int) (tagPlan[tagPlanAt] >>> 32) == u) {
                userBad.add(badTag(u, n, badTagRng));
                tagPlanAt++;
            }
            if (tagCounts[u] > 0) {
                writeTags(tagsOut, u, n, taste, userBad, tagBad);
            }

            final long now = System.nanoTime();
            if (now - lastReport > PROGRESS_EVERY_NANOS) {
                lastReport = now;
                final double seconds = (now - started) / 1e9;
                LOG.log(
                        Level.INFO,
                        String.format(
                                Locale.ROOT,
                                "generated %,d of %,d users, %,d ratings (%,.0f ratings/s)",
                                u + 1,
                                config.users(),
                                written,
                                written / seconds));
            }
        }
    }

    /** What the bad rows and tags of a user need to know about the user. */
    private record UserTaste(long start, long end, boolean halfStars, boolean lowercaseTags) {}

    /** Draws user u's movies, ratings and timestamps into the scratch buffers (sorted by movie). */
    private UserTaste simulate(final int u, final int n) {
        final Rng rng = Rng.stream(config.randomSeed(), USER, u);
        final double bias = 0.45 * rng.nextGaussian();
        final long start = windowStart(rng);
        final long end = Math.min(Catalog.LAST_TIMESTAMP, start + windowLength(rng));
        final boolean halfStars = start >= HALF_STARS_INTRODUCED ? rng.chance(0.8) : rng.chance(0.05);
        final boolean lowercaseTags = rng.chance(0.3);
        final int favouriteCount = chooseFavourites(rng, n);
        drawMovies(rng, u + 1, n, favouriteCount, end);
        for (int k = 0; k < n; k++) {
            final int movie = chosen[k];
            timestamps[k] = timestamp(rng, start, end, catalog.releases[movie]);
            final double score = BASE_SCORE
                    + bias
                    + catalog.quality[movie]
                    + affinity[catalog.clusters[movie]]
                    + NOISE * rng.fastGaussian();
            codes[k] = ratingCode(score, halfStars);
        }
        return new UserTaste(start, end, halfStars, lowercaseTags);
    }

    /** Bumps in 1996 and 2000 as in ML-20M, otherwise any time. */
    private static long windowStart(final Rng rng) {
        final double when = rng.nextDouble();
        if (when < 0.1) {
            return rng.nextLong(YEAR_1996, YEAR_1996 + 365 * DAY);
        }
        if (when < 0.2) {
            return rng.nextLong(YEAR_2000, YEAR_2000 + 365 * DAY);
        }
        return rng.nextLong(Catalog.FIRST_TIMESTAMP, Catalog.LAST_TIMESTAMP - DAY);
    }

    /** Many users rate in one sitting, others over weeks, some over years. */
    private static long windowLength(final Rng rng) {
        final double span = rng.nextDouble();
        if (span < 0.45) {
            return rng.nextLong(600, 2 * DAY);
        }
        if (span < 0.7) {
            return rng.nextLong(2 * DAY, 60 * DAY);
        }
        return (long) (365 * DAY * StrictMath.exp(rng.nextGaussian()));
    }

    /**
     * Fills {@link #favourite}, {@link #favouriteShare} (the probability that one draw comes from
     * each favourite) and {@link #affinity}; returns the number of favourites.
     */
    private int chooseFavourites(final Rng rng, final int n) {
        final int clusterCount = catalog.clusterCount;
        // Favourite clusters, weighted by how much of the catalogue's popularity they hold. Busy
        // users get more of them, enough to hold twice their ratings, because a small cluster
        // cannot feed a user with hundreds of ratings (and busy raters have broader tastes).
        final int wanted = 1 + (rng.chance(0.45) ? 0 : rng.chance(0.7) ? 1 : 2);
        double pullTotal = 0;
        for (int c = 0; c < clusterCount; c++) {
            clusterPull[c] = catalog.byCluster[c] == null ? 0 : StrictMath.pow(catalog.clusterWeights[c], 0.8);
            pullTotal += clusterPull[c];
        }
        int favouriteCount = 0;
        long favouriteMovies = 0;
        while (favouriteCount < clusterCount - 1 && (favouriteCount < wanted || favouriteMovies < 2L * n)) {
            double x = rng.nextDouble() * pullTotal;
            int pick = -1;
            for (int c = 0; c < clusterCount; c++) {
                if (clusterPull[c] > 0) {
                    pick = c;
                    x -= clusterPull[c];
                    if (x < 0) {
                        break;
                    }
                }
            }
            if (pick < 0) {
                break;
            }
            favourite[favouriteCount++] = pick;
            favouriteMovies += catalog.byCluster[pick].size();
            pullTotal -= clusterPull[pick];
            clusterPull[pick] = 0;
        }
        // The share of draws from favourites: 75-95%, less for busy users, who rate whatever is
        // popular; that keeps the catalogue's long tail thin, as in MovieLens.
        final double favouriteDraws = (FAVOURITE_DRAWS_MIN + FAVOURITE_DRAWS_SPREAD * rng.nextDouble())
                * Math.min(1.0, StrictMath.sqrt(BUSY_USER / n));
        // Favourite shares fall geometrically (0.4 of the previous one's) but never ask a cluster
        // for more than half of its movies.
        double geometricTotal = 0;
        double geometric = 1.0;
        for (int f = 0; f < favouriteCount; f++) {
            favouriteShare[f] = Math.min(geometric, 0.5 * catalog.byCluster[favourite[f]].size() / n);
            geometricTotal += favouriteShare[f];
            geometric *= 0.4;
        }
        for (int f = 0; f < favouriteCount; f++) {
            favouriteShare[f] *= favouriteDraws / geometricTotal;
        }
        Arrays.fill(affinity, -0.2);
        affinity[rng.nextInt(clusterCount)] = -0.8;
        for (int f = 0; f < favouriteCount; f++) {
            affinity[favourite[f]] = 0.5 - 0.1 * Math.min(f, 3);
        }
        return favouriteCount;
    }

    /** Fills chosen[0..n) with distinct movies released before {@code end} where possible, sorted. */
    private void drawMovies(final Rng rng, final int stamp, final int n, final int favouriteCount, final long end) {
        Arrays.fill(cursors, 0);
        Arrays.fill(releasedCursors, 0);
        for (int k = 0; k < n; k++) {
            // Choose the source first and stick to it: re-choosing after a miss would drift busy
            // users away from their exhausted favourites towards the crowd.
            int source = -1;
            double x = rng.nextDouble();
            for (int f = 0; f < favouriteCount && source < 0; f++) {
                x -= favouriteShare[f];
                if (x < 0) {
                    source = favourite[f];
                }
            }
            final AliasTable table = source < 0 ? catalog.all : catalog.byCluster[source];
            int movie = -1;
            for (int draw = 0; draw < MAX_DRAWS && movie < 0; draw++) {
                final int candidate = table.sample(rng);
                if (seen[candidate] != stamp && catalog.releases[candidate] <= end) {
                    movie = candidate;
                }
            }
            if (movie < 0) {
                movie = nextByPopularity(source, stamp, end);
            }
            seen[movie] = stamp;
            chosen[k] = movie;
        }
        Arrays.sort(chosen, 0, n);
    }

    private static int ratingCode(final double score, final boolean halfStars) {
        if (halfStars) {
            return (int) Math.max(1, Math.min(10, Math.round(score * 2)));
        }
        return 2 * (int) Math.max(1, Math.min(5, Math.round(score)));
    }

    /** A time inside the window but never before the movie's release. */
    private static long timestamp(final Rng rng, final long start, final long end, final long release) {
        final long lo = Math.max(start, Math.max(release, Catalog.FIRST_TIMESTAMP));
        long hi = end;
        if (hi < lo) {
            // Rated after the user's main window: a return visit some months after the release.
            hi = Math.min(Catalog.LAST_TIMESTAMP, lo + 180 * DAY);
        }
        return Math.min(hi, lo + (long) (rng.nextDouble() * (hi - lo + 1)));
    }

    /**
     * The most popular movie of a cluster (or of the catalogue, for -1) that the user has not
     * rated, preferably one released before the user's window ends. Busy users who have used up
     * the popular part of their taste continue down the popularity ranking, as real heavy raters
     * do; a uniform pick instead would flatten the long tail. Two cursors per ranking (past movies
     * seen, past movies seen or too recent) only move forward, so this is O(movies) per user.
     */
    private int nextByPopularity(final int cluster, final int stamp, final long end) {
        final int[] order = cluster < 0 ? catalog.byRank : catalog.clusterByRank[cluster];
        final int slot = cluster + 1;
        int cursor = releasedCursors[slot];
        while (cursor < order.length && (seen[order[cursor]] == stamp || catalog.releases[order[cursor]] > end)) {
            cursor++;
        }
        releasedCursors[slot] = cursor;
        if (cursor < order.length) {
            return order[cursor];
        }
        cursor = cursors[slot];
        while (cursor < order.length && seen[order[cursor]] == stamp) {
            cursor++;
        }
        cursors[slot] = cursor;
        return cursor < order.length ? order[cursor] : nextByPopularity(-1, stamp, end);
    }

    private int unseen(final Rng rng, final int stamp) {
        int movie = rng.nextInt(catalog.count);
        for (int steps = 0; seen[movie] == stamp; steps++) {
            if (steps == catalog.count) {
                throw new IllegalArgumentException(
                        "too many bad rows for user " + (stamp) + ": every movie is already used by one of its lines");
            }
            movie = movie + 1 == catalog.count ? 0 : movie + 1;
        }
        return movie;
    }

    private void writeRatings(
            final CsvOut out, final int u, final int n, final List<BadLine> bad, final List<InjectedBadRow> report)
            throws IOException {
        bad.sort(null);
        final long userId = u + 1L;
        int b = 0;
        for (int k = 0; k < n; k++) {
            final int movieId = catalog.ids[chosen[k]];
            while (b < bad.size() && bad.get(b).movieKey < movieId) {
                writeBad(out, bad.get(b++), MovieLensFileSet.RATINGS, report);
            }
            out.reserve(CsvOut.MAX_NUMERIC_LINE);
            out.number(userId).comma().number(movieId).comma();
            out.bytes(RATING_TEXT[codes[k]]).comma().number(timestamps[k]).endLine();
        }
        while (b < bad.size()) {
            writeBad(out, bad.get(b++), MovieLensFileSet.RATINGS, report);
        }
    }

    private void writeTags(
            final CsvOut out,
            final int u,
            final int n,
            final UserTaste taste,
            final List<BadLine> bad,
            final List<InjectedBadRow> report)
            throws IOException {
        final Rng rng = Rng.stream(config.randomSeed(), TAG, u);
        final int tags = tagCounts[u];
        final int tagged = Math.min(n, tags);
        final int extra = tags - tagged;
        // A partial shuffle of the user's rating positions picks the tagged movies; the ones picked
        // first also carry the extra second and third tags.
        for (int k = 0; k < n; k++) {
            tagPicks[k] = k;
        }
        for (int i = 0; i < tagged; i++) {
            final int j = i + rng.nextInt(n - i);
            final long swap = tagPicks[i];
            tagPicks[i] = tagPicks[j];
            tagPicks[j] = swap;
        }
        for (int i = 0; i < tagged; i++) {
            final int perMovie = 1 + (i < extra ? 1 : 0) + (i < extra - tagged ? 1 : 0);
            tagPicks[i] = tagPicks[i] << 2 | perMovie;
        }
        Arrays.sort(tagPicks, 0, tagged);

        bad.sort(null);
        final long userId = u + 1L;
        final byte[][] texts = taste.lowercaseTags() ? tagTextLower : tagText;
        final int[] picked = new int[3];
        int b = 0;
        for (int i = 0; i < tagged; i++) {
            final int k = (int) (tagPicks[i] >>> 2);
            final int perMovie = (int) (tagPicks[i] & 3);
            final int movie = chosen[k];
            final int movieId = catalog.ids[movie];
            while (b < bad.size() && bad.get(b).movieKey < movieId) {
                writeBad(out, bad.get(b++), MovieLensFileSet.TAGS, report);
            }
            for (int t = 0; t < perMovie; t++) {
                int tag = pickTag(rng, catalog.genres[movie]);
                for (int retry = 0; retry < 20 && contains(picked, t, tag); retry++) {
                    tag = pickTag(rng, catalog.genres[movie]);
                }
                for (int fallback = 0; contains(picked, t, tag); fallback++) {
                    tag = fallback;
                }
                picked[t] = tag;
                final long time = Math.min(Catalog.LAST_TIMESTAMP, timestamps[k] + rng.nextLong(0, 14 * DAY));
                out.reserve(CsvOut.MAX_NUMERIC_LINE);
                out.number(userId).comma().number(movieId).comma();
                out.bytes(texts[tag]);
                out.reserve(CsvOut.MAX_NUMERIC_LINE);
                out.comma().number(time).endLine();
            }
        }
        while (b < bad.size()) {
            writeBad(out, bad.get(b++), MovieLensFileSet.TAGS, report);
        }
    }

    private static boolean contains(final int[] values, final int length, final int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** Mostly a tag of one of the movie's genres, else a general tag. */
    private int pickTag(final Rng rng, final int genreMask) {
        if (genreMask != 0 && rng.chance(0.6)) {
            final int genreCount = Integer.bitCount(genreMask);
            int skip = rng.nextInt(genreCount);
            int genre = Integer.numberOfTrailingZeros(genreMask);
            for (int rest = genreMask; skip-- > 0; ) {
                rest &= rest - 1;
                genre = Integer.numberOfTrailingZeros(rest);
            }
            final int from = genreTagStart[genre];
            return from + rng.nextInt(genreTagStart[genre + 1] - from);
        }
        return rng.nextInt(generalTags);
    }

    private static void writeBad(
            final CsvOut out, final BadLine line, final String file, final List<InjectedBadRow> report)
            throws IOException {
        report.add(new InjectedBadRow(file, out.lines() + 1, line.kind));
        out.bytes(line.text);
        out.reserve(1);
        out.endLine();
    }

    /**
     * One bad rating line of the given kind for user u. Only the bad-row streams and the "seen"
     * stamps (already used up by the good rows) are touched, so good rows never change.
     */
    private BadLine badRating(
            final int u,
            final int n,
            final UserTaste taste,
            final RejectKind kind,
            final Rng rng,
            final List<BadLine> earlier) {
        final long userId = u + 1L;
        final int stamp = u + 1;
        final String rating = validRating(rng, taste);
        switch (kind) {
            case DUPLICATE_PAIR -> {
                int k = rng.nextInt(n);
                for (int retry = 0; retry < 50 && duplicated(earlier, catalog.ids[chosen[k]]); retry++) {
                    k = rng.nextInt(n);
                }
                final int movieId = catalog.ids[chosen[k]];
                final long time = Math.min(Catalog.LAST_TIMESTAMP, timestamps[k] + rng.nextLong(1, DAY));
                return new BadLine(movieId, kind, userId + "," + movieId + "," + rating + "," + time);
            }
            case UNKNOWN_MOVIE -> {
                int movieId = phantoms.unknown(rng);
                for (int retry = 0; retry < 50 && usesMovie(earlier, movieId); retry++) {
                    movieId = phantoms.unknown(rng);
                }
                final long time = rng.nextLong(taste.start(), taste.end());
                return new BadLine(movieId, kind, userId + "," + movieId + "," + rating + "," + time);
            }
            default -> {
                // The remaining kinds use a movie this user has not rated, so that they are never
                // duplicates as well.
                final int movie = unseen(rng, stamp);
                seen[movie] = stamp;
                final int movieId = catalog.ids[movie];
                final long time = timestamp(rng, taste.start(), taste.end(), catalog.releases[movie]);
                final String text = switch (kind) {
                    case WRONG_COLUMN_COUNT ->
                        switch (rng.nextInt(3)) {
                            case 0 -> userId + "," + movieId + "," + rating;
                            case 1 -> userId + "," + movieId + "," + rating + "," + time + ",";
                            default -> userId + "," + movieId;
                        };
                    case NON_NUMERIC_ID ->
                        switch (rng.nextInt(4)) {
                            case 0 -> "u" + userId + "," + movieId + "," + rating + "," + time;
                            case 1 -> userId + "," + movieId + "x," + rating + "," + time;
                            case 2 -> userId + ",NULL," + rating + "," + time;
                            default -> "abc," + movieId + "," + rating + "," + time;
                        };
                    case RATING_OUT_OF_RANGE ->
                        userId + "," + movieId + "," + OUT_OF_RANGE[rng.nextInt(OUT_OF_RANGE.length)] + "," + time;
                    case RATING_NOT_HALF_STEP ->
                        userId + "," + movieId + "," + NOT_HALF_STEP[rng.nextInt(NOT_HALF_STEP.length)] + "," + time;
                    case BAD_VALUE ->
                        userId + "," + movieId + "," + rating + ","
                                + NOT_A_TIMESTAMP[rng.nextInt(NOT_A_TIMESTAMP.length)];
                    default -> throw new IllegalStateException(kind + " does not go into ratings.csv");
                };
                return new BadLine(movieId, kind, text);
            }
        }
    }

    /** A wrong-column-count tag line on a movie user u rated. */
    private BadLine badTag(final int u, final int n, final Rng rng) {
        final int k = rng.nextInt(n);
        final int movieId = catalog.ids[chosen[k]];
        final long time = Math.min(Catalog.LAST_TIMESTAMP, timestamps[k] + rng.nextLong(0, DAY));
        final String text = rng.chance(0.5)
                ? (u + 1) + "," + movieId + "," + COMMA_TAGS[rng.nextInt(COMMA_TAGS.length)] + "," + time
                : (u + 1) + "," + movieId + "," + Words.GENERAL_TAGS[rng.nextInt(10)];
        return new BadLine(movieId, RejectKind.WRONG_COLUMN_COUNT, text);
    }

    private static String validRating(final Rng rng, final UserTaste taste) {
        final int code = taste.halfStars() ? 1 + rng.nextInt(10) : 2 * (1 + rng.nextInt(5));
        return new String(RATING_TEXT[code], StandardCharsets.US_ASCII);
    }

    private static boolean duplicated(final List<BadLine> earlier, final int movieId) {
        for (final BadLine line : earlier) {
            if (line.kind == RejectKind.DUPLICATE_PAIR && line.movieKey == movieId) {
                return true;
            }
        }
        return false;
    }

    private static boolean usesMovie(final List<BadLine> earlier, final int movieId) {
        for (final BadLine line : earlier) {
            if (line.movieKey == movieId) {
                return true;
            }
        }
        return false;
    }

    /** A bad line and the movieId that decides where it goes inside its user's block. */
    private static final class BadLine implements Comparable<BadLine> {
        final int movieKey;
        final RejectKind kind;
        final byte[] text;

        BadLine(final int movieKey, final RejectKind kind, final String text) {
            this.movieKey = movieKey;
            this.kind = kind;
            this.text = text.getBytes(StandardCharsets.UTF_8);
        }

        /** Stable sort by movie: lines of one movie keep their planned order. */
        @Override
        public int compareTo(final BadLine other) {
            return Integer.compare(movieKey, other.movieKey);
        }
    }
}
