package org.recofilms.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;

/**
 * {@link ModelRegistry} on a real MLflow tracking server. Runs, params, metrics and tags go through
 * mlflow-client's {@link MlflowClient}; experiment lookups, registered models, versions and aliases
 * through the REST API 2.0 with our own HTTP client (the Java client has no calls for models, and it
 * repeats a routine 404 three times); artifacts through the server's artifact proxy, so the server
 * must run with {@code --serve-artifacts}.
 *
 * <p>Every call makes at most 3 attempts, with doubling waits, on connection failures, 5xx answers and
 * silence (SmallRye Fault Tolerance guards, see {@link MlflowCalls}), then fails with a {@link RegistryException}: "MLflow unreachable at ..." when the server
 * could not be reached. A call through mlflow-client waits at most 60 s per attempt (the library has
 * no read timeout of its own) and the library itself repeats error answers 3 times, so those are not
 * retried again here; a REST call's 4xx answer (a missing alias, version or experiment) is final and
 * asked once. Artifact transfers wait at most 10 minutes for an answer, REST calls and listings 30 s.
 *
 * <p>Model versions point at {@code runs:/<run id>/<artifact path>}.
 * {@link #getRun} reports user tags only: MLflow's own {@code mlflow.*} tags are left out, as the
 * built-in registry has none.
 */
public final class MlflowRegistry implements ModelRegistry, AutoCloseable {

    private static final int ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    // Bounds each mlflow-client call, whose own HTTP client never times out a silent server.
    private static final Duration LIBRARY_DEADLINE = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);
    private static final String REST = "/api/2.0/mlflow/";
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(10);
    private static final String RUN_NAME_TAG = "mlflow.runName";
    // MLflow's logBatch limits: 100 params and 1000 entries in all per request.
    private static final int PARAMS_PER_BATCH = 100;
    private static final int ENTRIES_PER_BATCH = 1000;

    private final String trackingUri;
    // Replaced when a call hangs past its deadline: closing the stuck client frees its connections.
    private final AtomicReference<MlflowClient> client;
    private final MlflowCalls calls;
    private final MlflowArtifacts artifacts;
    private final HttpClient http;
    private final Duration restTimeout;
    private final ObjectMapper json = new ObjectMapper();
    // Both never change once assigned by the server, so caching saves a round trip per call.
    private final Map<String, String> experimentNames = new ConcurrentHashMap<>();
    private final Map<String, String> artifactRoots = new ConcurrentHashMap<>();

    /**
     * A registry on the MLflow server at {@code trackingUri} (http or https). Nothing is contacted
     * until the first call.
     */
    public MlflowRegistry(String trackingUri) {
        this(trackingUri, LIBRARY_DEADLINE, FIRST_BACKOFF);
    }

    /** With a shorter deadline and backoff, for fault tests that must not wait a minute. */
    MlflowRegistry(String trackingUri, Duration libraryDeadline, Duration firstBackoff) {
        if (trackingUri == null || !(trackingUri.startsWith("http://") || trackingUri.startsWith("https://"))) {
            throw new RegistryException("MLflow tracking URI must be http(s): " + trackingUri);
        }
        this.trackingUri = trackingUri.replaceAll("/+$", "");
        this.client = new AtomicReference<>(new MlflowClient(this.trackingUri));
        this.calls =
                new MlflowCalls(this.trackingUri, ATTEMPTS, firstBackoff, libraryDeadline, this::replaceStuckClient);
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.restTimeout = libraryDeadline.compareTo(LIST_TIMEOUT) < 0 ? libraryDeadline : LIST_TIMEOUT;
        this.artifacts = new MlflowArtifacts(this.trackingUri, http, calls, LIST_TIMEOUT, TRANSFER_TIMEOUT);
    }

    @Override
    public String kind() {
        return "mlflow";
    }

    /** The server this registry talks to. */
    public String trackingUri() {
        return trackingUri;
    }

    @Override
    public String createRun(String experiment, String runName, Map<String, String> tags) {
        String experimentId = experimentId(experiment);
        Service.CreateRun.Builder request = Service.CreateRun.newBuilder()
                .setExperimentId(experimentId)
                .setStartTime(System.currentTimeMillis())
                .setRunName(runName);
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            request.addTags(runTag(tag.getKey(), tag.getValue()));
        }
        // Older servers read the name from this tag only.
        if (!tags.containsKey(RUN_NAME_TAG)) {
            request.addTags(runTag(RUN_NAME_TAG, runName));
        }
        Service.CreateRun built = request.build();
        Service.RunInfo info = track("creation of run " + runName, c -> c.createRun(built));
        experimentNames.put(experimentId, experiment);
        return info.getRunId();
    }

    private String experimentId(String name) {
        // Through our own HTTP client: the first training of a fresh server finds no experiment, and
        // that 404 must be an answer, not something mlflow-client repeats and logs as a rate limit.
        Optional<String> existing = experimentByName(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return rest(
                            "experiments/create",
                            json.createObjectNode().put("name", name),
                            "creation of experiment " + name)
                    .path("experiment_id")
                    .asText();
        } catch (RegistryException e) {
            // Another trainer created it between our lookup and our create.
            if (MlflowCalls.errorCode(e).equals("RESOURCE_ALREADY_EXISTS")) {
                return experimentByName(name).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Optional<String> experimentByName(String name) {
        return ifExists("experiments/get-by-name?experiment_name=" + query(name), "lookup of experiment " + name)
                .map(body -> body.path("experiment").path("experiment_id").asText());
    }

    @Override
    public void logParams(String runId, Map<String, String> params) {
        List<Service.Param> all = new ArrayList<>();
        params.forEach((key, value) ->
                all.add(Service.Param.newBuilder().setKey(key).setValue(value).build()));
        for (List<Service.Param> batch : chunks(all, PARAMS_PER_BATCH)) {
            track("logging of params for run " + runId, c -> {
                c.logBatch(runId, List.of(), batch, List.of());
                return null;
            });
        }
    }

    @Override
    public void logMetrics(String runId, Map<String, Double> metrics) {
        long now = System.currentTimeMillis();
        List<Service.Metric> all = new ArrayList<>();
        metrics.forEach((key, value) -> all.add(Service.Metric.newBuilder()
                .setKey(key)
                .setValue(value)
                .setTimestamp(now)
                .setStep(0)
                .build()));
        for (List<Service.Metric> batch : chunks(all, ENTRIES_PER_BATCH)) {
            track("logging of metrics for run " + runId, c -> {
                c.logBatch(runId, batch, List.of(), List.of());
                return null;
            });
        }
    }

    @Override
    public void setTags(String runId, Map<String, String> tags) {
        List<Service.RunTag> all = new ArrayList<>();
        tags.forEach((key, value) -> all.add(runTag(key, value)));
        for (List<Service.RunTag> batch : chunks(all, ENTRIES_PER_BATCH)) {
            track("setting of tags for run " + runId, c -> {
                c.logBatch(runId, List.of(), List.of(), batch);
                return null;
            });
        }
    }

    @Override
    public void logArtifact(String runId, String artifactPath, Path file) {
        artifacts.upload(artifactRoot(runId), MlflowArtifacts.checkPath(artifactPath), file);
    }

    @Override
    public void endRun(String runId, String status) {
        Service.RunStatus runStatus;
        try {
            runStatus = Service.RunStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new RegistryException("unknown run status " + status + " (FINISHED, FAILED or KILLED)", e);
        }
        long now = System.currentTimeMillis();
        track("end of run " + runId, c -> {
            c.setTerminated(runId, runStatus, now);
            return null;
        });
    }

    @Override
    public RunInfo getRun(String runId) {
        Service.Run run = track("read of run " + runId, c -> c.getRun(runId));
        Service.RunInfo info = run.getInfo();
        Map<String, String> params = new TreeMap<>();
        run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        Map<String, Double> metrics = new TreeMap<>();
        run.getData().getMetricsList().forEach(m -> metrics.put(m.getKey(), m.getValue()));
        Map<String, String> allTags = new TreeMap<>();
        run.getData().getTagsList().forEach(t -> allTags.put(t.getKey(), t.getValue()));
        Map<String, String> userTags = new TreeMap<>();
        allTags.forEach((key, value) -> {
            if (!key.startsWith("mlflow.")) {
                userTags.put(key, value);
            }
        });
        String runName = info.getRunName().isEmpty() ? allTags.getOrDefault(RUN_NAME_TAG, "") : info.getRunName();
        artifactRoots.putIfAbsent(runId, MlflowArtifacts.proxyRoot(info.getArtifactUri()));
        return new RunInfo(
                info.getRunId(),
                experimentName(info.getExperimentId()),
                runName,
                info.getStatus().name(),
                info.getStartTime(),
                params,
                metrics,
                userTags);
    }

    private String experimentName(String experimentId) {
        String known = experimentNames.get(experimentId);
        if (known != null) {
            return known;
        }
        String name = track("read of experiment " + experimentId, c -> c.getExperiment(experimentId))
                .getName();
        experimentNames.put(experimentId, name);
        return name;
    }

    @Override
    public List<String> listArtifacts(String runId) {
        List<String> files = artifacts.list(artifactRoot(runId));
        files.sort(null);
        return files;
    }

    @Override
    public void downloadArtifact(String runId, String artifactPath, Path target) {
        artifacts.download(artifactRoot(runId), MlflowArtifacts.checkPath(artifactPath), target);
    }

    private String artifactRoot(String runId) {
        String known = artifactRoots.get(runId);
        if (known != null) {
            return known;
        }
        Service.Run run = track("read of run " + runId, c -> c.getRun(runId));
        String root = MlflowArtifacts.proxyRoot(run.getInfo().getArtifactUri());
        artifactRoots.put(runId, root);
        return root;
    }

    @Override
    public ModelVersion createModelVersion(
            String modelName, String runId, String artifactPath, Map<String, String> tags) {
        MlflowArtifacts.checkPath(artifactPath);
        ensureModel(modelName);
        ObjectNode request = json.createObjectNode()
                .put("name", modelName)
                .put("source", "runs:/" + runId + "/" + artifactPath)
                .put("run_id", runId);
        ArrayNode tagList = request.putArray("tags");
        tags.forEach((key, value) -> tagList.addObject().put("key", key).put("value", value));
        JsonNode created = rest("model-versions/create", request, "creation of a version of model " + modelName);
        return modelVersion(created.path("model_version"));
    }

    private void ensureModel(String modelName) {
        try {
            rest(
                    "registered-models/create",
                    json.createObjectNode().put("name", modelName),
                    "creation of registered model " + modelName);
        } catch (RegistryException e) {
            if (!MlflowCalls.errorCode(e).equals("RESOURCE_ALREADY_EXISTS")) {
                throw e;
            }
        }
    }

    @Override
    public Optional<ModelVersion> getModelVersion(String modelName, int version) {
        return ifExists(
                        "model-versions/get?name=" + query(modelName) + "&version=" + version,
                        "read of version " + version + " of model " + modelName)
                .map(body -> modelVersion(body.path("model_version")));
    }

    @Override
    public List<ModelVersion> latestModelVersions(String modelName, int limit) {
        // MLflow's search pages by 1000 at most and orders by its own rules: the newest are sorted here
        JsonNode body = rest(
                "model-versions/search?filter=" + query("name='" + modelName.replace("'", "\\'") + "'")
                        + "&max_results=1000",
                null,
                "listing of the versions of model " + modelName);
        List<ModelVersion> out = new ArrayList<>();
        for (JsonNode node : body.path("model_versions")) {
            out.add(modelVersion(node));
        }
        out.sort((a, b) -> Integer.compare(b.version(), a.version()));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    @Override
    public void setAlias(String modelName, String alias, int version) {
        ObjectNode request = json.createObjectNode()
                .put("name", modelName)
                .put("alias", alias)
                .put("version", Integer.toString(version));
        rest("registered-models/alias", request, "setting of alias " + alias + " of model " + modelName);
    }

    @Override
    public Optional<ModelVersion> getByAlias(String modelName, String alias) {
        String what = "read of alias " + alias + " of model " + modelName;
        try {
            return ifExists("registered-models/alias?name=" + query(modelName) + "&alias=" + query(alias), what)
                    .map(body -> modelVersion(body.path("model_version")));
        } catch (RegistryException e) {
            // MLflow answers an unset alias with a bare INVALID_PARAMETER_VALUE; rather than match its
            // wording, ask the model which aliases it has and report absence only when it has not this one.
            if (!MlflowCalls.errorCode(e).equals("INVALID_PARAMETER_VALUE")) {
                throw e;
            }
            Optional<JsonNode> model = ifExists("registered-models/get?name=" + query(modelName), what);
            if (model.isEmpty()) {
                return Optional.empty();
            }
            for (JsonNode existing : model.get().path("registered_model").path("aliases")) {
                if (existing.path("alias").asText().equals(alias)) {
                    throw e;
                }
            }
            return Optional.empty();
        }
    }

    /** Closes the tracking client's connections. */
    @Override
    public void close() {
        client.get().close();
    }

    /** A call through mlflow-client. */
    @FunctionalInterface
    private interface Tracking<T> {
        T run(MlflowClient client) throws IOException;
    }

    private <T> T track(String what, Tracking<T> call) {
        return calls.callLibrary(what, () -> call.run(client.get()));
    }

    private void replaceStuckClient() {
        MlflowClient stuck = client.getAndSet(new MlflowClient(trackingUri));
        stuck.close();
    }

    /**
     * A call of the REST API through our own HTTP client rather than mlflow-client's
     * {@code sendGet}/{@code sendPost}: the library repeats every error answer, 404 included, 3 times
     * and logs each repeat as "Request returned with status code 404 (Rate limit exceeded).
     * Retrying", with no setting to stop it. Here a 4xx is a final answer and only 5xx, silence and
     * connection failures are retried (MlflowCalls).
     */
    private JsonNode rest(String path, ObjectNode body, String what) {
        URI uri = URI.create(trackingUri + REST + path);
        return calls.call(what, () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(restTimeout);
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
            }
            HttpResponse<String> response =
                    MlflowCalls.send(http, request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            MlflowCalls.check(response.statusCode(), response.body());
            return json.readTree(response.body());
        });
    }

    /** A GET whose RESOURCE_DOES_NOT_EXIST answer (a 404) means "absent" rather than failure. */
    private Optional<JsonNode> ifExists(String path, String what) {
        try {
            return Optional.of(rest(path, null, what));
        } catch (RegistryException e) {
            if (MlflowCalls.errorCode(e).equals("RESOURCE_DOES_NOT_EXIST")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static ModelVersion modelVersion(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            throw new RegistryException("MLflow answered without a model_version");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : node.path("tags")) {
            tags.put(tag.path("key").asText(), tag.path("value").asText());
        }
        return new ModelVersion(
                node.path("name").asText(),
                node.path("version").asInt(),
                node.path("run_id").asText(),
                node.path("source").asText(),
                node.path("creation_timestamp").asLong(),
                Map.copyOf(tags));
    }

    private static Service.RunTag runTag(String key, String value) {
        return Service.RunTag.newBuilder().setKey(key).setValue(value).build();
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int start = 0; start < all.size(); start += size) {
            chunks.add(all.subList(start, Math.min(all.size(), start + size)));
        }
        return chunks;
    }
}
