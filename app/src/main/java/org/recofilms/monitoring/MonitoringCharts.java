package org.recofilms.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The series of the web demo's Monitoring page, read with the Grafana panels' own SQL
 * ({@link DashboardQuery}) over the whole history, on a read-only connection as Grafana reads.
 * A period whose value is NULL (a day with no rating has no mean) has no point.
 */
@ApplicationScoped
public class MonitoringCharts {

    /** PSI below this is stable (the drift dashboard's first threshold). */
    public static final double PSI_STABLE_BELOW = 0.1;

    /** PSI above this is a strong drift (the dashboard's second threshold, alert RecoDataDrift). */
    public static final double PSI_STRONG_ABOVE = 0.25;

    private static final int QUERY_TIMEOUT_SECONDS = 10;

    /** One period and its value; time is an ISO date (the period's first day). */
    public record Point(String time, double value) {}

    /** The data KPIs of one period type. */
    public record Kpis(
            @Schema(description = "ratings per period (nb_notes)")
            List<Point> ratings,

            @JsonProperty("active_users") @Schema(description = "users who rated in the period (nb_users)")
            List<Point> activeUsers,

            @JsonProperty("mean_rating") @Schema(description = "mean rating of the period (avg_rating)")
            List<Point> meanRating) {}

    /** PSI of each month against the one before. */
    public record Drift(
            @JsonProperty("psi_rating") List<Point> psiRating,
            @JsonProperty("psi_genre") List<Point> psiGenre,
            @JsonProperty("stable_below") double stableBelow,
            @JsonProperty("strong_above") double strongAbove) {}

    /** One pipeline run, as the Pipeline health dashboard lists it. */
    public record Run(
            String id,
            String kind,
            String status,
            String trigger,
            @JsonProperty("requested_at") String requestedAt,

            @Schema(nullable = true, description = "started to finished; null until the run ends")
            Double seconds,

            @Schema(nullable = true) String steps,
            @Schema(nullable = true) String error) {}

    /** Body of GET /monitoring/charts. */
    public record Charts(
            Kpis daily,
            Kpis monthly,
            Drift drift,

            @Schema(description = "newest first, at most 50")
            List<Run> runs) {}

    private final AgroalDataSource dataSource;

    public MonitoringCharts(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Charts read() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            try {
                Map<String, List<Point>> monthly = byMetric(c, DashboardQuery.MONTHLY_COUNTS);
                return new Charts(
                        new Kpis(
                                points(c, DashboardQuery.DAILY_RATINGS),
                                points(c, DashboardQuery.DAILY_ACTIVE_USERS),
                                points(c, DashboardQuery.DAILY_MEAN_RATING)),
                        new Kpis(
                                monthly.getOrDefault("nb_notes", List.of()),
                                monthly.getOrDefault("nb_users", List.of()),
                                points(c, DashboardQuery.MONTHLY_MEAN_RATING)),
                        new Drift(
                                points(c, DashboardQuery.PSI_RATING),
                                points(c, DashboardQuery.PSI_GENRE),
                                PSI_STABLE_BELOW,
                                PSI_STRONG_ABOVE),
                        runs(c));
            } finally {
                c.setReadOnly(false);
            }
        }
    }

    /** A (time, value) query. */
    private static List<Point> points(Connection c, DashboardQuery query) throws SQLException {
        List<Point> out = new ArrayList<>();
        try (Statement st = statement(c);
                ResultSet rs = st.executeQuery(query.sql())) {
            while (rs.next()) {
                double value = rs.getDouble(2);
                if (!rs.wasNull()) {
                    out.add(new Point(rs.getString(1), value));
                }
            }
        }
        return out;
    }

    /** A (time, metric, value) query, one series per metric. */
    private static Map<String, List<Point>> byMetric(Connection c, DashboardQuery query) throws SQLException {
        Map<String, List<Point>> out = new LinkedHashMap<>();
        try (Statement st = statement(c);
                ResultSet rs = st.executeQuery(query.sql())) {
            while (rs.next()) {
                double value = rs.getDouble("value");
                if (!rs.wasNull()) {
                    out.computeIfAbsent(rs.getString("metric"), k -> new ArrayList<>())
                            .add(new Point(rs.getString("time"), value));
                }
            }
        }
        return out;
    }

    private static List<Run> runs(Connection c) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (Statement st = statement(c);
                ResultSet rs = st.executeQuery(DashboardQuery.RECENT_RUNS.sql())) {
            while (rs.next()) {
                BigDecimal seconds = rs.getBigDecimal("seconds");
                out.add(new Run(
                        rs.getString("id"),
                        rs.getString("kind"),
                        rs.getString("status"),
                        rs.getString("trigger"),
                        rs.getObject("requested_at", OffsetDateTime.class)
                                .toInstant()
                                .toString(),
                        seconds == null ? null : seconds.doubleValue(),
                        rs.getString("steps"),
                        rs.getString("error")));
            }
        }
        return out;
    }

    private static Statement statement(Connection c) throws SQLException {
        Statement st = c.createStatement();
        st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        return st;
    }
}
