package org.recofilms.platform;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Prometheus's HTTP query API ({@code reco.monitoring.prometheus-url}), called without blocking and
 * bounded by {@code reco.monitoring.prometheus-timeout}. Callers pass fixed expressions only (never a
 * user's PromQL). A Prometheus that does not answer, or answers anything but {@code "success"}, is a
 * {@link PrometheusUnavailable}, which callers show as "unavailable", never as a 500.
 */
@ApplicationScoped
public class PrometheusApi {

    /** Prometheus is configured but could not answer. */
    public static final class PrometheusUnavailable extends RuntimeException {
        public PrometheusUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One firing alert of Prometheus's /api/v1/alerts. */
    public record Alert(
            String name,
            @Schema(nullable = true) String severity,
            @Schema(nullable = true) String summary,

            @Schema(description = "the alert's labels, alertname included")
            Map<String, String> labels,

            @JsonProperty("active_at") @Schema(nullable = true)
            String activeAt) {}

    private final Optional<String> url;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;

    @Inject
    public PrometheusApi(RecoConfig config, ObjectMapper json) {
        this(config.monitoring().prometheusUrl(), config.monitoring().prometheusTimeout(), json);
    }

    PrometheusApi(Optional<String> url, Duration timeout, ObjectMapper json) {
        this.url = url.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                .filter(u -> !u.isBlank());
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The configured base URL; empty when Prometheus is not configured. */
    public Optional<String> url() {
        return url;
    }

    /** The {@code data} of a GET of {@code path} with the given query parameters. */
    public Uni<JsonNode> get(String path, Map<String, String> params) {
        String base = url.orElseThrow(() -> new IllegalStateException("reco.monitoring.prometheus-url is not set"));
        StringBuilder uri = new StringBuilder(base).append(path);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            uri.append(sep)
                    .append(p.getKey())
                    .append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString()))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        return Uni.createFrom()
                .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .ifNoItem()
                .after(timeout.plusMillis(200))
                .failWith(() -> new PrometheusUnavailable(
                        "Prometheus at " + base + " did not answer within " + timeout.toMillis() + " ms", null))
                .onFailure(e -> !(e instanceof PrometheusUnavailable))
                .transform(e -> new PrometheusUnavailable(
                        "Prometheus at " + base + " could not be reached: " + Failures.describe(e), e))
                .map(response -> {
                    try {
                        JsonNode body = json.readTree(response.body());
                        if (response.statusCode() != 200
                                || !"success".equals(body.path("status").asText())) {
                            throw new PrometheusUnavailable(
                                    "Prometheus at " + base + " answered HTTP " + response.statusCode() + ": "
                                            + body.path("error").asText(""),
                                    null);
                        }
                        return body.path("data");
                    } catch (java.io.IOException e) {
                        throw new PrometheusUnavailable(
                                "Prometheus at " + base + " answered HTTP " + response.statusCode()
                                        + " with a body that is not JSON",
                                e);
                    }
                });
    }

    /** The alerts in state "firing" (pending ones left out), by name. */
    public Uni<List<Alert>> firingAlerts() {
        return get("/api/v1/alerts", Map.of()).map(data -> {
            List<Alert> out = new ArrayList<>();
            for (JsonNode a : data.path("alerts")) {
                if (!"firing".equals(a.path("state").asText())) {
                    continue;
                }
                Map<String, String> labels = new TreeMap<>();
                a.path("labels")
                        .fields()
                        .forEachRemaining(
                                f -> labels.put(f.getKey(), f.getValue().asText()));
                out.add(new Alert(
                        labels.getOrDefault("alertname", "?"),
                        labels.get("severity"),
                        a.path("annotations").hasNonNull("summary")
                                ? a.path("annotations").path("summary").asText()
                                : null,
                        labels,
                        a.hasNonNull("activeAt") ? a.path("activeAt").asText() : null));
            }
            out.sort(java.util.Comparator.comparing(Alert::name));
            return out;
        });
    }
}
