package org.recofilms.serving;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A user's ratings, read and written on the reactive pool: the event loop never waits on the database. */
@ApplicationScoped
public class RatingsRepository {

    private final Pool pool;

    public RatingsRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * The user's current ratings, movie ids ascending; empty when unknown. The same merge as the view
     * {@code raw.current_ratings} (feedback wins), done here on two index scans rather than by the
     * view's per-row anti-join: this is the one query of every recommendation.
     */
    public Uni<UserRatings> history(int userId) {
        return pool.preparedQuery("SELECT \"movieId\", rating, false FROM raw.raw_ratings WHERE \"userId\" = $1"
                        + " UNION ALL SELECT \"movieId\", rating, true FROM raw.feedback_ratings WHERE \"userId\" = $1")
                .execute(Tuple.of(userId))
                .map(RatingsRepository::merge);
    }

    private static UserRatings merge(Iterable<Row> rows) {
        long[] packed = new long[64];
        int n = 0;
        long[] feedback = new long[0];
        int f = 0;
        for (Row row : rows) {
            // movie id in the high half, the rating's bits in the low half: one primitive sort
            long entry = ((long) row.getInteger(0) << 32) | (Float.floatToRawIntBits(row.getFloat(1)) & 0xffffffffL);
            if (row.getBoolean(2)) {
                if (f == feedback.length) {
                    feedback = Arrays.copyOf(feedback, Math.max(8, f * 2));
                }
                feedback[f++] = entry;
            } else {
                if (n == packed.length) {
                    packed = Arrays.copyOf(packed, n * 2);
                }
                packed[n++] = entry;
            }
        }
        Arrays.sort(packed, 0, n);
        if (f > 0) {
            Arrays.sort(feedback, 0, f);
            long[] merged = new long[n + f];
            int i = 0;
            int j = 0;
            int m = 0;
            while (i < n || j < f) {
                long movieI = i < n ? packed[i] >>> 32 : Long.MAX_VALUE;
                long movieJ = j < f ? feedback[j] >>> 32 : Long.MAX_VALUE;
                if (movieJ <= movieI) {
                    merged[m++] = feedback[j++];
                    if (movieJ == movieI) {
                        i++; // the feedback replaces the MovieLens rating of the same movie
                    }
                } else {
                    merged[m++] = packed[i++];
                }
            }
            packed = merged;
            n = m;
        }
        int[] movieIds = new int[n];
        float[] ratings = new float[n];
        for (int k = 0; k < n; k++) {
            movieIds[k] = (int) (packed[k] >>> 32);
            ratings[k] = Float.intBitsToFloat((int) packed[k]);
        }
        return new UserRatings(movieIds, ratings);
    }

    /** Which of {@code movieIds} are MovieLens movies. */
    public Uni<Set<Integer>> knownMovies(Integer[] movieIds) {
        return pool.preparedQuery("SELECT \"movieId\" FROM raw.raw_movies WHERE \"movieId\" = ANY($1)")
                .execute(Tuple.of(movieIds))
                .map(rows -> {
                    Set<Integer> known = new HashSet<>();
                    rows.forEach(row -> known.add(row.getInteger(0)));
                    return known;
                });
    }

    /**
     * Stores the ratings as real-time feedback, replacing the user's earlier rating of the same movie,
     * in one statement (all or none), and only if PostgreSQL runs it before {@code deadline} (its own
     * clock, checked once for the whole statement): a statement that was held up (a stalled server)
     * and runs after its caller gave up stores nothing. True when stored, false when too late.
     */
    public Uni<Boolean> upsert(int userId, List<SubmittedRating> ratings, long epochSeconds, Instant deadline) {
        Integer[] movies = ratings.stream().map(SubmittedRating::movieId).toArray(Integer[]::new);
        Float[] values = ratings.stream().map(SubmittedRating::rating).toArray(Float[]::new);
        return pool.preparedQuery("INSERT INTO raw.feedback_ratings (\"userId\", \"movieId\", rating, \"timestamp\")"
                        + " SELECT $1, m, r, $4 FROM unnest($2::int[], $3::real[]) AS t(m, r)"
                        // an uncorrelated subquery: evaluated once, so the rows are all stored or none
                        + " WHERE (SELECT clock_timestamp() < $5::timestamptz)"
                        + " ON CONFLICT (\"userId\", \"movieId\") DO UPDATE SET rating = EXCLUDED.rating,"
                        + " \"timestamp\" = EXCLUDED.\"timestamp\", received_at = now()")
                .execute(Tuple.of(userId, movies, values, epochSeconds, deadline.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() > 0);
    }

    /** One rating of a submission, validated. */
    public record SubmittedRating(int movieId, float rating) {}
}
