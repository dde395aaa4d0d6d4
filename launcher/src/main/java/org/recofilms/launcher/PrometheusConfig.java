package org.recofilms.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local Prometheus's configuration, derived from the project's {@code prometheus/prometheus.yml}
 * (the compose one) so that there is one source for the scrape settings and the alert rules:
 *
 * <ul>
 *   <li>{@code global} is kept (intervals, timeout, external labels); an interval given to the
 *       launcher replaces the scrape and evaluation intervals, the timeout capped at it;
 *   <li>{@code rule_files} name the same files, their patterns made absolute against the project
 *       file's folder (Prometheus reads the rules in place: nothing is copied or forked);
 *   <li>the {@value #APP_JOB} job keeps its settings ({@code metrics_path} ...) but its service
 *       discovery (compose's DNS) becomes one static target per app instance of this launch, each
 *       labelled with its name and role;
 *   <li>the {@value #SELF_JOB} job scrapes this Prometheus on its own port;
 *   <li>other jobs and {@code alerting} are dropped: they name compose services (an Alertmanager)
 *       that do not run here. Firing alerts are on Prometheus's /alerts page and /api/v1/alerts.
 * </ul>
 */
final class PrometheusConfig {

    /** The job that scrapes the app's /q/metrics. */
    static final String APP_JOB = "reco-films";
    /** The job that scrapes Prometheus itself. */
    static final String SELF_JOB = "prometheus";

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** One app instance to scrape: its name (app, api-1, worker-1), role and host:port. */
    record Target(String name, String role, String address) {}

    private PrometheusConfig() {}

    /** Reads the project's file and writes the derived configuration to {@code out}. */
    static void write(Path projectConfig, List<Target> targets, int selfPort, Optional<String> interval, Path out)
            throws IOException {
        Map<String, Object> project = yaml().readValue(projectConfig.toFile(), Map.class);
        Map<String, Object> local =
                derive(project, projectConfig.toAbsolutePath().getParent(), targets, selfPort, interval);
        Files.createDirectories(out.getParent());
        Files.writeString(
                out,
                "# Written by the launcher at each start from "
                        + projectConfig.toAbsolutePath().normalize()
                        + ";\n# edit that file, not this one (see PrometheusConfig).\n"
                        + yaml().writeValueAsString(local));
    }

    /** The local configuration from the project's, parsed; {@code configDir} is the project file's folder. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> derive(
            Map<String, Object> project,
            Path configDir,
            List<Target> targets,
            int selfPort,
            Optional<String> interval) {
        Map<String, Object> local = new LinkedHashMap<>();
        Map<String, Object> global =
                new LinkedHashMap<>((Map<String, Object>) project.getOrDefault("global", Map.of()));
        interval.ifPresent(i -> {
            Duration every = parseDuration(i);
            global.put("scrape_interval", i);
            global.put("evaluation_interval", i);
            Object timeout = global.get("scrape_timeout");
            if (timeout == null || parseDuration(timeout.toString()).compareTo(every) > 0) {
                global.put("scrape_timeout", i);
            }
        });
        local.put("global", global);

        List<String> rules = new ArrayList<>();
        for (Object pattern : (List<Object>) project.getOrDefault("rule_files", List.of())) {
            rules.add(configDir
                    .resolve(pattern.toString())
                    .toAbsolutePath()
                    .normalize()
                    .toString());
        }
        local.put("rule_files", rules);

        List<Map<String, Object>> jobs = new ArrayList<>();
        boolean appJob = false;
        for (Map<String, Object> job : (List<Map<String, Object>>) project.getOrDefault("scrape_configs", List.of())) {
            String name = String.valueOf(job.get("job_name"));
            if (name.equals(APP_JOB)) {
                jobs.add(withStaticTargets(job, appTargets(targets)));
                appJob = true;
            } else if (name.equals(SELF_JOB)) {
                jobs.add(withStaticTargets(job, List.of(Map.of("targets", List.of("127.0.0.1:" + selfPort)))));
            }
        }
        if (!appJob) {
            throw new IllegalArgumentException("the project's Prometheus configuration has no '" + APP_JOB
                    + "' job (scrape_configs) to point at the app instances");
        }
        local.put("scrape_configs", jobs);
        return local;
    }

    private static List<Map<String, Object>> appTargets(List<Target> targets) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Target t : targets) {
            Map<String, Object> labels = new LinkedHashMap<>();
            labels.put("instance_name", t.name());
            labels.put("role", t.role());
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("targets", List.of(t.address()));
            group.put("labels", labels);
            groups.add(group);
        }
        return groups;
    }

    /** The job with its settings kept and any service discovery replaced by {@code staticConfigs}. */
    private static Map<String, Object> withStaticTargets(Map<String, Object> job, List<Map<String, Object>> groups) {
        Map<String, Object> local = new LinkedHashMap<>();
        job.forEach((key, value) -> {
            if (!key.endsWith("_sd_configs") && !key.equals("static_configs")) {
                local.put(key, value);
            }
        });
        local.put("static_configs", groups);
        return local;
    }

    /** A Prometheus duration of one unit (500ms, 5s, 1m, 2h): the form --prometheus-interval takes. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(
                    "not a Prometheus duration such as 5s, 500ms, 1m or 2h (one unit, above 0): '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    }
}
