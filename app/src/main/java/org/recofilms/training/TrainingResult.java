package org.recofilms.training;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * What a training run produced. {@code metrics} holds the seed protocol's precision_10, recall_10
 * and ndcg_10 and the full-ranking protocol's metrics (prefixed {@code full_}, with the popularity
 * baseline's under {@code popularity_}); {@code params} every parameter of the model;
 * {@code artifactDir} the folder with item_neighbors.parquet, movie_popularity.parquet and model.json.
 */
public record TrainingResult(
        UUID runId,
        Status status,
        Map<String, Object> params,
        Map<String, Double> metrics,
        Map<String, Double> phaseSeconds,
        String datasetMd5,
        String snapshotMd5,
        long snapshotRows,
        Path artifactDir,
        int movies,
        int neighborPairs,
        double durationSeconds,
        String error) {

    /** SUCCESS (artifacts written, tables refreshed) or FAILED (the current model and tables untouched). */
    public enum Status {
        SUCCESS,
        FAILED
    }
}
