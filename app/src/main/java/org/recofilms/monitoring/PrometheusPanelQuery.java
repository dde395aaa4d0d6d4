package org.recofilms.monitoring;

/**
 * The fixed PromQL of the API dashboard's panels that the Monitoring page charts through the app
 * (never a user's expression), each named by dashboard, panel and refId and written as the panel
 * has it: {@code DashboardQueryTest} fails when the two differ.
 */
public enum PrometheusPanelQuery {
    RECOMMEND_P50(
            "recommend_p50",
            "/recommend latency p50 and p99",
            "A",
            "histogram_quantile(0.5, sum by (le) (rate(http_server_requests_seconds_bucket{uri=\"/recommend\"}[5m])))"),
    RECOMMEND_P99(
            "recommend_p99",
            "/recommend latency p50 and p99",
            "B",
            "histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{uri=\"/recommend\"}[5m])))"),
    REQUEST_RATE(
            "request_rate",
            "Requests per second",
            "A",
            "sum(rate(http_server_requests_seconds_count{job=\"reco-films\"}[5m]))");

    /** The dashboard all of them come from. */
    public static final String DASHBOARD = "reco-api";

    private final String key;
    private final String panel;
    private final String refId;
    private final String expr;

    PrometheusPanelQuery(String key, String panel, String refId, String expr) {
        this.key = key;
        this.panel = panel;
        this.refId = refId;
        this.expr = expr;
    }

    /** The series' name in GET /monitoring/prometheus. */
    public String key() {
        return key;
    }

    public String panel() {
        return panel;
    }

    public String refId() {
        return refId;
    }

    public String expr() {
        return expr;
    }
}
