package org.recofilms.ingestion;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.recofilms.ingestion.generator.MovieLensGenres;

/**
 * Data-quality checks on a staged load, before it is swapped in. The seed's five (ratings within
 * [0, 5] and not null, userId not null, movieId not null, every rated movie exists, no duplicate
 * (userId, movieId, timestamp)), then row counts against the previous successful run within a
 * tolerance (blocking), timestamps in range and genres from the MovieLens list (warnings).
 */
final class QualityChecks {

    /** The genres MovieLens uses, plus its marker for none. */
    static final Set<String> GENRES = genres();

    /** MovieLens ratings start in January 1995. */
    static final long MIN_TIMESTAMP = 788_918_400L; // 1995-01-01T00:00:00Z

    private QualityChecks() {}

    private static Set<String> genres() {
        Set<String> all = new java.util.HashSet<>(MovieLensGenres.ALL);
        all.add(MovieLensGenres.NO_GENRES);
        return Set.copyOf(all);
    }

    /**
     * Runs every check on schema {@code schema}; {@code previous} holds the row counts of the last
     * successful run (empty for a first load).
     */
    static List<QualityCheck> run(
            Connection c, String schema, Map<String, Long> current, Map<String, Long> previous, double tolerance)
            throws SQLException {
        List<QualityCheck> checks = new ArrayList<>();
        long maxTimestamp = Instant.now().plusSeconds(86_400).getEpochSecond();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT"
                    + " count(*) FILTER (WHERE rating IS NULL OR rating < 0 OR rating > 5),"
                    + " count(*) FILTER (WHERE \"userId\" IS NULL),"
                    + " count(*) FILTER (WHERE \"movieId\" IS NULL),"
                    + " count(*) FILTER (WHERE \"timestamp\" < " + MIN_TIMESTAMP + " OR \"timestamp\" > " + maxTimestamp
                    + ")"
                    + " FROM " + schema + ".raw_ratings")) {
                rs.next();
                checks.add(QualityCheck.of(
                        "ratings_in_range_not_null", rs.getLong(1), true, "rating null or outside [0, 5]"));
                checks.add(QualityCheck.of("user_id_not_null", rs.getLong(2), true, "ratings without userId"));
                checks.add(QualityCheck.of("movie_id_not_null", rs.getLong(3), true, "ratings without movieId"));
                checks.add(QualityCheck.of(
                        "timestamps_in_range",
                        rs.getLong(4),
                        false,
                        "ratings dated before 1995-01-01 or in the future"));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".raw_ratings r WHERE NOT EXISTS"
                    + " (SELECT 1 FROM " + schema + ".raw_movies m WHERE m.\"movieId\" = r.\"movieId\")")) {
                rs.next();
                checks.add(
                        QualityCheck.of("rated_movies_exist", rs.getLong(1), true, "ratings of movies not in movies"));
            }
            checks.add(duplicates(st, schema));
            try (ResultSet rs = st.executeQuery("SELECT genres FROM " + schema + ".raw_movies")) {
                long bad = 0;
                while (rs.next()) {
                    for (String genre : rs.getString(1).split("\\|")) {
                        if (!GENRES.contains(genre)) {
                            bad++;
                            break;
                        }
                    }
                }
                checks.add(
                        QualityCheck.of("genres_parse", bad, false, "movies with a genre outside the MovieLens list"));
            }
        }
        checks.add(rowCounts(current, previous, tolerance));
        return checks;
    }

    /**
     * The primary key (userId, movieId) of the staged ratings already excludes duplicate
     * (userId, movieId, timestamp) rows; the catalog says whether it is there, which spares a
     * GROUP BY over every rating. Without it the check counts them.
     */
    private static QualityCheck duplicates(Statement st, String schema) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND conrelid = '"
                + schema + ".raw_ratings'::regclass")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return QualityCheck.of(
                        "no_duplicate_user_movie_timestamp",
                        0,
                        true,
                        "guaranteed by the primary key (userId, movieId)");
            }
        }
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT 1 FROM " + schema
                + ".raw_ratings GROUP BY \"userId\", \"movieId\", \"timestamp\" HAVING count(*) > 1) d")) {
            rs.next();
            return QualityCheck.of(
                    "no_duplicate_user_movie_timestamp",
                    rs.getLong(1),
                    true,
                    "duplicate (userId, movieId, timestamp) rows");
        }
    }

    static QualityCheck rowCounts(Map<String, Long> current, Map<String, Long> previous, double tolerance) {
        if (previous.isEmpty()) {
            return QualityCheck.of("row_counts_vs_previous", 0, true, "first load: nothing to compare with");
        }
        List<String> off = new ArrayList<>();
        for (Map.Entry<String, Long> e : current.entrySet()) {
            Long before = previous.get(e.getKey());
            if (before == null || before == 0) {
                continue;
            }
            double change = Math.abs(e.getValue() - before) / (double) before;
            if (change > tolerance) {
                off.add(String.format(
                        "%s %d -> %d (%+.0f%%)",
                        e.getKey(), before, e.getValue(), 100.0 * (e.getValue() - before) / before));
            }
        }
        return QualityCheck.of(
                "row_counts_vs_previous",
                off.size(),
                true,
                off.isEmpty()
                        ? String.format("every table within %.0f%% of the previous run", tolerance * 100)
                        : "beyond " + Math.round(tolerance * 100) + "%: " + String.join(", ", off));
    }
}
