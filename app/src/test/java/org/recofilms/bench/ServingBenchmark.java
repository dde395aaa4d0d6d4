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
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.recofilms.launcher.LocalKafka;
import org.recofilms.launcher.LocalPostgres;
import org.recofilms.local.RepositoryRoot;

/**
 * Serving benchmark: a real PostgreSQL and Kafka broker, the ML-20M-scale dataset loaded by the
 * packaged app's {@code ingest} command and a model trained and promoted by {@code train --promote};
 * then the packaged app is started (prod profile, JVM mode) and timed from process start to /ready
 * answering 200 with the model loaded, and driven over many distinct users and movies:
 * h2load (nghttp2-client, --h1 --rps) at fixed rates for latency percentiles and errors, wrk for the
 * maximum throughput, both on the same 2 cores as the app. Prints the figures and the app's RSS.
 * With {@code RECO_BENCH_FAMILIES=itemknn,ease,...} each family is then trained, promoted and served in turn
 * and /recommend measured at the same rates. Run by scripts/bench-serving.sh. Asserts nothing.
 *
 * <p>The database (dataset and promoted model) is kept in {@code WORK_DIR/serving-postgres} and reused
 * by the next run when it holds a production model; {@code RECO_BENCH_FRESH=1} prepares it again.
 *
 * <p>Arguments: DATASET_DIR WORK_DIR [SECONDS_PER_STEP] [RATES, comma separated]
 */
public final class ServingBenchmark {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args[0]).toAbsolutePath();
        Path keep = Path.of(args[1]).toAbsolutePath();
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        List<Integer> rates = new ArrayList<>();
        for (String r : (args.length > 3 ? args[3] : "500,1000,2000").split(",")) {
            rates.add(Integer.parseInt(r.strip()));
        }
        boolean fresh = "1".equals(System.getenv("RECO_BENCH_FRESH"));
        Path work = Files.createTempDirectory("reco-bench-serving");
        Path database = keep.resolve("serving-postgres");
        if (fresh && Files.exists(database)) {
            try (var files = Files.walk(database)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
        try (LocalPostgres postgres = LocalPostgres.start(database, 0, true, false);
                LocalKafka kafka = LocalKafka.start(work.resolve("kafka"), 0, RepositoryRoot.topicsFile())) {
            Map<String, String> env = new HashMap<>(postgres.environment());
            env.put("RECO_DATA_DIR", keep.resolve("serving-data").toString());
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            if (fresh || !hasProductionModel(postgres)) {
                System.out.printf("ingest: %.1f s%n", command(env, "ingest", "--source=" + dataset));
                System.out.printf("train --promote: %.1f s%n", command(env, "train", "--promote"));
            } else {
                System.out.println("reusing the dataset and production model in " + keep.resolve("serving-postgres"));
            }

            if (!"1".equals(System.getenv("RECO_BENCH_FAMILIES_ONLY"))) {
                Path cds = Path.of("target/quarkus-app/app-cds.jsa");
                // start-to-ready, three times each way: plain JVM, and with the AppCDS archive when built
                boolean maxOnly = "1".equals(System.getenv("RECO_BENCH_MAX_ONLY"));
                for (boolean withCds :
                        maxOnly ? List.<Boolean>of() : Files.exists(cds) ? List.of(false, true) : List.of(false)) {
                    List<Double> times = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        Started s = start(env, work, withCds);
                        times.add(s.ready);
                        s.app.destroy();
                        s.app.waitFor();
                    }
                    Collections.sort(times);
                    System.out.printf(
                            "start to /ready 200 with the model loaded%s: median %.2f s of %s%n",
                            withCds ? " (AppCDS archive)" : "", times.get(1), times);
                }
                Started started = start(env, work, Files.exists(cds));
                Process app = started.app;
                String base = started.base;
                try {
                    String metadata = get(base + "/model/metadata").body();
                    if (!metadata.contains("\"status\":\"serving\"")) {
                        throw new IllegalStateException("the app is not serving a model: " + metadata);
                    }
                    Path recommend = work.resolve("recommend.txt");
                    Path similar = work.resolve("similar.txt");
                    int users = writeUris(postgres, base, recommend, similar);
                    System.out.printf("%d distinct users in the request list%n", users);

                    // warm the JIT and the pool before measuring
                    wrk(base, recommend, work, 15, 32);
                    wrk(base, similar, work, 5, 32);
                    // the ceiling of the issue-16 target: /movies/popular touches no database and no model
                    Path popular = work.resolve("popular.txt");
                    List<String> popularUris = new ArrayList<>();
                    for (int limit = 1; limit <= 20; limit++) {
                        popularUris.add(base + "/movies/popular?limit=" + limit);
                    }
                    Files.write(popular, popularUris);
                    wrk(base, popular, work, 5, 32);
                    Map<String, Double> maxima = new HashMap<>();
                    for (Path uris : List.of(recommend, similar)) {
                        String name = uris.equals(recommend) ? "/recommend" : "/movies/{id}/similar";
                        for (int rate : maxOnly ? List.<Integer>of() : rates) {
                            H2load r = h2load(uris, work, rate, seconds);
                            System.out.printf(
                                    "%-22s %5d req/s fixed: p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms,"
                                            + " %d requests, %d errors (achieved %.0f req/s)%n",
                                    name, rate, r.p50, r.p90, r.p99, r.max, r.requests, r.errors, r.achieved);
                        }
                        Wrk max = wrk(base, uris, work, seconds, 64);
                        System.out.printf(
                                "%-22s max throughput (wrk, 64 connections): %.0f req/s, p99 %s, %d errors%n",
                                name, max.rps, max.p99, max.errors);
                        maxima.put(name, max.rps);
                    }
                    Wrk popularMax = wrk(base, popular, work, seconds, 64);
                    System.out.printf(
                            "%-22s max throughput (wrk, 64 connections): %.0f req/s, p99 %s, %d errors%n",
                            "/movies/popular", popularMax.rps, popularMax.p99, popularMax.errors);
                    System.out.printf(
                            "/recommend max / /movies/popular max: %.2f (target at least 0.6)%n",
                            maxima.get("/recommend") / popularMax.rps);
                    Map<String, String> status = procStatus(app.pid());
                    System.out.printf(
                            "app RSS after the load: %s, peak %s%n", status.get("VmRSS"), status.get("VmHWM"));
                } finally {
                    app.destroy();
                    app.waitFor();
                }
            }
            if ("1".equals(System.getenv("RECO_BENCH_PROXY"))) {
                proxied(env, work, postgres, seconds);
            }
            String families = System.getenv().getOrDefault("RECO_BENCH_FAMILIES", "");
            if (!families.isBlank()) {
                perFamily(env, work, postgres, List.of(families.split(",")), seconds, rates);
            }
        }
    }

    private record Started(Process app, String base, double ready) {}

    private static Started start(Map<String, String> env, Path work, boolean withCds) throws Exception {
        return start(env, work, withCds, "app", Map.of());
    }

    private static Started start(
            Map<String, String> env, Path work, boolean withCds, String name, Map<String, String> extra)
            throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        String javaOpts = System.getenv("RECO_BENCH_JAVA_OPTS");
        if (javaOpts != null && !javaOpts.isBlank()) {
            cmd.addAll(List.of(javaOpts.trim().split("\\s+")));
        }
        if (withCds) {
            // -Xshare:on: fail rather than silently start without the archive
            cmd.addAll(List.of("-XX:SharedArchiveFile=app-cds.jsa", "-Xshare:on"));
        }
        cmd.addAll(List.of("-jar", "quarkus-run.jar"));
        // run where Quarkus built the archive: AppCDS checks that the class path is the same string
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(Path.of("target/quarkus-app").toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        pb.environment().putAll(extra);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        String base = "http://127.0.0.1:" + port;
        long t0 = System.nanoTime();
        Process app = pb.start();
        return new Started(app, base, awaitReady(base, t0, app));
    }

    private static double command(Map<String, String> env, String... command) throws Exception {
        AppCommand.Result r = AppCommand.run(env, command);
        r.output().lines().filter(l -> l.startsWith("promotion:")).forEach(System.out::println);
        return r.wall();
    }

    /**
     * For each family: {@code train --family=F --promote}, then {@code promote} of that version when the
     * policy kept the champion, the app started on it and /recommend driven at the fixed rates. The
     * production version from before is promoted back at the end.
     */
    private static void perFamily(
            Map<String, String> env,
            Path work,
            LocalPostgres postgres,
            List<String> families,
            int seconds,
            List<Integer> rates)
            throws Exception {
        int before = latestVersion(postgres, "SELECT version FROM reco.registry_aliases WHERE alias = 'production'");
        boolean reuse = "1".equals(System.getenv("RECO_BENCH_REUSE_VERSIONS"));
        try {
            for (String f : families) {
                String family = f.strip();
                int version = reuse
                        ? latestVersion(
                                postgres,
                                "SELECT coalesce(max(version), -1) FROM reco.registry_model_versions"
                                        + " WHERE tags->>'family' = '" + family.replace("'", "") + "'")
                        : -1;
                if (version < 0) {
                    System.out.printf(
                            "%s: train --family=%s --promote: %.1f s%n",
                            family, family, command(env, "train", "--family=" + family, "--promote"));
                    version = latestVersion(postgres, "SELECT max(version) FROM reco.registry_model_versions");
                } else {
                    System.out.printf("%s: reusing version %d%n", family, version);
                }
                command(env, "promote", "--version=" + version, "--reason=serving benchmark of " + family);
                settle(postgres);
                Started started = start(env, work, false);
                try {
                    String metadata = get(started.base + "/model/metadata").body();
                    if (!metadata.contains("\"family\":\"" + family + "\"")) {
                        throw new IllegalStateException("the app does not serve " + family + ": " + metadata);
                    }
                    Path recommend = work.resolve("recommend-" + family + ".txt");
                    writeUris(postgres, started.base, recommend, work.resolve("similar-" + family + ".txt"));
                    wrk(started.base, recommend, work, 15, 32);
                    for (int rate : rates) {
                        H2load r = h2load(recommend, work, rate, seconds);
                        System.out.printf(
                                "%-8s /recommend %5d req/s fixed: p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms,"
                                        + " %d requests, %d errors (achieved %.0f req/s); start to ready %.2f s%n",
                                family,
                                rate,
                                r.p50,
                                r.p90,
                                r.p99,
                                r.max,
                                r.requests,
                                r.errors,
                                r.achieved,
                                started.ready);
                    }
                } finally {
                    started.app.destroy();
                    started.app.waitFor();
                }
            }
        } finally {
            command(env, "promote", "--version=" + before, "--reason=serving benchmark: back to the model before");
        }
    }

    /**
     * A training writes its model's tables (millions of neighbour rows for a family with long lists):
     * vacuum, analyse and checkpoint now, so that autovacuum and the checkpointer do not share the two
     * cores with the measurement.
     */
    private static void settle(LocalPostgres postgres) throws Exception {
        long t0 = System.nanoTime();
        // CHECKPOINT needs the superuser
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE)");
            s.execute("CHECKPOINT");
        }
        System.out.printf(
                "  database settled (VACUUM ANALYZE, CHECKPOINT) in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static int latestVersion(LocalPostgres postgres, String query) throws java.sql.SQLException {
        try (Connection c =
                        DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            if (!r.next()) {
                throw new IllegalStateException("no version: " + query);
            }
            return r.getInt(1);
        }
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

    private static double awaitReady(String base, long t0, Process app) throws Exception {
        while (true) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the app exited with " + app.exitValue());
            }
            try {
                if (get(base + "/ready").statusCode() == 200) {
                    return (System.nanoTime() - t0) / 1e9;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
    }

    private static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(uri))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Two api instances (role api, one after the other, sharing the data folder as compose's replicas do) behind
     * nginx with the project's nginx/nginx.conf (its upstream pointed at the two ports instead of compose's DNS
     * name): answers through the proxy against one instance's own, /recommend at 1000 requests/s, the maximum
     * throughputs through the proxy, how the requests were shared, and each instance's start-to-ready and memory.
     */
    private static void proxied(Map<String, String> env, Path work, LocalPostgres postgres, int seconds)
            throws Exception {
        Map<String, String> api = Map.of("RECO_ROLE", "api");
        Started a = start(env, work, false, "api-1", api);
        Started b = null;
        Process nginx = null;
        try {
            b = start(env, work, false, "api-2", api);
            System.out.printf("proxy: api-1 ready in %.2f s, api-2 in %.2f s%n", a.ready, b.ready);
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path conf = work.resolve("nginx.conf");
            Path access = work.resolve("nginx-access.log");
            Files.writeString(conf, localNginx(a.base, b.base, port, work, access));
            nginx = new ProcessBuilder("nginx", "-p", work.toString(), "-c", conf.toString(), "-g", "daemon off;")
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("nginx.log").toFile())
                    .start();
            String proxy = "http://127.0.0.1:" + port;
            awaitReady(proxy, System.nanoTime(), nginx);

            Path recommend = work.resolve("recommend-proxy.txt");
            Path similar = work.resolve("similar-proxy.txt");
            writeUris(postgres, proxy, recommend, similar);
            // the same answer through the proxy (either instance) as from api-1 itself
            List<String> sample = Files.readAllLines(recommend).subList(0, 500);
            int same = 0;
            for (String uri : sample) {
                String direct = get(uri.replace(proxy, a.base)).body();
                String through = get(uri).body();
                same += direct.equals(through) ? 1 : 0;
            }
            System.out.printf("proxy: %d of %d answers through the proxy equal api-1's own%n", same, sample.size());

            wrk(proxy, recommend, work, 15, 32); // warm both instances and nginx
            H2load r = h2load(recommend, work, 1000, seconds);
            System.out.printf(
                    "proxy: /recommend 1000 req/s fixed: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms,"
                            + " %d requests, %d errors (achieved %.0f req/s)%n",
                    r.p50, r.p90, r.p99, r.max, r.requests, r.errors, r.achieved);
            Wrk max = wrk(proxy, recommend, work, seconds, 64);
            System.out.printf(
                    "proxy: /recommend max throughput (wrk, 64 connections): %.0f req/s, p99 %s, %d errors%n",
                    max.rps, max.p99, max.errors);
            Path popular = work.resolve("popular-proxy.txt");
            List<String> popularUris = new ArrayList<>();
            for (int limit = 1; limit <= 20; limit++) {
                popularUris.add(proxy + "/movies/popular?limit=" + limit);
            }
            Files.write(popular, popularUris);
            Wrk popularMax = wrk(proxy, popular, work, seconds, 64);
            System.out.printf(
                    "proxy: /movies/popular max throughput (wrk, 64 connections): %.0f req/s, p99 %s, %d errors;"
                            + " ratio %.2f%n",
                    popularMax.rps, popularMax.p99, popularMax.errors, max.rps / popularMax.rps);
            Map<String, String> nginxStatus = procStatus(nginx.pid());
            List<Map<String, String>> memory = List.of(procStatus(a.app.pid()), procStatus(b.app.pid()));
            // a graceful stop writes out the access log's buffer
            new ProcessBuilder("nginx", "-p", work.toString(), "-c", conf.toString(), "-s", "quit")
                    .start()
                    .waitFor();
            nginx.waitFor();
            List<String> log = Files.exists(access) ? Files.readAllLines(access) : List.of();
            System.out.printf(
                    "proxy: nginx logged %d requests; its master's RSS %s%n", log.size(), nginxStatus.get("VmRSS"));
            for (int i = 0; i < 2; i++) {
                Started s = i == 0 ? a : b;
                String upstream = "upstream=" + s.base.substring("http://".length()) + " ";
                long n = log.stream().filter(l -> l.contains(upstream)).count();
                System.out.printf(
                        "proxy: api-%d (%s) served %d of them; RSS %s, peak %s%n",
                        i + 1,
                        s.base,
                        n,
                        memory.get(i).get("VmRSS"),
                        memory.get(i).get("VmHWM"));
            }
        } finally {
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor();
            }
            for (Started s : b == null ? List.of(a) : List.of(a, b)) {
                s.app.destroy();
                s.app.waitFor();
            }
        }
    }

    /** The project's nginx/nginx.conf with its upstream on two local ports, listening on loopback. */
    static String localNginx(String first, String second, int port, Path work, Path access) throws IOException {
        String conf = Files.readString(RepositoryRoot.path().resolve("nginx/nginx.conf"));
        String servers = "server " + first.substring("http://".length()) + " max_fails=2 fail_timeout=5s;\n"
                + "        server " + second.substring("http://".length()) + " max_fails=2 fail_timeout=5s;";
        String local = replaceOnce(conf, "server api:8080 resolve max_fails=2 fail_timeout=5s;", servers);
        // h2load does not reconnect: a client connection may carry the whole run (nginx's default closes it
        // after 1,000 requests)
        local = replaceOnce(
                local, "listen 8080;", "listen 127.0.0.1:" + port + ";\n        keepalive_requests 10000000;");
        local = replaceOnce(local, "pid /tmp/nginx.pid;", "pid " + work.resolve("nginx.pid") + ";");
        local = replaceOnce(local, "access_log /dev/stdout upstream", "access_log " + access + " upstream");
        // compose's DNS resolver is not here
        local = local.replaceAll("(?m)^\\s*resolver(_timeout)? [^;]*;\\n", "");
        return local;
    }

    private static String replaceOnce(String text, String what, String with) {
        if (!text.contains(what)) {
            throw new IllegalStateException("nginx/nginx.conf no longer holds: " + what);
        }
        return text.replace(what, with);
    }

    /** Every user once in a shuffled order, and every movie with neighbours, as absolute URIs. */
    private static int writeUris(LocalPostgres postgres, String base, Path recommend, Path similar) throws Exception {
        List<Integer> users = new ArrayList<>();
        List<Integer> movies = new ArrayList<>();
        try (Connection c =
                        DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT DISTINCT \"userId\" FROM raw.raw_ratings")) {
                while (r.next()) {
                    users.add(r.getInt(1));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT DISTINCT \"movieId\" FROM raw.item_neighbors")) {
                while (r.next()) {
                    movies.add(r.getInt(1));
                }
            }
        }
        Random random = new Random(20);
        Collections.shuffle(users, random);
        Collections.shuffle(movies, random);
        Files.write(
                recommend,
                users.stream()
                        .map(u -> base + "/recommend?user_id=" + u + "&top_n=10")
                        .toList());
        Files.write(
                similar,
                movies.stream()
                        .map(m -> base + "/movies/" + m + "/similar?limit=10")
                        .toList());
        return users.size();
    }

    private record H2load(
            double p50, double p90, double p99, double max, long requests, long errors, double achieved) {}

    /**
     * A fixed rate spread over a few connections, each sending at most 250 requests/s: h2load paces
     * each client with its own timer and starts them together, so many clients at a low rate each
     * arrive as bursts of one request per client, which measures the bursts rather than the app.
     */
    private static H2load h2load(Path uris, Path work, int rate, int seconds) throws Exception {
        int clients = Math.max(4, (rate + 249) / 250);
        Path log = work.resolve("h2load.log");
        Files.deleteIfExists(log);
        String out = run(
                "h2load",
                "--h1",
                "-c",
                Integer.toString(clients),
                "--rps",
                Integer.toString(Math.max(1, rate / clients)),
                "-D",
                Integer.toString(seconds),
                "--warm-up-time=2",
                "--log-file=" + log,
                "-i",
                uris.toString());
        List<Long> micros = new ArrayList<>();
        long errors = 0;
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split("\t");
            if (f.length < 3) {
                continue;
            }
            if (!f[1].equals("200")) {
                errors++;
            }
            micros.add(Long.parseLong(f[2]));
        }
        Collections.sort(micros);
        Matcher failed =
                Pattern.compile("(\\d+) failed, (\\d+) errored, (\\d+) timeout").matcher(out);
        if (failed.find()) {
            errors +=
                    Long.parseLong(failed.group(1)) + Long.parseLong(failed.group(2)) + Long.parseLong(failed.group(3));
        }
        Matcher achieved = Pattern.compile("finished in [^,]+, ([\\d.]+) req/s").matcher(out);
        return new H2load(
                pct(micros, 0.50),
                pct(micros, 0.90),
                pct(micros, 0.99),
                micros.isEmpty() ? Double.NaN : micros.get(micros.size() - 1) / 1000.0,
                micros.size(),
                errors,
                achieved.find() ? Double.parseDouble(achieved.group(1)) : Double.NaN);
    }

    private static double pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1000.0;
    }

    private record Wrk(double rps, String p99, long errors) {}

    private static Wrk wrk(String base, Path uris, Path work, int seconds, int connections) throws Exception {
        Path script = work.resolve("paths.lua");
        Files.writeString(
                script,
                "local paths = {}\n"
                        + "for line in io.lines(\"" + uris + "\") do\n"
                        + "  paths[#paths + 1] = string.gsub(line, \"^https?://[^/]+\", \"\")\n"
                        + "end\n"
                        + "local i = math.random(#paths)\n"
                        + "request = function()\n"
                        + "  i = i % #paths + 1\n"
                        + "  return wrk.format(\"GET\", paths[i])\n"
                        + "end\n");
        String out =
                run("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script.toString(), base);
        Matcher rps = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(out);
        Matcher p99 = Pattern.compile("99%\\s+(\\S+)").matcher(out);
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(out);
        long errors = non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0;
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        return new Wrk(
                rps.find() ? Double.parseDouble(rps.group(1)) : Double.NaN, p99.find() ? p99.group(1) : "?", errors);
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }

    private static Map<String, String> procStatus(long pid) throws IOException {
        Map<String, String> status = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                status.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return status;
    }
}
