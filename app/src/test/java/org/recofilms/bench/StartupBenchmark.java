package org.recofilms.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.recofilms.launcher.LocalKafka;
import org.recofilms.launcher.LocalPostgres;
import org.recofilms.local.RepositoryRoot;

/**
 * Start-to-ready benchmark (issue 16): a bare Quarkus REST app (scripts/bare-quarkus) started five times, timed
 * from process start to its first 200, then the packaged app in role {@code api} on the ML-20M-scale model and
 * histories started five times, timed from process start to {@code /ready} 200; prints the medians, their ratio
 * and each one's RSS once ready. Same JVM and flags for both ({@code -Xmx1g}), on the same machine in the same
 * run. The first api start after a new local copy of the histories is written is timed apart (it loads them from
 * the Parquet snapshot or PostgreSQL). With an AppCDS archive in target/quarkus-app the api is also started five
 * times with it. {@code RECO_BENCH_API_VARIANT=K=V,...}: five more api starts with these environment variables
 * (to measure a change of settings); {@code RECO_BENCH_JAVA_OPTS}: JVM options for every api start (to profile
 * them). Run by scripts/bench-startup.sh. Asserts nothing.
 *
 * <p>The database (dataset and production model) lives in {@code WORK_DIR/startup-postgres}, the app's data
 * directory in {@code WORK_DIR/startup-data}; both are reused by the next run.
 *
 * <p>Arguments: DATASET_DIR WORK_DIR BARE_APP_DIR (the bare app's target/quarkus-app) [STARTS]
 */
public final class StartupBenchmark {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args[0]).toAbsolutePath();
        Path keep = Path.of(args[1]).toAbsolutePath();
        Path bare = Path.of(args[2]).toAbsolutePath();
        int starts = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Path work = Files.createTempDirectory("reco-bench-startup");
        Path api = Path.of("target/quarkus-app").toAbsolutePath();
        try (LocalPostgres postgres = LocalPostgres.start(keep.resolve("startup-postgres"), 0, true, false);
                LocalKafka kafka = LocalKafka.start(work.resolve("kafka"), 0, RepositoryRoot.topicsFile())) {
            Map<String, String> env = new HashMap<>(postgres.environment());
            Path data = keep.resolve("startup-data");
            env.put("RECO_DATA_DIR", data.toString());
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            if (!hasProductionModel(postgres)) {
                System.out.printf(
                        "ingest: %.1f s%n",
                        AppCommand.run(env, "ingest", "--source=" + dataset).wall());
                System.out.printf(
                        "train --promote: %.1f s%n",
                        AppCommand.run(env, "train", "--promote").wall());
            } else {
                System.out.println("reusing the dataset and production model in " + keep.resolve("startup-postgres"));
            }
            env.put("RECO_ROLE", "api");
            // RECO_BENCH_JAVA_OPTS: JVM options for the api starts (a profile: -XX:StartFlightRecording=...)
            env.put("RECO_BENCH_JAVA_OPTS", System.getenv().getOrDefault("RECO_BENCH_JAVA_OPTS", ""));

            List<Started> bareStarts = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                bareStarts.add(start(bare, Map.of(), "/hello", work.resolve("bare.log"), false, null));
            }
            report("bare Quarkus REST app, start to first 200", bareStarts);

            // the first start after the local copy is gone: loads the histories another way and writes the copy
            Files.deleteIfExists(data.resolve("histories.bin"));
            Started first =
                    start(api, env, "/ready", work.resolve("api-first.log"), false, data.resolve("histories.bin"));
            System.out.printf(
                    "api, start to /ready 200 without a local copy of the histories: %.2f s (%s)%n",
                    first.seconds, historiesLine(work.resolve("api-first.log")));

            List<Started> apiStarts = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                apiStarts.add(start(api, env, "/ready", work.resolve("api.log"), false, null));
            }
            report("api (ML-20M-scale model and histories), start to /ready 200", apiStarts);
            System.out.println("  last start's histories: " + historiesLine(work.resolve("api.log")));
            double ratio = median(apiStarts) / median(bareStarts);
            System.out.printf("ratio api / bare: %.2f%n", ratio);
            System.out.println("target: api start to ready at most 2.5 s in JVM mode");

            // RECO_BENCH_API_VARIANT=K=V,K=V: five more api starts with these environment variables, to measure
            // what a change of settings would save without a build
            String variant = System.getenv().getOrDefault("RECO_BENCH_API_VARIANT", "");
            if (variant.contains("=")) {
                Map<String, String> changed = new HashMap<>(env);
                for (String kv : variant.split(",")) {
                    changed.put(
                            kv.substring(0, kv.indexOf('=')).strip(),
                            kv.substring(kv.indexOf('=') + 1).strip());
                }
                List<Started> runs = new ArrayList<>();
                for (int i = 0; i < starts; i++) {
                    runs.add(start(api, changed, "/ready", work.resolve("api-variant.log"), false, null));
                }
                report("api with " + variant + ", start to /ready 200", runs);
            }
            if (Files.exists(api.resolve("app-cds.jsa"))) {
                List<Started> cds = new ArrayList<>();
                for (int i = 0; i < starts; i++) {
                    cds.add(start(api, env, "/ready", work.resolve("api-cds.log"), true, null));
                }
                report("api with the AppCDS archive, start to /ready 200", cds);
                System.out.printf("ratio api (AppCDS) / bare: %.2f%n", median(cds) / median(bareStarts));
            }
            System.out.println("logs of the last starts in " + work);
        }
    }

    private record Started(double seconds, long rssKb) {}

    /**
     * Starts {@code java -Xmx1g -jar quarkus-run.jar} in {@code appDir} (where Quarkus built it: an AppCDS
     * archive needs the same class path string), times it to {@code path} answering 200, reads its RSS and
     * stops it (once {@code awaitBeforeStop}, when not null, exists).
     */
    private static Started start(
            Path appDir, Map<String, String> env, String path, Path log, boolean cds, Path awaitBeforeStop)
            throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        if (cds) {
            cmd.addAll(List.of("-XX:SharedArchiveFile=app-cds.jsa", "-Xshare:on"));
        }
        String extra = env.get("RECO_BENCH_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.strip().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", "quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(appDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        String uri = "http://127.0.0.1:" + port + path;
        long t0 = System.nanoTime();
        Process app = pb.start();
        try {
            while (true) {
                if (!app.isAlive()) {
                    throw new IllegalStateException("the app exited with " + app.exitValue() + ", see " + log);
                }
                try {
                    if (get(uri).statusCode() == 200) {
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        Started started = new Started(seconds, rssKb(app.pid()));
                        if (awaitBeforeStop != null) {
                            awaitFile(awaitBeforeStop);
                        }
                        return started;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
        } finally {
            app.destroy();
            app.waitFor();
        }
    }

    private static void report(String what, List<Started> runs) {
        List<Double> seconds = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (Started s : runs) {
            seconds.add(Math.round(s.seconds * 100) / 100.0);
            rss.add(s.rssKb >> 10);
        }
        System.out.printf(
                "%s: median %.2f s of %s; RSS once ready: median %d MB of %s%n",
                what, median(runs), seconds, medianRss(runs) >> 10, rss);
    }

    private static double median(List<Started> runs) {
        List<Double> s = new ArrayList<>(runs.stream().map(Started::seconds).toList());
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static long medianRss(List<Started> runs) {
        List<Long> s = new ArrayList<>(runs.stream().map(Started::rssKb).toList());
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /** The app log's line on how the user histories were loaded. */
    private static String historiesLine(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .filter(l -> l.contains("user histories loaded"))
                .map(l -> l.replaceFirst("^.*user histories loaded", "loaded"))
                .reduce((a, b) -> b)
                .orElse("no histories line in " + log);
    }

    private static void awaitFile(Path file) throws InterruptedException {
        // the copy is written in the background after the load
        for (int i = 0; i < 600 && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " was not written");
        }
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static boolean hasProductionModel(LocalPostgres postgres) {
        try (Connection c =
                        DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM reco.registry_aliases WHERE alias = 'production'")) {
            return r.next() && r.getLong(1) > 0;
        } catch (java.sql.SQLException notMigratedYet) {
            return false;
        }
    }

    private static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(uri))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
