package org.recofilms.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recofilms.local.RealServicesResource;
import org.recofilms.local.TestDatabase;

/**
 * The KPIs and PSI of a handful of ratings, each value worked out by hand in the comments, against
 * the real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
class DataMonitoringServiceTest {

    private static final double EPS = 1e-6;

    @Inject
    DataMonitoringService monitoring;

    @Inject
    PsiGauges gauges;

    @Inject
    AgroalDataSource dataSource;

    /*
     * movies: 1 Action|Comedy, 2 Drama, 3 (no genres listed), 4 Action|Sci Fi
     * 2014-12-15  u1 m1 4.0, u2 m2 3.0
     * 2015-01-10  u1 m2 5.0, u3 m1 4.0, u3 m3 0.5
     * 2015-01-20  u2 m4 4.0 (23:59:59)
     * 2015-02-01  u4 m1 3.0 (00:00:00), replaced by the feedback rating u4 m1 2.0 at 12:00
     */
    @BeforeEach
    void smallHistory() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DELETE FROM raw.feedback_ratings");
            st.execute("DELETE FROM raw.raw_ratings");
            st.execute("DELETE FROM raw.raw_movies");
            st.execute("DELETE FROM raw.monitoring_metrics");
            st.execute("INSERT INTO raw.raw_movies VALUES (1, 'A (2000)', 'Action|Comedy'), (2, 'B (2001)', 'Drama'),"
                    + " (3, 'C (2002)', '(no genres listed)'), (4, 'D (2003)', 'Action|Sci Fi')");
            // the tables no longer hold what the last ingestion loaded: say so in the run log, so that
            // a later test that loads the same files again does not take it for a no-op
            st.execute("INSERT INTO raw.ingestion_run_log (run_id, source, status, finished_at, dataset_md5)"
                    + " VALUES (gen_random_uuid(), 'written by DataMonitoringServiceTest', 'SUCCESS', now(),"
                    + " 'DataMonitoringServiceTest')");
        }
        rating("raw_ratings", 1, 1, 4.0, at(2014, 12, 15, 10, 0, 0));
        rating("raw_ratings", 2, 2, 3.0, at(2014, 12, 15, 11, 0, 0));
        rating("raw_ratings", 1, 2, 5.0, at(2015, 1, 10, 0, 0, 0));
        rating("raw_ratings", 3, 1, 4.0, at(2015, 1, 10, 12, 0, 0));
        rating("raw_ratings", 3, 3, 0.5, at(2015, 1, 10, 23, 59, 59));
        rating("raw_ratings", 2, 4, 4.0, at(2015, 1, 20, 23, 59, 59));
        rating("raw_ratings", 4, 1, 3.0, at(2015, 2, 1, 0, 0, 0));
        rating("feedback_ratings", 4, 1, 2.0, at(2015, 2, 1, 12, 0, 0));
    }

    @Test
    void aDayItsMonthAndItsYear() throws SQLException {
        MonitoringSummary summary = monitoring.run(LocalDate.of(2015, 1, 10));
        assertEquals(3, summary.periods());
        Map<String, Double> day = metrics("daily", "2015-01-10");
        assertEquals(3, day.get("nb_notes"));
        assertEquals(2, day.get("nb_users"));
        assertEquals(3, day.get("nb_movies"));
        assertEquals((5.0 + 4.0 + 0.5) / 3, day.get("avg_rating"), 1e-12);
        assertEquals(1, day.get("nb_new_users"), "u3; u1 rated first in December");
        assertEquals(1, day.get("nb_new_movies"), "m3; m2 was rated in December");
        assertEquals(3, day.get("nb_new_ratings"));
        assertEquals(7, day.size(), "a day has the core KPIs only: " + day);

        Map<String, Double> month = metrics("monthly", "2015-01");
        assertEquals(4, month.get("nb_notes"));
        assertEquals(3, month.get("nb_users"));
        assertEquals(4, month.get("nb_movies"));
        assertEquals(13.5 / 4, month.get("avg_rating"), 1e-12);
        assertEquals(1, month.get("nb_new_users"));
        assertEquals(2, month.get("nb_new_movies"), "m3 and m4");
        assertEquals(25, month.get("pct_rating_5_0"), 1e-12);
        assertEquals(50, month.get("pct_rating_4_0"), 1e-12);
        assertEquals(25, month.get("pct_rating_0_5"), 1e-12);
        // ratings by genre: m2 Drama; m1 Action, Comedy; m3 none; m4 Action, Sci Fi
        assertEquals(40, month.get("pct_genre_Action"), 1e-12);
        assertEquals(20, month.get("pct_genre_Comedy"), 1e-12);
        assertEquals(20, month.get("pct_genre_Drama"), 1e-12);
        assertEquals(20, month.get("pct_genre_Sci_Fi"), 1e-12);
        assertEquals(5.0 / 3, month.get("avg_genres_per_movie"), 1e-12, "m2 1, m1 2, m4 2; m3 has none");
        // December: 4.0 and 3.0 half each; January: 5.0 1/4, 4.0 1/2, 0.5 1/4, 3.0 none
        assertEquals(
                psi(new double[] {0.25, 0.5, 0.25, 0}, new double[] {0, 0.5, 0, 0.5}),
                month.get("psi_rating_prev_month"),
                1e-9);
        // December: Action, Comedy, Drama a third each; January: 0.4, 0.2, 0.2 and Sci Fi 0.2
        assertEquals(
                psi(new double[] {0.4, 0.2, 0.2, 0.2}, new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 0}),
                month.get("psi_genre_prev_month"),
                1e-9);
        assertEquals(17, month.size(), month.toString());

        Map<String, Double> year = metrics("yearly", "2015");
        assertEquals(5, year.get("nb_notes"));
        assertEquals(4, year.get("nb_users"));
        assertEquals(4, year.get("nb_movies"));
        assertEquals((13.5 + 2.0) / 5, year.get("avg_rating"), 1e-12, "the feedback rating replaces u4's 3.0");
        assertEquals(2, year.get("nb_new_users"), "u3 and u4");
        assertEquals(2, year.get("nb_new_movies"));
        assertEquals(20, year.get("pct_rating_2_0"), 1e-12);
        assertEquals(
                psi(new double[] {0.2, 0.4, 0.2, 0, 0.2}, new double[] {0, 0.5, 0, 0.5, 0}),
                year.get("psi_rating_prev_year"),
                1e-9);
        assertEquals(3, count("SELECT count(DISTINCT (period_type, period_value)) FROM raw.monitoring_metrics"));
        assertEquals(month.get("psi_rating_prev_month"), gauges.value("psi_rating_prev_month"), 1e-12);
        assertEquals(year.get("psi_genre_prev_year"), gauges.value("psi_genre_prev_year"), 1e-12);
    }

    @Test
    void aDayWithoutRatingsHasZeroCountsAndNoAverage() throws SQLException {
        monitoring.run(LocalDate.of(2015, 1, 11));
        Map<String, Double> day = metrics("daily", "2015-01-11");
        assertEquals(0, day.get("nb_notes"));
        assertEquals(0, day.get("nb_users"));
        assertEquals(0, day.get("nb_new_users"));
        assertTrue(day.containsKey("avg_rating"));
        assertNull(day.get("avg_rating"));
        assertEquals(4, metrics("monthly", "2015-01").get("nb_notes"));
    }

    @Test
    void backfillWritesEveryPeriodOfTheHistoryAndAgreesWithTheDailyRun() throws SQLException {
        monitoring.run(LocalDate.of(2015, 1, 10));
        Map<String, Double> month = metrics("monthly", "2015-01");
        rowOf("daily", "1999-01-01", "nb_notes", 7.0); // a period outside the history: removed

        MonitoringSummary summary = monitoring.backfill();
        // 2014-12-15 .. 2015-02-01: 17 + 31 + 1 days, 3 months, 2 years
        assertEquals(49 + 3 + 2, summary.periods());
        assertEquals(
                49,
                count("SELECT count(DISTINCT period_value) FROM raw.monitoring_metrics"
                        + " WHERE period_type = 'daily'"));
        assertEquals(summary.metrics(), count("SELECT count(*) FROM raw.monitoring_metrics"));
        assertEquals(month, metrics("monthly", "2015-01"));
        assertEquals(0, metrics("daily", "2014-12-16").get("nb_notes"));
        assertEquals(1, metrics("daily", "2015-02-01").get("nb_notes"));
        // November is empty: December against 1e-6 everywhere
        assertEquals(
                psi(new double[] {0.5, 0.5}, new double[] {0, 0}),
                metrics("monthly", "2014-12").get("psi_rating_prev_month"),
                1e-9);
        Map<String, Double> february = metrics("monthly", "2015-02");
        assertEquals(
                psi(new double[] {1, 0, 0, 0}, new double[] {0, 0.25, 0.5, 0.25}),
                february.get("psi_rating_prev_month"),
                1e-9);
        assertEquals(february.get("psi_rating_prev_month"), gauges.value("psi_rating_prev_month"), 1e-12);
        assertEquals(0, count("SELECT count(*) FROM raw.monitoring_metrics WHERE period_value = '1999-01-01'"));
    }

    @Test
    void runningTwiceGivesTheSameRowsAndDropsWhatNoLongerHolds() throws SQLException {
        monitoring.backfill();
        Map<String, Double> first = all();
        monitoring.backfill();
        assertEquals(first, all());
        monitoring.run(LocalDate.of(2015, 1, 10));
        assertEquals(first, all(), "a daily run writes the same values as the backfill");
        assertEquals(
                0,
                count("SELECT count(*) FROM pg_class WHERE relpersistence = 't' AND relname LIKE 'mon\\_%'"),
                "no temporary table outlives a run in the pooled sessions");

        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DELETE FROM raw.raw_ratings WHERE rating = 0.5");
        }
        monitoring.run(LocalDate.of(2015, 1, 10));
        Map<String, Double> month = metrics("monthly", "2015-01");
        assertFalse(month.containsKey("pct_rating_0_5"), month.toString());
        assertEquals(3, month.get("nb_notes"));
    }

    /** sum((p - q) ln(p / q)) with both floored at 1e-6, as the seed computes it. */
    private static double psi(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double a = Math.max(p[i], EPS);
            double b = Math.max(q[i], EPS);
            sum += (a - b) * Math.log(a / b);
        }
        return sum;
    }

    private static long at(int y, int m, int d, int h, int min, int s) {
        return LocalDateTime.of(y, m, d, h, min, s).toEpochSecond(ZoneOffset.UTC);
    }

    private void rating(String table, int user, int movie, double rating, long ts) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO raw." + table
                        + " (\"userId\", \"movieId\", rating, \"timestamp\") VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, user);
            ps.setInt(2, movie);
            ps.setDouble(3, rating);
            ps.setLong(4, ts);
            ps.executeUpdate();
        }
    }

    private void rowOf(String type, String value, String name, double metric) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO raw.monitoring_metrics"
                        + " (period_type, period_value, metric_name, metric_value) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, type);
            ps.setString(2, value);
            ps.setString(3, name);
            ps.setDouble(4, metric);
            ps.executeUpdate();
        }
    }

    private Map<String, Double> metrics(String type, String value) throws SQLException {
        Map<String, Double> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT metric_name, metric_value FROM raw.monitoring_metrics"
                        + " WHERE period_type = ? AND period_value = ?")) {
            ps.setString(1, type);
            ps.setString(2, value);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    double v = rs.getDouble(2);
                    out.put(name, rs.wasNull() ? null : v);
                }
            }
        }
        return out;
    }

    private Map<String, Double> all() throws SQLException {
        Map<String, Double> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT period_type || ' ' || period_value || ' ' || metric_name,"
                        + " metric_value FROM raw.monitoring_metrics")) {
            while (rs.next()) {
                String key = rs.getString(1);
                double v = rs.getDouble(2);
                out.put(key, rs.wasNull() ? null : v);
            }
        }
        return out;
    }

    private long count(String sql) throws SQLException {
        return TestDatabase.count(dataSource, sql);
    }
}
