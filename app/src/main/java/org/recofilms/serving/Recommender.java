package org.recofilms.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recofilms.snapshot.IdIndex;
import org.recofilms.snapshot.NeighborArrays;
import org.recofilms.snapshot.PopularityArrays;

/**
 * The seed's recommendation rule over an in-memory model, on primitive arrays: users with fewer than
 * {@link #MIN_RATINGS} ratings get the Bayesian popularity list; otherwise the anchors (the movies whose neighbours are scored) are the
 * user's movies rated at least {@link #LIKED} (all rated movies when none is), every neighbour of a
 * anchor movie scores the sum of its similarities to the anchors, seen movies are never recommended, and
 * ties go to the lower movie id. No candidate left means popularity too. Each recommendation says
 * which of the user's movies contributed most ({@code because}). Thread-safe; one score buffer per
 * thread.
 */
public final class Recommender implements UserRecommender {

    /** Users with fewer ratings get the popularity list. */
    public static final int MIN_RATINGS = 5;

    /** Ratings at or above this make a liked movie, an anchor of the user's scores. */
    public static final float LIKED = 4.0f;

    /** How many contributing movies {@code because} lists. */
    public static final int BECAUSE = 3;

    /** One recommended movie. */
    public record Item(int movieId, double score, int[] because) {}

    /** Why an answer is the popularity list; {@link #tag} is the metric tag and the API's reason code. */
    public enum Fallback {
        NO_MODEL("no_model", "no production model is loaded"),
        UNKNOWN_USER("unknown_user", "the user has no ratings"),
        FEW_RATINGS("few_ratings", "the user has fewer than " + MIN_RATINGS + " ratings"),
        NO_CANDIDATE("no_candidate", "the model has no unseen movie to recommend from the user's movies"),
        /**
         * The user's ratings could not be read (the in-memory histories are still loading at start): the
         * popularity list, seen movies included.
         */
        DEGRADED("degraded", "the user's ratings could not be read, so seen movies are not excluded");

        public final String tag;
        public final String message;

        Fallback(String tag, String message) {
            this.tag = tag;
            this.message = message;
        }
    }

    /** The strategy of a personal answer of an item-item model. */
    public static final String ITEM_CF = "item_cf";

    /** The strategy of a popularity answer. */
    public static final String POPULARITY = "popularity";

    /**
     * The answer, with the strategy used ({@link #ITEM_CF}, {@link FactorRecommender#STRATEGY} or
     * {@link #POPULARITY}) and, for popularity, why ({@code fallback} is null for a personal answer).
     */
    public record Recommendation(String strategy, Fallback fallback, List<Item> items) {}

    /** A recommender with no neighbour lists: every answer is the popularity list. */
    public static Recommender popularityOnly(PopularityArrays popularity) {
        return new Recommender(new NeighborArrays(new int[0], new int[] {0}, new int[0], new float[0]), popularity);
    }

    private final NeighborArrays neighbors;
    private final PopularityArrays popularity;
    private final int[] popularityOrder;
    private final ThreadLocal<Scratch> scratch;
    /** Every movie that is some list's neighbour (a candidate), ascending: position order is movie id order. */
    private final int[] candidateIds;
    /** {@code neighbors.neighborIds()} as positions in {@link #candidateIds}, slot for slot. */
    private final int[] neighborPositions;
    /** Movie id to its row in {@code neighbors}. */
    private final IdIndex rows;
    /** Movie id to its position in {@link #candidateIds}. */
    private final IdIndex positions;

    /**
     * One thread's buffers, indexed by candidate position (dense, so they stay in the cache: by movie id they
     * spanned the largest id, about 131,000 at ML-20M scale): the scores being summed, the marks of the user's
     * seen movies and of the chosen movies' ranks. Every request leaves them zeroed.
     */
    private static final class Scratch {
        final float[] score;
        final boolean[] seen;
        final int[] rank;
        /** The candidates scored so far, in the order first scored; grown when a request needs more. */
        int[] touched;

        Scratch(int size) {
            score = new float[size];
            seen = new boolean[size];
            rank = new int[size];
            touched = new int[size + 1];
        }
    }

    public Recommender(NeighborArrays neighbors, PopularityArrays popularity) {
        this.neighbors = neighbors;
        this.popularity = popularity;
        Integer[] order = new Integer[popularity.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // bayes score descending, then movie id ascending: a stable order for equal scores
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(popularity.bayesScores()[b], popularity.bayesScores()[a]);
            return c != 0
                    ? c
                    : Integer.compare(popularity.movieIds()[a], popularity.movieIds()[b]);
        });
        this.popularityOrder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        this.candidateIds =
                Arrays.stream(neighbors.neighborIds()).distinct().sorted().toArray();
        int[] ids = neighbors.neighborIds();
        this.neighborPositions = new int[ids.length];
        this.rows = new IdIndex(neighbors.movieIds());
        this.positions = new IdIndex(candidateIds);
        for (int slot = 0; slot < ids.length; slot++) {
            neighborPositions[slot] = positions.of(ids[slot]);
        }
        int size = candidateIds.length;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(size));
    }

    /**
     * Recommends {@code topN} movies to a user who rated {@code movieIds} with {@code ratings}
     * (parallel arrays, movie ids ascending).
     */
    @Override
    public Recommendation recommend(int[] movieIds, float[] ratings, int topN) {
        if (movieIds.length == 0) {
            return popular(movieIds, topN, Fallback.UNKNOWN_USER);
        }
        if (movieIds.length < MIN_RATINGS) {
            return popular(movieIds, topN, Fallback.FEW_RATINGS);
        }
        int[] anchors = anchors(movieIds, ratings);
        Scratch buffers = scratch.get();
        float[] score = buffers.score;
        // where each anchor's neighbour list starts (-1: the anchor has none), looked up once
        int[] anchorRow = new int[anchors.length];
        int[] touched = buffers.touched;
        int touchedCount = 0;
        int[] offsets = neighbors.offsets();
        float[] similarities = neighbors.similarities();
        for (int s = 0; s < anchors.length; s++) {
            int i = rows.of(anchors[s]);
            anchorRow[s] = i;
            if (i < 0) {
                continue;
            }
            int end = offsets[i + 1];
            if (touchedCount + end - offsets[i] >= touched.length) {
                // only when scores came back to exactly 0 (negative weights): a candidate is listed again
                touched = Arrays.copyOf(touched, 2 * (touchedCount + end - offsets[i]));
                buffers.touched = touched;
            }
            for (int slot = offsets[i]; slot < end; slot++) {
                int candidate = neighborPositions[slot];
                float before = score[candidate];
                // listed when first scored, without a branch: the slot is overwritten unless the count moves on
                touched[touchedCount] = candidate;
                touchedCount += before == 0f ? 1 : 0;
                score[candidate] = before + similarities[slot];
            }
        }
        boolean[] seen = buffers.seen;
        // the user's movies among the candidates
        int[] seenPositions = seenPositions(movieIds);
        for (int p : seenPositions) {
            seen[p] = true;
        }
        // best topN unseen candidates: score descending, movie id ascending
        int[] best = new int[topN];
        int bestCount = 0;
        for (int t = 0; t < touchedCount; t++) {
            int candidate = touched[t];
            if (seen[candidate] || score[candidate] <= 0f) {
                continue;
            }
            int pos = bestCount;
            while (pos > 0 && better(candidate, best[pos - 1], score)) {
                pos--;
            }
            if (pos < topN) {
                int move = Math.min(bestCount, topN - 1) - pos;
                System.arraycopy(best, pos, best, pos + 1, move);
                best[pos] = candidate;
                bestCount = Math.min(bestCount + 1, topN);
            }
        }
        for (int p : seenPositions) {
            seen[p] = false;
        }
        int[][] because = because(best, bestCount, anchors, anchorRow, buffers.rank);
        List<Item> items = new ArrayList<>(bestCount);
        for (int k = 0; k < bestCount; k++) {
            items.add(new Item(candidateIds[best[k]], score[best[k]], because[k]));
        }
        for (int t = 0; t < touchedCount; t++) {
            score[touched[t]] = 0f;
        }
        if (items.isEmpty()) {
            return popular(movieIds, topN, Fallback.NO_CANDIDATE);
        }
        return new Recommendation(ITEM_CF, null, items);
    }

    /** Positions in {@link #candidateIds} of those of {@code movieIds} that are candidates. */
    private int[] seenPositions(int[] movieIds) {
        int[] out = new int[movieIds.length];
        int n = 0;
        for (int movie : movieIds) {
            int p = positions.of(movie);
            if (p >= 0) {
                out[n++] = p;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static boolean better(int a, int b, float[] score) {
        return score[a] > score[b] || (score[a] == score[b] && a < b);
    }

    private static int[] anchors(int[] movieIds, float[] ratings) {
        int liked = 0;
        for (float r : ratings) {
            if (r >= LIKED) {
                liked++;
            }
        }
        if (liked == 0) {
            return movieIds;
        }
        int[] anchors = new int[liked];
        for (int i = 0, j = 0; i < movieIds.length; i++) {
            if (ratings[i] >= LIKED) {
                anchors[j++] = movieIds[i];
            }
        }
        return anchors;
    }

    /**
     * For each chosen movie, the user's anchor movies whose neighbour lists hold it, by similarity
     * (then anchor id), at most {@link #BECAUSE}: one pass over the anchors' lists for all chosen movies.
     */
    private int[][] because(int[] best, int bestCount, int[] anchors, int[] anchorRow, int[] rank) {
        for (int k = 0; k < bestCount; k++) {
            rank[best[k]] = k + 1;
        }
        int[][] ids = new int[bestCount][BECAUSE];
        float[][] sims = new float[bestCount][BECAUSE];
        int[] counts = new int[bestCount];
        for (int s = 0; s < anchors.length; s++) {
            int i = anchorRow[s];
            if (i < 0) {
                continue;
            }
            int anchor = anchors[s];
            for (int slot = neighbors.offsets()[i]; slot < neighbors.offsets()[i + 1]; slot++) {
                int r = rank[neighborPositions[slot]] - 1;
                if (r < 0) {
                    continue;
                }
                float sim = neighbors.similarities()[slot];
                int[] id = ids[r];
                float[] sm = sims[r];
                int n = counts[r];
                int pos = n;
                while (pos > 0 && (sm[pos - 1] < sim || (sm[pos - 1] == sim && id[pos - 1] > anchor))) {
                    pos--;
                }
                if (pos < BECAUSE) {
                    int move = Math.min(n, BECAUSE - 1) - pos;
                    System.arraycopy(id, pos, id, pos + 1, move);
                    System.arraycopy(sm, pos, sm, pos + 1, move);
                    id[pos] = anchor;
                    sm[pos] = sim;
                    counts[r] = Math.min(n + 1, BECAUSE);
                }
            }
        }
        int[][] out = new int[bestCount][];
        for (int k = 0; k < bestCount; k++) {
            rank[best[k]] = 0;
            out[k] = Arrays.copyOf(ids[k], counts[k]);
        }
        return out;
    }

    /** Positions in the popularity arrays of the {@code limit} most popular movies, best first. */
    @Override
    public int[] topPopular(int limit) {
        return Arrays.copyOf(popularityOrder, Math.min(limit, popularityOrder.length));
    }

    /** The neighbour lists this recommender scores with. */
    public NeighborArrays neighbors() {
        return neighbors;
    }

    /** The popularity list this recommender falls back to. */
    @Override
    public PopularityArrays popularity() {
        return popularity;
    }

    /** The popularity list without the user's movies. */
    @Override
    public Recommendation popular(int[] seenSorted, int topN, Fallback reason) {
        List<Item> items = new ArrayList<>(topN);
        for (int i = 0; i < popularityOrder.length && items.size() < topN; i++) {
            int p = popularityOrder[i];
            int movie = popularity.movieIds()[p];
            if (Arrays.binarySearch(seenSorted, movie) < 0) {
                items.add(new Item(movie, popularity.bayesScores()[p], new int[0]));
            }
        }
        return new Recommendation(POPULARITY, reason, items);
    }
}
