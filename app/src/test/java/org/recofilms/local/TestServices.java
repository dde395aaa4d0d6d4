package org.recofilms.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.recofilms.launcher.LocalKafka;
import org.recofilms.launcher.LocalPostgres;

/**
 * The real services of the test JVM, each started once on first use and stopped by a shutdown hook
 * (and, should this JVM be killed, by the broker's watchdog and the launcher's orphan guard), whatever the
 * number of Quarkus restarts between test classes. A test profile restarts Quarkus in a new class
 * loader, where this class's statics start empty, so what was started is recorded in system
 * properties, which every class loader of the JVM shares.
 */
public final class TestServices {

    private static final Path ROOT = Path.of(
                    "target",
                    "test-services",
                    Long.toString(ProcessHandle.current().pid()))
            .toAbsolutePath();
    private static final String POSTGRES = "local.test-services.postgres.";
    private static final String KAFKA = "local.test-services.kafka.bootstrap";
    private static final String POSTGRES_PID = "local.test-services.pid.postgres";
    private static final String KAFKA_PID = "local.test-services.pid.kafka";

    private TestServices() {}

    /** Quarkus datasource settings of the test PostgreSQL, started on first use. */
    public static Map<String, String> postgresConfig() {
        synchronized (System.getProperties()) {
            if (System.getProperty(POSTGRES + "quarkus.datasource.jdbc.url") == null) {
                try {
                    long t0 = System.nanoTime();
                    LocalPostgres postgres = LocalPostgres.start(ROOT.resolve("postgres"), 0, false, false);
                    log("PostgreSQL on port " + postgres.port(), t0);
                    Runtime.getRuntime()
                            .addShutdownHook(new Thread(
                                    () -> {
                                        try {
                                            postgres.close();
                                        } catch (IOException e) {
                                            System.err.println(
                                                    "[test-services] stopping PostgreSQL: " + e.getMessage());
                                        }
                                    },
                                    "stop-postgres"));
                    postgres.quarkusConfig().forEach((k, v) -> System.setProperty(POSTGRES + k, v));
                    System.setProperty(POSTGRES_PID, Long.toString(postgres.pid()));
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start the test PostgreSQL", e);
                }
            }
            Map<String, String> config = new LinkedHashMap<>();
            for (String name : System.getProperties().stringPropertyNames()) {
                if (name.startsWith(POSTGRES)) {
                    config.put(name.substring(POSTGRES.length()), System.getProperty(name));
                }
            }
            return config;
        }
    }

    /** Bootstrap servers of the test Kafka broker, started on first use. */
    public static String kafkaBootstrapServers() {
        synchronized (System.getProperties()) {
            if (System.getProperty(KAFKA) == null) {
                try {
                    long t0 = System.nanoTime();
                    LocalKafka kafka = LocalKafka.start(ROOT.resolve("kafka"), 0, RepositoryRoot.topicsFile());
                    log("Kafka broker at " + kafka.bootstrapServers(), t0);
                    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-kafka"));
                    System.setProperty(KAFKA, kafka.bootstrapServers());
                    System.setProperty(KAFKA_PID, Long.toString(kafka.process().pid()));
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start the test Kafka broker", e);
                }
            }
            return System.getProperty(KAFKA);
        }
    }

    /** Pid of the test PostgreSQL's postmaster (started first if need be); its backends are its children. */
    public static long postgresPid() {
        postgresConfig();
        return pid(POSTGRES_PID);
    }

    /** Pid of the test Kafka broker's JVM (started first if need be). */
    public static long kafkaPid() {
        kafkaBootstrapServers();
        return pid(KAFKA_PID);
    }

    private static long pid(String property) {
        long pid = Long.parseLong(System.getProperty(property, "-1"));
        if (pid <= 0) {
            throw new IllegalStateException("the pid of " + property + " is not known");
        }
        return pid;
    }

    private static void log(String what, long startNanos) {
        System.out.printf("[test-services] %s, started in %d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
