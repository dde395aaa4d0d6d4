package org.recofilms.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The real services of the test JVM, each started once on first use and stopped by a shutdown
 * hook (and by {@link ParentWatchdog} should this JVM be killed), whatever the number of Quarkus
 * restarts between test classes.
 */
public final class TestServices {

    private static final Path ROOT = Path.of(
                    "target",
                    "test-services",
                    Long.toString(ProcessHandle.current().pid()))
            .toAbsolutePath();

    private static LocalPostgres postgres;
    private static LocalKafka kafka;

    private TestServices() {}

    public static synchronized LocalPostgres postgres() {
        if (postgres == null) {
            try {
                long t0 = System.nanoTime();
                postgres = LocalPostgres.start(ROOT.resolve("postgres"), 0, false, false);
                log("PostgreSQL on port " + postgres.port(), t0);
                LocalPostgres started = postgres;
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(
                                () -> {
                                    try {
                                        started.close();
                                    } catch (IOException e) {
                                        System.err.println("[test-services] stopping PostgreSQL: " + e.getMessage());
                                    }
                                },
                                "stop-postgres"));
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the test PostgreSQL", e);
            }
        }
        return postgres;
    }

    public static synchronized LocalKafka kafka() {
        if (kafka == null) {
            try {
                long t0 = System.nanoTime();
                kafka = LocalKafka.start(
                        ROOT.resolve("kafka"),
                        0,
                        Path.of("kafka", "topics.conf").toAbsolutePath());
                log("Kafka broker at " + kafka.bootstrapServers(), t0);
                LocalKafka started = kafka;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-kafka"));
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the test Kafka broker", e);
            }
        }
        return kafka;
    }

    private static void log(String what, long startNanos) {
        System.out.printf("[test-services] %s, started in %d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
