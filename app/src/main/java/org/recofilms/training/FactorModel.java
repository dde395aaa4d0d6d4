package org.recofilms.training;

import java.util.Arrays;

/**
 * A trained iALS model as served: the item factors and what fold-in needs to compute a user's vector at request
 * time from that user's current ratings alone ({@code Y^T Y}, the regularisation, the unobserved weight and the
 * confidence), so a new user's ratings count at once. Immutable; safe to share between threads (arrays returned
 * by accessors are shared and must not be modified).
 */
public final class FactorModel {

    private final int[] movieIds;
    private final int factors;
    private final float[] itemFactors;
    /** Model positions by item-vector norm, largest first ({@link #best}). */
    private final int[] byNorm;
    /** The norms in that order. */
    private final double[] normByNorm;
    /** The factors factor-major in that order ({@code [k * size + r]} for the r-th largest norm). */
    private final float[] factorMajorByNorm;

    private final double[] gram;
    private final double regularization;
    private final double unobservedWeight;
    private final double alpha;
    private final float positiveThreshold;
    /** Each thread's solver buffers (the exact solve gathers up to {@code AlsRows.CHUNK} item vectors). */
    private final ThreadLocal<AlsRows.Work> work;

    /**
     * @param movieIds model movies, strictly ascending
     * @param factors latent dimensions
     * @param itemFactors {@code movieIds.length * factors} floats, row-major by movie
     * @param gram {@code Y^T Y} of the item factors, {@code factors x factors} row-major
     * @param regularization the training's L2 weight
     * @param unobservedWeight the training's weight on unobserved cells
     * @param alpha observed confidence is {@code 1 + alpha}
     * @param positiveThreshold ratings below it are not interactions (0: every rating is)
     */
    public FactorModel(
            int[] movieIds,
            int factors,
            float[] itemFactors,
            double[] gram,
            double regularization,
            double unobservedWeight,
            double alpha,
            float positiveThreshold) {
        if (itemFactors.length != movieIds.length * factors || gram.length != factors * factors) {
            throw new IllegalArgumentException("factor arrays must match movieIds and factors");
        }
        for (int k = 1; k < movieIds.length; k++) {
            if (movieIds[k] <= movieIds[k - 1]) {
                throw new IllegalArgumentException("movieIds must be strictly ascending");
            }
        }
        this.movieIds = movieIds;
        this.factors = factors;
        this.itemFactors = itemFactors;
        int n = movieIds.length;
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int k = 0; k < factors; k++) {
                double v = itemFactors[i * factors + k];
                sq += v * v;
            }
            norms[i] = Math.sqrt(sq);
        }
        this.byNorm = java.util.stream.IntStream.range(0, n)
                .boxed()
                .sorted((a, b) -> Double.compare(norms[b], norms[a]))
                .mapToInt(Integer::intValue)
                .toArray();
        this.normByNorm = new double[n];
        this.factorMajorByNorm = new float[itemFactors.length];
        for (int r = 0; r < n; r++) {
            int i = byNorm[r];
            normByNorm[r] = norms[i];
            for (int k = 0; k < factors; k++) {
                factorMajorByNorm[k * n + r] = itemFactors[i * factors + k];
            }
        }
        this.gram = gram;
        this.regularization = regularization;
        this.unobservedWeight = unobservedWeight;
        this.alpha = alpha;
        this.positiveThreshold = positiveThreshold;
        this.work = ThreadLocal.withInitial(() -> new AlsRows.Work(factors));
    }

    public int[] movieIds() {
        return movieIds;
    }

    public int size() {
        return movieIds.length;
    }

    public int factors() {
        return factors;
    }

    public float[] itemFactors() {
        return itemFactors;
    }

    public double[] gram() {
        return gram;
    }

    public double regularization() {
        return regularization;
    }

    public double unobservedWeight() {
        return unobservedWeight;
    }

    public double alpha() {
        return alpha;
    }

    public float positiveThreshold() {
        return positiveThreshold;
    }

    /** Position of a movie, or -1 when it is not in the model. */
    public int indexOf(int movieId) {
        int i = Arrays.binarySearch(movieIds, movieId);
        return i >= 0 ? i : -1;
    }

    /**
     * The user vector for these ratings: the exact least-squares solution against the item factors, as one
     * user row of the training's sweep. Movies outside the model, ratings below the positive threshold and
     * repeated movies add nothing; no interaction gives the zero vector.
     */
    public float[] foldIn(int[] ratedMovieIds, float[] ratings) {
        if (ratedMovieIds.length != ratings.length) {
            throw new IllegalArgumentException("movie ids and ratings must have the same length");
        }
        int[] items = new int[ratedMovieIds.length];
        int count = 0;
        for (int k = 0; k < ratedMovieIds.length; k++) {
            int i = indexOf(ratedMovieIds[k]);
            if (i >= 0 && (positiveThreshold <= 0 || ratings[k] >= positiveThreshold)) {
                items[count++] = i;
            }
        }
        return foldInItems(items, count);
    }

    /** The user vector when every one of {@code movieIds} is an interaction, whatever its rating. */
    public float[] foldInInteractions(int[] interactedMovieIds) {
        int[] items = new int[interactedMovieIds.length];
        int count = 0;
        for (int movieId : interactedMovieIds) {
            int i = indexOf(movieId);
            if (i >= 0) {
                items[count++] = i;
            }
        }
        return foldInItems(items, count);
    }

    /**
     * {@link #foldIn} over model positions {@code items[0..count)}: the user's interactions, already filtered
     * (this array is sorted in place and duplicates are dropped).
     */
    public float[] foldInItems(int[] items, int count) {
        Arrays.sort(items, 0, count);
        int distinct = 0;
        for (int k = 0; k < count; k++) {
            if (distinct == 0 || items[distinct - 1] != items[k]) {
                items[distinct++] = items[k];
            }
        }
        float[] user = new float[factors];
        if (distinct > 0) {
            AlsRows.solveExact(
                    gram,
                    unobservedWeight,
                    regularization,
                    1 + alpha,
                    itemFactors,
                    factors,
                    items,
                    0,
                    distinct,
                    user,
                    0,
                    work.get());
        }
        return user;
    }

    /** The score of the movie at model position {@code item} for a user vector. */
    public double score(float[] user, int item) {
        int base = item * factors;
        double s = 0;
        for (int k = 0; k < factors; k++) {
            s += (double) user[k] * itemFactors[base + k];
        }
        return s;
    }

    /** Scores every model movie for a user vector, into {@code out} (length {@link #size()}). */
    public void scoreAll(float[] user, double[] out) {
        for (int i = 0; i < movieIds.length; i++) {
            out[i] = score(user, i);
        }
    }

    /** Movies scored together by {@link #best}: their partial sums stay in the L1 cache. */
    private static final int SCORE_BLOCK = 512;

    /**
     * The model positions of the best {@code n} movies for a user vector, best first (score descending, then
     * position, hence movie id, ascending), none of them {@code seen[position]}; {@code score[position]} holds
     * the score of each returned one (and of others scored on the way). The same answer and the same doubles as
     * {@link #score} over every movie, computed with fewer: movies are scored in blocks by decreasing vector
     * norm, and since {@code x . y <= |x| |y|}, the search stops when a block's largest norm times the user's
     * cannot reach the n-th best score (with a margin far above the sums' rounding). In a block the loops run
     * over movies inside factors, so no movie waits on its previous add.
     */
    public int[] best(float[] user, boolean[] seen, int n, double[] score) {
        int size = movieIds.length;
        int limit = Math.max(0, Math.min(n, size));
        int[] best = new int[limit];
        int count = 0;
        if (limit == 0) {
            return best;
        }
        double userSq = 0;
        for (float v : user) {
            userSq += (double) v * v;
        }
        double userNorm = Math.sqrt(userSq);
        double[] block = new double[SCORE_BLOCK];
        for (int from = 0; from < size; from += SCORE_BLOCK) {
            if (count == limit && userNorm * normByNorm[from] * (1 + 1e-9) < score[best[limit - 1]]) {
                break;
            }
            int to = Math.min(size, from + SCORE_BLOCK);
            int len = to - from;
            Arrays.fill(block, 0, len, 0.0);
            for (int k = 0; k < factors; k++) {
                double uk = user[k];
                int row = k * size + from;
                for (int j = 0; j < len; j++) {
                    block[j] += uk * factorMajorByNorm[row + j];
                }
            }
            for (int j = 0; j < len; j++) {
                int i = byNorm[from + j];
                if (seen[i]) {
                    continue;
                }
                double s = block[j];
                if (count == limit && !ranksBefore(s, i, score[best[limit - 1]], best[limit - 1])) {
                    continue;
                }
                score[i] = s;
                int k = count < limit ? count++ : limit - 1;
                while (k > 0 && ranksBefore(s, i, score[best[k - 1]], best[k - 1])) {
                    best[k] = best[k - 1];
                    k--;
                }
                best[k] = i;
            }
        }
        return Arrays.copyOf(best, count);
    }

    private static boolean ranksBefore(double s, int i, double t, int j) {
        return s > t || (s == t && i < j);
    }

    /**
     * The best {@code n} model movies for these ratings, best first (score descending, then movie id ascending),
     * never one of the rated movies.
     */
    public int[] recommend(int[] ratedMovieIds, float[] ratings, int n) {
        float[] user = foldIn(ratedMovieIds, ratings);
        boolean[] seen = new boolean[movieIds.length];
        for (int movieId : ratedMovieIds) {
            int i = indexOf(movieId);
            if (i >= 0) {
                seen[i] = true;
            }
        }
        int[] best = best(user, seen, n, new double[movieIds.length]);
        int count = best.length;
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            out[k] = movieIds[best[k]];
        }
        return out;
    }

    @Override
    public String toString() {
        return "FactorModel[movies=" + movieIds.length + ", factors=" + factors + "]";
    }
}
