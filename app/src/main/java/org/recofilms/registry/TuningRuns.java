package org.recofilms.registry;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.recofilms.platform.GitCommit;
import org.recofilms.platform.RecoConfig;
import org.recofilms.training.TuningRequest;
import org.recofilms.training.TuningRequests;
import org.recofilms.training.TuningService;

/**
 * A tuning run in the registry: one parent run {@code tune_<family>__<timestamp>} (params family, strategy,
 * trials, seed, space; the best value as a metric; the best trial as tags) and one child run per trial (its
 * parameters, its {@code val_} metrics), a child being a run tagged {@code mlflow.parentRunId} with the parent's
 * id, as MLflow's UI nests them. All in the training runs' experiment ({@code reco.registry.experiment}).
 */
@ApplicationScoped
public class TuningRuns {

    /** The tag that makes a run a child of another in MLflow. */
    public static final String PARENT_TAG = "mlflow.parentRunId";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final ModelRegistry registry;
    private final RecoConfig config;

    public TuningRuns(ModelRegistry registry, RecoConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /** Creates the parent run with the request's params; returns its id. */
    public String start(UUID tuningRunId, TuningRequest request) {
        String name = "tune_" + request.family().id() + "__"
                + LocalDateTime.now(ZoneOffset.UTC).format(STAMP);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("family", request.family().id());
        tags.put("kind", "tuning");
        tags.put("tuning_run_id", tuningRunId.toString());
        tags.put("git_commit", GitCommit.current());
        tags.put("registry", registry.kind());
        String parent = registry.createRun(config.registry().experiment(), name, tags);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("family", request.family().id());
        params.put("strategy", request.strategy().name().toLowerCase());
        params.put("trials", Integer.toString(request.trials()));
        params.put("seed", Long.toString(request.seed()));
        params.put("space", TuningRequests.spaceText(request.space()));
        params.put("space_searched", request.searchSpace().dimensions().toString());
        request.fixed().forEach((k, v) -> params.put("fixed_" + k, v));
        registry.logParams(parent, params);
        return parent;
    }

    /** Logs one trial as a finished child run of {@code parent}; returns the child's id. */
    public String trial(String parent, UUID tuningRunId, TuningService.Trial trial, int of) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(PARENT_TAG, parent);
        // the same as a user tag: registries report user tags only (MlflowRegistry leaves mlflow.* out)
        tags.put("parent_run_id", parent);
        tags.put("kind", "tuning_trial");
        tags.put("trial", Integer.toString(trial.index() + 1));
        tags.put("trials", Integer.toString(of));
        tags.put("tuning_run_id", tuningRunId.toString());
        String family = String.valueOf(trial.params().get("family"));
        String child = registry.createRun(
                config.registry().experiment(), "tune_" + family + "__trial_" + (trial.index() + 1), tags);
        try {
            Map<String, String> params = new LinkedHashMap<>();
            trial.params().forEach((k, v) -> params.put(k, String.valueOf(v)));
            registry.logParams(child, params);
            registry.logMetrics(child, trial.metrics());
            registry.endRun(child, "FINISHED");
        } catch (RuntimeException e) {
            endQuietly(child, "FAILED");
            throw e;
        }
        return child;
    }

    /** Records the search's best trial on the parent (it stays open for the final training). */
    public void searched(String parent, TuningService.Result result, String bestChild) {
        TuningService.Trial best = result.bestTrial();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("best_" + TuningService.OBJECTIVE, best.objective());
        Double se = best.metrics().get(TuningService.OBJECTIVE + "_se");
        if (se != null) {
            metrics.put("best_" + TuningService.OBJECTIVE + "_se", se);
        }
        metrics.put("validation_users", (double) result.validationUsers());
        metrics.put("search_seconds", result.seconds());
        registry.logMetrics(parent, metrics);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("best_trial", Integer.toString(best.index() + 1));
        tags.put("best_child_run_id", bestChild);
        tags.put("best_params", best.searched().toString());
        tags.put("snapshot_md5", String.valueOf(result.snapshot().md5()));
        registry.setTags(parent, tags);
    }

    /** Ends the parent: FINISHED with the registered version, or FAILED with the error. */
    public void end(String parent, ModelVersion version, String error) {
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            if (version != null) {
                tags.put("model_name", version.modelName());
                tags.put("model_version", Integer.toString(version.version()));
            }
            if (error != null) {
                tags.put("error", error.length() > 500 ? error.substring(0, 500) : error);
            }
            if (!tags.isEmpty()) {
                registry.setTags(parent, tags);
            }
        } finally {
            registry.endRun(parent, error == null ? "FINISHED" : "FAILED");
        }
    }

    /** Ends the parent FAILED, ignoring a registry that fails too (its first error is the one reported). */
    public void endQuietly(String run, String status) {
        try {
            registry.endRun(run, status);
        } catch (RuntimeException ignored) {
            // the registry is what failed
        }
    }
}
