package org.recofilms.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.recofilms.bench.RatingLedger.Pair;
import org.recofilms.launcher.ChildProcess;
import org.recofilms.launcher.LocalKafka;
import org.recofilms.launcher.LocalPostgres;

/**
 * Soak test: a real PostgreSQL (durable, as the launcher runs it), a real broker and the packaged
 * app (built-in registry) on generated demo data; a few threads send mixed traffic (recommendations,
 * ratings, pipeline triggers) for the given minutes while faults are injected in turn: the broker
 * paused (SIGSTOP, then SIGCONT), PostgreSQL paused (every process of the server), the broker
 * killed (SIGKILL) and restarted, the app killed (SIGKILL) and restarted. At the end it prints the
 * requests by endpoint, the errors by kind, the ratings accepted (201) and found stored, the lost
 * ones and the pipeline runs left QUEUED or RUNNING; it exits 1 when any rating is lost or any run
 * is left non-final. Run by scripts/soak.sh.
 *
 * <p>Arguments: WORK_DIR [MINUTES] (default 10)
 */
public final class Soak {

    private static final String KEY = "soak-operator-key";
    private static final int RATERS = 2;
    private static final int READERS = 2;
    private static final Duration PAUSE = Duration.ofSeconds(8);

    private final Path work;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final RatingLedger ledger = new RatingLedger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> faults = new ArrayList<>();

    private LocalPostgres postgres;
    private volatile LocalKafka kafka;
    private volatile ChildProcess app;
    private Map<String, String> appEnv;
    private String base;
    private long t0;

    private Soak(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        System.exit(new Soak(work).run(Duration.ofSeconds(Math.round(minutes * 60))));
    }

    private int run(Duration length) throws Exception {
        Files.createDirectories(work);
        Path data = work.resolve("demo-data");
        if (!Files.exists(data.resolve("ratings.csv"))) {
            exec(List.of(java(), "-jar", appJar(), "generate", "--preset", "demo", "--out", data.toString()));
        }
        postgres = LocalPostgres.start(work.resolve("postgres"), 0, false, true);
        kafka = LocalKafka.start(
                work.resolve("kafka"), 0, Path.of("..", "kafka", "topics.conf").toAbsolutePath());
        appEnv = new HashMap<>(postgres.environment());
        appEnv.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        appEnv.put("RECO_MLFLOW_TRACKING_URI", "");
        appEnv.put("RECO_OPERATOR_API_KEY", KEY);
        appEnv.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        int port = freePort();
        appEnv.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        appEnv.put("RECO_DATA_DIR", work.resolve("data").toString());
        appEnv.put("RECO_INGESTION_SOURCE", data.toString());
        // a killed app's runs are failed by the reaper once their lease expires: keep it short
        appEnv.put("RECO_PIPELINE_LEASE", "10s");
        appEnv.put("RECO_PIPELINE_HEARTBEAT_INTERVAL", "2s");
        appEnv.put("RECO_PIPELINE_REAPER_INTERVAL", "2s");
        base = "http://127.0.0.1:" + port;
        try {
            startApp();
            String daily = trigger("daily");
            String status = awaitFinal(daily, Duration.ofMinutes(5));
            if (!status.equals("SUCCESS")) {
                throw new IllegalStateException("the first daily pipeline ended " + status);
            }
            List<Integer> movies = movieIds();
            log("ready: a model is served; traffic and faults for " + length.toSeconds() + " s");
            t0 = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < RATERS; i++) {
                int rater = i;
                threads.add(start("rater-" + i, () -> rate(rater, movies)));
            }
            for (int i = 0; i < READERS; i++) {
                threads.add(start("reader-" + i, this::read));
            }
            threads.add(start("triggers", this::triggers));
            injectFaults(length);
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
            return report();
        } finally {
            if (app != null) {
                app.stop(Duration.ofSeconds(20));
            }
            kafka.close();
            postgres.close();
        }
    }

    /** The faults in turn, one every twelfth of the length (at least 5 s apart), until {@code length} is over. */
    private void injectFaults(Duration length) throws Exception {
        long end = System.nanoTime() + length.toNanos();
        long interval = Math.max(TimeUnit.SECONDS.toNanos(5), length.toNanos() / 12);
        int next = 0;
        while (System.nanoTime() + interval < end) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(interval));
            switch (next++ % 4) {
                case 0 -> {
                    fault("broker paused for " + PAUSE.toSeconds() + " s");
                    pause(List.of(kafka.process().pid()));
                }
                case 1 -> {
                    fault("PostgreSQL paused for " + PAUSE.toSeconds() + " s");
                    List<Long> pids = new ArrayList<>();
                    pids.add(postgres.pid());
                    ProcessHandle.of(postgres.pid())
                            .ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
                    pause(pids);
                }
                case 2 -> {
                    fault("broker killed (SIGKILL) and restarted");
                    int port = kafka.port();
                    kill9(kafka.process().pid());
                    kafka.close();
                    kafka = LocalKafka.start(
                            work.resolve("kafka"),
                            port,
                            Path.of("..", "kafka", "topics.conf").toAbsolutePath());
                }
                default -> {
                    fault("app killed (SIGKILL) and restarted");
                    kill9(app.pid());
                    app.process().waitFor();
                    startApp();
                }
            }
        }
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
    }

    private void fault(String what) {
        faults.add(String.format("%5.0f s  %s", (System.nanoTime() - t0) / 1e9, what));
        log("fault: " + what);
    }

    private static void pause(List<Long> pids) throws Exception {
        signal("STOP", pids);
        try {
            Thread.sleep(PAUSE.toMillis());
        } finally {
            signal("CONT", pids);
        }
    }

    private static void signal(String signal, List<Long> pids) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        exec(command);
    }

    private static void kill9(long pid) throws Exception {
        signal("KILL", List.of(pid));
    }

    private void startApp() throws Exception {
        app = ChildProcess.start(
                "app",
                List.of(
                        java(),
                        "-Xmx1g",
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                        "-jar",
                        appJar()),
                work,
                appEnv,
                work.resolve("app.log"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && app.isAlive()) {
            try {
                if (send(HttpRequest.newBuilder(URI.create(base + "/health"))).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the app did not start:\n" + app.logTail(30));
    }

    /** Rates (user, movie) pairs never rated before by this soak: each user rates every movie in turn. */
    private void rate(int rater, List<Integer> movies) {
        long n = 0;
        while (running.get()) {
            int user = 1 + rater + RATERS * (int) (n / movies.size());
            int movie = movies.get((int) (n % movies.size()));
            n++;
            double rating = 0.5 * ThreadLocalRandom.current().nextInt(1, 11);
            String body = "{\"movie_id\":" + movie + ",\"rating\":" + rating + "}";
            Integer status = call(
                    "POST /users/{id}/ratings",
                    HttpRequest.newBuilder(URI.create(base + "/users/" + user + "/ratings"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)),
                    201);
            if (status != null && status == 201) {
                ledger.accepted(user, movie, rating);
            }
        }
    }

    private void read() {
        while (running.get()) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (random.nextInt(10) < 8) {
                call(
                        "GET /recommend",
                        HttpRequest.newBuilder(
                                URI.create(base + "/recommend?user_id=" + random.nextInt(1, 1001) + "&top_n=10")),
                        200);
            } else {
                call("GET /movies/popular", HttpRequest.newBuilder(URI.create(base + "/movies/popular?limit=10")), 200);
            }
        }
    }

    /** A pipeline trigger every 10 s, ingestion and training in turn (one already active answers 200). */
    private void triggers() {
        int n = 0;
        while (running.get()) {
            String kind = n++ % 2 == 0 ? "training" : "ingestion";
            call(
                    "POST /pipelines/" + kind,
                    HttpRequest.newBuilder(URI.create(base + "/pipelines/" + kind))
                            .header("X-API-Key", KEY)
                            .POST(HttpRequest.BodyPublishers.noBody()),
                    202,
                    200);
            for (int i = 0; i < 40 && running.get(); i++) {
                sleep(250);
            }
        }
    }

    /** Sends, counting the request and, unless its status is one of {@code ok}, the error; its status (null: none). */
    private Integer call(String endpoint, HttpRequest.Builder request, int... ok) {
        requests.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
        try {
            int status = send(request).statusCode();
            for (int s : ok) {
                if (s == status) {
                    return status;
                }
            }
            error(endpoint + ": status " + status);
            return status;
        } catch (IOException e) {
            error(endpoint + ": " + e.getClass().getSimpleName());
            sleep(100); // the app is restarting: do not spin
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String trigger(String kind) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/pipelines/" + kind))
                .header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST /pipelines/" + kind + " answered " + r.statusCode() + " " + r.body());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.body())
                .path("run_id")
                .asText();
    }

    private String awaitFinal(String runId, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            try (Connection c = database();
                    var st = c.prepareStatement("SELECT status FROM reco.pipeline_runs WHERE id = ?::uuid")) {
                st.setString(1, runId);
                try (ResultSet rs = st.executeQuery()) {
                    status = rs.next() ? rs.getString(1) : "";
                }
            }
            if (!status.equals("QUEUED") && !status.equals("RUNNING") && !status.isEmpty()) {
                return status;
            }
            Thread.sleep(500);
        }
        return status;
    }

    private int report() throws Exception {
        // let the reaper fail the runs of a killed app (lease 10 s), then count what is left
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long nonFinal = nonFinalRuns();
        while (nonFinal > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            nonFinal = nonFinalRuns();
        }
        Map<Pair, Double> stored = new HashMap<>();
        Map<String, Long> runs = new TreeMap<>();
        try (Connection c = database();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT \"userId\", \"movieId\", rating FROM raw.feedback_ratings")) {
                while (rs.next()) {
                    stored.put(new Pair(rs.getInt(1), rs.getInt(2)), rs.getDouble(3));
                }
            }
            try (ResultSet rs =
                    st.executeQuery("SELECT kind || ' ' || status, count(*) FROM reco.pipeline_runs GROUP BY 1")) {
                while (rs.next()) {
                    runs.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        List<Pair> lost = ledger.lost(stored);
        System.out.println();
        System.out.println("soak: " + (System.nanoTime() - t0) / 1_000_000_000 + " s of traffic");
        System.out.println("faults:");
        faults.forEach(f -> System.out.println("  " + f));
        System.out.println("requests by endpoint:");
        new TreeMap<>(requests).forEach((k, v) -> System.out.printf("  %-28s %8d%n", k, v.sum()));
        System.out.println("errors by kind:");
        if (errors.isEmpty()) {
            System.out.println("  none");
        }
        new TreeMap<>(errors).forEach((k, v) -> System.out.printf("  %-60s %8d%n", k, v.sum()));
        System.out.println("pipeline runs by kind and status:");
        runs.forEach((k, v) -> System.out.printf("  %-28s %8d%n", k, v));
        System.out.printf("ratings accepted (201):      %d%n", ledger.size());
        System.out.printf("ratings found stored:        %d%n", ledger.size() - lost.size());
        System.out.printf(
                "ratings lost:                %d%s%n",
                lost.size(), lost.isEmpty() ? "" : " " + lost.subList(0, Math.min(10, lost.size())));
        System.out.printf("pipeline runs left non-final: %d%n", nonFinal);
        boolean ok = lost.isEmpty() && nonFinal == 0;
        System.out.println(ok ? "soak: PASS" : "soak: FAIL");
        return ok ? 0 : 1;
    }

    private long nonFinalRuns() throws SQLException {
        try (Connection c = database();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM reco.pipeline_runs WHERE status IN ('QUEUED', 'RUNNING')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Integer> movieIds() throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = database();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT \"movieId\" FROM raw.raw_movies ORDER BY 1")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    private static void exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue());
        }
    }

    private static Thread start(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.start();
        return t;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String appJar() {
        return Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String what) {
        System.out.println("[soak] " + what);
    }
}
