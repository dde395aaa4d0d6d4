package org.recofilms.serving;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.recofilms.snapshot.IdIndex;

/**
 * Every user's current ratings in memory, as {@code raw.current_ratings} gives them (feedback wins over the
 * MovieLens row of the same movie), for {@code /recommend} to read without a database round trip.
 *
 * <p>The bulk sits in a {@link Base}: compressed sparse rows over primitive arrays, users ascending
 * ({@code int[] userIds}, {@code int[] offsets}), each user's movie ids ascending ({@code int[]}) and one byte
 * per rating (the rating in half stars, 1 to 10). That is 5 bytes a rating plus 8 a user: about 105 MB for
 * ML-20M's 20M ratings of 138k users. Ratings that arrive later (a POST on this instance, RatingSubmitted from
 * Kafka, the database catch-up) go to a small overlay: one immutable sorted array per user, replaced whole on
 * every write (copy-on-write), so a reader never locks and never sees a half-written user. {@link #compact}
 * merges the overlay into a new base from time to time; reads then see the base and what arrived since.
 *
 * <p>Writers are serialised on this object (they are rare next to reads); readers take the volatile state once.
 */
public final class UserHistories {

    private static final float[] NO_RATINGS = new float[0];
    private static final int[] NO_MOVIES = new int[0];

    /** The current base and the overlays over it, replaced as a whole. */
    private record State(Base base, Map<Integer, long[]> frozen, ConcurrentHashMap<Integer, long[]> live) {}

    private volatile State state;

    private final Object compacting = new Object();

    public UserHistories(Base base) {
        state = new State(base, Map.of(), new ConcurrentHashMap<>());
    }

    public static UserHistories empty() {
        return new UserHistories(new Builder().build());
    }

    /** The user's ratings, movie ids ascending; empty arrays for an unknown user. */
    public UserRatings get(int userId) {
        State s = state;
        long[] frozen = s.frozen.get(userId);
        long[] live = s.live.get(userId);
        if (frozen == null && live == null) {
            // the common case: nothing arrived for this user since the base was built
            return s.base.ratingsOf(userId);
        }
        long[] base = s.base.packed(userId);
        long[] merged = overlay(overlay(base, frozen), live);
        int n = merged.length;
        if (n == 0) {
            return new UserRatings(NO_MOVIES, NO_RATINGS);
        }
        int[] movies = new int[n];
        float[] ratings = new float[n];
        for (int i = 0; i < n; i++) {
            movies[i] = movie(merged[i]);
            ratings[i] = rating(merged[i]);
        }
        return new UserRatings(movies, ratings);
    }

    /**
     * Records a rating (a new one or a change): idempotent, and an older rating (by {@code timestamp}, epoch
     * seconds) never replaces a newer one of the same user and movie that this store already holds in its overlay.
     */
    public synchronized void apply(int userId, int movieId, float rating, long timestamp) {
        State s = state;
        long[] current = s.live.get(userId);
        long entry = entry(movieId, rating, timestamp);
        long[] next;
        if (current == null) {
            next = new long[] {entry, timestamp};
        } else {
            int i = find(current, movieId);
            if (i >= 0) {
                if (current[2 * i + 1] > timestamp || current[2 * i] == entry) {
                    return;
                }
                next = current.clone();
                next[2 * i] = entry;
                next[2 * i + 1] = timestamp;
            } else {
                int at = -i - 1;
                next = new long[current.length + 2];
                System.arraycopy(current, 0, next, 0, 2 * at);
                next[2 * at] = entry;
                next[2 * at + 1] = timestamp;
                System.arraycopy(current, 2 * at, next, 2 * at + 2, current.length - 2 * at);
            }
        }
        s.live.put(userId, next);
    }

    /** Ratings held in the overlay (not yet merged into the base). */
    public int overlaySize() {
        State s = state;
        int n = 0;
        for (long[] v : s.frozen.values()) {
            n += v.length / 2;
        }
        for (long[] v : s.live.values()) {
            n += v.length / 2;
        }
        return n;
    }

    public Base base() {
        return state.base;
    }

    /**
     * Replaces the base with {@code fresh} (a reload from the database), keeping the overlay over it: every
     * rating there is either in {@code fresh} already with the same value or newer than it.
     */
    public void replaceBase(Base fresh) {
        synchronized (this) {
            State s = state;
            state = new State(fresh, s.frozen, s.live);
        }
    }

    /**
     * Merges the overlay into a new base. The overlay is frozen first (writes go on into a new one), the merge
     * runs without the writers' lock, and the merged base replaces the base and the frozen overlay in one step.
     * One compaction runs at a time.
     */
    public void compact() {
        synchronized (compacting) {
            compactOnce();
        }
    }

    private void compactOnce() {
        State frozenState;
        synchronized (this) {
            State s = state;
            if (s.live.isEmpty() && s.frozen.isEmpty()) {
                return;
            }
            Map<Integer, long[]> frozen = new HashMap<>(s.frozen);
            s.live.forEach((user, entries) -> frozen.merge(user, entries, UserHistories::mergeOverlays));
            frozenState = new State(s.base, frozen, new ConcurrentHashMap<>());
            state = frozenState;
        }
        Base merged = frozenState.base.with(frozenState.frozen);
        synchronized (this) {
            State s = state;
            if (s.frozen != frozenState.frozen) {
                return; // cannot happen: compactions are serialised and only they replace the frozen overlay
            }
            state = new State(s.base == frozenState.base ? merged : s.base.with(frozenState.frozen), Map.of(), s.live);
        }
    }

    // --- entries: movie id in the high half, rating in half stars in the low bits ---

    private static long entry(int movieId, float rating, long timestamp) {
        return ((long) movieId << 32) | (Math.round(rating * 2) & 0xff);
    }

    static int movie(long entry) {
        return (int) (entry >>> 32);
    }

    static float rating(long entry) {
        return (entry & 0xff) / 2f;
    }

    /** Index of {@code movieId} in an overlay array of (entry, timestamp) pairs, or -(insertion point) - 1. */
    private static int find(long[] pairs, int movieId) {
        int lo = 0;
        int hi = pairs.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int m = movie(pairs[2 * mid]);
            if (m < movieId) {
                lo = mid + 1;
            } else if (m > movieId) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Two overlay arrays of one user merged; for the same movie, the newer (then the later) one wins. */
    private static long[] mergeOverlays(long[] older, long[] newer) {
        long[] out = new long[older.length + newer.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < older.length || j < newer.length) {
            int a = i < older.length ? movie(older[i]) : Integer.MAX_VALUE;
            int b = j < newer.length ? movie(newer[j]) : Integer.MAX_VALUE;
            if (i < older.length && (j >= newer.length || a < b)) {
                out[k++] = older[i++];
                out[k++] = older[i++];
            } else if (a == b) {
                boolean newerWins = newer[j + 1] >= older[i + 1];
                out[k++] = newerWins ? newer[j] : older[i];
                out[k++] = Math.max(newer[j + 1], older[i + 1]);
                i += 2;
                j += 2;
            } else {
                out[k++] = newer[j++];
                out[k++] = newer[j++];
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** {@code entries} (sorted entries) with the overlay's (entry, timestamp) pairs over them; overlay wins. */
    static long[] overlay(long[] entries, long[] pairs) {
        if (pairs == null || pairs.length == 0) {
            return entries;
        }
        int n = pairs.length / 2;
        long[] out = new long[entries.length + n];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < entries.length || j < n) {
            int a = i < entries.length ? movie(entries[i]) : Integer.MAX_VALUE;
            int b = j < n ? movie(pairs[2 * j]) : Integer.MAX_VALUE;
            if (b <= a) {
                out[k++] = pairs[2 * j++];
                if (a == b) {
                    i++;
                }
            } else {
                out[k++] = entries[i++];
            }
        }
        return k == out.length ? out : Arrays.copyOf(out, k);
    }

    /**
     * The compressed sparse rows: {@code userIds} ascending, user {@code userIds[u]}'s movies at
     * {@code movies[offsets[u] .. offsets[u + 1])} ascending, their ratings in half stars in {@code halves}.
     */
    public static final class Base {

        private final int[] userIds;
        private final int[] offsets;
        private final int[] movies;
        private final byte[] halves;

        private final IdIndex users;

        Base(int[] userIds, int[] offsets, int[] movies, byte[] halves) {
            this.users = new IdIndex(userIds);
            this.userIds = userIds;
            this.offsets = offsets;
            this.movies = movies;
            this.halves = halves;
        }

        public int users() {
            return userIds.length;
        }

        // the arrays themselves, for HistoriesCopy to write (never to be changed)
        int[] userIds() {
            return userIds;
        }

        int[] offsets() {
            return offsets;
        }

        int[] movies() {
            return movies;
        }

        byte[] halves() {
            return halves;
        }

        public long ratings() {
            return offsets[userIds.length];
        }

        /** The bytes of the arrays (headers aside). */
        public long bytes() {
            return 4L * userIds.length + 4L * offsets.length + 4L * movies.length + halves.length;
        }

        /** The user's ratings in this base alone, movie ids ascending. */
        UserRatings ratingsOf(int userId) {
            int u = users.of(userId);
            if (u < 0) {
                return new UserRatings(NO_MOVIES, NO_RATINGS);
            }
            int from = offsets[u];
            int n = offsets[u + 1] - from;
            int[] movieIds = Arrays.copyOfRange(movies, from, from + n);
            float[] ratings = new float[n];
            for (int i = 0; i < n; i++) {
                ratings[i] = (halves[from + i] & 0xff) / 2f;
            }
            return new UserRatings(movieIds, ratings);
        }

        long[] packed(int userId) {
            int u = users.of(userId);
            if (u < 0) {
                return new long[0];
            }
            int from = offsets[u];
            int to = offsets[u + 1];
            long[] out = new long[to - from];
            for (int i = from; i < to; i++) {
                out[i - from] = ((long) movies[i] << 32) | (halves[i] & 0xff);
            }
            return out;
        }

        /** This base with the overlay's users merged in (overlay wins), as a new base. */
        Base with(Map<Integer, long[]> overlay) {
            int[] changed = overlay.keySet().stream()
                    .mapToInt(Integer::intValue)
                    .sorted()
                    .toArray();
            Builder b = new Builder(movies.length
                    + overlay.values().stream().mapToInt(v -> v.length / 2).sum());
            int u = 0;
            int c = 0;
            while (u < userIds.length || c < changed.length) {
                int a = u < userIds.length ? userIds[u] : Integer.MAX_VALUE;
                int o = c < changed.length ? changed[c] : Integer.MAX_VALUE;
                if (a < o) {
                    b.copyUser(a, movies, halves, offsets[u], offsets[u + 1]);
                    u++;
                } else {
                    long[] merged = overlay(a == o ? packed(a) : new long[0], overlay.get(o));
                    for (long e : merged) {
                        b.add(o, movie(e), halves(e));
                    }
                    if (a == o) {
                        u++;
                    }
                    c++;
                }
            }
            return b.build();
        }

        private static byte halves(long entry) {
            return (byte) (entry & 0xff);
        }
    }

    /**
     * Builds a {@link Base} from rows sorted by user then movie (as {@code ORDER BY "userId", "movieId"} gives
     * them); a row out of that order is refused.
     */
    public static final class Builder {

        private int[] userIds = new int[1024];
        private int[] offsets = new int[1025];
        private int[] movies;
        private byte[] halves;
        private int users;
        private int n;
        private int lastUser = Integer.MIN_VALUE;
        private int lastMovie = Integer.MIN_VALUE;

        public Builder() {
            this(1 << 16);
        }

        public Builder(int expectedRatings) {
            movies = new int[Math.max(16, expectedRatings)];
            halves = new byte[movies.length];
        }

        /** Adds one rating (from 0.5 to 5.0 in half steps; stored as the nearest half star). */
        public void add(int userId, int movieId, float rating) {
            add(userId, movieId, (byte) Math.round(rating * 2));
        }

        void add(int userId, int movieId, byte half) {
            if (userId != lastUser) {
                if (userId < lastUser) {
                    throw new IllegalArgumentException(
                            "ratings must come sorted by user: user " + userId + " after " + lastUser);
                }
                startUser(userId);
            } else if (movieId <= lastMovie) {
                throw new IllegalArgumentException("ratings of user " + userId + " must come sorted by movie, once"
                        + " each: movie " + movieId + " after " + lastMovie);
            }
            if (n == movies.length) {
                int grown = (int) Math.min(Integer.MAX_VALUE - 8, (long) n + (n >> 1) + 16);
                movies = Arrays.copyOf(movies, grown);
                halves = Arrays.copyOf(halves, grown);
            }
            movies[n] = movieId;
            halves[n] = half;
            n++;
            lastMovie = movieId;
        }

        void copyUser(int userId, int[] fromMovies, byte[] fromHalves, int from, int to) {
            for (int i = from; i < to; i++) {
                add(userId, fromMovies[i], fromHalves[i]);
            }
        }

        private void startUser(int userId) {
            if (users == userIds.length) {
                userIds = Arrays.copyOf(userIds, users * 2);
                offsets = Arrays.copyOf(offsets, users * 2 + 1);
            }
            userIds[users] = userId;
            offsets[users] = n;
            users++;
            lastUser = userId;
            lastMovie = Integer.MIN_VALUE;
        }

        public long rows() {
            return n;
        }

        /** The base of the rows added; the builder is left empty. */
        public Base build() {
            int[] ids = Arrays.copyOf(userIds, users);
            int[] offs = Arrays.copyOf(offsets, users + 1);
            offs[users] = n;
            // presized exactly (a snapshot's row count): the arrays are handed over, not copied
            int[] m = n == movies.length ? movies : Arrays.copyOf(movies, n);
            byte[] h = n == halves.length ? halves : Arrays.copyOf(halves, n);
            movies = new int[0];
            halves = new byte[0];
            n = 0;
            users = 0;
            lastUser = Integer.MIN_VALUE;
            return new Base(ids, offs, m, h);
        }
    }
}
