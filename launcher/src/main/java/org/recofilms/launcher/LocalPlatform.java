package org.recofilms.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The embedded default: starts a real PostgreSQL, a real Kafka broker (KRaft) and, when Python can
 * provide it, a real MLflow server, then the packaged app pointed at them (prod profile), and, when
 * a {@code prometheus} binary is on PATH, a real Prometheus scraping the app. Ctrl-C
 * stops everything it started; a later start also stops what a killed launcher left behind.
 * Run by ./run-local.sh; {@code --help} lists the options.
 */
public final class LocalPlatform {

    /** What this launcher started, by name, in order of start; stopped in reverse order. */
    private final LinkedHashMap<String, AutoCloseable> started = new LinkedHashMap<>();

    private final Options options;
    private final Supervisor supervisor =
            new Supervisor(what -> System.out.println("[local] " + what), Duration.ofSeconds(1));

    private LocalPlatform(Options options) {
        this.options = options;
    }

    /** Command-line options. */
    record Options(
            Path home,
            int httpPort,
            int postgresPort,
            int kafkaPort,
            int mlflowPort,
            String mlflow,
            Path appJar,
            Path topics,
            Optional<String> operatorKey,
            String listen,
            String source,
            String pipeline,
            int apiInstances,
            int workers,
            String prometheus,
            int prometheusPort,
            Path prometheusConfig,
            Optional<String> prometheusInterval) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (String arg : args) {
                if (arg.equals("--help") || arg.equals("-h")) {
                    usage();
                    System.exit(0);
                }
                if (!arg.startsWith("--") || !arg.contains("=")) {
                    System.err.println("unknown argument: " + arg);
                    usage();
                    System.exit(2);
                }
                values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
            Optional<String> key = Optional.ofNullable(values.get("operator-key"))
                    .or(() -> Optional.ofNullable(System.getenv("RECO_OPERATOR_API_KEY")))
                    .filter(s -> !s.isBlank());
            int apiInstances = 0;
            int workers = 0;
            try {
                if (values.containsKey("api-instances")) {
                    apiInstances = AppInstances.count("api-instances", values.get("api-instances"));
                }
                if (values.containsKey("workers")) {
                    workers = AppInstances.count("workers", values.get("workers"));
                }
                String prometheus = values.getOrDefault("prometheus", "auto");
                if (!prometheus.equals("auto") && !prometheus.equals("off")) {
                    throw new IllegalArgumentException("--prometheus must be auto or off, got '" + prometheus + "'");
                }
                if (values.containsKey("prometheus-interval")) {
                    PrometheusConfig.parseDuration(values.get("prometheus-interval"));
                }
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                usage();
                System.exit(2);
            }
            return new Options(
                    Path.of(values.getOrDefault("home", ".local")).toAbsolutePath(),
                    Integer.parseInt(values.getOrDefault("http-port", "8080")),
                    Integer.parseInt(values.getOrDefault("postgres-port", "0")),
                    Integer.parseInt(values.getOrDefault("kafka-port", "0")),
                    Integer.parseInt(values.getOrDefault("mlflow-port", "0")),
                    values.getOrDefault("mlflow", "auto"),
                    Path.of(values.getOrDefault("app", "app/target/quarkus-app/quarkus-run.jar"))
                            .toAbsolutePath(),
                    Path.of(values.getOrDefault("topics", "kafka/topics.conf")).toAbsolutePath(),
                    key,
                    values.getOrDefault("listen", "127.0.0.1"),
                    values.getOrDefault("source", "demo"),
                    values.getOrDefault("pipeline", "auto"),
                    apiInstances,
                    workers,
                    values.getOrDefault("prometheus", "auto"),
                    Integer.parseInt(values.getOrDefault("prometheus-port", "9090")),
                    Path.of(values.getOrDefault("prometheus-config", "prometheus/prometheus.yml"))
                            .toAbsolutePath(),
                    Optional.ofNullable(values.get("prometheus-interval")));
        }

        static void usage() {
            System.out.println("""
                    usage: ./run-local.sh [--option=value ...]
                      --home=DIR            state kept between runs: database, broker, MLflow, data (default .local)
                      --http-port=N         the app's port when free, else any free port (default 8080); with
                                            --api-instances, the first api instance's (the others: free ports)
                      --api-instances=N     run N app JVMs of role api (1-16) instead of the one all-in-one app,
                                            each on its own port; with --workers (default 1 when one is given)
                      --workers=M           run M app JVMs of role worker (1-16) beside the api instances
                                            (default 1 when --api-instances is given); a dead instance is
                                            restarted like the broker; each has HOME/instances/NAME for
                                            its data folder and log
                      --postgres-port=N     PostgreSQL port (default: any free port)
                      --kafka-port=N        Kafka broker port (default: any free port)
                      --mlflow=auto|off     auto: run a real MLflow server, installing it into a virtualenv
                                            with pip once; off: the app's built-in registry (default auto)
                      --mlflow-port=N       MLflow port (default: any free port)
                      --prometheus=auto|off auto: run a real Prometheus when a prometheus binary is on PATH
                                            (apt-get install prometheus), scraping every app instance with
                                            the project's alert rules, data in HOME/prometheus; off: none
                                            (default auto)
                      --prometheus-port=N   Prometheus port on 127.0.0.1 (default 9090 when free, else any)
                      --prometheus-config=FILE
                                            the project's Prometheus config the local one is derived from
                                            (default prometheus/prometheus.yml; its rule files are read in place)
                      --prometheus-interval=DURATION
                                            scrape and rule evaluation interval, e.g. 5s (default: the
                                            config's global ones, 15s)
                      --operator-key=KEY    API key for operator endpoints (default: RECO_OPERATOR_API_KEY, else the
                                            key kept in HOME/operator-key, made once, mode 0600)
                      --listen=ADDR         the address the app listens on (default 127.0.0.1, this machine only;
                                            0.0.0.0 opens the API and its operator endpoints to the network)
                      --app=JAR             the packaged app (default app/target/quarkus-app/quarkus-run.jar)
                      --topics=FILE         the topics to create on the broker (default kafka/topics.conf)
                      --source=demo|movielens|URL|ZIP|DIR
                                            the data of the pipelines: demo generates a MovieLens-format
                                            dataset into HOME/demo-data on first start; movielens is the
                                            GroupLens ml-20m.zip download (default demo)
                      --pipeline=auto|always|off
                                            run the daily pipeline once ready: auto when no model is
                                            served yet, always, or never (default auto)
                    """);
        }
    }

    public static void main(String[] args) throws Exception {
        LocalPlatform platform = new LocalPlatform(Options.parse(args));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            platform.supervisor.stop();
                            platform.stopAll();
                        },
                        "local-platform-stop"));
        int exit;
        try {
            exit = platform.run();
        } catch (Exception e) {
            System.err.println("[local] start failed: " + e.getMessage());
            exit = 1;
        }
        System.exit(exit);
    }

    private int run() throws Exception {
        if (!Files.exists(options.appJar())) {
            throw new IOException(options.appJar() + " not found: build the app first (./mvnw package -DskipTests)");
        }
        Files.createDirectories(options.home());
        stopLeftovers();

        long t0 = System.nanoTime();
        LocalPostgres postgres =
                LocalPostgres.start(options.home().resolve("postgres"), options.postgresPort(), true, true);
        started("postgres", postgres);
        say(
                "PostgreSQL ready on port " + postgres.port() + " (data in "
                        + options.home().resolve("postgres") + ")",
                t0);

        LocalKafka kafka = startKafka(options.kafkaPort());

        Optional<LocalMlflow> mlflow = Optional.empty();
        Optional<Path> mlflowExecutable = Optional.empty();
        if (!options.mlflow().equals("off")) {
            mlflowExecutable = LocalMlflow.executable(true);
            if (mlflowExecutable.isPresent()) {
                mlflow = Optional.of(startMlflow(mlflowExecutable.get(), options.mlflowPort()));
            } else {
                System.out.println("[local] MLflow unavailable: the app uses its built-in registry");
            }
        }

        String source = source();
        AppInstances plan = AppInstances.plan(
                options.home(), options.apiInstances(), options.workers(), options.httpPort(), FreePorts::pick);
        Map<String, String> env = new HashMap<>(postgres.environment());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("RECO_MLFLOW_TRACKING_URI", mlflow.map(LocalMlflow::trackingUri).orElse(""));
        String operatorKey = options.operatorKey().orElse(null);
        if (operatorKey == null) {
            operatorKey = OperatorKeyFile.readOrCreate(options.home());
            System.out.println("[local] operator key kept in " + options.home().resolve(OperatorKeyFile.NAME)
                    + " (mode 0600; --operator-key or RECO_OPERATOR_API_KEY set another)");
        }
        env.put("RECO_OPERATOR_API_KEY", operatorKey);
        env.put("QUARKUS_HTTP_HOST", options.listen());
        env.put("RECO_INGESTION_SOURCE", source);
        // Prometheus starts after the app JVMs, on a port chosen now so that the app knows its URL
        // (the Monitoring page's latency charts, the firing alerts in /ready)
        Optional<Path> prometheusExecutable =
                options.prometheus().equals("auto") ? LocalPrometheus.executable() : Optional.empty();
        int prometheusPort = prometheusExecutable.isPresent() ? FreePorts.pick(options.prometheusPort()) : -1;
        if (prometheusPort > 0) {
            env.put("RECO_MONITORING_PROMETHEUS_URL", "http://127.0.0.1:" + prometheusPort);
        }
        appEnvironment = Map.copyOf(env);

        long appsStarted = System.nanoTime();
        for (AppInstances.Instance instance : plan.instances()) {
            started(instance.name(), startInstance(instance));
        }
        writePids();

        // started while the app JVMs start: its first scrapes find them down, which no alert fires on
        // before RecoFilmsDown's 2 minutes
        Optional<LocalPrometheus> prometheus = Optional.empty();
        String prometheusNote = "off (--prometheus=off)";
        if (options.prometheus().equals("auto")) {
            if (prometheusExecutable.isPresent()) {
                try {
                    prometheus = Optional.of(startPrometheus(prometheusExecutable.get(), plan, prometheusPort));
                    prometheusNote = prometheus.get().url() + "   (alerts "
                            + prometheus.get().url() + "/alerts)";
                } catch (IOException | RuntimeException e) {
                    // optional, as MLflow is: the platform runs without it
                    System.out.println("[local] Prometheus did not start, going on without it: " + e.getMessage());
                    prometheusNote = "did not start (see " + options.home().resolve("prometheus/prometheus.log") + ")";
                }
            } else {
                System.out.println("[local] no prometheus binary on PATH: going on without Prometheus; to get one: "
                        + LocalPrometheus.HOW_TO_GET);
                prometheusNote = "not installed (" + LocalPrometheus.HOW_TO_GET + ")";
            }
        }

        supervisor.watchVital(postgres);
        supervisor.watchRestartable(
                kafka.process(), () -> startKafka(kafka.port()).process());
        if (mlflow.isPresent()) {
            Path executable = mlflowExecutable.orElseThrow();
            int port = mlflow.get().port();
            supervisor.watchRestartable(
                    mlflow.get().process(), () -> startMlflow(executable, port).process());
        }
        if (prometheus.isPresent()) {
            Path executable = prometheusExecutable.orElseThrow();
            int port = prometheus.get().port();
            supervisor.watchRestartable(
                    prometheus.get().process(),
                    () -> startPrometheus(executable, plan, port).process());
        }
        for (AppInstances.Instance instance : plan.instances()) {
            if (plan.single()) {
                supervisor.watchVital(instance(instance.name()));
            } else {
                // a dead api or worker instance is started again, bounded as the broker is: the others keep serving
                supervisor.watchRestartable(instance(instance.name()), () -> restartInstance(instance));
            }
        }
        CompletableFuture<Integer> watched = CompletableFuture.supplyAsync(supervisor::run, daemon("supervisor"));

        for (AppInstances.Instance instance : plan.instances()) {
            BooleanSupplier alive = plan.single() ? instance(instance.name())::isAlive : () -> true;
            if (!awaitReady(alive, url(instance) + "/ready", Duration.ofMinutes(5), watched)) {
                if (watched.isDone()) {
                    return watched.join();
                }
                System.err.println("[local] " + instance.name() + " did not become ready within 5 minutes; see its log "
                        + logOf(instance));
                return 1;
            }
            if (plan.single()) {
                say("reco-films ready", appsStarted);
            } else {
                say(instanceLine(instance, "ready"), appsStarted);
            }
        }
        if (!plan.single()) {
            say("reco-films ready: " + plan.instances().size() + " instances", appsStarted);
        }
        String base = url(plan.firstApi());
        String instancesNote = plan.single()
                ? ""
                : plan.instances().stream()
                        .map(i -> "   %-14s role %-7s %s  (pid %d)%n"
                                .formatted(
                                        i.name(),
                                        i.role(),
                                        url(i),
                                        instance(i.name()).pid()))
                        .collect(Collectors.joining());
        System.out.println("""

                ==================================================================
                 reco-films is running on the embedded default
                   web demo       %1$s/
                   API            %1$s   (try %1$s/ready)
                   API docs       %1$s/docs
                   metrics        %1$s/q/metrics
                %8$s   PostgreSQL     %2$s  (user reco, password reco)
                   Kafka          %3$s
                   MLflow         %4$s
                   Prometheus     %9$s
                   operator key   %5$s  (header X-API-Key)
                   listening on   %7$s
                   pipelines      %1$s/pipelines/runs   (data: %6$s)
                 Ctrl-C stops everything.
                ==================================================================
                """.formatted(
                        base,
                        postgres.jdbcUrl(),
                        kafka.bootstrapServers(),
                        mlflow.map(LocalMlflow::trackingUri).orElse("off (built-in registry)"),
                        operatorKey,
                        source,
                        listenNote(),
                        instancesNote,
                        prometheusNote));
        String firstApi = plan.firstApi().name();
        DemoPipeline demo = new DemoPipeline(
                base, operatorKey, options.pipeline(), () -> instance(firstApi).isAlive());
        daemon("demo-pipeline").execute(() -> {
            try {
                demo.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return watched.join();
    }

    /** What every app JVM gets in its environment, besides its role, port and data folder. */
    private volatile Map<String, String> appEnvironment = Map.of();

    /** Starts one app JVM (not waiting for it to be ready). */
    private ChildProcess startInstance(AppInstances.Instance instance) throws IOException {
        Map<String, String> env = new HashMap<>(appEnvironment);
        env.put("RECO_DATA_DIR", instance.dataDir().toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(instance.port()));
        if (!instance.role().equals("all")) {
            env.put("RECO_ROLE", instance.role());
        }
        // The app stops by itself when this launcher is gone, even killed by SIGKILL (reco.local.parent-pid).
        List<String> command = List.of(
                javaExecutable(),
                "-Xmx4g",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dreco.local.parent-pid=" + ProcessHandle.current().pid(),
                "-jar",
                options.appJar().toString());
        // the single app echoes its output to the console; several write a log file each
        return ChildProcess.start(instance.name(), command, Path.of("").toAbsolutePath(), env, instance.log());
    }

    /** Starts a dead instance again on its port and folder and waits until it is ready; stops it if it is not. */
    private ChildProcess restartInstance(AppInstances.Instance instance) throws IOException, InterruptedException {
        ChildProcess app = startInstance(instance);
        started(instance.name(), app);
        writePids();
        if (!awaitReady(app::isAlive, url(instance) + "/ready", Duration.ofMinutes(3), new CompletableFuture<>())) {
            app.stop(Duration.ofSeconds(10));
            throw new IOException(instance.name() + " did not become ready again:\n" + app.logTail(15));
        }
        System.out.println("[local] " + instanceLine(instance, "ready again"));
        return app;
    }

    private ChildProcess instance(String name) {
        synchronized (started) {
            return (ChildProcess) started.get(name);
        }
    }

    private String url(AppInstances.Instance instance) {
        boolean anyOrLoopback =
                List.of("0.0.0.0", "127.0.0.1", "localhost", "::", "::1").contains(options.listen());
        return "http://" + (anyOrLoopback ? "localhost" : options.listen()) + ":" + instance.port();
    }

    private String logOf(AppInstances.Instance instance) {
        return instance.log() == null ? "above" : instance.log().toString();
    }

    /** "api-1 (role api) ready at http://localhost:N (pid P, log FILE)": the line printed for each instance. */
    private String instanceLine(AppInstances.Instance instance, String state) {
        return instance.name() + " (role " + instance.role() + ") " + state + " at " + url(instance) + " (pid "
                + instance(instance.name()).pid() + ", log " + logOf(instance) + ")";
    }

    private String listenNote() {
        return options.listen().equals("127.0.0.1") || options.listen().equals("localhost")
                ? options.listen() + " only: this machine (--listen=0.0.0.0 opens it to the network)"
                : options.listen() + " (reachable from the network: the operator key guards the operator endpoints)";
    }

    private void started(String name, AutoCloseable part) {
        synchronized (started) {
            started.put(name, part);
        }
    }

    private LocalKafka startKafka(int port) throws IOException {
        long t0 = System.nanoTime();
        LocalKafka kafka = LocalKafka.start(options.home().resolve("kafka"), port, options.topics());
        started("kafka", kafka);
        writePids();
        say(
                "Kafka broker (KRaft) ready at " + kafka.bootstrapServers() + " with the topics of " + options.topics(),
                t0);
        return kafka;
    }

    private LocalMlflow startMlflow(Path executable, int port) throws IOException {
        long t0 = System.nanoTime();
        LocalMlflow server = LocalMlflow.start(executable, options.home().resolve("mlflow"), port);
        started("mlflow", server);
        writePids();
        say("MLflow " + LocalMlflow.VERSION + " ready at " + server.trackingUri(), t0);
        return server;
    }

    private LocalPrometheus startPrometheus(Path executable, AppInstances plan, int port) throws IOException {
        long t0 = System.nanoTime();
        Path workDir = options.home().resolve("prometheus");
        List<PrometheusConfig.Target> targets = plan.instances().stream()
                .map(i -> new PrometheusConfig.Target(
                        i.name(), i.role(), URI.create(url(i)).getAuthority()))
                .toList();
        LocalPrometheus server = LocalPrometheus.start(
                executable, workDir, port, options.prometheusConfig(), targets, options.prometheusInterval());
        started("prometheus", server);
        writePids();
        say(
                "Prometheus " + LocalPrometheus.version(executable) + " ready at " + server.url() + " scraping "
                        + targets.size() + (targets.size() == 1 ? " app instance" : " app instances")
                        + " with the rule files of " + options.prometheusConfig()
                        + " (data in " + workDir.resolve("data") + ")",
                t0);
        return server;
    }

    private static Executor daemon(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
        };
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The ingestion source for the app: a generated demo dataset (made once), MovieLens 20M, or as given. */
    private String source() throws IOException, InterruptedException {
        return switch (options.source()) {
            case "demo" -> {
                Path dir = options.home().resolve("demo-data");
                if (!Files.exists(dir.resolve("ratings.csv"))) {
                    long t0 = System.nanoTime();
                    Path partial = options.home().resolve("demo-data.partial");
                    deleteTree(partial);
                    generateDemoData(partial);
                    deleteTree(dir);
                    Files.move(partial, dir);
                    say("demo dataset generated in " + dir + " (MovieLens format)", t0);
                }
                yield dir.toString();
            }
            case "movielens" -> "https://files.grouplens.org/datasets/movielens/ml-20m.zip";
            default ->
                options.source().matches("^[a-z]+://.*")
                        ? options.source()
                        : Path.of(options.source()).toAbsolutePath().toString();
        };
    }

    /** Runs the app's {@code generate} command (it needs no database and no broker) into {@code out}. */
    private void generateDemoData(Path out) throws IOException, InterruptedException {
        List<String> command = List.of(
                javaExecutable(),
                "-jar",
                options.appJar().toString(),
                "generate",
                "--preset",
                "demo",
                "--out",
                out.toString());
        ChildProcess generator = ChildProcess.start(
                "generator", command, options.home(), Map.of(), options.home().resolve("generator.log"));
        int code = generator.process().waitFor();
        if (code != 0) {
            throw new IOException(
                    "the demo data generator " + Supervisor.describeExit(code) + ":\n" + generator.logTail(20));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static boolean awaitReady(BooleanSupplier alive, String url, Duration limit, CompletableFuture<?> watched)
            throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(3))
                .build();
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline) && alive.getAsBoolean() && !watched.isDone()) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** Stops, in reverse order of start, everything this launcher started. Idempotent. */
    private void stopAll() {
        List<Map.Entry<String, AutoCloseable>> parts;
        synchronized (started) {
            parts = new ArrayList<>(started.entrySet());
            started.clear();
        }
        Collections.reverse(parts);
        for (Map.Entry<String, AutoCloseable> part : parts) {
            try {
                part.getValue().close();
            } catch (Exception e) {
                System.err.println("[local] stopping " + part.getKey() + ": " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(pidsFile());
        } catch (IOException e) {
            // nothing left to stop
        }
    }

    private Path pidsFile() {
        return options.home().resolve("pids.properties");
    }

    /** Records the pids of the JVMs and servers it started, for a later start to stop should this one be killed. */
    private void writePids() throws IOException {
        Properties pids = new Properties();
        synchronized (started) {
            started.forEach((name, part) -> {
                if (part instanceof ChildProcess app) {
                    pids.setProperty(name, Long.toString(app.pid()));
                } else if (part instanceof LocalKafka kafka) {
                    pids.setProperty(name, Long.toString(kafka.process().pid()));
                } else if (part instanceof LocalMlflow mlflow) {
                    pids.setProperty(name, Long.toString(mlflow.process().pid()));
                } else if (part instanceof LocalPrometheus prometheus) {
                    pids.setProperty(name, Long.toString(prometheus.process().pid()));
                }
            });
        }
        try (var out = Files.newOutputStream(pidsFile())) {
            pids.store(out, "processes started by org.recofilms.launcher.LocalPlatform");
        }
    }

    /** A launcher killed with SIGKILL leaves its children: stop the ones recorded in the pids file. */
    private void stopLeftovers() throws IOException {
        if (!Files.exists(pidsFile())) {
            return;
        }
        Properties pids = new Properties();
        try (var in = Files.newInputStream(pidsFile())) {
            pids.load(in);
        }
        for (String name : pids.stringPropertyNames()) {
            long pid = Long.parseLong(pids.getProperty(name));
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> {
                String cmd = p.info().commandLine().orElse("");
                if (cmd.contains("java")
                        || cmd.contains("mlflow")
                        || cmd.contains("python")
                        || cmd.contains("prometheus")) {
                    System.out.println(
                            "[local] stopping " + name + " left running by an earlier launcher (pid " + pid + ")");
                    p.descendants().forEach(ProcessHandle::destroy);
                    p.destroy();
                    p.onExit()
                            .orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                            .exceptionally(e -> {
                                p.destroyForcibly();
                                return p;
                            })
                            .join();
                }
            });
        }
        Files.delete(pidsFile());
    }

    private static void say(String what, long startNanos) {
        System.out.printf("[local] %s (%.1f s)%n", what, (System.nanoTime() - startNanos) / 1e9);
    }
}
