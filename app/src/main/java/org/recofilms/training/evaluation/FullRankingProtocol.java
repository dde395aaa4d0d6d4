package org.recofilms.training.evaluation;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.recofilms.platform.RecoConfig;
import org.recofilms.training.BayesianPopularity;
import org.recofilms.training.IdIndex;
import org.recofilms.training.ItemKnnParams;
import org.recofilms.training.ItemKnnTrainer;
import org.recofilms.training.NeighborLists;
import org.recofilms.training.Parallel;
import org.recofilms.training.ProgressListener;
import org.recofilms.training.Ratings;
import org.recofilms.training.TrainingPhase;

/**
 * Full-catalogue ranking on the split of Liang et al. 2018 (Mult-VAE), also used by Dacrema et al. 2019, so that
 * the model can be placed against published MovieLens 20M results.
 *
 * <p>The split follows the preprocessing of Liang's {@code VAE_ML20M_WWW2018} notebook (dawenl/vae_cf), with numpy's
 * generator reproduced bit for bit ({@link NumpyLegacyRandom}), so that on ML-20M's ratings.csv, in file order, with
 * {@link Config#liang2018()}, the held-out users and their fold-in / test items are Liang's (checked against that
 * code on generated data):
 *
 * <ol>
 *   <li>positives are ratings {@code > 3.5}, binarised;
 *   <li>users with at least 5 positives, in ascending id order, are permuted with {@code np.random.seed(98765)};
 *       the last {@code testUsers} are the test users, the {@code validationUsers} before them the validation
 *       users, the rest are training users;
 *   <li>the catalogue is the set of movies with a positive from a training user; held-out positives of other
 *       movies are not predicted;
 *   <li>for each held-out set (validation, then test) re-seeding with 98765, each of its users (ascending id)
 *       with at least 5 catalogue positives gets {@code int(0.2 n)} of them, chosen as
 *       {@code permutation(n)[:size]}, as held-out items; the rest is the fold-in part.
 * </ol>
 *
 * <p>Sizing ({@link Sizing}): by default the test users are the larger of the proportional share (Liang's 10,000
 * of 136,677) and min(20% of the eligible users, 1,000), so that a small data set still evaluates enough users
 * for the standard error to be smaller than the differences to decide; the validation users are as many, and
 * disjoint. Tuning scores {@link Users#VALIDATION}, the chosen model is scored once on {@link Users#TEST}.
 *
 * <p>Training data, the same whichever set is scored: {@link Split#trainingRatings()} is every rating row except
 * the held-out items of both sets (raw values: what the served trainer reads, so item-kNN here is the served
 * recipe, {@code minRatings} counted over all ratings and its positive threshold applied as in serving);
 * {@link Split#trainingPositives()} is the binarised view of Liang's protocol (training users' positives plus both
 * sets' fold-in positives, value 1.0), for the families trained on implicit data.
 *
 * <p>Scoring: each held-out user with a held-out item is scored over the whole catalogue with the fold-in items
 * removed (the user's other rated movies are not removed, as in Liang's protocol: this is the one difference with
 * a served list, which leaves out every seen movie); equal scores (the candidates a model gives no score, above
 * all) rank by TopPop popularity in the training data, then movie id, so no metric depends on id order. Metrics
 * per user (see {@link FullRankingMetrics}), with their means and standard errors over users. Baselines through
 * the same evaluator: the Bayesian popularity list of the training ratings and TopPop (positives per movie in the
 * training positives, the baseline Dacrema et al. report).
 */
public final class FullRankingProtocol {

    /** Held-out users of Liang's ML-20M split, and the users it was drawn from. */
    private static final double LIANG_HELD_OUT_SHARE = 10_000.0 / 136_677.0;

    /** Liang splits a held-out user only from this many positives on (a literal in his notebook). */
    private static final int LIANG_MIN_ITEMS_TO_SPLIT = 5;

    /** Longest list any metric reads. */
    private static final int DEPTH = 100;

    /** Which held-out users to score. */
    public enum Users {
        /** For choosing parameters: never the users the chosen model is reported on. */
        VALIDATION,
        /** For the model's reported metrics and promotion. */
        TEST
    }

    /**
     * How many users are held out.
     *
     * @param testUsers test users; 0 for the rule: max(proportional share, min(floorShare x eligible, floorUsers))
     * @param validationUsers validation users; {@link #SAME_AS_TEST} for as many as the test users (when they fit),
     *     0 for none
     * @param floorShare share of the eligible users the rule's floor takes (0.2)
     * @param floorUsers cap of the rule's floor (1,000)
     */
    public record Sizing(int testUsers, int validationUsers, double floorShare, int floorUsers) {

        /** {@link #validationUsers()} for "as many as the test users". */
        public static final int SAME_AS_TEST = -1;

        public Sizing {
            if (testUsers < 0 || validationUsers < SAME_AS_TEST || floorUsers < 0) {
                throw new IllegalArgumentException("user counts must be >= 0 (validation: -1 for as many as test)");
            }
            if (!(floorShare >= 0 && floorShare < 0.5)) {
                throw new IllegalArgumentException("floorShare must be in [0, 0.5), got " + floorShare);
            }
        }

        /** The rule, validation users as many as test users. */
        public static Sizing defaults() {
            return new Sizing(0, SAME_AS_TEST, 0.2, 1_000);
        }

        /** Test users among {@code eligible} users with enough positives. */
        public int testUsersOf(int eligible) {
            if (testUsers > 0) {
                return testUsers;
            }
            int proportional = (int) Math.max(1, Math.round(eligible * LIANG_HELD_OUT_SHARE));
            int floor = (int) Math.min((long) (floorShare * eligible), floorUsers);
            return Math.max(proportional, floor);
        }

        /** Validation users among {@code eligible} users, given {@code test} test users. */
        public int validationUsersOf(int eligible, int test) {
            if (validationUsers != SAME_AS_TEST) {
                return validationUsers;
            }
            // as many as the test users, but at least one training user must remain
            return Math.max(0, Math.min(test, eligible - test - 1));
        }
    }

    /**
     * Split settings.
     *
     * @param positiveThreshold ratings strictly above this are positives (3.5)
     * @param minPositives users with fewer positives are never held out (5)
     * @param sizing how many test and validation users
     * @param testFraction share of each held-out user's positives to predict (0.2)
     * @param randomSeed numpy random seed of the draws (98765)
     * @param parallelism scoring threads, 0 for one per processor
     */
    public record Config(
            float positiveThreshold,
            int minPositives,
            Sizing sizing,
            double testFraction,
            long randomSeed,
            int parallelism) {

        public Config {
            if (minPositives < 1 || parallelism < 0) {
                throw new IllegalArgumentException("minPositives must be >= 1 and parallelism >= 0");
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
            }
            java.util.Objects.requireNonNull(sizing, "sizing");
        }

        /** Liang's split, sized by the rule, with as many validation users as test users. */
        public static Config defaults() {
            return new Config(3.5f, 5, Sizing.defaults(), 0.2, 98765, 0);
        }

        /** Liang's ML-20M split exactly: 10,000 test and 10,000 validation users. */
        public static Config liang2018() {
            return defaults().withSizing(new Sizing(10_000, 10_000, 0.2, 1_000));
        }

        /** Liang's split sized by the {@code reco.training.full-ranking.*} keys. */
        public static Config from(RecoConfig.FullRanking keys, int parallelism) {
            return defaults()
                    .withSizing(
                            new Sizing(keys.testUsers(), keys.validationUsers(), keys.floorShare(), keys.floorUsers()))
                    .withParallelism(parallelism);
        }

        /** A copy with other sizing. */
        public Config withSizing(Sizing value) {
            return new Config(positiveThreshold, minPositives, value, testFraction, randomSeed, parallelism);
        }

        /** A copy with another number of test users (0: the rule). */
        public Config withHeldOutUsers(int value) {
            return withSizing(new Sizing(value, sizing.validationUsers(), sizing.floorShare(), sizing.floorUsers()));
        }

        /** A copy with another number of validation users ({@link Sizing#SAME_AS_TEST}: as many as test). */
        public Config withValidationUsers(int value) {
            return withSizing(new Sizing(sizing.testUsers(), value, sizing.floorShare(), sizing.floorUsers()));
        }

        /** A copy with another {@code parallelism}. */
        public Config withParallelism(int value) {
            return new Config(positiveThreshold, minPositives, sizing, testFraction, randomSeed, value);
        }
    }

    /**
     * Catalogue positions per held-out user, in CSR layout: user {@code s} (the index in
     * {@link HeldOut#userIds()}) has {@code positions[offsets[s]]} up to {@code positions[offsets[s + 1] - 1]}.
     */
    public record PerUser(int[] offsets, int[] positions) {}

    /**
     * One set of held-out users.
     *
     * @param userIds the users, ascending
     * @param foldIn catalogue positions each user is known to like (in the training data)
     * @param heldOut catalogue positions to predict (never in the training data)
     * @param fingerprint hash of the users, the catalogue and their items: two evaluations with the same
     *     fingerprint scored the same users on the same items, so they can be compared user by user
     */
    public record HeldOut(int[] userIds, PerUser foldIn, PerUser heldOut, String fingerprint) {

        /** A set whose fingerprint is computed from its content and {@code catalogue}. */
        public static HeldOut of(int[] catalogue, int[] userIds, PerUser foldIn, PerUser heldOut) {
            return new HeldOut(
                    userIds, foldIn, heldOut, FullRankingProtocol.fingerprint(catalogue, userIds, foldIn, heldOut));
        }

        /** No users. */
        static HeldOut empty() {
            return of(new int[0], new int[0], new PerUser(new int[1], new int[0]), new PerUser(new int[1], new int[0]));
        }
    }

    /**
     * A split, ready for training and scoring. Arrays are shared, not copied.
     *
     * @param catalogue ascending movie ids that can be recommended
     * @param trainingPositives positives to train implicit models on, value 1.0 (training users, then both
     *     held-out sets' fold-in)
     * @param trainingRatings every rating row except the held-out items, raw values: the served trainers' input
     * @param testUsers the users the reported metrics are measured on
     * @param validationUsers the users tuning is measured on
     * @param trainingUsers number of training users
     */
    public record Split(
            int[] catalogue,
            Ratings trainingPositives,
            Ratings trainingRatings,
            HeldOut testUsers,
            HeldOut validationUsers,
            int trainingUsers) {

        /** The held-out set {@code users}. */
        public HeldOut heldOut(Users users) {
            return users == Users.TEST ? testUsers : validationUsers;
        }

        /** The test users' ids, ascending. */
        public int[] heldOutUserIds() {
            return testUsers.userIds();
        }

        /** The test users' fold-in items. */
        public PerUser foldIn() {
            return testUsers.foldIn();
        }

        /** The test users' items to predict. */
        public PerUser test() {
            return testUsers.heldOut();
        }

        /** Positives per catalogue item in {@link #trainingPositives()}: the TopPop scores. */
        public double[] positiveCounts() {
            double[] counts = new double[catalogue.length];
            for (int movieId : trainingPositives.movieIds()) {
                counts[Arrays.binarySearch(catalogue, movieId)]++;
            }
            return counts;
        }
    }

    /** Metrics of item-kNN and both baselines on one held-out set, with timings. */
    public record Report(
            FullRankingMetrics itemKnn,
            FullRankingMetrics bayesianPopularity,
            FullRankingMetrics topPopularity,
            NeighborLists model,
            long splitMillis,
            long trainMillis,
            long scoreMillis) {

        /**
         * The run-tracking metrics: item-kNN's under {@code full_} ({@code full_ndcg_100}, {@code full_ndcg_100_se},
         * ...), the baselines' under {@code popularity_full_} and {@code toppop_full_}.
         */
        public Map<String, Double> metrics() {
            Map<String, Double> map = new java.util.LinkedHashMap<>();
            itemKnn.asMap().forEach((k, v) -> map.put("full_" + k, v));
            bayesianPopularity.asMap().forEach((k, v) -> map.put("popularity_full_" + k, v));
            topPopularity.asMap().forEach((k, v) -> map.put("toppop_full_" + k, v));
            return map;
        }
    }

    private FullRankingProtocol() {}

    /** Splits, trains item-kNN with {@code params}, and evaluates it and both baselines on the test users. */
    public static Report run(Ratings ratings, ItemKnnParams params, Config config, ProgressListener listener) {
        return run(ratings, params, config, Users.TEST, listener);
    }

    /**
     * Splits, trains item-kNN with {@code params} as the served model is trained (the same trainer and
     * parameters on the raw training ratings), and evaluates it and both baselines on {@code users}.
     */
    public static Report run(
            Ratings ratings, ItemKnnParams params, Config config, Users users, ProgressListener listener) {
        long t0 = System.nanoTime();
        Split split = split(ratings, config, listener);
        long t1 = System.nanoTime();
        NeighborLists model = new ItemKnnTrainer(params).train(split.trainingRatings(), listener);
        long t2 = System.nanoTime();
        int threads = config.parallelism();
        FullRankingMetrics knn = evaluate(split, users, Scorers.itemKnn(model, split.catalogue()), threads, listener);
        FullRankingMetrics bayes = evaluate(
                split,
                users,
                Scorers.bayesianPopularity(BayesianPopularity.compute(split.trainingRatings()), split.catalogue()),
                threads,
                listener);
        FullRankingMetrics top = evaluate(split, users, Scorers.fixed(split.positiveCounts()), threads, listener);
        long t3 = System.nanoTime();
        return new Report(knn, bayes, top, model, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
    }

    /** Builds Liang's split of {@code ratings} (see the class comment). */
    public static Split split(Ratings ratings, Config config, ProgressListener listener) {
        int n = ratings.size();
        int[] userIdColumn = ratings.userIds();
        int[] movieIdColumn = ratings.movieIds();
        float[] ratingColumn = ratings.ratings();
        float threshold = config.positiveThreshold();
        listener.onProgress(TrainingPhase.SPLIT, 0, n);
        IdIndex users = IdIndex.of(userIdColumn);
        IdIndex movies = IdIndex.of(movieIdColumn);
        int nUsers = users.size();
        int[] userOfRow = new int[n];
        int[] positives = new int[nUsers];
        for (int r = 0; r < n; r++) {
            int u = users.indexOf(userIdColumn[r]);
            userOfRow[r] = u;
            if (ratingColumn[r] > threshold) {
                positives[u]++;
            }
        }
        int eligible = 0;
        for (int u = 0; u < nUsers; u++) {
            if (positives[u] >= config.minPositives()) {
                eligible++;
            }
        }
        int[] eligibleUsers = new int[eligible];
        for (int u = 0, k = 0; u < nUsers; u++) {
            if (positives[u] >= config.minPositives()) {
                eligibleUsers[k++] = u;
            }
        }
        int heldOut = config.sizing().testUsersOf(eligible);
        int validation = config.sizing().validationUsersOf(eligible, heldOut);
        if (heldOut + validation >= eligible) {
            throw new IllegalArgumentException("cannot hold out " + heldOut + " + " + validation + " of " + eligible
                    + " users with at least " + config.minPositives() + " positives");
        }

        // Roles: 0 never held out (too few positives), 1 training, 2 validation, 3 test.
        byte[] role = new byte[nUsers];
        int[] perm = new NumpyLegacyRandom(config.randomSeed()).permutation(eligible);
        int trainingUsers = eligible - heldOut - validation;
        for (int i = 0; i < eligible; i++) {
            role[eligibleUsers[perm[i]]] = (byte) (i < trainingUsers ? 1 : i < trainingUsers + validation ? 2 : 3);
        }

        // Catalogue: movies with a positive from a training user.
        boolean[] inCatalogue = new boolean[movies.size()];
        int[] movieOfRow = new int[n];
        for (int r = 0; r < n; r++) {
            int m = movies.indexOf(movieIdColumn[r]);
            movieOfRow[r] = m;
            if (role[userOfRow[r]] == 1 && ratingColumn[r] > threshold) {
                inCatalogue[m] = true;
            }
        }
        int catalogueSize = 0;
        for (boolean b : inCatalogue) {
            if (b) {
                catalogueSize++;
            }
        }
        int[] catalogue = new int[catalogueSize];
        int[] catalogueOfMovie = new int[movies.size()];
        for (int m = 0, c = 0; m < movies.size(); m++) {
            catalogueOfMovie[m] = inCatalogue[m] ? c : -1;
            if (inCatalogue[m]) {
                catalogue[c++] = movies.id(m);
            }
        }

        Rows rows = new Rows(users, userOfRow, movieOfRow, ratingColumn, threshold, catalogueOfMovie, role);
        boolean[] heldOutRow = new boolean[n];
        // Liang splits the validation users first, then the test users, each call re-seeded
        HeldOut validationSet = holdOut(rows, (byte) 2, validation, catalogue, config, heldOutRow);
        HeldOut testSet = holdOut(rows, (byte) 3, heldOut, catalogue, config, heldOutRow);

        // Positives: training users' positives, then held-out users' fold-in positives, in row order.
        int positiveRows = 0;
        int ratingRows = 0;
        for (int r = 0; r < n; r++) {
            if (heldOutRow[r]) {
                continue;
            }
            ratingRows++;
            if (rows.isTrainingPositive(r, 1) || rows.isTrainingPositive(r, 2)) {
                positiveRows++;
            }
        }
        int[] posUsers = new int[positiveRows];
        int[] posMovies = new int[positiveRows];
        float[] posValues = new float[positiveRows];
        int p = 0;
        for (int pass = 1; pass <= 2; pass++) {
            for (int r = 0; r < n; r++) {
                if (!heldOutRow[r] && rows.isTrainingPositive(r, pass)) {
                    posUsers[p] = userIdColumn[r];
                    posMovies[p] = movieIdColumn[r];
                    posValues[p++] = 1f;
                }
            }
        }
        int[] allUsers = new int[ratingRows];
        int[] allMovies = new int[ratingRows];
        float[] allValues = new float[ratingRows];
        for (int r = 0, a = 0; r < n; r++) {
            if (!heldOutRow[r]) {
                allUsers[a] = userIdColumn[r];
                allMovies[a] = movieIdColumn[r];
                allValues[a++] = ratingColumn[r];
            }
        }
        listener.onProgress(TrainingPhase.SPLIT, n, n);
        return new Split(
                catalogue,
                new Ratings(posUsers, posMovies, posValues),
                new Ratings(allUsers, allMovies, allValues),
                testSet,
                validationSet,
                trainingUsers);
    }

    /** The split's view of the rating rows. */
    private record Rows(
            IdIndex users,
            int[] userOfRow,
            int[] movieOfRow,
            float[] ratings,
            float threshold,
            int[] catalogueOfMovie,
            byte[] role) {

        /** Pass 1: a training user's positive; pass 2: a held-out user's catalogue positive (before removal). */
        boolean isTrainingPositive(int r, int pass) {
            byte ro = role[userOfRow[r]];
            boolean positive = ratings[r] > threshold;
            return pass == 1
                    ? ro == 1 && positive
                    : (ro == 2 || ro == 3) && positive && catalogueOfMovie[movieOfRow[r]] >= 0;
        }
    }

    /**
     * Liang's {@code split_train_test_proportion} on the users of {@code wanted} role: re-seeded, users in
     * ascending id order, each user's catalogue positives in row order; marks the held-out rows.
     */
    private static HeldOut holdOut(
            Rows rows, byte wanted, int count, int[] catalogue, Config config, boolean[] heldOutRow) {
        if (count == 0) {
            return HeldOut.empty();
        }
        int n = rows.userOfRow().length;
        int nUsers = rows.users().size();
        int[] slotOfUser = new int[nUsers];
        int[] userIds = new int[count];
        for (int u = 0, s = 0; u < nUsers; u++) {
            slotOfUser[u] = -1;
            if (rows.role()[u] == wanted) {
                userIds[s] = rows.users().id(u);
                slotOfUser[u] = s++;
            }
        }
        int[] offsets = new int[count + 1];
        for (int r = 0; r < n; r++) {
            int slot = slotOfUser[rows.userOfRow()[r]];
            if (slot >= 0 && rows.isTrainingPositive(r, 2)) {
                offsets[slot + 1]++;
            }
        }
        for (int s = 0; s < count; s++) {
            offsets[s + 1] += offsets[s];
        }
        int[] items = new int[offsets[count]];
        int[] rowOfItem = new int[offsets[count]];
        int[] fill = Arrays.copyOf(offsets, count);
        for (int r = 0; r < n; r++) {
            int slot = slotOfUser[rows.userOfRow()[r]];
            if (slot >= 0 && rows.isTrainingPositive(r, 2)) {
                rowOfItem[fill[slot]] = r;
                items[fill[slot]++] = rows.catalogueOfMovie()[rows.movieOfRow()[r]];
            }
        }
        boolean[] isTest = new boolean[items.length];
        NumpyLegacyRandom rng = new NumpyLegacyRandom(config.randomSeed());
        for (int s = 0; s < count; s++) {
            int size = offsets[s + 1] - offsets[s];
            if (size >= LIANG_MIN_ITEMS_TO_SPLIT) {
                int take = (int) (config.testFraction() * size);
                int[] perm = rng.permutation(size);
                for (int k = 0; k < take; k++) {
                    isTest[offsets[s] + perm[k]] = true;
                }
            }
        }
        int[] foldInOffsets = new int[count + 1];
        int[] testOffsets = new int[count + 1];
        for (int s = 0; s < count; s++) {
            int tests = 0;
            for (int k = offsets[s]; k < offsets[s + 1]; k++) {
                if (isTest[k]) {
                    tests++;
                }
            }
            testOffsets[s + 1] = testOffsets[s] + tests;
            foldInOffsets[s + 1] = foldInOffsets[s] + (offsets[s + 1] - offsets[s] - tests);
        }
        int[] foldIn = new int[foldInOffsets[count]];
        int[] test = new int[testOffsets[count]];
        for (int s = 0; s < count; s++) {
            for (int k = offsets[s], f = foldInOffsets[s], t = testOffsets[s]; k < offsets[s + 1]; k++) {
                if (isTest[k]) {
                    test[t++] = items[k];
                    heldOutRow[rowOfItem[k]] = true;
                } else {
                    foldIn[f++] = items[k];
                }
            }
        }
        return HeldOut.of(catalogue, userIds, new PerUser(foldInOffsets, foldIn), new PerUser(testOffsets, test));
    }

    /** SHA-256 of the catalogue ids, then each user's id, fold-in and held-out movie ids; 16 hex digits. */
    static String fingerprint(int[] catalogue, int[] userIds, PerUser foldIn, PerUser heldOut) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        IntSink sink = v -> {
            if (buffer.remaining() < 4) {
                sha.update(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            buffer.putInt(v);
        };
        sink.put(catalogue.length);
        for (int id : catalogue) {
            sink.put(id);
        }
        for (int s = 0; s < userIds.length; s++) {
            sink.put(userIds[s]);
            for (PerUser part : new PerUser[] {foldIn, heldOut}) {
                sink.put(-1 - (part.offsets()[s + 1] - part.offsets()[s]));
                for (int k = part.offsets()[s]; k < part.offsets()[s + 1]; k++) {
                    sink.put(catalogue[part.positions()[k]]);
                }
            }
        }
        sha.update(buffer.array(), 0, buffer.position());
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    @FunctionalInterface
    private interface IntSink {
        void put(int value);
    }

    /** {@link #evaluate(Split, Users, Scorer, int, ProgressListener)} on the test users. */
    public static FullRankingMetrics evaluate(Split split, Scorer scorer, int parallelism, ProgressListener listener) {
        return evaluate(split, Users.TEST, scorer, parallelism, listener);
    }

    /**
     * Scores every user of the {@code users} set with a held-out item and keeps each one's metrics. Equal scores
     * (the zero-score candidates above all) rank by TopPop popularity in the training data, then movie id.
     */
    public static FullRankingMetrics evaluate(
            Split split, Users users, Scorer scorer, int parallelism, ProgressListener listener) {
        HeldOut set = split.heldOut(users);
        int count = set.userIds().length;
        double[] popularity = split.positiveCounts();
        int catalogueSize = split.catalogue().length;
        int[] foldInOffsets = set.foldIn().offsets();
        int[] foldIn = set.foldIn().positions();
        int[] testOffsets = set.heldOut().offsets();
        int[] test = set.heldOut().positions();
        double[] recall20 = new double[count];
        double[] truncatedRecall20 = new double[count];
        double[] truncatedRecall50 = new double[count];
        double[] ndcg100 = new double[count];
        boolean[] evaluated = new boolean[count];
        int threads = Math.max(
                1,
                Math.min(
                        count,
                        parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors()));
        boolean[][] covered = new boolean[threads][];
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        listener.onProgress(TrainingPhase.SCORING, 0, count);
        Parallel.run(
                threads,
                "full-ranking",
                worker -> {
                    double[] scores = new double[catalogueSize];
                    boolean[] excluded = new boolean[catalogueSize];
                    boolean[] relevant = new boolean[catalogueSize];
                    boolean[] recommended = new boolean[catalogueSize];
                    covered[worker] = recommended;
                    int[] history = new int[catalogueSize];
                    int[] top = new int[DEPTH];
                    double[] topScores = new double[DEPTH];
                    int start;
                    while ((start = next.getAndAdd(64)) < count) {
                        int stop = Math.min(count, start + 64);
                        for (int s = start; s < stop; s++) {
                            int testCount = testOffsets[s + 1] - testOffsets[s];
                            if (testCount == 0) {
                                continue;
                            }
                            int historyLength = 0;
                            for (int k = foldInOffsets[s]; k < foldInOffsets[s + 1]; k++) {
                                history[historyLength++] = foldIn[k];
                                excluded[foldIn[k]] = true;
                            }
                            for (int k = testOffsets[s]; k < testOffsets[s + 1]; k++) {
                                relevant[test[k]] = true;
                            }
                            scorer.score(history, historyLength, scores);
                            int length = TopN.select(
                                    scores, popularity, catalogueSize, excluded, false, DEPTH, top, topScores);
                            recall20[s] = RankingMetrics.recall(20, top, length, relevant, testCount);
                            truncatedRecall20[s] = RankingMetrics.truncatedRecall(20, top, length, relevant, testCount);
                            truncatedRecall50[s] = RankingMetrics.truncatedRecall(50, top, length, relevant, testCount);
                            ndcg100[s] = RankingMetrics.ndcg(DEPTH, top, length, relevant, testCount);
                            evaluated[s] = true;
                            for (int k = 0; k < Math.min(20, length); k++) {
                                recommended[top[k]] = true;
                            }
                            Arrays.fill(scores, 0);
                            for (int k = 0; k < historyLength; k++) {
                                excluded[history[k]] = false;
                            }
                            for (int k = testOffsets[s]; k < testOffsets[s + 1]; k++) {
                                relevant[test[k]] = false;
                            }
                        }
                        done.addAndGet(stop - start);
                    }
                },
                listener.intervalMillis(),
                () -> listener.onProgress(TrainingPhase.SCORING, done.get(), count));
        listener.onProgress(TrainingPhase.SCORING, count, count);
        // Kept in user order, so the result does not depend on the threads.
        int scored = 0;
        for (boolean e : evaluated) {
            if (e) {
                scored++;
            }
        }
        int[] ids = new int[scored];
        Map<FullRankingMetrics.Metric, double[]> values = new EnumMap<>(FullRankingMetrics.Metric.class);
        double[][] columns = {recall20, truncatedRecall20, truncatedRecall50, ndcg100};
        FullRankingMetrics.Metric[] metrics = {
            FullRankingMetrics.Metric.RECALL_20,
            FullRankingMetrics.Metric.RECALL_20_TRUNCATED,
            FullRankingMetrics.Metric.RECALL_50_TRUNCATED,
            FullRankingMetrics.Metric.NDCG_100
        };
        for (FullRankingMetrics.Metric m : metrics) {
            values.put(m, new double[scored]);
        }
        for (int s = 0, k = 0; s < count; s++) {
            if (evaluated[s]) {
                ids[k] = set.userIds()[s];
                for (int c = 0; c < metrics.length; c++) {
                    values.get(metrics[c])[k] = columns[c][s];
                }
                k++;
            }
        }
        int coveredItems = 0;
        for (int c = 0; c < catalogueSize; c++) {
            for (boolean[] perThread : covered) {
                if (perThread != null && perThread[c]) {
                    coveredItems++;
                    break;
                }
            }
        }
        double coverage = scored == 0 || catalogueSize == 0 ? 0 : (double) coveredItems / catalogueSize;
        return new FullRankingMetrics(users, set.fingerprint(), ids, values, coverage, catalogueSize);
    }
}
