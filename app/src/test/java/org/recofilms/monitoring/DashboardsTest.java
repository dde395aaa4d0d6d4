package org.recofilms.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The test helper that reads the dashboards: PromQL names and Grafana macros. */
class DashboardsTest {

    @Test
    void metricNamesLeaveOutFunctionsKeywordsLabelsAndNumbers() {
        assertEquals(
                Set.of("reco_pipeline_runs_total"),
                Dashboards.metricNames("sum by (kind) (increase(reco_pipeline_runs_total{status=\"failed\"}[15m])) > 0"
                        + " or count by (kind) (reco_pipeline_runs_total{status=\"failed\"}"
                        + " unless reco_pipeline_runs_total{status=\"failed\"} offset 15m)"));
        assertEquals(
                Set.of("http_server_requests_seconds_bucket"),
                Dashboards.metricNames("histogram_quantile(0.99, sum by (le) (rate("
                        + "http_server_requests_seconds_bucket{uri=\"/recommend\"}[5m]))) > 0.005"));
        assertEquals(
                Set.of("reco_training_last_success"),
                Dashboards.metricNames("time() - max(max_over_time(reco_training_last_success[48h])) > 48 * 3600"));
        assertEquals(
                Set.of("reco_recommend_fallbacks_total", "reco_recommendations_total"),
                Dashboards.metricNames(
                        "sum(rate(reco_recommend_fallbacks_total[5m])) / sum(rate(reco_recommendations_total[5m]))"));
        assertEquals(Set.of("up"), Dashboards.metricNames("up{job=\"reco-films\"} == 0"));
        assertEquals(Set.of("a", "b"), Dashboards.metricNames("a / on (x) group_left (y) b + 1e-6"));
    }

    @Test
    void timeMacrosBecomeAWideRangeAndAnythingElseIsRefused() {
        assertEquals(
                "SELECT 1 WHERE to_date(p, 'YYYY-MM') BETWEEN " + Dashboards.FROM + " AND " + Dashboards.TO
                        + " AND t > " + Dashboards.FROM,
                Dashboards.expandMacros("SELECT 1 WHERE $__timeFilter(to_date(p, 'YYYY-MM')) AND t > $__timeFrom()"));
        assertThrows(AssertionError.class, () -> Dashboards.expandMacros("SELECT $genre"));
    }
}
