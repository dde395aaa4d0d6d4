package org.recofilms.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.launcher.LocalMlflow;

/** MlflowRegistry against a real MLflow server, checked through the server's own REST API too. */
class MlflowRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LocalMlflow server;
    private static MlflowRegistry registry;

    @TempDir
    static Path serverDir;

    @TempDir
    Path work;

    @BeforeAll
    static void startServer() throws IOException {
        Path mlflow = LocalMlflow.executable(true)
                .orElseThrow(() -> new IllegalStateException("mlflow " + LocalMlflow.VERSION + " not installable"));
        server = LocalMlflow.start(mlflow, serverDir, 0);
        registry = new MlflowRegistry(server.trackingUri());
    }

    @AfterAll
    static void stopServer() {
        if (registry != null) {
            registry.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void runWithParamsMetricsTagsIsReportedByTheServer() throws Exception {
        String experiment = unique("reco-films/itemcf");
        String runId = registry.createRun(experiment, "train_itemcf__k20__test", Map.of("git_commit", "abc123"));
        // A second run in the same experiment reuses it instead of failing.
        String other = registry.createRun(experiment, "second", Map.of());
        assertFalse(other.equals(runId));

        registry.logParams(runId, Map.of("k_neighbors", "20", "min_ratings", "5"));
        registry.logMetrics(runId, Map.of("ndcg_10", 0.25, "precision_10", 0.125));
        registry.setTags(runId, Map.of("dataset_md5", "d41d8cd9"));
        RunInfo running = registry.getRun(runId);
        assertEquals("RUNNING", running.status());
        registry.endRun(runId, "FINISHED");

        RunInfo run = registry.getRun(runId);
        assertEquals(runId, run.runId());
        assertEquals(experiment, run.experiment());
        assertEquals("train_itemcf__k20__test", run.runName());
        assertEquals("FINISHED", run.status());
        assertTrue(run.startTimeMillis() > 0);
        assertEquals(Map.of("k_neighbors", "20", "min_ratings", "5"), run.params());
        assertEquals(Map.of("ndcg_10", 0.25, "precision_10", 0.125), run.metrics());
        assertEquals(Map.of("git_commit", "abc123", "dataset_md5", "d41d8cd9"), run.tags());

        // What the server itself holds, read without our code.
        JsonNode served = rest("runs/get?run_id=" + runId).path("run");
        assertEquals("FINISHED", served.path("info").path("status").asText());
        assertEquals(
                "train_itemcf__k20__test", served.path("info").path("run_name").asText());
        Map<String, String> params = new HashMap<>();
        served.path("data")
                .path("params")
                .forEach(p -> params.put(p.path("key").asText(), p.path("value").asText()));
        assertEquals(Map.of("k_neighbors", "20", "min_ratings", "5"), params);
        Map<String, Double> metrics = new HashMap<>();
        served.path("data")
                .path("metrics")
                .forEach(
                        m -> metrics.put(m.path("key").asText(), m.path("value").asDouble()));
        assertEquals(Map.of("ndcg_10", 0.25, "precision_10", 0.125), metrics);
        Map<String, String> tags = new HashMap<>();
        served.path("data")
                .path("tags")
                .forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
        assertEquals("abc123", tags.get("git_commit"));
        assertEquals("d41d8cd9", tags.get("dataset_md5"));
        assertEquals(
                experiment,
                rest("experiments/get?experiment_id="
                                + served.path("info").path("experiment_id").asText())
                        .path("experiment")
                        .path("name")
                        .asText());

        registry.endRun(other, "FAILED");
        assertEquals("FAILED", registry.getRun(other).status());
        assertThrows(RegistryException.class, () -> registry.endRun(other, "DONE"));
    }

    @Test
    void artifactsRoundTripThroughTheProxy() throws Exception {
        String runId = registry.createRun(unique("artifacts"), "artifacts", Map.of());
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(big);
        Path neighbors = Files.write(work.resolve("item_neighbors.parquet"), big);
        Path descriptor = Files.writeString(work.resolve("model.json"), "{\"k\": 20}");

        registry.logArtifact(runId, "model/item_neighbors.parquet", neighbors);
        registry.logArtifact(runId, "descriptor.json", descriptor);

        assertEquals(List.of("descriptor.json", "model/item_neighbors.parquet"), registry.listArtifacts(runId));

        Path back = work.resolve("down/neighbors.parquet");
        registry.downloadArtifact(runId, "model/item_neighbors.parquet", back);
        assertArrayEquals(big, Files.readAllBytes(back));
        Path backDescriptor = work.resolve("down/descriptor.json");
        registry.downloadArtifact(runId, "descriptor.json", backDescriptor);
        assertEquals("{\"k\": 20}", Files.readString(backDescriptor));

        // A missing artifact fails clearly and leaves no file (nor a partial one) behind.
        Path missing = work.resolve("down/missing.bin");
        RegistryException absent =
                assertThrows(RegistryException.class, () -> registry.downloadArtifact(runId, "nope.bin", missing));
        assertTrue(absent.getMessage().contains("nope.bin"), absent.getMessage());
        assertFalse(Files.exists(missing));
        try (var left = Files.list(work.resolve("down"))) {
            assertEquals(2, left.count());
        }
        assertThrows(RegistryException.class, () -> registry.logArtifact(runId, "../escape", descriptor));

        // The server's own listing, through its REST API.
        JsonNode listing = rest("artifacts/list?run_id=" + runId);
        Map<String, Boolean> top = new HashMap<>();
        listing.path("files")
                .forEach(f -> top.put(f.path("path").asText(), f.path("is_dir").asBoolean()));
        assertEquals(Map.of("descriptor.json", false, "model", true), top);
        JsonNode model = rest("artifacts/list?run_id=" + runId + "&path=model");
        assertEquals(
                "model/item_neighbors.parquet",
                model.path("files").get(0).path("path").asText());
        assertEquals(big.length, model.path("files").get(0).path("file_size").asLong());
    }

    @Test
    void versionsAndAliases() throws Exception {
        String model = unique("reco-films-itemcf");
        String first = registry.createRun(unique("models"), "first", Map.of());
        String second = registry.createRun(unique("models"), "second", Map.of());

        ModelVersion v1 = registry.createModelVersion(model, first, "model", Map.of("dataset_md5", "aaa"));
        ModelVersion v2 = registry.createModelVersion(model, second, "model", Map.of());
        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        assertEquals(model, v1.modelName());
        assertEquals(first, v1.runId());
        assertEquals("runs:/" + first + "/model", v1.source());
        assertTrue(v1.createdMillis() > 0);
        assertEquals(Map.of("dataset_md5", "aaa"), v1.tags());

        assertEquals(Optional.of(v1), registry.getModelVersion(model, 1));
        assertEquals(Optional.empty(), registry.getModelVersion(model, 99));
        assertEquals(Optional.empty(), registry.getModelVersion(unique("no-such-model"), 1));
        assertEquals(Optional.empty(), registry.getByAlias(model, "production"));

        registry.setAlias(model, "production", 1);
        assertEquals(1, registry.getByAlias(model, "production").orElseThrow().version());
        assertEquals(
                "1",
                rest(aliasPath(model)).path("model_version").path("version").asText());

        registry.setAlias(model, "production", 2);
        ModelVersion production = registry.getByAlias(model, "production").orElseThrow();
        assertEquals(2, production.version());
        assertEquals(second, production.runId());
        JsonNode served = rest(aliasPath(model)).path("model_version");
        assertEquals("2", served.path("version").asText());
        assertEquals(second, served.path("run_id").asText());
        JsonNode registered = rest("registered-models/get?name=" + enc(model)).path("registered_model");
        assertEquals(
                "production", registered.path("aliases").get(0).path("alias").asText());
        assertEquals("2", registered.path("aliases").get(0).path("version").asText());

        RegistryException noSuchVersion =
                assertThrows(RegistryException.class, () -> registry.setAlias(model, "production", 7));
        assertNotNull(noSuchVersion.getMessage());
    }

    @Test
    void unreachableServerFailsQuicklyAfterBoundedRetries() {
        try (MlflowRegistry down = new MlflowRegistry("http://127.0.0.1:1")) {
            long start = System.nanoTime();
            RegistryException e =
                    assertThrows(RegistryException.class, () -> down.createRun("reco-films/itemcf", "x", Map.of()));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().startsWith("MLflow unreachable at http://127.0.0.1:1: "), e.getMessage());
            assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
            assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
            // Two backoffs (250 + 500 ms) and three refused connections.
            assertTrue(millis >= 700 && millis < 10_000, "took " + millis + " ms");

            RegistryException alias =
                    assertThrows(RegistryException.class, () -> down.getByAlias("reco-films-itemcf", "production"));
            assertTrue(alias.getMessage().startsWith("MLflow unreachable at http://127.0.0.1:1"), alias.getMessage());
        }
        assertThrows(RegistryException.class, () -> new MlflowRegistry("file:///tmp/mlruns"));
    }

    private static String aliasPath(String model) {
        return "registered-models/alias?name=" + enc(model) + "&alias=production";
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode rest(String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(server.trackingUri() + "/api/2.0/mlflow/" + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), pathAndQuery + ": " + response.body());
        return JSON.readTree(response.body());
    }
    /**
     * A stand-in server for the faults a healthy MLflow cannot be made to produce on demand: 5xx
     * answers and silence. Each request is counted; {@code answer} picks status and body by count.
     */
    private interface Answer {
        /** Status and JSON body for the {@code n}th request (from 1); status 0 means never answer. */
        Map.Entry<Integer, String> reply(int n);
    }

    private static HttpServer faultyServer(AtomicInteger requests, Answer answer) throws IOException {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Daemon threads: a handler left sleeping by the silent case must not hold the JVM open.
        fake.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-mlflow");
            thread.setDaemon(true);
            return thread;
        }));
        fake.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Map.Entry<Integer, String> reply = answer.reply(requests.incrementAndGet());
            if (reply.getKey() == 0) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            byte[] body = reply.getValue().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.getKey(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        return fake;
    }

    private static String uri(HttpServer fake) {
        return "http://127.0.0.1:" + fake.getAddress().getPort();
    }

    @Test
    void serverErrorsAreRetriedThreeTimesThenReported() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer fake = faultyServer(requests, n -> Map.entry(503, "{\"error_code\": \"TEMPORARILY_UNAVAILABLE\"}"));
        try (MlflowRegistry registry = new MlflowRegistry(uri(fake), Duration.ofSeconds(5), Duration.ofMillis(10))) {
            RegistryException e =
                    assertThrows(RegistryException.class, () -> registry.getModelVersion("reco-films-itemcf", 1));
            assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
            assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
            // Our own HTTP client asks 3 times in all (the REST calls do not go through mlflow-client).
            assertEquals(3, requests.get());

            // The artifact proxy calls (our own HTTP client) follow the same rule.
            requests.set(0);
            MlflowArtifacts proxy = new MlflowArtifacts(
                    uri(fake),
                    HttpClient.newHttpClient(),
                    new MlflowCalls(uri(fake), 3, Duration.ofMillis(10), Duration.ofSeconds(5), () -> {}),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5));
            Path file = Files.writeString(work.resolve("a.txt"), "a");
            RegistryException upload =
                    assertThrows(RegistryException.class, () -> proxy.upload("1/run/artifacts", "a.txt", file));
            assertTrue(upload.getMessage().contains("HTTP 503"), upload.getMessage());
            assertEquals(3, requests.get());
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aTransientErrorIsRecoveredAndARefusalIsNotRetried() throws IOException {
        String version = "{\"model_version\": {\"name\": \"m\", \"version\": \"3\", \"run_id\": \"r\","
                + " \"source\": \"runs:/r/model\", \"creation_timestamp\": 5}}";
        AtomicInteger requests = new AtomicInteger();
        HttpServer fake = faultyServer(requests, n -> n <= 2 ? Map.entry(502, "") : Map.entry(200, version));
        try (MlflowRegistry registry = new MlflowRegistry(uri(fake), Duration.ofSeconds(5), Duration.ofMillis(10))) {
            assertEquals(
                    Optional.of(new ModelVersion("m", 3, "r", "runs:/r/model", 5, Map.of())),
                    registry.getModelVersion("m", 3));
            assertEquals(3, requests.get());
        } finally {
            fake.stop(0);
        }

        AtomicInteger refused = new AtomicInteger();
        HttpServer strict = faultyServer(
                refused, n -> Map.entry(403, "{\"error_code\": \"PERMISSION_DENIED\", \"message\": \"no\"}"));
        try (MlflowRegistry registry = new MlflowRegistry(uri(strict), Duration.ofSeconds(5), Duration.ofMillis(10))) {
            RegistryException e = assertThrows(RegistryException.class, () -> registry.setAlias("m", "production", 1));
            assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
            assertTrue(e.getMessage().contains("PERMISSION_DENIED"), e.getMessage());
            // A refusal is final: asked once, not repeated as mlflow-client would.
            assertEquals(1, refused.get());

            // Through our own HTTP client a refusal is asked exactly once.
            refused.set(0);
            MlflowArtifacts proxy = new MlflowArtifacts(
                    uri(strict),
                    HttpClient.newHttpClient(),
                    new MlflowCalls(uri(strict), 3, Duration.ofMillis(10), Duration.ofSeconds(5), () -> {}),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5));
            RegistryException listing = assertThrows(RegistryException.class, () -> proxy.list("1/run/artifacts"));
            assertTrue(listing.getMessage().contains("HTTP 403"), listing.getMessage());
            assertEquals(1, refused.get());
        } finally {
            strict.stop(0);
        }
    }

    @Test
    void aMissingAliasIsOneRequestAndNoRetry() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer fake = faultyServer(
                requests,
                n -> Map.entry(
                        404,
                        "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"Registered Model not found\"}"));
        try (MlflowRegistry registry = new MlflowRegistry(uri(fake), Duration.ofSeconds(5), Duration.ofMillis(10))) {
            assertEquals(Optional.empty(), registry.getByAlias("m", "production"));
            assertEquals(1, requests.get());
            requests.set(0);
            assertEquals(Optional.empty(), registry.getModelVersion("m", 1));
            assertEquals(1, requests.get());
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void routineNotFoundAnswersOfARealServerLogNoRetry() {
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                warnings.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger mlflow = java.util.logging.Logger.getLogger("org.mlflow");
        mlflow.addHandler(capture);
        try {
            // The capture sees what mlflow-client logs through SLF4J (else this test would prove nothing).
            org.slf4j.LoggerFactory.getLogger("org.mlflow.tracking.MlflowHttpCaller")
                    .warn("probe");
            assertEquals(List.of("probe"), warnings);
            warnings.clear();

            // A first start on a fresh server: no experiment, no model, no alias yet.
            String model = unique("fresh-model");
            assertEquals(Optional.empty(), registry.getByAlias(model, "production"));
            assertEquals(Optional.empty(), registry.getModelVersion(model, 1));
            String runId = registry.createRun(unique("fresh-experiment"), "first", Map.of());
            registry.createModelVersion(model, runId, "model", Map.of());
            assertEquals(Optional.empty(), registry.getByAlias(model, "production"));
            assertEquals(List.of(), warnings);
        } finally {
            mlflow.removeHandler(capture);
        }
    }

    @Test
    void aSilentServerIsAbandonedAtTheDeadline() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer fake = faultyServer(requests, n -> Map.entry(0, ""));
        try (MlflowRegistry registry = new MlflowRegistry(uri(fake), Duration.ofMillis(300), Duration.ofMillis(10))) {
            long start = System.nanoTime();
            RegistryException e = assertThrows(RegistryException.class, () -> registry.getRun("r"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("no answer within 300 ms"), e.getMessage());
            assertTrue(millis < 5_000, "took " + millis + " ms");
            // Each timed-out attempt closed its stuck client, so every attempt reached the server.
            assertEquals(3, requests.get());

            // The REST calls (our own HTTP client) are bounded by the same deadline.
            requests.set(0);
            long restStart = System.nanoTime();
            RegistryException alias =
                    assertThrows(RegistryException.class, () -> registry.getByAlias("m", "production"));
            long restMillis = (System.nanoTime() - restStart) / 1_000_000;
            assertTrue(alias.getMessage().startsWith("MLflow unreachable at "), alias.getMessage());
            assertTrue(alias.getMessage().contains("3 attempts"), alias.getMessage());
            assertTrue(restMillis < 5_000, "took " + restMillis + " ms");
            assertEquals(3, requests.get());
        } finally {
            fake.stop(0);
        }
    }
}
