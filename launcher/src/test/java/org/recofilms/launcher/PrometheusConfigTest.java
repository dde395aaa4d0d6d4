package org.recofilms.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local Prometheus configuration derived from the project's prometheus/prometheus.yml. */
class PrometheusConfigTest {

    /** The project's file (the launcher module's tests run in launcher/). */
    private static final Path PROJECT =
            Path.of("../prometheus/prometheus.yml").toAbsolutePath().normalize();

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final List<PrometheusConfig.Target> TWO_AND_ONE = List.of(
            new PrometheusConfig.Target("api-1", "api", "localhost:8080"),
            new PrometheusConfig.Target("api-2", "api", "localhost:40001"),
            new PrometheusConfig.Target("worker-1", "worker", "localhost:40002"));

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private Map<String, Object> written(List<PrometheusConfig.Target> targets, Optional<String> interval)
            throws Exception {
        Path out = dir.resolve("prometheus.yml");
        PrometheusConfig.write(PROJECT, targets, 9191, interval, out);
        return YAML.readValue(out.toFile(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> job(Map<String, Object> config, String name) {
        return ((List<Map<String, Object>>) config.get("scrape_configs"))
                .stream()
                        .filter(j -> name.equals(j.get("job_name")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no job " + name + " in " + config));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyInstanceIsAStaticTargetOfTheAppJobWhoseOtherSettingsAreTheProjects() throws Exception {
        Map<String, Object> project = YAML.readValue(PROJECT.toFile(), Map.class);
        Map<String, Object> config = written(TWO_AND_ONE, Optional.empty());

        Map<String, Object> app = job(config, PrometheusConfig.APP_JOB);
        assertEquals(job(project, PrometheusConfig.APP_JOB).get("metrics_path"), app.get("metrics_path"));
        assertEquals("/q/metrics", app.get("metrics_path"));
        assertFalse(app.keySet().stream().anyMatch(k -> k.endsWith("_sd_configs")), "no DNS discovery: " + app);
        List<Map<String, Object>> groups = (List<Map<String, Object>>) app.get("static_configs");
        assertEquals(3, groups.size(), groups.toString());
        assertEquals(List.of("localhost:8080"), groups.get(0).get("targets"));
        assertEquals(
                Map.of("instance_name", "api-1", "role", "api"), groups.get(0).get("labels"));
        assertEquals(List.of("localhost:40001"), groups.get(1).get("targets"));
        assertEquals(List.of("localhost:40002"), groups.get(2).get("targets"));
        assertEquals(
                Map.of("instance_name", "worker-1", "role", "worker"),
                groups.get(2).get("labels"));

        Map<String, Object> self = job(config, PrometheusConfig.SELF_JOB);
        assertEquals(
                List.of(Map.of("targets", List.of("127.0.0.1:9191"))),
                self.get("static_configs"),
                "Prometheus scrapes itself on its own port, not compose's 9090");

        assertEquals(project.get("global"), config.get("global"), "the project's intervals and external labels");
        assertFalse(config.containsKey("alerting"), "no Alertmanager runs here");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRuleFilesAreTheProjectsOwnReadInPlace() throws Exception {
        Map<String, Object> config = written(TWO_AND_ONE, Optional.empty());
        List<String> rules = (List<String>) config.get("rule_files");
        assertEquals(
                List.of(PROJECT.getParent().resolve("rules/*.yml").toString()),
                rules,
                "the project's patterns, absolute against prometheus/");
        try (var files = Files.newDirectoryStream(PROJECT.getParent().resolve("rules"), "*.yml")) {
            assertTrue(files.iterator().hasNext(), "the pattern names the project's rule files");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anIntervalReplacesTheScrapeAndEvaluationIntervalsAndCapsTheTimeout() throws Exception {
        Map<String, Object> global =
                (Map<String, Object>) written(TWO_AND_ONE, Optional.of("2s")).get("global");
        assertEquals("2s", global.get("scrape_interval"));
        assertEquals("2s", global.get("evaluation_interval"));
        assertEquals("2s", global.get("scrape_timeout"), "a timeout above the interval is refused by Prometheus");
        assertEquals(Map.of("platform", "reco-films"), global.get("external_labels"));

        global = (Map<String, Object>) written(TWO_AND_ONE, Optional.of("1m")).get("global");
        assertEquals("1m", global.get("scrape_interval"));
        assertEquals("10s", global.get("scrape_timeout"), "the project's timeout, below the interval, is kept");
    }

    @Test
    @SuppressWarnings("unchecked")
    void jobsAndAlertingThatNameComposeServicesAreDroppedAndTheAppJobIsRequired() {
        Map<String, Object> project = Map.of(
                "alerting", Map.of("alertmanagers", List.of(Map.of("static_configs", List.of()))),
                "scrape_configs",
                        List.of(
                                Map.of("job_name", "kafka-exporter", "static_configs", List.of()),
                                Map.of(
                                        "job_name",
                                        "reco-films",
                                        "metrics_path",
                                        "/q/metrics",
                                        "static_configs",
                                        List.of(Map.of("targets", List.of("app:8080"))))));
        Map<String, Object> local = PrometheusConfig.derive(
                project,
                Path.of("/etc/prometheus"),
                List.of(new PrometheusConfig.Target("app", "all", "localhost:8080")),
                9090,
                Optional.empty());
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) local.get("scrape_configs");
        assertEquals(1, jobs.size(), jobs.toString());
        assertEquals(
                List.of(Map.of(
                        "targets", List.of("localhost:8080"), "labels", Map.of("instance_name", "app", "role", "all"))),
                jobs.get(0).get("static_configs"),
                "compose's app:8080 replaced by the local instance");
        assertFalse(local.containsKey("alerting"));

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PrometheusConfig.derive(
                        Map.of("scrape_configs", List.of(Map.of("job_name", "other"))),
                        Path.of("/etc/prometheus"),
                        List.of(),
                        9090,
                        Optional.empty()));
        assertTrue(e.getMessage().contains("no 'reco-films' job"), e.getMessage());
    }

    @Test
    void durationsTakeOneUnitAboveZero() {
        assertEquals(Duration.ofMillis(500), PrometheusConfig.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(5), PrometheusConfig.parseDuration("5s"));
        assertEquals(Duration.ofMinutes(1), PrometheusConfig.parseDuration("1m"));
        assertEquals(Duration.ofHours(2), PrometheusConfig.parseDuration("2h"));
        for (String bad : List.of("0s", "5", "1m30s", "-5s", "fast", "")) {
            assertThrows(IllegalArgumentException.class, () -> PrometheusConfig.parseDuration(bad), bad);
        }
    }

    /** promtool (Debian package prometheus, which .ci/run installs) accepts the derived file and its rules. */
    @Test
    void promtoolAcceptsTheDerivedConfigurationWithTheProjectsRules() throws Exception {
        Path out = dir.resolve("prometheus.yml");
        PrometheusConfig.write(PROJECT, TWO_AND_ONE, 9191, Optional.of("2s"), out);
        List<String> command = new ArrayList<>(List.of("promtool", "check", "config", out.toString()));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("promtool is not installed (apt-get install prometheus): " + e.getMessage());
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), "promtool check config:\n" + output + "\n" + Files.readString(out));
        assertTrue(output.contains("SUCCESS: 2 rule files found"), output);
    }

    @Test
    void theBinaryIsTheFirstExecutablePrometheusOnThePath() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path notExecutable = Files.createDirectory(dir.resolve("not-executable"));
        Files.writeString(notExecutable.resolve("prometheus"), "");
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path binary = bin.resolve("prometheus");
        Files.writeString(binary, "#!/bin/sh\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(Optional.empty(), LocalPrometheus.find(empty + ":" + notExecutable));
        assertEquals(Optional.empty(), LocalPrometheus.find(""));
        assertEquals(Optional.of(binary), LocalPrometheus.find(empty + "::" + notExecutable + ":" + bin));
    }
}
