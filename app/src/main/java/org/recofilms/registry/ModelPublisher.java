package org.recofilms.registry;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.recofilms.platform.GitCommit;
import org.recofilms.platform.RecoConfig;
import org.recofilms.snapshot.FactorBundle;
import org.recofilms.snapshot.ModelArtifacts;
import org.recofilms.snapshot.ServingBundle;
import org.recofilms.training.TrainingResult;
import org.recofilms.training.evaluation.UserMetricsFile;

/**
 * Records a successful training in the registry, the way the seed logged to MLflow: a run named
 * {@code train_itemcf__k<k>__<timestamp>} (the seed's name, for item-kNN; {@code train_<family>__<key
 * params>__<timestamp>} for the other families) in experiment reco-films/itemcf with every param
 * (the family among them), every metric and the tags family, git_commit, dataset_md5, snapshot_md5,
 * snapshot_rows and training_duration_s; the artifacts under {@code model/}, which is an MLflow Model
 * ({@link MlflowModelFiles}: MLmodel with a python_function flavor, its loader code, signature, input
 * example and Python requirements); a new version of the registered model, tagged with its family
 * too. Blocking.
 */
@ApplicationScoped
public class ModelPublisher {

    private static final Logger LOG = Logger.getLogger(ModelPublisher.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    /** The artifact folder of a model inside its run. */
    public static final String ARTIFACT_DIR = "model";

    private final ModelRegistry registry;
    private final RecoConfig config;

    public ModelPublisher(ModelRegistry registry, RecoConfig config) {
        this.registry = registry;
        this.config = config;
    }

    public ModelVersion publish(TrainingResult result) {
        if (result.status() != TrainingResult.Status.SUCCESS) {
            throw new RegistryException("training run " + result.runId() + " failed: nothing to publish");
        }
        String family = String.valueOf(result.params().getOrDefault("family", "itemknn"));
        String runName = runName(family, result.params()) + "__"
                + LocalDateTime.now(ZoneOffset.UTC).format(STAMP);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("family", family);
        tags.put("git_commit", GitCommit.current());
        tags.put("dataset_md5", String.valueOf(result.datasetMd5()));
        tags.put("snapshot_md5", String.valueOf(result.snapshotMd5()));
        tags.put("snapshot_rows", Long.toString(result.snapshotRows()));
        tags.put("training_duration_s", String.format("%.3f", result.durationSeconds()));
        tags.put("training_run_id", result.runId().toString());
        tags.put("registry", registry.kind());

        String run = registry.createRun(config.registry().experiment(), runName, tags);
        try {
            Map<String, String> params = new LinkedHashMap<>();
            result.params().forEach((k, v) -> params.put(k, String.valueOf(v)));
            registry.logParams(run, params);
            registry.logMetrics(run, result.metrics());
            // item-item families: neighbour lists; iALS: its factors (serving.bin then holds the popularity alone)
            String modelFile = family.equals("ials") ? FactorBundle.FILE : ModelArtifacts.NEIGHBORS_FILE;
            List<String> files = new ArrayList<>(List.of(
                    modelFile, ModelArtifacts.POPULARITY_FILE, ServingBundle.FILE, MlflowModelFiles.DESCRIPTOR));
            for (String file : files) {
                if (!Files.isRegularFile(result.artifactDir().resolve(file))) {
                    throw new RegistryException(
                            "artifact missing: " + result.artifactDir().resolve(file));
                }
            }
            // per-user full-ranking test metrics, when the run evaluated them: promotion pairs versions by them
            if (Files.isRegularFile(result.artifactDir().resolve(UserMetricsFile.FILE))) {
                files.add(UserMetricsFile.FILE);
            }
            // the MLmodel last: a reader that sees it finds the files it names
            files.addAll(mlflowModel(result, run));
            for (String file : files) {
                registry.logArtifact(
                        run, ARTIFACT_DIR + "/" + file, result.artifactDir().resolve(file));
            }
            registry.endRun(run, "FINISHED");
        } catch (RuntimeException e) {
            try {
                registry.endRun(run, "FAILED");
            } catch (RuntimeException ignored) {
                // the registry is what failed; the first error is the one to report
            }
            throw e;
        }
        ModelVersion version = registry.createModelVersion(config.registry().modelName(), run, ARTIFACT_DIR, tags);
        LOG.infof(
                "training %s registered as %s version %d (run %s in the %s registry)",
                result.runId(), version.modelName(), version.version(), run, registry.kind());
        return version;
    }

    /** The run name before its timestamp: the family and its main parameters. */
    static String runName(String family, Map<String, Object> p) {
        return switch (family) {
            case "rp3beta" -> "train_rp3beta__a" + p.get("alpha") + "_b" + p.get("beta") + "_k" + p.get("top_k");
            case "ease" -> "train_ease__l2_" + p.get("l2") + "_k" + p.get("top_k");
            case "ials" -> "train_ials__f" + p.get("factors") + "_i" + p.get("iterations");
            default -> "train_itemcf__k" + p.get("k_neighbors");
        };
    }

    /** Writes the MLflow Model files beside the artifacts; returns their paths, the MLmodel last. */
    private static List<String> mlflowModel(TrainingResult result, String run) {
        try {
            return MlflowModelFiles.write(
                    result.artifactDir(),
                    run,
                    ARTIFACT_DIR,
                    Map.of("training_run_id", result.runId().toString()));
        } catch (UncheckedIOException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }
}
