package org.recofilms.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (the {@code prometheus} binary on PATH, e.g. Debian's package
 * {@code prometheus}) scraping the app instances with the project's scrape settings and alert rules
 * ({@link PrometheusConfig}), its TSDB under the launcher's home, listening on loopback only.
 */
public final class LocalPrometheus implements AutoCloseable {

    /** What the launcher prints when there is no binary. */
    static final String HOW_TO_GET =
            "apt-get install prometheus (Debian, Ubuntu), or a release from https://prometheus.io/download/ on PATH";

    private final ChildProcess process;
    private final int port;

    private LocalPrometheus(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The {@code prometheus} executable on this process's PATH. */
    public static Optional<Path> executable() {
        return find(System.getenv().getOrDefault("PATH", ""));
    }

    /** The first executable named {@code prometheus} in the folders of {@code path} (a PATH value). */
    static Optional<Path> find(String path) {
        for (String dir : path.split(":")) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir).resolve("prometheus");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** "2.42.0+ds" from {@code prometheus --version}, or "(version unknown)". */
    static String version(Path executable) {
        try {
            Process p = new ProcessBuilder(executable.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines()
                    .findFirst()
                    .filter(l -> l.contains("version "))
                    .map(l -> l.substring(l.indexOf("version ") + 8).split(" ")[0])
                    .orElse("(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(version unknown)";
        }
    }

    /**
     * Writes WORK/prometheus.yml from {@code projectConfig} for {@code targets}, then starts the
     * server on 127.0.0.1:{@code port} (0: any free port; a busy one: any free one) with its data in
     * WORK/data and its log in WORK/prometheus.log, and waits until /-/ready answers.
     */
    public static LocalPrometheus start(
            Path executable,
            Path workDir,
            int port,
            Path projectConfig,
            List<PrometheusConfig.Target> targets,
            Optional<String> interval)
            throws IOException {
        int chosen = FreePorts.pick(port);
        Path config = workDir.resolve("prometheus.yml");
        PrometheusConfig.write(projectConfig, targets, chosen, interval, config);
        Files.createDirectories(workDir.resolve("data"));
        List<String> command = List.of(
                executable.toString(),
                "--config.file=" + config.toAbsolutePath(),
                "--storage.tsdb.path=" + workDir.toAbsolutePath().resolve("data"),
                "--web.listen-address=127.0.0.1:" + chosen);
        ChildProcess server =
                ChildProcess.start("prometheus", command, workDir, Map.of(), workDir.resolve("prometheus.log"));
        OrphanGuard.watch("prometheus", server.pid());
        LocalPrometheus started = new LocalPrometheus(server, chosen);
        server.awaitHttpOk(
                "prometheus",
                "ready",
                URI.create(started.url() + "/-/ready"),
                Duration.ofSeconds(60),
                Duration.ofMillis(200));
        return started;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's process, for the launcher's supervision. */
    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
