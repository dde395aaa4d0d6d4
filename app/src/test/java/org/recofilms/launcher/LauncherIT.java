package org.recofilms.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.recofilms.local.RepositoryRoot;

/**
 * The launcher as a user runs it ({@code java -jar launcher/target/reco-films-launcher.jar}, the
 * packaged app, real PostgreSQL, broker and MLflow), with each of its children killed by SIGKILL:
 * the broker and MLflow are restarted and said so; PostgreSQL's or the app's death stops everything
 * with a non-zero exit; a killed launcher leaves nothing running; the Prometheus it runs beside the
 * app scrapes it and fires the project's alert on a failed pipeline run.
 */
class LauncherIT {

    private static final Path LAUNCHER = RepositoryRoot.path().resolve("launcher/target/reco-films-launcher.jar");
    private static final Path APP =
            Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private static final Path WORK = Path.of("target/launcher-it").toAbsolutePath();
    private static final Duration START = Duration.ofMinutes(4);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Launched> launched = new ArrayList<>();

    /** A running launcher and everything it printed (MultiInstanceIT uses it too). */
    static final class Launched {
        final Process process;
        final Path home;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        Launched(Process process, Path home) {
            this.process = process;
            this.home = home;
            Thread reader = new Thread(this::read, "launcher-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the launcher is gone
            }
        }

        /** Waits for a line matching {@code regex}; returns its match. */
        Matcher await(String regex, Duration limit) throws InterruptedException {
            Pattern pattern = Pattern.compile(regex);
            long deadline = System.nanoTime() + limit.toNanos();
            int seen = 0;
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    for (; seen < lines.size(); seen++) {
                        Matcher m = pattern.matcher(lines.get(seen));
                        if (m.find()) {
                            return m;
                        }
                    }
                }
                if (!process.isAlive() && seen == lines.size()) {
                    Thread.sleep(200); // the reader may still be draining
                    if (seen == lines.size()) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
            throw new AssertionError("the launcher never printed /" + regex + "/; its [local] lines:\n"
                    + String.join(
                            "\n",
                            lines.stream()
                                    .filter(l -> l.startsWith("[local]") || l.startsWith("    |"))
                                    .toList()));
        }

        long pid(String name) throws IOException {
            Properties pids = new Properties();
            try (var in = Files.newInputStream(home.resolve("pids.properties"))) {
                pids.load(in);
            }
            return Long.parseLong(pids.getProperty(name));
        }

        long postmasterPid() throws IOException {
            return Long.parseLong(Files.readAllLines(home.resolve("postgres/postmaster.pid"))
                    .get(0)
                    .trim());
        }
    }

    private Launched launch(String name, String... options) throws IOException {
        return launch(Map.of(), name, options);
    }

    /** Launches with {@code environment} added to the launcher's (and so its children's) environment. */
    private Launched launch(Map<String, String> environment, String name, String... options) throws IOException {
        assertTrue(Files.isRegularFile(LAUNCHER), LAUNCHER + " is built by the launcher module");
        assertTrue(Files.isRegularFile(APP), APP + " is built by the package phase");
        Path home = WORK.resolve(name);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                LAUNCHER.toString(),
                "--home=" + home,
                "--app=" + APP,
                "--topics=" + RepositoryRoot.topicsFile(),
                "--http-port=0",
                "--pipeline=off"));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(RepositoryRoot.path().toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process p = builder.start();
        Launched l = new Launched(p, home);
        launched.add(l);
        return l;
    }

    @AfterEach
    void stopLaunchers() throws InterruptedException {
        for (Launched l : launched) {
            if (l.process.isAlive()) {
                l.process.destroy(); // its shutdown hook stops what it started
                if (!l.process.waitFor(60, TimeUnit.SECONDS)) {
                    l.process.destroyForcibly();
                }
            }
        }
    }

    @Test
    void restartsTheBrokerAndMlflowAndStopsEverythingWhenTheAppDies() throws Exception {
        boolean mlflow = LocalMlflow.executable(true).isPresent();
        Launched l = launch("children", mlflow ? "--mlflow=auto" : "--mlflow=off");
        String base = l.await("API\\s+(http://localhost:\\d+)", START).group(1);
        assertReady(base);

        long broker = l.pid("kafka");
        ProcessHandle.of(broker).orElseThrow().destroyForcibly();
        l.await(
                "\\[local\\] kafka \\(pid " + broker + "\\) exited with code 137: killed by signal 9 \\(SIGKILL\\);"
                        + " its last log lines:",
                Duration.ofSeconds(30));
        l.await("^    \\| .*Kafka Server started", Duration.ofSeconds(5));
        l.await("\\[local\\] restarting kafka in 1.0 s \\(attempt 1 of 3\\)", Duration.ofSeconds(10));
        long newBroker = Long.parseLong(
                l.await("\\[local\\] kafka restarted \\(pid (\\d+)", START).group(1));
        assertNotEquals(broker, newBroker);
        assertTrue(alive(newBroker), "the new broker runs");
        assertReady(base);

        if (mlflow) {
            long server = l.pid("mlflow");
            ProcessHandle.of(server).orElseThrow().destroyForcibly();
            l.await("\\[local\\] mlflow \\(pid " + server + "\\) exited with code 137", Duration.ofSeconds(30));
            l.await("\\[local\\] restarting mlflow in 1.0 s \\(attempt 1 of 3\\)", Duration.ofSeconds(10));
            long newServer = Long.parseLong(
                    l.await("\\[local\\] mlflow restarted \\(pid (\\d+)", START).group(1));
            assertTrue(alive(newServer), "the new MLflow server runs");
        }

        long postgres = l.postmasterPid();
        long app = l.pid("app");
        assertTrue(alive(app), "the app runs");
        assertTrue(ProcessHandle.of(app).orElseThrow().destroyForcibly(), "SIGKILL sent to the app");
        awaitGone(app, "SIGKILL");
        l.await(
                "\\[local\\] app \\(pid " + app + "\\) exited with code 137: killed by signal 9",
                Duration.ofSeconds(30));
        l.await("\\[local\\] app is vital: stopping everything", Duration.ofSeconds(5));
        assertTrue(l.process.waitFor(90, TimeUnit.SECONDS), "the launcher exits");
        assertEquals(1, l.process.exitValue(), "a dead app ends the launcher with a failure");
        assertFalse(alive(newBroker), "the broker is stopped");
        assertFalse(alive(postgres), "PostgreSQL is stopped");
    }

    @Test
    void aKilledLauncherLeavesNothingAndPostgresDeathStopsEverything() throws Exception {
        Launched first = launch("postgres", "--mlflow=off");
        first.await("reco-films ready", START);
        String key = first.await("operator key\\s+(\\S+)\\s+\\(header X-API-Key\\)", Duration.ofSeconds(10))
                .group(1);
        Path keyFile = first.home.resolve("operator-key");
        assertEquals(key, Files.readString(keyFile).strip(), "the key is kept in the home folder");
        assertEquals(
                PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(keyFile),
                "readable by its owner only");
        int port = Integer.parseInt(first.await("API\\s+http://localhost:(\\d+)", Duration.ofSeconds(10))
                .group(1));
        first.await("listening on\\s+127.0.0.1 only", Duration.ofSeconds(10));
        assertListensOnLoopbackOnly(port);
        long app = first.pid("app");
        long broker = first.pid("kafka");
        long postgres = first.postmasterPid();
        first.process.destroyForcibly();
        awaitGone(app, "the app watches its parent (reco.local.parent-pid)");
        awaitGone(broker, "the broker's orphan guard stops it");
        awaitGone(postgres, "PostgreSQL's orphan guard stops it");

        Launched second = launch("postgres", "--mlflow=off");
        second.await("reco-films ready", START);
        assertEquals(
                key,
                second.await("operator key\\s+(\\S+)\\s+\\(header X-API-Key\\)", Duration.ofSeconds(10))
                        .group(1),
                "a restart keeps the operator key");
        long postmaster = second.postmasterPid();
        long secondApp = second.pid("app");
        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
        second.await(
                "\\[local\\] postgres \\(pid " + postmaster + "\\) is gone \\(its exit status cannot be known",
                Duration.ofSeconds(30));
        second.await("\\[local\\] postgres is vital: stopping everything", Duration.ofSeconds(5));
        assertTrue(second.process.waitFor(90, TimeUnit.SECONDS), "the launcher exits");
        assertEquals(1, second.process.exitValue(), "a dead PostgreSQL ends the launcher with a failure");
        assertFalse(alive(secondApp), "the app is stopped");
    }

    /**
     * A real Prometheus beside the app (the binary of Debian's package {@code prometheus}, which
     * .ci/run installs): both targets (the app's /q/metrics and Prometheus itself) are up, the rules
     * loaded are the project's own files, a failed pipeline run (an ingestion of a folder that does
     * not exist) fires {@code RecoPipelineRunFailed}, which has no {@code for:}; killed, it is
     * restarted on the same port with the data of before; the launcher's stop stops it. It scrapes
     * and evaluates every 2 s ({@code --prometheus-interval}) instead of the project's 15 s.
     */
    @Test
    void prometheusScrapesTheAppAndFiresTheProjectsAlertWhenAPipelineRunFails() throws Exception {
        long t0 = System.nanoTime();
        assertTrue(
                LocalPrometheus.executable().isPresent(),
                "no prometheus binary on PATH: apt-get install prometheus (.ci/run installs it)");
        deleteTree(WORK.resolve("prometheus").resolve("prometheus")); // no series from an earlier run
        Launched l = launch("prometheus", "--mlflow=off", "--prometheus-interval=2s", "--prometheus-port=0");
        String prometheus = l.await("^\\s+Prometheus\\s+(http://127\\.0\\.0\\.1:\\d+)\\s", START)
                .group(1);
        Api api = Api.of(l);
        String appPort = api.base().substring(api.base().lastIndexOf(':') + 1);
        double launched = seconds(t0);

        JsonNode targets = awaitJson(prometheus + "/api/v1/targets", Duration.ofSeconds(60), t -> {
            List<String> up = new ArrayList<>();
            t.path("data").path("activeTargets").forEach(target -> {
                if (target.path("health").asText().equals("up")) {
                    up.add(target.path("labels").path("job").asText());
                }
            });
            return up.contains("reco-films") && up.contains("prometheus");
        });
        List<JsonNode> apps = new ArrayList<>();
        for (JsonNode target : targets.path("data").path("activeTargets")) {
            if (target.path("labels").path("job").asText().equals("reco-films")) {
                apps.add(target);
            }
        }
        assertEquals(1, apps.size(), "one app target: " + targets);
        JsonNode app = apps.get(0);
        assertEquals(
                "http://localhost:" + appPort + "/q/metrics",
                app.path("scrapeUrl").asText(),
                app.toString());
        assertEquals("app", app.path("labels").path("instance_name").asText(), app.toString());
        assertEquals("all", app.path("labels").path("role").asText(), app.toString());
        double targetsUp = seconds(t0);

        JsonNode rules = getJson(prometheus + "/api/v1/rules");
        List<String> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        rules.path("data").path("groups").forEach(g -> {
            if (!files.contains(g.path("file").asText())) {
                files.add(g.path("file").asText());
            }
            g.path("rules").forEach(r -> names.add(r.path("name").asText()));
        });
        Path ruleDir = RepositoryRoot.path().resolve("prometheus/rules");
        List<String> projectFiles;
        try (var list = Files.list(ruleDir)) {
            projectFiles = list.filter(f -> f.toString().endsWith(".yml"))
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
        Collections.sort(files);
        assertEquals(projectFiles, files, "the rules are read from the project's files");
        assertTrue(names.containsAll(List.of("RecoPipelineRunFailed", "RecoFilmsDown")), names.toString());
        assertTrue(
                firing(getJson(prometheus + "/api/v1/alerts"), "RecoPipelineRunFailed", "ingestion")
                        .isEmpty(),
                "no failed run yet");

        String run = api.trigger("ingestion", "{\"source\":\"" + WORK.resolve("no-such-folder") + "\"}");
        assertEquals("FAILED", api.awaitEnd(run).path("status").asText(), "an ingestion of a missing folder");
        long failed = System.nanoTime();
        JsonNode alerts = awaitJson(
                prometheus + "/api/v1/alerts",
                Duration.ofSeconds(60),
                a -> !firing(a, "RecoPipelineRunFailed", "ingestion").isEmpty());
        JsonNode alert = firing(alerts, "RecoPipelineRunFailed", "ingestion").get(0);
        assertEquals("warning", alert.path("labels").path("severity").asText(), alert.toString());
        assertEquals(
                "a ingestion pipeline run failed in the last 15 minutes",
                alert.path("annotations").path("summary").asText(),
                alert.toString());
        double toFiring = (System.nanoTime() - failed) / 1e9;

        // the launcher gave the app Prometheus's URL: the alert is in /ready's detail and on the Monitoring page
        JsonNode ready = awaitJson(
                api.base() + "/ready",
                Duration.ofSeconds(30),
                r -> r.path("checks").path("alerts").path("detail").asText().contains("RecoPipelineRunFailed"));
        assertEquals("ready", ready.path("status").asText(), ready.toString());
        assertEquals(
                "firing", ready.path("checks").path("alerts").path("status").asText(), ready.toString());
        JsonNode serving = getJson(api.base() + "/monitoring/prometheus");
        assertTrue(serving.path("available").asBoolean(), serving.toString());
        assertEquals(prometheus, serving.path("prometheus_url").asText(), serving.toString());
        assertTrue(serving.path("alerts").toString().contains("RecoPipelineRunFailed"), serving.toString());
        long firedEpoch = System.currentTimeMillis() / 1000 + 1; // a scrape with the failure is older

        long server = l.pid("prometheus");
        ProcessHandle.of(server).orElseThrow().destroyForcibly();
        l.await("\\[local\\] prometheus \\(pid " + server + "\\) exited with code 137", Duration.ofSeconds(30));
        l.await("\\[local\\] restarting prometheus in 1.0 s \\(attempt 1 of 3\\)", Duration.ofSeconds(10));
        long restarted =
                Long.parseLong(l.await("\\[local\\] prometheus restarted \\(pid (\\d+)", Duration.ofSeconds(60))
                        .group(1));
        assertNotEquals(server, restarted);
        // the same port, and the samples scraped before the kill, from HOME/prometheus/data
        JsonNode before = getJson(prometheus + "/api/v1/query?query="
                + java.net.URLEncoder.encode(
                        "reco_pipeline_runs_total{kind=\"ingestion\",status=\"failed\"}", StandardCharsets.UTF_8)
                + "&time=" + firedEpoch);
        assertEquals(
                "1",
                before.path("data").path("result").path(0).path("value").path(1).asText(),
                "the failed run's counter, as scraped before the kill: " + before);
        assertTrue(Files.isDirectory(l.home.resolve("prometheus/data/wal")), "the TSDB is in the home folder");

        l.process.destroy();
        assertTrue(l.process.waitFor(60, TimeUnit.SECONDS), "the launcher stops");
        awaitGone(restarted, "the launcher's stop stops Prometheus");
        System.out.printf(
                "[launcher-it] Prometheus: launched %.1f s, targets up %.1f s, alert firing %.1f s after the"
                        + " run failed, the whole case %.1f s%n",
                launched, targetsUp, toFiring, seconds(t0));
    }

    /** The alerts named {@code name} of pipeline {@code kind} that fire, from an /api/v1/alerts answer. */
    private static List<JsonNode> firing(JsonNode alerts, String name, String kind) {
        List<JsonNode> found = new ArrayList<>();
        alerts.path("data").path("alerts").forEach(a -> {
            if (a.path("labels").path("alertname").asText().equals(name)
                    && a.path("labels").path("kind").asText().equals(kind)
                    && a.path("state").asText().equals("firing")) {
                found.add(a);
            }
        });
        return found;
    }

    private JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "GET " + url + ": " + r.body());
        return new ObjectMapper().readTree(r.body());
    }

    /** Polls {@code url} every 500 ms until its JSON answer satisfies {@code until}; that answer. */
    private JsonNode awaitJson(String url, Duration limit, java.util.function.Predicate<JsonNode> until)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = getJson(url);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("GET " + url + " did not answer as expected within " + limit + ": " + last);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * A launcher killed with SIGKILL in the middle of an ingestion, then of a training: every child
     * stops, and the next start on the same home shows the run FAILED, keeps the rows and the served
     * model of before, and answers recommendations. A short lease lets the reaper fail the killed
     * run within seconds rather than a minute (the heartbeat comes more often to match).
     */
    @Test
    void aLauncherKilledDuringAnIngestionOrATrainingKeepsTheDataAndTheServedModel() throws Exception {
        Map<String, String> lease = Map.of(
                "RECO_PIPELINE_LEASE", "6s",
                "RECO_PIPELINE_HEARTBEAT_INTERVAL", "1s",
                "RECO_PIPELINE_REAPER_INTERVAL", "1s");
        String registry = LocalMlflow.executable(true).isPresent() ? "--mlflow=auto" : "--mlflow=off";
        // about 2 M ratings: a load of several seconds, against the demo data's 150,000
        Path larger = generate(WORK.resolve("larger-data"), "0.1");

        deleteTree(WORK.resolve("killed")); // a fresh home: an earlier run's model would skip the pipeline
        Launched first = launch(lease, "killed", registry, "--pipeline=auto");
        int version =
                Integer.parseInt(first.await("\\[local\\] serving model version (\\d+) trained and promoted", START)
                        .group(1));
        Api api = Api.of(first);
        Map<String, Long> rows = rowCounts(api.jdbcUrl());
        String ingestion = api.trigger("ingestion", "{\"source\":\"" + larger + "\"}");
        api.awaitStep(ingestion, "ingestion");
        killLauncher(first);

        Launched second = launch(lease, "killed", registry);
        second.await("reco-films ready", START);
        api = Api.of(second);
        assertEquals("FAILED", api.awaitEnd(ingestion).path("status").asText(), "the killed ingestion");
        assertEquals(rows, rowCounts(api.jdbcUrl()), "the rows of the last ingestion that succeeded");
        api.assertServes(version);

        String training = api.trigger("training", "");
        api.awaitStep(training, "training");
        killLauncher(second);

        Launched third = launch(lease, "killed", registry);
        third.await("reco-films ready", START);
        api = Api.of(third);
        assertEquals("FAILED", api.awaitEnd(training).path("status").asText(), "the killed training");
        assertEquals(rows, rowCounts(api.jdbcUrl()));
        api.assertServes(version);
    }

    /** SIGKILL to the launcher's JVM; then every child it started must stop by itself. */
    private static void killLauncher(Launched l) throws Exception {
        List<Long> children = new ArrayList<>(List.of(l.pid("app"), l.pid("kafka"), l.postmasterPid()));
        Properties pids = new Properties();
        try (var in = Files.newInputStream(l.home.resolve("pids.properties"))) {
            pids.load(in);
        }
        for (String optional : List.of("mlflow", "prometheus")) {
            if (pids.getProperty(optional) != null) {
                children.add(Long.parseLong(pids.getProperty(optional)));
            }
        }
        l.process.destroyForcibly();
        assertTrue(l.process.waitFor(30, TimeUnit.SECONDS), "the launcher is gone");
        for (long child : children) {
            awaitGone(child, "a child of the killed launcher (ParentProcessWatch, OrphanGuard)");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Generates a MovieLens-format dataset at {@code scale} times the ML-20M counts, once. */
    private static Path generate(Path out, String scale) throws Exception {
        if (!Files.exists(out.resolve("ratings.csv"))) {
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            APP.toString(),
                            "generate",
                            "--scale",
                            scale,
                            "--out",
                            out.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), "generate ends");
            assertEquals(0, p.exitValue(), "generate succeeds");
        }
        return out;
    }

    private static Map<String, Long> rowCounts(String jdbcUrl) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, LocalPostgres.PASSWORD);
                Statement st = c.createStatement()) {
            for (String table : List.of("raw_movies", "raw_ratings", "raw_tags", "raw_links")) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM raw." + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        assertTrue(counts.get("raw_ratings") > 0, "ratings were loaded: " + counts);
        return counts;
    }

    /** The HTTP API and the database of one launch, from its banner. */
    private record Api(String base, String operatorKey, String jdbcUrl, HttpClient http) {

        private static final ObjectMapper JSON = new ObjectMapper();

        static Api of(Launched l) throws InterruptedException {
            return new Api(
                    l.await("API\\s+(http://localhost:\\d+)", Duration.ofSeconds(10))
                            .group(1),
                    l.await("operator key\\s+(\\S+)\\s+\\(header X-API-Key\\)", Duration.ofSeconds(10))
                            .group(1),
                    l.await("PostgreSQL\\s+(jdbc:postgresql://\\S+)", Duration.ofSeconds(10))
                            .group(1),
                    HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(2))
                            .build());
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }

        JsonNode get(String path) throws Exception {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)));
            assertEquals(200, r.statusCode(), "GET " + path + ": " + r.body());
            return JSON.readTree(r.body());
        }

        /** Triggers a pipeline run; its id. */
        String trigger(String kind, String body) throws Exception {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/pipelines/" + kind))
                    .header("X-API-Key", operatorKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertEquals(202, r.statusCode(), "POST /pipelines/" + kind + ": " + r.body());
            return JSON.readTree(r.body()).path("run_id").asText();
        }

        /** Waits until the run's {@code step} runs (the run still RUNNING). */
        void awaitStep(String runId, String step) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            JsonNode run = null;
            while (System.nanoTime() < deadline) {
                run = get("/pipelines/runs/" + runId);
                String status = run.path("status").asText();
                assertTrue(
                        status.equals("QUEUED") || status.equals("RUNNING"),
                        "run " + runId + " ended before its " + step + " step could be interrupted: " + run);
                for (JsonNode s : run.path("steps")) {
                    if (s.path("step").asText().equals(step)
                            && s.path("status").asText().equals("RUNNING")) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the " + step + " step never ran: " + run);
        }

        /** Waits until the run is in a final state; the run. */
        JsonNode awaitEnd(String runId) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            JsonNode run = null;
            while (System.nanoTime() < deadline) {
                run = get("/pipelines/runs/" + runId);
                String status = run.path("status").asText();
                if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                    return run;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("run " + runId + " is still not final: " + run);
        }

        /** The model {@code version} is served and recommendations come from it. */
        void assertServes(int version) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            JsonNode metadata = get("/model/metadata");
            while (!"serving".equals(metadata.path("status").asText()) && System.nanoTime() < deadline) {
                Thread.sleep(250);
                metadata = get("/model/metadata");
            }
            assertEquals(version, metadata.path("version").asInt(), "the served model: " + metadata);
            JsonNode answer = get("/recommend?user_id=1&top_n=5");
            assertEquals(
                    metadata.path("version").asText(),
                    answer.path("model_version").asText(),
                    answer.toString());
            assertFalse(answer.path("recommendations").isEmpty(), "recommendations: " + answer);
        }
    }

    private void assertReady(String base) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int status = -1;
        while (System.nanoTime() < deadline) {
            try {
                status =
                        http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(base + "/ready answered " + status + ", not 200");
    }

    /** The app answers on 127.0.0.1 and refuses connections on this machine's other addresses. */
    private static void assertListensOnLoopbackOnly(int port) throws IOException {
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        }
        List<InetAddress> others = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .toList();
        for (InetAddress other : others) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(other, port), 2000);
                throw new AssertionError("the app answers on " + other + ":" + port + ", not on loopback only");
            } catch (ConnectException expected) {
                // refused: nothing listens there
            }
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitGone(long pid, String why) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (alive(pid) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertFalse(alive(pid), "pid " + pid + " still runs: " + why);
    }
}
