package org.recofilms.training.evaluation;

import java.util.Arrays;
import org.recofilms.training.IdIndex;
import org.recofilms.training.ItemKnnParams;
import org.recofilms.training.ItemKnnTrainer;
import org.recofilms.training.NeighborLists;
import org.recofilms.training.ProgressListener;
import org.recofilms.training.Ratings;
import org.recofilms.training.TrainingPhase;

/**
 * The seed's offline evaluation, step for step, so that our numbers compare with the seed's.
 *
 * <p>Matched against the seed's {@code src/models/train_model2.py} (DataScientest-Studio/sep25_bmle_mlops_reco_films,
 * "Reco Films MLOps"), functions {@code train_item_based_cf}, {@code precision_at_10}, {@code recall_at_10} and
 * {@code ndcg_at_10}:
 *
 * <ol>
 *   <li>keep the rows of movies with at least {@code min_ratings} rows;
 *   <li>{@code train_test_split(ratings, test_size=0.2, random_state=42)}: rows are permuted with numpy's
 *       {@code RandomState(42)} (reproduced bit for bit by {@link NumpyLegacyRandom}), the first
 *       {@code ceil(0.2 n)} permuted rows are the test set and the rest the training set, so on the same rows in
 *       the same order the split is the seed's own;
 *   <li>item-kNN trained on the training rows (every movie of the training rows, no second filter);
 *   <li>the sample is {@code test["userId"].unique()[:1000]}: the first 1000 distinct users in the order of the
 *       (shuffled) test rows, not the 1000 smallest user ids;
 *   <li>for each sampled user, history = all the user's training movies (every rating, no 4-star threshold) and
 *       truth = all the user's test movies (every rating, relevance is not thresholded either); users without
 *       history are skipped, as the seed does; score = sum of neighbour similarities over the history, history
 *       movies excluded, only movies reached by some neighbour; top 10;
 *   <li>precision_10 = hits / 10, recall_10 = hits / |truth|, ndcg_10 = binary DCG over the top 10 divided by the
 *       ideal DCG over min(|truth|, 10) ranks, each averaged over the evaluated users.
 * </ol>
 *
 * Known differences: equal scores are ordered by movie id here, while the seed kept Python's dict insertion order
 * (which follows set iteration order); the seed padded neighbour lists with zero-similarity movies, which could
 * fill a top 10 that had fewer than 10 reached movies, and here such lists stay short (the padding was arbitrary).
 */
public final class SeedProtocol {

    /**
     * Protocol settings.
     *
     * @param testSize share of rows in the test set (seed: 0.2)
     * @param randomState numpy seed of the split (seed: 42)
     * @param sampleUsers users evaluated, in order of first appearance in the test rows (seed: 1000)
     * @param k list length (seed: 10)
     */
    public record Config(double testSize, long randomState, int sampleUsers, int k) {

        public Config {
            if (!(testSize > 0 && testSize < 1)) {
                throw new IllegalArgumentException("testSize must be in (0, 1), got " + testSize);
            }
            if (sampleUsers < 1 || k < 1) {
                throw new IllegalArgumentException("sampleUsers and k must be >= 1");
            }
        }

        /** The seed's settings: 0.2, 42, 1000 users, top 10. */
        public static Config seed() {
            return new Config(0.2, 42, 1000, 10);
        }
    }

    /**
     * Metrics with the model they were measured on (the item-kNN lists; null when the model came from a
     * {@link Trainer}), and where the time went.
     */
    public record Result(
            SeedMetrics metrics, NeighborLists model, long splitMillis, long trainMillis, long scoreMillis) {}

    /**
     * A model as the protocol scores it: its catalogue (ascending movie ids), a scorer over it, and whether only
     * positive scores are candidates (the seed's rule for neighbour sums: only movies some neighbour reached).
     */
    public record Model(int[] catalogue, Scorer scorer, boolean positiveOnly) {

        /** Item-kNN lists (and every item-item family's) as the seed scores them. */
        public static Model itemItem(NeighborLists lists) {
            return new Model(lists.movieIds(), Scorers.itemKnn(lists, lists.movieIds()), true);
        }
    }

    /** Trains a model on the protocol's training rows (the {@code minRatings} filter already applied). */
    @FunctionalInterface
    public interface Trainer {
        Model train(Ratings training, ProgressListener listener);
    }

    private SeedProtocol() {}

    /**
     * Runs the protocol: filter with {@code params.minRatings()}, split, train with {@code params} (the filter
     * already applied), score the sample.
     */
    public static Result run(Ratings ratings, ItemKnnParams params, Config config, ProgressListener listener) {
        NeighborLists[] lists = new NeighborLists[1];
        Result r = run(
                ratings,
                params.minRatings(),
                (train, l) -> Model.itemItem(lists[0] = new ItemKnnTrainer(params.withMinRatings(0)).train(train, l)),
                config,
                listener);
        return new Result(r.metrics(), lists[0], r.splitMillis(), r.trainMillis(), r.scoreMillis());
    }

    /**
     * Runs the protocol for any model: filter with {@code minRatings}, split, train with {@code trainer} on the
     * training rows, score the sample.
     */
    public static Result run(
            Ratings ratings, int minRatings, Trainer trainer, Config config, ProgressListener listener) {
        long t0 = System.nanoTime();
        int n = ratings.size();
        int[] userIdColumn = ratings.userIds();
        int[] movieIdColumn = ratings.movieIds();
        float[] ratingColumn = ratings.ratings();
        listener.onProgress(TrainingPhase.SPLIT, 0, n);
        IdIndex movies = IdIndex.of(movieIdColumn);
        boolean[] keptMovie = new boolean[movies.size()];
        for (int m = 0; m < keptMovie.length; m++) {
            keptMovie[m] = movies.count(m) >= minRatings;
        }
        int kept = 0;
        for (int r = 0; r < n; r++) {
            if (keptMovie[movies.indexOf(movieIdColumn[r])]) {
                kept++;
            }
        }
        int[] keptRows = new int[kept];
        for (int r = 0, k = 0; r < n; r++) {
            if (keptMovie[movies.indexOf(movieIdColumn[r])]) {
                keptRows[k++] = r;
            }
        }
        // scikit-learn ShuffleSplit: n_test = ceil(test_size * n), test = perm[:n_test], train = perm[n_test:]
        int nTest = (int) Math.ceil(config.testSize() * kept);
        if (kept == 0 || nTest >= kept) {
            throw new IllegalArgumentException(
                    "not enough ratings for a " + config.testSize() + " split: " + kept + " rows after the filter");
        }
        int[] perm = new NumpyLegacyRandom(config.randomState()).permutation(kept);
        // Test rows in split order (the sample is drawn in that order); everything else is walked in row order,
        // which gives the same sets and keeps memory access sequential.
        int[] testRows = new int[nTest];
        byte[] role = new byte[n]; // 0: filtered out, 1: training, 2: test
        for (int k = 0; k < kept; k++) {
            role[keptRows[k]] = 1;
        }
        for (int i = 0; i < nTest; i++) {
            int r = keptRows[perm[i]];
            testRows[i] = r;
            role[r] = 2;
        }
        perm = null;
        keptRows = null;
        int trainSize = kept - nTest;
        int[] trainUsers = new int[trainSize];
        int[] trainMovies = new int[trainSize];
        float[] trainRatings = new float[trainSize];
        for (int r = 0, k = 0; r < n; r++) {
            if (role[r] == 1) {
                trainUsers[k] = userIdColumn[r];
                trainMovies[k] = movieIdColumn[r];
                trainRatings[k++] = ratingColumn[r];
            }
        }
        Ratings train = new Ratings(trainUsers, trainMovies, trainRatings);
        listener.onProgress(TrainingPhase.SPLIT, n, n);
        long t1 = System.nanoTime();

        Model model = trainer.train(train, listener);
        train = null;
        long t2 = System.nanoTime();

        SeedMetrics metrics = score(ratings, role, testRows, model, config, listener);
        long t3 = System.nanoTime();
        return new Result(metrics, null, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
    }

    /**
     * Scores the sample. {@code role[r]} is 1 for a training row, 2 for a test row, 0 for a row outside the split;
     * {@code testRows} lists the test rows in split order.
     */
    static SeedMetrics score(
            Ratings ratings,
            byte[] role,
            int[] testRows,
            NeighborLists model,
            Config config,
            ProgressListener listener) {
        return score(ratings, role, testRows, Model.itemItem(model), config, listener);
    }

    /** As above, for any model. */
    static SeedMetrics score(
            Ratings ratings, byte[] role, int[] testRows, Model model, Config config, ProgressListener listener) {
        int[] catalogue = model.catalogue();
        int[] userIdColumn = ratings.userIds();
        int[] movieIdColumn = ratings.movieIds();
        int n = ratings.size();
        IdIndex users = IdIndex.of(userIdColumn);
        int[] slotOfUser = new int[users.size()];
        Arrays.fill(slotOfUser, -1);
        int sampled = 0;
        for (int i = 0; i < testRows.length && sampled < config.sampleUsers(); i++) {
            int u = users.indexOf(userIdColumn[testRows[i]]);
            if (slotOfUser[u] < 0) {
                slotOfUser[u] = sampled++;
            }
        }
        listener.onProgress(TrainingPhase.SCORING, 0, sampled);

        // Per sampled user: training movies as model positions, test movies as ids (a test movie may be unknown).
        int[] historyOffsets = new int[sampled + 1];
        int[] truthOffsets = new int[sampled + 1];
        int trainRows = 0;
        for (int r = 0; r < n; r++) {
            int slot = role[r] == 0 ? -1 : slotOfUser[users.indexOf(userIdColumn[r])];
            if (role[r] == 1) {
                trainRows++;
            }
            if (slot >= 0) {
                (role[r] == 2 ? truthOffsets : historyOffsets)[slot + 1]++;
            }
        }
        for (int s = 0; s < sampled; s++) {
            historyOffsets[s + 1] += historyOffsets[s];
            truthOffsets[s + 1] += truthOffsets[s];
        }
        int[] history = new int[historyOffsets[sampled]];
        int[] truth = new int[truthOffsets[sampled]];
        int[] historyFill = Arrays.copyOf(historyOffsets, sampled);
        int[] truthFill = Arrays.copyOf(truthOffsets, sampled);
        for (int r = 0; r < n; r++) {
            int slot = role[r] == 0 ? -1 : slotOfUser[users.indexOf(userIdColumn[r])];
            if (slot < 0) {
                continue;
            }
            if (role[r] == 2) {
                truth[truthFill[slot]++] = movieIdColumn[r];
            } else {
                history[historyFill[slot]++] = indexOf(catalogue, movieIdColumn[r]);
            }
        }

        int size = catalogue.length;
        Scorer scorer = model.scorer();
        double[] scores = new double[size];
        boolean[] seen = new boolean[size];
        boolean[] relevant = new boolean[size];
        int[] userHistory = new int[size];
        int[] top = new int[config.k()];
        double[] topScores = new double[config.k()];
        double precision = 0;
        double recall = 0;
        double ndcg = 0;
        int evaluated = 0;
        for (int s = 0; s < sampled; s++) {
            int historyLength = 0;
            for (int h = historyOffsets[s]; h < historyOffsets[s + 1]; h++) {
                int item = history[h];
                if (item >= 0 && !seen[item]) {
                    seen[item] = true;
                    userHistory[historyLength++] = item;
                }
            }
            int truthFrom = truthOffsets[s];
            int truthTo = truthOffsets[s + 1];
            if (historyLength == 0 || truthTo == truthFrom) {
                continue; // the seed's "if not hist or not truth_set: continue"
            }
            Arrays.sort(truth, truthFrom, truthTo);
            int truthCount = 0;
            for (int t = truthFrom; t < truthTo; t++) {
                if (t == truthFrom || truth[t] != truth[t - 1]) {
                    truthCount++;
                    int item = indexOf(catalogue, truth[t]);
                    if (item >= 0) {
                        relevant[item] = true;
                    }
                }
            }
            scorer.score(userHistory, historyLength, scores);
            int length = TopN.select(scores, size, seen, model.positiveOnly(), config.k(), top, topScores);
            precision += RankingMetrics.precision(config.k(), top, length, relevant);
            recall += RankingMetrics.recall(config.k(), top, length, relevant, truthCount);
            ndcg += RankingMetrics.ndcg(config.k(), top, length, relevant, truthCount);
            evaluated++;
            Arrays.fill(scores, 0);
            for (int h = 0; h < historyLength; h++) {
                seen[userHistory[h]] = false;
            }
            for (int t = truthFrom; t < truthTo; t++) {
                int item = indexOf(catalogue, truth[t]);
                if (item >= 0) {
                    relevant[item] = false;
                }
            }
        }
        listener.onProgress(TrainingPhase.SCORING, sampled, sampled);
        int nTest = testRows.length;
        if (evaluated == 0) {
            return new SeedMetrics(config.k(), 0, 0, 0, 0, sampled, trainRows, nTest);
        }
        return new SeedMetrics(
                config.k(),
                precision / evaluated,
                recall / evaluated,
                ndcg / evaluated,
                evaluated,
                sampled,
                trainRows,
                nTest);
    }

    private static int indexOf(int[] catalogue, int movieId) {
        int i = Arrays.binarySearch(catalogue, movieId);
        return i >= 0 ? i : -1;
    }
}
