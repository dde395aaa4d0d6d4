package org.recofilms.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the embedded default does once the app is ready: unless a model is already served (or
 * {@code --pipeline} says otherwise), it triggers the daily pipeline through the REST API with the
 * operator key, prints each step as it ends, and says when the promoted model is served.
 */
final class DemoPipeline {

    private final String base;
    private final String operatorKey;
    private final String mode;
    private final BooleanSupplier appAlive;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    DemoPipeline(String base, String operatorKey, String mode, BooleanSupplier appAlive) {
        this.base = base;
        this.operatorKey = operatorKey;
        this.mode = mode;
        this.appAlive = appAlive;
    }

    void run() throws InterruptedException {
        try {
            if (mode.equals("off")) {
                return;
            }
            JsonNode metadata = get("/model/metadata");
            if (mode.equals("auto") && "serving".equals(metadata.path("status").asText())) {
                System.out.printf(
                        "[local] serving model version %s; no pipeline run needed (--pipeline=always runs one)%n",
                        metadata.path("version").asText());
                return;
            }
            long t0 = System.nanoTime();
            HttpResponse<String> triggered = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/pipelines/daily"))
                            .header("X-API-Key", operatorKey)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (triggered.statusCode() != 202 && triggered.statusCode() != 200) {
                System.err.println(
                        "[local] daily pipeline not triggered: " + triggered.statusCode() + " " + triggered.body());
                return;
            }
            String runId = json.readTree(triggered.body()).path("run_id").asText();
            System.out.printf(
                    "[local] daily pipeline run %s %s: follow it at %s/pipelines/runs/%s%n",
                    runId, triggered.statusCode() == 202 ? "queued" : "already active", base, runId);
            JsonNode run = follow(runId);
            System.out.printf(
                    "[local] daily pipeline %s in %.1f s%s%n",
                    run.path("status").asText(),
                    (System.nanoTime() - t0) / 1e9,
                    run.path("error").isTextual() ? ": " + run.path("error").asText() : "");
            if (!run.path("status").asText().equals("SUCCESS")) {
                return;
            }
            int version = run.path("counts").path("model_version").asInt(-1);
            Instant deadline = Instant.now().plusSeconds(60);
            while (Instant.now().isBefore(deadline) && appAlive.getAsBoolean()) {
                metadata = get("/model/metadata");
                if ("serving".equals(metadata.path("status").asText())
                        && (version < 0 || metadata.path("version").asInt() == version)) {
                    System.out.printf(
                            "[local] serving model version %d trained and promoted by run %s (%.1f s after the trigger)%n",
                            metadata.path("version").asInt(), runId, (System.nanoTime() - t0) / 1e9);
                    showRecommendations();
                    return;
                }
                Thread.sleep(500);
            }
            System.err.println("[local] the promoted model is not served yet: see the app's log");
        } catch (IOException e) {
            System.err.println("[local] daily pipeline: " + e.getMessage());
        }
    }

    /** Prints user 1's recommendations, as a first look at what the model serves. */
    private void showRecommendations() throws IOException, InterruptedException {
        String path = "/recommend?user_id=1&top_n=5";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
            JsonNode answer = json.readTree(r.body());
            System.out.printf(
                    "[local] GET %s (%s, model %s):%n",
                    path,
                    answer.path("strategy").asText(),
                    answer.path("model_version").asText());
            for (JsonNode movie : answer.path("recommendations")) {
                System.out.printf(
                        "[local]   %-50s score %.3f%n",
                        movie.path("title").asText(), movie.path("score").asDouble());
            }
        }
        System.out.printf("[local] try: curl '%s%s'   and   curl %s/model/metadata%n", base, path, base);
    }

    /** Polls the run until it ends, printing each step when it starts and ends. */
    private JsonNode follow(String runId) throws IOException, InterruptedException {
        Map<String, String> printed = new HashMap<>();
        JsonNode run = get("/pipelines/runs/" + runId);
        while (appAlive.getAsBoolean()) {
            run = get("/pipelines/runs/" + runId);
            for (JsonNode step : run.path("steps")) {
                String name = step.path("step").asText();
                String status = step.path("status").asText();
                if (!status.equals("PENDING") && !status.equals(printed.get(name))) {
                    printed.put(name, status);
                    String took = "";
                    if (step.path("started_at").isTextual()
                            && step.path("finished_at").isTextual()) {
                        took = String.format(
                                " (%.1f s)",
                                Duration.between(
                                                        Instant.parse(step.path("started_at")
                                                                .asText()),
                                                        Instant.parse(step.path("finished_at")
                                                                .asText()))
                                                .toMillis()
                                        / 1000.0);
                    }
                    System.out.printf(
                            "[local]   step %d/%d %-15s %s%s%s%n",
                            step.path("position").asInt(),
                            run.path("steps").size(),
                            name,
                            status,
                            took,
                            step.path("error").isTextual()
                                    ? ": " + step.path("error").asText()
                                    : "");
                }
            }
            String status = run.path("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return run;
            }
            Thread.sleep(1000);
        }
        return run;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }
}
