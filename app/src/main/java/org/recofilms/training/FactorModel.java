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
    /** The same factors factor-major ({@code [k * size + i]}), for {@link #scoreAll}. */
    private final float[] factorMajor;

    private final double[] gram;
    private final double regularization;
    private final double unobservedWeight;
    private final double alpha;
    private final float positiveThreshold;

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
        this.factorMajor = new float[itemFactors.length];
        int n = movieIds.length;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < factors; k++) {
                factorMajor[k * n + i] = itemFactors[i * factors + k];
            }
        }
        this.gram = gram;
        this.regularization = regularization;
        this.unobservedWeight = unobservedWeight;
        this.alpha = alpha;
        this.positiveThreshold = positiveThreshold;
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

    /** {@link #foldIn} over model positions {@code items[0..count)} (may be reordered, duplicates dropped). */
    float[] foldInItems(int[] items, int count) {
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
                    new AlsRows.Work(factors));
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

    /** Movies scored together by {@link #scoreAll}: their partial sums (doubles) stay in the L1 cache. */
    private static final int SCORE_BLOCK = 512;

    /**
     * Scores every model movie for a user vector, into {@code out} (length {@link #size()}): the same
     * products added in the same order as {@link #score}, so the same doubles, but with the loops
     * turned round over the factor-major copy (one multiply-add per movie per factor, no movie waiting
     * on its previous add), blocked so that the partial sums stay in the L1 cache.
     */
    public void scoreAll(float[] user, double[] out) {
        int n = movieIds.length;
        for (int from = 0; from < n; from += SCORE_BLOCK) {
            int to = Math.min(n, from + SCORE_BLOCK);
            Arrays.fill(out, from, to, 0.0);
            for (int k = 0; k < factors; k++) {
                double uk = user[k];
                int row = k * n;
                for (int i = from; i < to; i++) {
                    out[i] += uk * factorMajor[row + i];
                }
            }
        }
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
        double[] scores = new double[movieIds.length];
        scoreAll(user, scores);
        int limit = Math.max(0, n);
        int[] best = new int[limit];
        double[] bestScores = new double[limit];
        int count = 0;
        for (int i = 0; i < movieIds.length; i++) {
            // positions ascend with movie id, so an equal score never displaces an earlier movie
            if (seen[i] || limit == 0 || (count == limit && !(scores[i] > bestScores[limit - 1]))) {
                continue;
            }
            int k = count < limit ? count++ : limit - 1;
            while (k > 0 && scores[i] > bestScores[k - 1]) {
                best[k] = best[k - 1];
                bestScores[k] = bestScores[k - 1];
                k--;
            }
            best[k] = i;
            bestScores[k] = scores[i];
        }
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
