package org.recofilms.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.recofilms.local.RepositoryRoot;

/**
 * The launcher with {@code --api-instances=2 --workers=1}: three app JVMs (two api, one worker) on one
 * real PostgreSQL and one real broker (MLflow off: the built-in registry), started once on a fresh
 * home for all the checks, which run in order: the launcher's daily pipeline, triggered on api-1,
 * promotes a model that both api instances serve; a rating accepted by api-1 is served by api-2;
 * two simultaneous triggers give one run; both keep answering while the model swaps under load;
 * the worker killed during a training leaves the run FAILED and the served model unchanged, and is
 * restarted; stopping the launcher stops every instance. A short lease (6 s) lets the reaper fail
 * the killed run within seconds. The Prometheus the launcher runs beside them scrapes all three.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceIT {

    private static final Path LAUNCHER = RepositoryRoot.path().resolve("launcher/target/reco-films-launcher.jar");
    private static final Path APP =
            Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private static final Path HOME = Path.of("target/multi-instance-it").toAbsolutePath();
    private static final Duration START = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A user id the demo data does not have: its history is only what this test posts. */
    private static final int NEW_USER = 987_001;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private LauncherIT.Launched launched;
    private String api1;
    private String api2;
    private String worker;
    private String operatorKey;
    private String jdbcUrl;
    private long t0;

    @BeforeAll
    void launch() throws Exception {
        assertTrue(Files.isRegularFile(LAUNCHER), LAUNCHER + " is built by the launcher module");
        assertTrue(Files.isRegularFile(APP), APP + " is built by the package phase");
        deleteTree(HOME); // a fresh home: the launcher runs the daily pipeline when no model is served
        t0 = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        LAUNCHER.toString(),
                        "--home=" + HOME,
                        "--app=" + APP,
                        "--topics=" + RepositoryRoot.topicsFile(),
                        "--http-port=0",
                        "--mlflow=off",
                        "--pipeline=auto",
                        "--api-instances=2",
                        "--workers=1",
                        "--prometheus-port=0",
                        "--prometheus-interval=2s")
                .directory(RepositoryRoot.path().toFile())
                .redirectErrorStream(true);
        builder.environment()
                .putAll(Map.of(
                        "RECO_PIPELINE_LEASE", "6s",
                        "RECO_PIPELINE_HEARTBEAT_INTERVAL", "1s",
                        "RECO_PIPELINE_REAPER_INTERVAL", "1s"));
        launched = new LauncherIT.Launched(builder.start(), HOME);
        String url = "ready at (http://localhost:\\d+) \\(pid \\d+, log (\\S+)\\)";
        api1 = launched.await("\\[local\\] api-1 \\(role api\\) " + url, START).group(1);
        api2 = launched.await("\\[local\\] api-2 \\(role api\\) " + url, START).group(1);
        worker = launched.await("\\[local\\] worker-1 \\(role worker\\) " + url, START)
                .group(1);
        launched.await("reco-films ready: 3 instances", START);
        assertEquals(
                api1, launched.await("API\\s+(http://localhost:\\d+)", START).group(1), "the banner's API");
        operatorKey = launched.await("operator key\\s+(\\S+)\\s+\\(header X-API-Key\\)", START)
                .group(1);
        jdbcUrl =
                launched.await("PostgreSQL\\s+(jdbc:postgresql://\\S+)", START).group(1);
        Set<String> ports = Set.of(api1, api2, worker);
        assertEquals(3, ports.size(), "each instance on its own port: " + ports);
        System.out.printf("[multi] three instances ready in %.1f s%n", seconds(t0));
    }

    @AfterAll
    void stop() throws Exception {
        if (launched != null && launched.process.isAlive()) {
            launched.process.destroy();
            if (!launched.process.waitFor(90, TimeUnit.SECONDS)) {
                launched.process.destroyForcibly();
            }
        }
        System.out.printf("[multi] MultiInstanceIT took %.1f s from the launch%n", seconds(t0));
    }

    @Test
    @Order(1)
    void theDailyPipelineTriggeredOnTheFirstApiPromotesAModelThatBothApiInstancesServe() throws Exception {
        int version =
                Integer.parseInt(launched.await("\\[local\\] serving model version (\\d+) trained and promoted", START)
                        .group(1));
        for (String api : List.of(api1, api2)) {
            JsonNode metadata = awaitServing(api, version);
            assertEquals(version, metadata.path("version").asInt(), api + ": " + metadata);
            JsonNode answer = get(api, "/recommend?user_id=1&top_n=5");
            assertEquals(String.valueOf(version), answer.path("model_version").asText(), answer.toString());
        }
        JsonNode ready = get(worker, "/ready");
        assertEquals("ready", ready.path("status").asText(), "the worker: " + ready);
        assertEquals(
                404,
                send(worker, HttpRequest.newBuilder(URI.create(worker + "/recommend?user_id=1")))
                        .statusCode(),
                "a worker serves no recommendation");

        // every api and worker instance is a target of the launcher's Prometheus, each up
        String prometheus = launched.await("^\\s+Prometheus\\s+(http://127\\.0\\.0\\.1:\\d+)\\s", START)
                .group(1);
        Map<String, String> up = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (up.size() < 3 && System.nanoTime() < deadline) {
            up.clear();
            for (JsonNode t : get(prometheus, "/api/v1/targets").path("data").path("activeTargets")) {
                if (t.path("labels").path("job").asText().equals("reco-films")
                        && t.path("health").asText().equals("up")) {
                    up.put(
                            t.path("labels").path("instance_name").asText(),
                            t.path("scrapeUrl").asText());
                }
            }
            Thread.sleep(500);
        }
        assertEquals(
                Map.of("api-1", api1 + "/q/metrics", "api-2", api2 + "/q/metrics", "worker-1", worker + "/q/metrics"),
                up,
                "the reco-films targets up");
    }

    @Test
    @Order(2)
    void aRatingAcceptedByOneApiInstanceIsServedByTheOther() throws Exception {
        List<Integer> movies = new ArrayList<>();
        get(api1, "/movies/popular?limit=5")
                .path("movies")
                .forEach(m -> movies.add(m.path("movie_id").asInt()));
        assertEquals(5, movies.size(), "five known movies to rate");
        List<Double> delays = new ArrayList<>();
        for (int i = 0; i < movies.size(); i++) {
            String recommend = "/recommend?user_id=" + NEW_USER;
            assertEquals(i, get(api2, recommend).path("user_ratings").asInt(0), "api-2 before the POST");
            HttpResponse<String> posted = send(
                    api1,
                    HttpRequest.newBuilder(URI.create(api1 + "/users/" + NEW_USER + "/ratings"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"movie_id\":" + movies.get(i) + ",\"rating\":4.5}")));
            long accepted = System.nanoTime();
            assertEquals(201, posted.statusCode(), posted.body());
            assertEquals(i + 1, get(api1, recommend).path("user_ratings").asInt(), "read-your-writes on api-1");
            long deadline = accepted + TimeUnit.SECONDS.toNanos(10);
            JsonNode onB = get(api2, recommend);
            while (onB.path("user_ratings").asInt(0) <= i && System.nanoTime() < deadline) {
                Thread.sleep(5);
                onB = get(api2, recommend);
            }
            delays.add((System.nanoTime() - accepted) / 1e6);
            assertEquals(i + 1, onB.path("user_ratings").asInt(0), "api-2 serves the rating within 10 s: " + onB);
            assertTrue(JSON.readTree(posted.body()).path("published").asBoolean(), "published on reco.ratings");
        }
        List<Double> sorted = new ArrayList<>(delays);
        sorted.sort(null);
        System.out.printf(
                "[multi] ratings accepted (201) by api-1 served by api-2 after (ms, in order) %s: median %.0f, max %.0f%n",
                delays.stream().map(d -> String.format("%.0f", d)).toList(), sorted.get(2), sorted.get(4));
    }

    @Test
    @Order(3)
    void twoSimultaneousTriggersOfOnePipelineOnTwoInstancesGiveOneRun() throws Exception {
        long before = trainingRuns();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (String api : List.of(api1, api2)) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return send(
                            api,
                            HttpRequest.newBuilder(URI.create(api + "/pipelines/training"))
                                    .header("X-API-Key", operatorKey)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("")));
                }));
            }
            go.countDown();
            HttpResponse<String> a = answers.get(0).get(60, TimeUnit.SECONDS);
            HttpResponse<String> b = answers.get(1).get(60, TimeUnit.SECONDS);
            List<Integer> codes = new ArrayList<>(List.of(a.statusCode(), b.statusCode()));
            codes.sort(null);
            assertEquals(List.of(200, 202), codes, "one queued, one conflict: " + a.body() + " / " + b.body());
            JsonNode ja = JSON.readTree(a.body());
            JsonNode jb = JSON.readTree(b.body());
            assertEquals(ja.path("run_id").asText(), jb.path("run_id").asText(), "both answers name the one run");
            JsonNode conflict = a.statusCode() == 200 ? ja : jb;
            assertTrue(conflict.path("already_active").asBoolean(), conflict.toString());
            String runId = ja.path("run_id").asText();
            JsonNode run = awaitEnd(api2, runId);
            assertEquals("SUCCESS", run.path("status").asText(), run.toString());
            assertEquals(before + 1, trainingRuns(), "one training run in reco.pipeline_runs");
            trainedVersion = run.path("counts").path("model_version").asInt(-1);
            assertTrue(trainedVersion > 0, "the run registered a version: " + run);
        } finally {
            pool.shutdownNow();
        }
    }

    private int trainedVersion = -1;

    @Test
    @Order(4)
    void recommendationsKeepAnsweringOnBothApiInstancesWhileTheModelSwaps() throws Exception {
        int served = get(api1, "/model/metadata").path("version").asInt();
        int other = trainedVersion != served ? trainedVersion : served - 1;
        assertTrue(other > 0 && other != served, "two versions to swap between: " + served + ", " + trainedVersion);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                String api = t % 2 == 0 ? api1 : api2;
                loops.add(pool.submit(() -> {
                    while (running.get()) {
                        int user = ThreadLocalRandom.current().nextInt(1, 1001);
                        try {
                            HttpResponse<String> r =
                                    send(api, HttpRequest.newBuilder(URI.create(api + "/recommend?user_id=" + user)));
                            if (r.statusCode() / 100 == 2) {
                                ok.incrementAndGet();
                            } else {
                                errors.merge(api + " " + r.statusCode() + " " + r.body(), 1, Integer::sum);
                            }
                        } catch (Exception e) {
                            errors.merge(api + " " + e, 1, Integer::sum);
                        }
                    }
                }));
            }
            Thread.sleep(1000);
            long t = System.nanoTime();
            move("promote", other);
            awaitServing(api1, other);
            awaitServing(api2, other);
            System.out.printf("[multi] promotion of version %d served by both in %.2f s%n", other, seconds(t));
            Thread.sleep(1000);
            t = System.nanoTime();
            move("rollback", served);
            awaitServing(api1, served);
            awaitServing(api2, served);
            System.out.printf("[multi] rollback to version %d served by both in %.2f s%n", served, seconds(t));
            Thread.sleep(1000);
        } finally {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
        System.out.printf(
                "[multi] %d recommendations answered during two swaps, %d errors%n",
                ok.get(), errors.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(Map.of(), errors, "non-2xx answers and exceptions during the swaps");
        assertTrue(ok.get() > 100, "the load ran: " + ok.get());
    }

    @Test
    @Order(5)
    void theWorkerKilledDuringATrainingLeavesTheRunFailedAndTheServedModelAndIsRestarted() throws Exception {
        int served = get(api1, "/model/metadata").path("version").asInt();
        String runId = trigger(api2, "training", "{\"family\":\"ials\",\"factors\":256,\"iterations\":200}");
        awaitStep(api1, runId, "training");
        long pid = launched.pid("worker-1");
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "SIGKILL sent to the worker");
        launched.await(
                "\\[local\\] worker-1 \\(pid " + pid + "\\) exited with code 137: killed by signal 9",
                Duration.ofSeconds(30));
        long restarted = Long.parseLong(launched.await("\\[local\\] worker-1 restarted \\(pid (\\d+)", START)
                .group(1));
        assertNotEquals(pid, restarted);
        JsonNode run = awaitEnd(api1, runId);
        assertEquals("FAILED", run.path("status").asText(), "the killed training: " + run);
        for (String api : List.of(api1, api2)) {
            JsonNode metadata = get(api, "/model/metadata");
            assertEquals(served, metadata.path("version").asInt(), api + " still serves: " + metadata);
            assertEquals(
                    String.valueOf(served),
                    get(api, "/recommend?user_id=1").path("model_version").asText());
        }
        assertEquals(restarted, launched.pid("worker-1"), "pids.properties names the new worker");
        assertEquals("ready", get(worker, "/ready").path("status").asText(), "the restarted worker, same port");
    }

    @Test
    @Order(6)
    void stoppingTheLauncherStopsEveryInstance() throws Exception {
        List<Long> pids = List.of(
                launched.pid("api-1"), launched.pid("api-2"), launched.pid("worker-1"), launched.pid("prometheus"));
        launched.process.destroy();
        assertTrue(launched.process.waitFor(90, TimeUnit.SECONDS), "the launcher stops");
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " stopped");
        }
        assertFalse(Files.exists(HOME.resolve("pids.properties")), "nothing left to stop");
    }

    private long trainingRuns() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, LocalPostgres.PASSWORD);
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM reco.pipeline_runs WHERE kind = ?")) {
            ps.setString(1, "training");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void move(String how, int version) throws Exception {
        HttpResponse<String> r = send(
                api1,
                HttpRequest.newBuilder(URI.create(api1 + "/model/" + how))
                        .header("X-API-Key", operatorKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"version\":" + version + "}")));
        assertEquals(200, r.statusCode(), how + " " + version + ": " + r.body());
    }

    private String trigger(String api, String kind, String body) throws Exception {
        HttpResponse<String> r = send(
                api,
                HttpRequest.newBuilder(URI.create(api + "/pipelines/" + kind))
                        .header("X-API-Key", operatorKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(202, r.statusCode(), "POST /pipelines/" + kind + ": " + r.body());
        return JSON.readTree(r.body()).path("run_id").asText();
    }

    private JsonNode awaitServing(String api, int version) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode metadata = get(api, "/model/metadata");
        while (!("serving".equals(metadata.path("status").asText())
                        && metadata.path("version").asInt() == version)
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
            metadata = get(api, "/model/metadata");
        }
        assertEquals(version, metadata.path("version").asInt(), api + " serves: " + metadata);
        return metadata;
    }

    private void awaitStep(String api, String runId, String step) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            run = get(api, "/pipelines/runs/" + runId);
            String status = run.path("status").asText();
            assertTrue(status.equals("QUEUED") || status.equals("RUNNING"), "run ended too soon: " + run);
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

    private JsonNode awaitEnd(String api, String runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            run = get(api, "/pipelines/runs/" + runId);
            String status = run.path("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return run;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("run " + runId + " is still not final: " + run);
    }

    private HttpResponse<String> send(String api, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String api, String path) throws Exception {
        HttpResponse<String> r = send(api, HttpRequest.newBuilder(URI.create(api + path)));
        assertEquals(200, r.statusCode(), "GET " + api + path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
