package org.recofilms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.local.TestServices;

/**
 * The packaged app's commands as an operator runs them ({@code java -jar quarkus-run.jar COMMAND}),
 * against the real PostgreSQL and broker of this JVM (fresh ones: failsafe runs in its own JVM).
 * While each command runs, its HTTP port is probed and the broker's consumer groups are listed: a
 * command opens no listener and joins no group. The jar without arguments, watched the same way,
 * shows that the probes do see a serving app; it runs last, as the groups it joins outlive it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandsIT {

    private static final Path JAR =
            Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static final Map<String, String> settings = new TreeMap<>();
    private static int httpPort;
    private static Admin admin;

    /** What one run of the jar did, and what was seen while it ran. */
    record Run(int exit, String output, boolean listened, Set<String> groups) {}

    @BeforeAll
    static void services() throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by the package phase");
        settings.putAll(TestServices.postgresConfig());
        settings.put("kafka.bootstrap.servers", TestServices.kafkaBootstrapServers());
        settings.put("reco.data.dir", tmp.resolve("data").toString());
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        settings.put("quarkus.http.port", Integer.toString(httpPort));
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers());
        admin = Admin.create(props);
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    @Test
    @Order(1)
    void fromGeneratedDataToARolledBackModelWithoutListenerOrConsumer() throws Exception {
        Path dataset = tmp.resolve("ml");
        Run generate = app("generate", "--preset", "demo", "--seed", "7", "--out", dataset.toString());
        assertEquals(0, generate.exit(), generate.output());
        assertTrue(generate.output().contains("ratings.csv"), generate.output());
        assertFalse(generate.output().contains("Quarkus"), "generate runs before Quarkus starts");

        Run ingest = app("ingest", "--source=" + dataset);
        assertCommand(ingest, 0);
        assertEquals("SUCCESS", json(ingest).get("status").asText());

        Run train = app("train", "--promote");
        assertCommand(train, 0);
        assertEquals("SUCCESS", json(train).get("status").asText());
        assertTrue(train.output().contains("promotion: version 1: "), train.output());
        Path snapshot = tmp.resolve("snapshot.parquet");
        Files.copy(tmp.resolve("data").resolve("training_set.parquet"), snapshot);

        Run reproduced = app("train", "--snapshot=" + snapshot, "--promote");
        assertCommand(reproduced, 0);
        assertEquals("SUCCESS", json(reproduced).get("status").asText());
        assertTrue(reproduced.output().contains("promotion: version 2: "), reproduced.output());

        Run promote = app("promote", "--version=2", "--reason=checked by hand");
        assertCommand(promote, 0);
        assertEquals(2, json(promote).get("version").asInt());
        assertEquals(
                "manual promotion: checked by hand", json(promote).get("reason").asText());

        Run rollback = app("rollback", "--version", "1");
        assertCommand(rollback, 0);
        assertEquals(1, json(rollback).get("version").asInt());
        assertEquals("rollback", json(rollback).get("reason").asText());

        Run unknown = app("rollback", "--version=99");
        assertCommand(unknown, 1);
        assertTrue(unknown.output().contains("no version 99"), unknown.output());

        // a search of two trials on the validation users, the best trained on all the data and registered
        Run tune = app(
                "tune",
                "--family=ease",
                "--strategy=grid",
                "--trials=2",
                "--space",
                "l2=50:2000:log",
                "-p",
                "min_ratings=5");
        assertCommand(tune, 0);
        JsonNode tuned = json(tune);
        assertEquals(2, tuned.get("trials").size(), tuned.toString());
        assertTrue(tuned.get("trials").get(0).get("val_full_ndcg_100").asDouble() > 0, tuned.toString());
        assertEquals("SUCCESS", tuned.get("training").get("status").asText(), tuned.toString());
        assertTrue(tune.output().contains("promotion: version 3: "), tune.output());
    }

    @Test
    @Order(2)
    void helpThroughTheJar() throws Exception {
        Run help = app("--help");
        assertCommand(help, 0);
        for (String command : List.of("ingest", "train", "tune", "monitor", "generate", "promote", "rollback")) {
            assertTrue(help.output().contains("  " + command + " "), command + " listed: " + help.output());
        }
    }

    @Test
    @Order(3)
    void withoutArgumentsTheJarServesAndJoinsTheWorkers() throws Exception {
        List<String> cmd = command();
        Process server = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("server.log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            boolean served = false;
            boolean joined = false;
            while (System.nanoTime() < deadline && !(served && joined) && server.isAlive()) {
                served = served || listening();
                joined = joined || groups().contains("reco-workers");
                Thread.sleep(200);
            }
            assertTrue(served, "the server listens on " + httpPort);
            assertTrue(joined, "the server joins reco-workers");
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A command ends with {@code exit}, and never listened nor joined a consumer group while it ran. */
    private static void assertCommand(Run run, int exit) {
        assertEquals(exit, run.exit(), run.output());
        assertFalse(run.listened(), "a command opens no HTTP listener");
        assertTrue(run.groups().isEmpty(), "a command joins no consumer group: " + run.groups());
        assertFalse(run.output().contains("Listening on: http"), run.output());
    }

    private static JsonNode json(Run run) throws IOException {
        String out = run.output();
        return JSON.readTree(out.substring(out.indexOf("{\n"), out.lastIndexOf("\n}") + 2));
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                // short runs on small data: the quick compiler alone starts the JVM sooner
                "-XX:TieredStopAtLevel=1"));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Run app(String... args) throws Exception {
        Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
        AtomicBoolean listened = new AtomicBoolean();
        Set<String> groups = new ConcurrentSkipListSet<>();
        Thread probe = new Thread(() -> {
            while (p.isAlive()) {
                listened.compareAndSet(false, listening());
                groups.addAll(groups());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        probe.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the command ends");
        probe.join();
        groups.addAll(groups());
        return new Run(p.exitValue(), output, listened.get(), groups);
    }

    private static boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", httpPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<String> groups() {
        try {
            Set<String> ids = new ConcurrentSkipListSet<>();
            for (GroupListing g : admin.listGroups().all().get(10, TimeUnit.SECONDS)) {
                ids.add(g.groupId());
            }
            return ids;
        } catch (Exception e) {
            throw new IllegalStateException("could not list the consumer groups", e);
        }
    }
}
