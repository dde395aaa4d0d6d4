package org.recofilms.monitoring;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.recofilms.platform.MetricNames;

/**
 * The latest PSI of each kind as a gauge, so that Prometheus can alert on drift: the value of the
 * most recent month (year) that has one, NaN before the first monitoring run. Every instance reads
 * it from raw.monitoring_metrics on a schedule, whichever instance ran the job.
 */
@ApplicationScoped
public class PsiGauges {

    private static final Logger LOG = Logger.getLogger(PsiGauges.class);

    /** metric name to its period type; one gauge each. */
    static final Map<String, String> PSI_METRICS = Map.of(
            "psi_rating_prev_month", "monthly",
            "psi_genre_prev_month", "monthly",
            "psi_rating_prev_year", "yearly",
            "psi_genre_prev_year", "yearly");

    private static final String LATEST = """
            SELECT DISTINCT ON (metric_name) metric_name, metric_value
            FROM raw.monitoring_metrics
            WHERE metric_name = ANY (?) AND metric_value IS NOT NULL
            ORDER BY metric_name, period_value DESC
            """;

    private final AgroalDataSource dataSource;
    private final Map<String, AtomicLong> values = new LinkedHashMap<>();

    public PsiGauges(AgroalDataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        PSI_METRICS.forEach((metric, periodType) -> {
            AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
            values.put(metric, bits);
            Gauge.builder(MetricNames.MONITORING_PSI, bits, b -> Double.longBitsToDouble(b.get()))
                    .description("PSI of the latest month or year against the one before")
                    .tag("metric", metric)
                    .tag("period_type", periodType)
                    .register(registry);
        });
    }

    /** The latest values of raw.monitoring_metrics; a database that is down leaves the last ones. */
    @Scheduled(every = "${reco.monitoring.psi-refresh:60s}", delayed = "10s")
    public void refresh() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(LATEST)) {
            ps.setArray(1, c.createArrayOf("text", PSI_METRICS.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.get(rs.getString(1)).set(Double.doubleToLongBits(rs.getDouble(2)));
                }
            }
        } catch (SQLException e) {
            LOG.debugf("PSI gauges not refreshed: %s", e.getMessage());
        }
    }

    /** The gauge's current value of a PSI metric (NaN when none was read yet). */
    double value(String metric) {
        return Double.longBitsToDouble(values.get(metric).get());
    }
}
