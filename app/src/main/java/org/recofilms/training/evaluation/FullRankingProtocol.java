package org.recofilms.training.evaluation;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 *   <li>positives are ratings {@code > 3.5}, binarised; other ratings are dropped;
 *   <li>users with at least 5 positives, in ascending id order, are permuted with {@code np.random.seed(98765)};
 *       the last {@code heldOutUsers} are held out for the test, the {@code validationUsers} before them are
 *       Liang's validation users (not used here, and not trained on), the rest are training users;
 *   <li>the catalogue is the set of movies with a positive from a training user; held-out positives of other
 *       movies are dropped;
 *   <li>re-seeding with 98765, each held-out user (ascending id) with at least 5 positives gets
 *       {@code int(0.2 n)} of them, chosen as {@code permutation(n)[:size]}, as test items; the rest is the
 *       fold-in part.
 * </ol>
 *
 * Item-kNN is trained on the training users' positives plus the held-out users' fold-in positives (value 1.0), so
 * its {@code minRatings} counts positives there; its {@code positiveThreshold} is not applied again (the positives
 * are already chosen).
 * Each held-out user with a test item is scored over the whole catalogue with the fold-in items removed; equal
 * scores (the candidates a model gives no score, above all) rank by TopPop popularity in the training data, then
 * movie id, so no metric depends on id order. Metrics, averaged over those users: Recall@20 as hits / |test| and, as Liang defines
 * it, hits / min(20, |test|); Recall@50 (Liang's); NDCG@100 (binary, ideal DCG over min(100, |test|) ranks); and
 * catalogue coverage@20, the share of catalogue movies in at least one user's top 20. Baselines through the same
 * evaluator: the Bayesian popularity list computed on the training data (training users' ratings, all values,
 * plus held-out users' fold-in rows) and TopPop (positives per movie in the training data, the baseline Dacrema
 * et al. report).
 */
public final class FullRankingProtocol {

    /** Held-out users of Liang's ML-20M split, and the users it was drawn from. */
    private static final double LIANG_HELD_OUT_SHARE = 10_000.0 / 136_677.0;

    /** Liang splits a held-out user only from this many positives on (a literal in his notebook). */
    private static final int LIANG_MIN_ITEMS_TO_SPLIT = 5;

    /** Longest list any metric reads. */
    private static final int DEPTH = 100;

    /**
     * Split settings.
     *
     * @param positiveThreshold ratings strictly above this are positives (3.5)
     * @param minPositives users with fewer positives are dropped (5)
     * @param heldOutUsers test users; 0 means proportional to Liang's 10,000 of 136,677 (at least 1)
     * @param validationUsers Liang's validation users, set aside and never trained on; 0 for none
     * @param testFraction share of each held-out user's positives to predict (0.2)
     * @param randomSeed numpy random seed of both draws (98765)
     * @param parallelism scoring threads, 0 for one per processor
     */
    public record Config(
            float positiveThreshold,
            int minPositives,
            int heldOutUsers,
            int validationUsers,
            double testFraction,
            long randomSeed,
            int parallelism) {

        public Config {
            if (minPositives < 1 || heldOutUsers < 0 || validationUsers < 0 || parallelism < 0) {
                throw new IllegalArgumentException("counts must be >= 0 and minPositives >= 1");
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
            }
        }

        /** Liang's split with held-out users proportional to the data and no validation users. */
        public static Config defaults() {
            return new Config(3.5f, 5, 0, 0, 0.2, 98765, 0);
        }

        /** Liang's ML-20M split exactly: 10,000 test and 10,000 validation users. */
        public static Config liang2018() {
            return new Config(3.5f, 5, 10_000, 10_000, 0.2, 98765, 0);
        }

        /** A copy with another {@code heldOutUsers} (0: proportional). */
        public Config withHeldOutUsers(int value) {
            return new Config(
                    positiveThreshold, minPositives, value, validationUsers, testFraction, randomSeed, parallelism);
        }

        /** A copy with another {@code validationUsers}. */
        public Config withValidationUsers(int value) {
            return new Config(
                    positiveThreshold, minPositives, heldOutUsers, value, testFraction, randomSeed, parallelism);
        }

        /** A copy with another {@code parallelism}. */
        public Config withParallelism(int value) {
            return new Config(
                    positiveThreshold, minPositives, heldOutUsers, validationUsers, testFraction, randomSeed, value);
        }
    }

    /**
     * A split, ready for training and scoring. Arrays are shared, not copied.
     *
     * @param catalogue ascending movie ids that can be recommended
     * @param trainingPositives positives to train item-kNN on, value 1.0 (training users, then held-out fold-in)
     * @param trainingRatings raw rating rows of the training data, for popularity baselines
     * @param heldOutUserIds held-out users, ascending
     * @param foldIn catalogue positions each held-out user is known to like
     * @param test catalogue positions to predict
     * @param trainingUsers number of training users
     */
    public record Split(
            int[] catalogue,
            Ratings trainingPositives,
            Ratings trainingRatings,
            int[] heldOutUserIds,
            PerUser foldIn,
            PerUser test,
            int trainingUsers) {

        /** Positives per catalogue item in {@link #trainingPositives()}: the TopPop scores. */
        public double[] positiveCounts() {
            double[] counts = new double[catalogue.length];
            for (int movieId : trainingPositives.movieIds()) {
                counts[Arrays.binarySearch(catalogue, movieId)]++;
            }
            return counts;
        }
    }

    /**
     * Catalogue positions per held-out user, in CSR layout: user {@code s} (the index in
     * {@link Split#heldOutUserIds()}) has {@code positions[offsets[s]]} up to {@code positions[offsets[s + 1] - 1]}.
     */
    public record PerUser(int[] offsets, int[] positions) {}

    /** Metrics of item-kNN and both baselines on one split, with timings. */
    public record Report(
            FullRankingMetrics itemKnn,
            FullRankingMetrics bayesianPopularity,
            FullRankingMetrics topPopularity,
            NeighborLists model,
            long splitMillis,
            long trainMillis,
            long scoreMillis) {}

    private FullRankingProtocol() {}

    /** Splits, trains item-kNN with {@code params}, and evaluates it and both baselines. */
    public static Report run(Ratings ratings, ItemKnnParams params, Config config, ProgressListener listener) {
        long t0 = System.nanoTime();
        Split split = split(ratings, config, listener);
        long t1 = System.nanoTime();
        // The split's positives are already thresholded and binarised to 1.0: a positive threshold in the params
        // would drop them all (any threshold above 1), so it is turned off here.
        ItemKnnParams onPositives = params.positiveThreshold() > 0
                ? params.withPositiveOnly(0f, ItemKnnParams.PositiveValue.RATING)
                : params;
        NeighborLists model = new ItemKnnTrainer(onPositives).train(split.trainingPositives(), listener);
        long t2 = System.nanoTime();
        int threads = config.parallelism();
        FullRankingMetrics knn = evaluate(split, Scorers.itemKnn(model, split.catalogue()), threads, listener);
        FullRankingMetrics bayes = evaluate(
                split,
                Scorers.bayesianPopularity(BayesianPopularity.compute(split.trainingRatings()), split.catalogue()),
                threads,
                listener);
        FullRankingMetrics top = evaluate(split, Scorers.fixed(split.positiveCounts()), threads, listener);
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
        int heldOut = config.heldOutUsers() > 0
                ? config.heldOutUsers()
                : (int) Math.max(1, Math.round(eligible * LIANG_HELD_OUT_SHARE));
        int validation = config.validationUsers();
        if (heldOut + validation >= eligible) {
            throw new IllegalArgumentException("cannot hold out " + heldOut + " + " + validation + " of " + eligible
                    + " users with at least " + config.minPositives() + " positives");
        }

        // Roles: 0 dropped, 1 training, 2 validation, 3 held out.
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

        // Held-out users' catalogue positives, per user (ascending id), in row order.
        int[] slotOfUser = new int[nUsers];
        int[] heldOutUserIds = new int[heldOut];
        for (int u = 0, s = 0; u < nUsers; u++) {
            slotOfUser[u] = -1;
            if (role[u] == 3) {
                heldOutUserIds[s] = users.id(u);
                slotOfUser[u] = s++;
            }
        }
        int[] offsets = new int[heldOut + 1];
        for (int r = 0; r < n; r++) {
            int slot = slotOfUser[userOfRow[r]];
            if (slot >= 0 && ratingColumn[r] > threshold && catalogueOfMovie[movieOfRow[r]] >= 0) {
                offsets[slot + 1]++;
            }
        }
        for (int s = 0; s < heldOut; s++) {
            offsets[s + 1] += offsets[s];
        }
        int[] items = new int[offsets[heldOut]];
        int[] fill = Arrays.copyOf(offsets, heldOut);
        for (int r = 0; r < n; r++) {
            int slot = slotOfUser[userOfRow[r]];
            int c = catalogueOfMovie[movieOfRow[r]];
            if (slot >= 0 && ratingColumn[r] > threshold && c >= 0) {
                items[fill[slot]++] = c;
            }
        }

        // Liang's split_train_test_proportion: re-seeded, users in ascending id order.
        boolean[] isTest = new boolean[items.length];
        NumpyLegacyRandom rng = new NumpyLegacyRandom(config.randomSeed());
        for (int s = 0; s < heldOut; s++) {
            int count = offsets[s + 1] - offsets[s];
            if (count >= LIANG_MIN_ITEMS_TO_SPLIT) {
                int size = (int) (config.testFraction() * count);
                int[] p = rng.permutation(count);
                for (int k = 0; k < size; k++) {
                    isTest[offsets[s] + p[k]] = true;
                }
            }
        }
        int[] foldInOffsets = new int[heldOut + 1];
        int[] testOffsets = new int[heldOut + 1];
        for (int s = 0; s < heldOut; s++) {
            int tests = 0;
            for (int k = offsets[s]; k < offsets[s + 1]; k++) {
                if (isTest[k]) {
                    tests++;
                }
            }
            testOffsets[s + 1] = testOffsets[s] + tests;
            foldInOffsets[s + 1] = foldInOffsets[s] + (offsets[s + 1] - offsets[s] - tests);
        }
        int[] foldIn = new int[foldInOffsets[heldOut]];
        int[] test = new int[testOffsets[heldOut]];
        for (int s = 0; s < heldOut; s++) {
            for (int k = offsets[s], f = foldInOffsets[s], t = testOffsets[s]; k < offsets[s + 1]; k++) {
                if (isTest[k]) {
                    test[t++] = items[k];
                } else {
                    foldIn[f++] = items[k];
                }
            }
        }

        // Training data: training users' rows, then held-out users' fold-in rows (in row order).
        int positiveRows = 0;
        int ratingRows = 0;
        for (int r = 0; r < n; r++) {
            byte ro = role[userOfRow[r]];
            if (ro == 1) {
                ratingRows++;
                if (ratingColumn[r] > threshold) {
                    positiveRows++;
                }
            }
        }
        positiveRows += foldIn.length;
        ratingRows += foldIn.length;
        int[] posUsers = new int[positiveRows];
        int[] posMovies = new int[positiveRows];
        float[] posValues = new float[positiveRows];
        int[] allUsers = new int[ratingRows];
        int[] allMovies = new int[ratingRows];
        float[] allValues = new float[ratingRows];
        int p = 0;
        int a = 0;
        int[] cursor = Arrays.copyOf(offsets, heldOut);
        for (int pass = 0; pass < 2; pass++) {
            for (int r = 0; r < n; r++) {
                int u = userOfRow[r];
                boolean positive = ratingColumn[r] > threshold;
                boolean take;
                if (pass == 0) {
                    take = role[u] == 1;
                    if (take) {
                        allUsers[a] = userIdColumn[r];
                        allMovies[a] = movieIdColumn[r];
                        allValues[a++] = ratingColumn[r];
                    }
                } else {
                    int slot = slotOfUser[u];
                    take = slot >= 0 && positive && catalogueOfMovie[movieOfRow[r]] >= 0 && !isTest[cursor[slot]++];
                    if (take) {
                        allUsers[a] = userIdColumn[r];
                        allMovies[a] = movieIdColumn[r];
                        allValues[a++] = ratingColumn[r];
                    }
                }
                if (take && positive) {
                    posUsers[p] = userIdColumn[r];
                    posMovies[p] = movieIdColumn[r];
                    posValues[p++] = 1f;
                }
            }
        }
        listener.onProgress(TrainingPhase.SPLIT, n, n);
        return new Split(
                catalogue,
                new Ratings(posUsers, posMovies, posValues),
                new Ratings(allUsers, allMovies, allValues),
                heldOutUserIds,
                new PerUser(foldInOffsets, foldIn),
                new PerUser(testOffsets, test),
                trainingUsers);
    }

    /**
     * Scores every held-out user with a test item and averages the metrics. Equal scores (the zero-score
     * candidates above all) rank by TopPop popularity in the training data, then movie id.
     */
    public static FullRankingMetrics evaluate(Split split, Scorer scorer, int parallelism, ProgressListener listener) {
        int users = split.heldOutUserIds().length;
        double[] popularity = split.positiveCounts();
        int catalogueSize = split.catalogue().length;
        int[] foldInOffsets = split.foldIn().offsets();
        int[] foldIn = split.foldIn().positions();
        int[] testOffsets = split.test().offsets();
        int[] test = split.test().positions();
        double[] recall20 = new double[users];
        double[] truncatedRecall20 = new double[users];
        double[] truncatedRecall50 = new double[users];
        double[] ndcg100 = new double[users];
        boolean[] evaluated = new boolean[users];
        int threads = Math.max(
                1,
                Math.min(
                        users,
                        parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors()));
        boolean[][] covered = new boolean[threads][];
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        listener.onProgress(TrainingPhase.SCORING, 0, users);
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
                    while ((start = next.getAndAdd(64)) < users) {
                        int stop = Math.min(users, start + 64);
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
                () -> listener.onProgress(TrainingPhase.SCORING, done.get(), users));
        listener.onProgress(TrainingPhase.SCORING, users, users);
        // Sums in user order, so the result does not depend on the threads.
        int count = 0;
        double r20 = 0;
        double tr20 = 0;
        double tr50 = 0;
        double n100 = 0;
        for (int s = 0; s < users; s++) {
            if (evaluated[s]) {
                count++;
                r20 += recall20[s];
                tr20 += truncatedRecall20[s];
                tr50 += truncatedRecall50[s];
                n100 += ndcg100[s];
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
        if (count == 0) {
            return new FullRankingMetrics(0, 0, 0, 0, 0, 0, catalogueSize);
        }
        return new FullRankingMetrics(
                r20 / count,
                tr20 / count,
                tr50 / count,
                n100 / count,
                catalogueSize == 0 ? 0 : (double) coveredItems / catalogueSize,
                count,
                catalogueSize);
    }
}
