package org.recofilms.serving;

import java.util.ArrayList;
import java.util.List;
import org.recofilms.snapshot.FactorBundle;
import org.recofilms.snapshot.PopularityArrays;
import org.recofilms.training.FactorModel;

/**
 * iALS's recommendation rule over an in-memory factor model, on primitive arrays: the same popularity
 * fallbacks as {@link Recommender} (no ratings, fewer than {@link Recommender#MIN_RATINGS}, no
 * candidate); otherwise the user's vector is folded in at request time from the user's current
 * ratings alone (every rating an interaction, or those at or above the training's positive
 * threshold), every model movie scores {@code x . y}, seen movies are never recommended, and ties go
 * to the lower movie id. A user none of whose movies has factors gets the popularity list
 * ({@code no_candidate}). {@code because} lists the user's movies (interactions) whose item vectors
 * point most the recommended movie's way: the largest positive {@code y_rated . y_recommended}, at
 * most {@link Recommender#BECAUSE}. Thread-safe; one score buffer per thread.
 */
public final class FactorRecommender implements UserRecommender {

    /** The strategy of a personal answer. */
    public static final String STRATEGY = "matrix_factorization";

    private final FactorModel model;
    private final Recommender popularity;
    private final ThreadLocal<Scratch> scratch;

    /** One thread's buffers, by model position: the scores and the marks of the user's movies. */
    private static final class Scratch {
        final double[] score;
        final boolean[] seen;

        Scratch(int size) {
            score = new double[size];
            seen = new boolean[size];
        }
    }

    public FactorRecommender(FactorBundle.Factors factors, PopularityArrays popularity) {
        this.model = new FactorModel(
                factors.movieIds(),
                factors.factors(),
                factors.itemFactors(),
                factors.gram(),
                factors.regularization(),
                factors.unobservedWeight(),
                factors.alpha(),
                factors.positiveThreshold());
        this.popularity = Recommender.popularityOnly(popularity);
        int size = model.size();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(size));
    }

    /** The factor model served. */
    public FactorModel model() {
        return model;
    }

    @Override
    public Recommender.Recommendation recommend(int[] movieIds, float[] ratings, int topN) {
        if (movieIds.length == 0) {
            return popular(movieIds, topN, Recommender.Fallback.UNKNOWN_USER);
        }
        if (movieIds.length < Recommender.MIN_RATINGS) {
            return popular(movieIds, topN, Recommender.Fallback.FEW_RATINGS);
        }
        // each rated movie's model position, once: the interactions (model movies at or above the positive
        // threshold, as fold-in counts them) and the seen marks come from it
        int[] positions = new int[movieIds.length];
        int[] interactions = new int[movieIds.length];
        int count = 0;
        float threshold = model.positiveThreshold();
        for (int k = 0; k < movieIds.length; k++) {
            int i = model.indexOf(movieIds[k]);
            positions[k] = i;
            if (i >= 0 && (threshold <= 0 || ratings[k] >= threshold)) {
                interactions[count++] = i;
            }
        }
        if (count == 0) {
            return popular(movieIds, topN, Recommender.Fallback.NO_CANDIDATE);
        }
        float[] user = model.foldInItems(java.util.Arrays.copyOf(interactions, count), count);
        Scratch buffers = scratch.get();
        double[] score = buffers.score;
        boolean[] seen = buffers.seen;
        for (int i : positions) {
            if (i >= 0) {
                seen[i] = true;
            }
        }
        // best topN unseen model movies: score descending, then position (movie id) ascending
        int[] best = model.best(user, seen, topN, score);
        int bestCount = best.length;
        List<Recommender.Item> items = new ArrayList<>(bestCount);
        for (int k = 0; k < bestCount; k++) {
            int i = best[k];
            items.add(new Recommender.Item(model.movieIds()[i], score[i], because(i, interactions, count)));
        }
        for (int i : positions) {
            if (i >= 0) {
                seen[i] = false;
            }
        }
        if (items.isEmpty()) {
            return popular(movieIds, topN, Recommender.Fallback.NO_CANDIDATE);
        }
        return new Recommender.Recommendation(STRATEGY, null, items);
    }

    /**
     * The user's interactions whose item vectors have the largest positive dot product with item {@code i}. The dot
     * products go four interactions at a time, four independent sums (one sum alone waits on its own adds), each
     * over the factors in order: the same doubles as one at a time, and as the Python loader's.
     */
    private int[] because(int i, int[] interactions, int count) {
        Because best = new Because();
        float[] y = model.itemFactors();
        int f = model.factors();
        int bi = i * f;
        int c = 0;
        for (; c + 3 < count; c += 4) {
            int b0 = interactions[c] * f;
            int b1 = interactions[c + 1] * f;
            int b2 = interactions[c + 2] * f;
            int b3 = interactions[c + 3] * f;
            double d0 = 0;
            double d1 = 0;
            double d2 = 0;
            double d3 = 0;
            for (int k = 0; k < f; k++) {
                double yi = y[bi + k];
                d0 += yi * y[b0 + k];
                d1 += yi * y[b1 + k];
                d2 += yi * y[b2 + k];
                d3 += yi * y[b3 + k];
            }
            best.offer(interactions[c], d0);
            best.offer(interactions[c + 1], d1);
            best.offer(interactions[c + 2], d2);
            best.offer(interactions[c + 3], d3);
        }
        for (; c < count; c++) {
            int bj = interactions[c] * f;
            double dot = 0;
            for (int k = 0; k < f; k++) {
                dot += (double) y[bi + k] * y[bj + k];
            }
            best.offer(interactions[c], dot);
        }
        return java.util.Arrays.copyOf(best.ids, best.n);
    }

    /** The best {@link Recommender#BECAUSE} movies by positive dot product, ties to the lower movie id. */
    private final class Because {
        final int[] ids = new int[Recommender.BECAUSE];
        final double[] dots = new double[Recommender.BECAUSE];
        int n;

        void offer(int position, double dot) {
            if (!(dot > 0) || (n == ids.length && !(dot > dots[n - 1]))) {
                return;
            }
            int movie = model.movieIds()[position];
            int pos = n < ids.length ? n++ : ids.length - 1;
            while (pos > 0 && (dot > dots[pos - 1] || (dot == dots[pos - 1] && movie < ids[pos - 1]))) {
                ids[pos] = ids[pos - 1];
                dots[pos] = dots[pos - 1];
                pos--;
            }
            ids[pos] = movie;
            dots[pos] = dot;
        }
    }

    @Override
    public Recommender.Recommendation popular(int[] seenSorted, int topN, Recommender.Fallback reason) {
        return popularity.popular(seenSorted, topN, reason);
    }

    @Override
    public int[] topPopular(int limit) {
        return popularity.topPopular(limit);
    }

    @Override
    public PopularityArrays popularity() {
        return popularity.popularity();
    }
}
