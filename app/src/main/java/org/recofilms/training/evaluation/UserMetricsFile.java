package org.recofilms.training.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-user full-ranking metrics of a model's test users, written beside its artifacts ({@value #FILE}) so that
 * promotion can pair a challenger with the champion user by user without re-evaluating either: JSON with the held-out
 * set, its fingerprint ({@link FullRankingProtocol.HeldOut#fingerprint()}), the ascending user ids and one array per
 * metric. About 10,000 users at ML-20M scale: under 1 MB.
 */
public final class UserMetricsFile {

    /** File name in the artifact folder. */
    public static final String FILE = "full_ranking_users.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the file holds. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Content(
            String protocol,
            String users,
            String splitFingerprint,
            int catalogueSize,
            double coverage20,
            int[] userIds,
            Map<String, double[]> metrics) {}

    private UserMetricsFile() {}

    public static void write(Path file, FullRankingMetrics m) throws IOException {
        Map<String, double[]> metrics = new LinkedHashMap<>();
        for (FullRankingMetrics.Metric metric : FullRankingMetrics.Metric.values()) {
            metrics.put(metric.key(), m.perUser(metric));
        }
        Content content = new Content(
                "full_ranking",
                m.evaluatedOn().name().toLowerCase(java.util.Locale.ROOT),
                m.splitFingerprint(),
                m.catalogueSize(),
                m.coverage20(),
                m.userIds(),
                metrics);
        Files.write(file, JSON.writeValueAsBytes(content));
    }

    public static FullRankingMetrics read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static FullRankingMetrics read(InputStream in) throws IOException {
        Content c = JSON.readValue(in, Content.class);
        if (!"full_ranking".equals(c.protocol()) || c.userIds() == null || c.metrics() == null) {
            throw new IOException("not a full-ranking per-user metrics file");
        }
        Map<FullRankingMetrics.Metric, double[]> values = new EnumMap<>(FullRankingMetrics.Metric.class);
        for (FullRankingMetrics.Metric metric : FullRankingMetrics.Metric.values()) {
            double[] v = c.metrics().get(metric.key());
            if (v == null) {
                throw new IOException("per-user metrics file without " + metric.key());
            }
            values.put(metric, v);
        }
        try {
            return new FullRankingMetrics(
                    FullRankingProtocol.Users.valueOf(c.users().toUpperCase(java.util.Locale.ROOT)),
                    c.splitFingerprint(),
                    c.userIds(),
                    values,
                    c.coverage20(),
                    c.catalogueSize());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("malformed per-user metrics file: " + e.getMessage(), e);
        }
    }
}
