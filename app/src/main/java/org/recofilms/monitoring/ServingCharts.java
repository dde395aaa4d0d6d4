package org.recofilms.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.recofilms.platform.PrometheusApi;

/**
 * The serving side of the Monitoring page, read from Prometheus: /recommend latency p50 and p99 (in
 * seconds) and the request rate over the last 30 minutes ({@link PrometheusPanelQuery}), and the
 * firing alerts. Prometheus absent or down is an answer ({@code available} false and why), not an error.
 */
@ApplicationScoped
public class ServingCharts {

    static final Duration WINDOW = Duration.ofMinutes(30);
    static final Duration STEP = Duration.ofSeconds(5);

    /** One instant and its value. */
    public record Sample(String time, double value) {}

    /** Body of GET /monitoring/prometheus. */
    public record Serving(
            @Schema(description = "false when Prometheus is not configured or did not answer")
            boolean available,

            @Schema(nullable = true, description = "why not available; null when it is")
            String detail,

            @JsonProperty("prometheus_url") @Schema(nullable = true)
            String prometheusUrl,

            @JsonProperty("window_seconds") long windowSeconds,

            @JsonProperty("recommend_p50") @Schema(description = "seconds; empty when not available")
            List<Sample> recommendP50,

            @JsonProperty("recommend_p99") @Schema(description = "seconds")
            List<Sample> recommendP99,

            @JsonProperty("request_rate") @Schema(description = "requests per second, every route")
            List<Sample> requestRate,

            @Schema(description = "alerts in state firing") List<PrometheusApi.Alert> alerts) {}

    private final PrometheusApi prometheus;

    public ServingCharts(PrometheusApi prometheus) {
        this.prometheus = prometheus;
    }

    public Uni<Serving> read() {
        String url = prometheus.url().orElse(null);
        if (url == null) {
            return Uni.createFrom()
                    .item(unavailable("Prometheus is not configured: set reco.monitoring.prometheus-url", null));
        }
        Instant end = Instant.now();
        Instant start = end.minus(WINDOW);
        return Uni.combine()
                .all()
                .unis(
                        range(PrometheusPanelQuery.RECOMMEND_P50, start, end),
                        range(PrometheusPanelQuery.RECOMMEND_P99, start, end),
                        range(PrometheusPanelQuery.REQUEST_RATE, start, end),
                        prometheus.firingAlerts())
                .asTuple()
                .map(t -> new Serving(
                        true, null, url, WINDOW.toSeconds(), t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4()))
                .onFailure()
                .recoverWithItem(e -> unavailable("Prometheus unavailable: " + e.getMessage(), url));
    }

    private Serving unavailable(String why, String url) {
        return new Serving(false, why, url, WINDOW.toSeconds(), List.of(), List.of(), List.of(), List.of());
    }

    /** A range query's first series (each expression aggregates to one); NaN samples left out. */
    private Uni<List<Sample>> range(PrometheusPanelQuery query, Instant start, Instant end) {
        return prometheus
                .get(
                        "/api/v1/query_range",
                        Map.of(
                                "query", query.expr(),
                                "start", Long.toString(start.getEpochSecond()),
                                "end", Long.toString(end.getEpochSecond()),
                                "step", STEP.toSeconds() + "s"))
                .map(data -> {
                    List<Sample> out = new ArrayList<>();
                    JsonNode result = data.path("result");
                    if (result.isEmpty()) {
                        return out;
                    }
                    for (JsonNode v : result.get(0).path("values")) {
                        double value = parse(v.get(1).asText());
                        if (Double.isFinite(value)) {
                            long seconds = (long) v.get(0).asDouble();
                            out.add(new Sample(Instant.ofEpochSecond(seconds).toString(), value));
                        }
                    }
                    return out;
                });
    }

    private static double parse(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
