package org.recofilms.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs, their params, metrics, tags and artifacts, registered model versions and aliases: the
 * concepts of MLflow's tracking server and model registry. Two implementations pass the same
 * contract suite: MlflowRegistry (a real MLflow server, when a tracking URI is configured)
 * and {@link BuiltinRegistry} (PostgreSQL, the embedded default). Blocking: call off the event loop.
 * Failures are {@link RegistryException}s whose message says what failed.
 */
public interface ModelRegistry {

    /** "mlflow" or "builtin", for logs, metadata and metrics. */
    String kind();

    /** Creates a run in {@code experiment} (created when absent) and returns its id. */
    String createRun(String experiment, String runName, Map<String, String> tags);

    void logParams(String runId, Map<String, String> params);

    void logMetrics(String runId, Map<String, Double> metrics);

    void setTags(String runId, Map<String, String> tags);

    /** Stores {@code file} as artifact {@code artifactPath} (e.g. {@code model/item_neighbors.parquet}) of the run. */
    void logArtifact(String runId, String artifactPath, Path file);

    /** Ends the run: status FINISHED or FAILED. */
    void endRun(String runId, String status);

    RunInfo getRun(String runId);

    /** Every artifact path of the run, recursively, sorted. */
    List<String> listArtifacts(String runId);

    /** Writes artifact {@code artifactPath} of the run to {@code target}. */
    void downloadArtifact(String runId, String artifactPath, Path target);

    /** Registers a new version of {@code modelName} (created when absent) for the run's artifacts. */
    ModelVersion createModelVersion(String modelName, String runId, String artifactPath, Map<String, String> tags);

    Optional<ModelVersion> getModelVersion(String modelName, int version);

    /** The newest {@code limit} versions of {@code modelName}, newest first; none when the model is absent. */
    List<ModelVersion> latestModelVersions(String modelName, int limit);

    /** Points {@code alias} of the model at {@code version}. */
    void setAlias(String modelName, String alias, int version);

    Optional<ModelVersion> getByAlias(String modelName, String alias);
}
