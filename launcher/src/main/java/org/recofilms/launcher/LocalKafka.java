package org.recofilms.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode, run as its own JVM from the kafka_2.13 jars that
 * the build copies into target/kafka-broker/libs (kafka/broker/pom.xml). The jars never join the
 * app's classpath. The broker dies with the process that started it ({@link OrphanGuard}).
 */
public final class LocalKafka implements AutoCloseable {

    private final ChildProcess process;
    private final int port;

    private LocalKafka(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Where the launcher's build copies the broker's jars: {@code kafka-broker/libs} beside the
     * launcher's classes or jar (both in launcher/target); override with -Dreco.kafka.libs.
     */
    static Path libsDir() {
        String configured = System.getProperty("reco.kafka.libs");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        return Path.of(ownClasses()).getParent().resolve("kafka-broker").resolve("libs");
    }

    /**
     * Formats {@code workDir} (once) and starts the broker on {@code port} (0: any free port), then
     * creates the topics of {@code topicsFile} (kafka/topics.conf) when it exists.
     */
    public static LocalKafka start(Path workDir, int port, Path topicsFile) throws IOException {
        Path libs = libsDir();
        if (!Files.isDirectory(libs) || !Files.exists(libs.resolve("kafka_2.13-" + brokerVersion(libs) + ".jar"))) {
            throw new IOException("Kafka broker jars not found in " + libs
                    + ": build the launcher first (./mvnw -pl launcher package)");
        }
        Files.createDirectories(workDir);
        int brokerPort = FreePorts.pick(port);
        int controllerPort = FreePorts.pick(0);
        Path config = writeConfig(workDir, brokerPort, controllerPort);
        Path log4j = writeLog4j(workDir);
        Path log = workDir.resolve("broker.log");
        String classpath = libs + File.separator + "*";

        if (!Files.exists(workDir.resolve("data").resolve("meta.properties"))) {
            List<String> format = java(classpath, log4j, "256m");
            format.addAll(List.of(
                    "kafka.tools.StorageTool",
                    "format",
                    "--ignore-formatted",
                    "-t",
                    Uuid.randomUuid().toString(),
                    "-c",
                    config.toString()));
            runToCompletion(format, workDir, log, Duration.ofSeconds(60));
        }

        List<String> server = java(classpath, log4j, "512m");
        server.addAll(List.of("kafka.Kafka", config.toString()));
        long logOffset = Files.exists(log) ? Files.size(log) : 0;
        ChildProcess broker = ChildProcess.start("kafka", server, workDir, Map.of(), log);
        OrphanGuard.watch("kafka", broker.pid());
        LocalKafka kafka = new LocalKafka(broker, brokerPort);
        try {
            kafka.awaitStarted(log, logOffset, Duration.ofSeconds(90));
            if (topicsFile != null && Files.exists(topicsFile)) {
                kafka.createTopics(topicsFile);
            }
        } catch (IOException | RuntimeException e) {
            broker.stop(Duration.ofSeconds(5));
            throw e;
        }
        return kafka;
    }

    private static String brokerVersion(Path libs) throws IOException {
        try (var files = Files.list(libs)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("kafka_2.13-") && n.endsWith(".jar"))
                    .map(n -> n.substring("kafka_2.13-".length(), n.length() - ".jar".length()))
                    .findFirst()
                    .orElse("?");
        }
    }

    /** The launcher's own classes: target/classes, or the launcher's jar. */
    private static String ownClasses() {
        try {
            return Path.of(LocalKafka.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> java(String classpath, Path log4j, String heap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(
                "-Xms64m",
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4j,
                "-cp",
                classpath));
        return cmd;
    }

    private static Path writeConfig(Path workDir, int brokerPort, int controllerPort) throws IOException {
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", workDir.resolve("data").toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.segment.bytes", "16777216");
        StringBuilder text = new StringBuilder("# written by org.recofilms.launcher.LocalKafka\n");
        p.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e ->
                        text.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
        Path file = workDir.resolve("server.properties");
        Files.writeString(file, text);
        return file;
    }

    private static Path writeLog4j(Path workDir) throws IOException {
        Path file = workDir.resolve("log4j2.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "status = warn",
                        "appender.out.type = Console",
                        "appender.out.name = out",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n",
                        "rootLogger.level = warn",
                        "rootLogger.appenderRef.out.ref = out",
                        "logger.server.name = kafka.server.KafkaRaftServer",
                        "logger.server.level = info",
                        ""));
        return file;
    }

    private static void runToCompletion(List<String> cmd, Path workDir, Path log, Duration limit) throws IOException {
        ChildProcess p = ChildProcess.start("kafka-storage", cmd, workDir, Map.of(), log);
        try {
            if (!p.process().waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.stop(Duration.ofSeconds(2));
                throw new IOException("formatting Kafka storage took longer than " + limit);
            }
            if (p.process().exitValue() != 0) {
                throw new IOException("formatting Kafka storage failed:\n" + p.logTail(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void awaitStarted(Path log, long fromOffset, Duration limit) throws IOException {
        process.awaitReady("Kafka broker", "started", limit, Duration.ofMillis(100), () -> {
            if (!Files.exists(log)) {
                return false;
            }
            String text = Files.readString(log);
            return text.length() > fromOffset
                    && text.substring((int) Math.min(fromOffset, text.length())).contains("Kafka Server started");
        });
    }

    /** Creates the topics listed in kafka/topics.conf: {@code topic partitions replication [k=v ...]}. */
    void createTopics(Path topicsFile) throws IOException {
        List<NewTopic> topics = TopicsFile.read(topicsFile);
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not create Kafka topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The broker's JVM, for the launcher's supervision. */
    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
