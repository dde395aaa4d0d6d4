package org.recofilms.training;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * What a training run produced. {@code metrics} holds the seed protocol's precision_10, recall_10
 * and ndcg_10 and the full-ranking protocol's metrics (prefixed {@code full_}, with the popularity
 * baseline's under {@code popularity_}); {@code params} every parameter of the model;
 * {@code artifactDir} the folder with item_neighbors.parquet, movie_popularity.parquet and model.json.
 * Built with {@link #builder(UUID)}: a failed run has no artifacts and no model sizes.
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

    /** A result of run {@code runId}, filled as the run goes and closed by {@link Builder#succeeded} or {@link Builder#failed}. */
    public static Builder builder(UUID runId) {
        return new Builder(runId);
    }

    /** Names the fields of a {@link TrainingResult}; the maps are kept, not copied, so the run may fill them later. */
    public static final class Builder {
        private final UUID runId;
        private Map<String, Object> params = Map.of();
        private Map<String, Double> metrics = Map.of();
        private Map<String, Double> phaseSeconds = Map.of();
        private String datasetMd5;
        private String snapshotMd5;
        private long snapshotRows;
        private double durationSeconds;

        private Builder(UUID runId) {
            this.runId = runId;
        }

        public Builder params(Map<String, Object> params) {
            this.params = params;
            return this;
        }

        public Builder metrics(Map<String, Double> metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder phaseSeconds(Map<String, Double> phaseSeconds) {
            this.phaseSeconds = phaseSeconds;
            return this;
        }

        public Builder datasetMd5(String datasetMd5) {
            this.datasetMd5 = datasetMd5;
            return this;
        }

        /** The snapshot trained on: its md5 and its rows (negative counts as 0, a given file not yet read). */
        public Builder snapshot(String md5, long rows) {
            this.snapshotMd5 = md5;
            this.snapshotRows = Math.max(rows, 0);
            return this;
        }

        public Builder durationSeconds(double durationSeconds) {
            this.durationSeconds = durationSeconds;
            return this;
        }

        /** A SUCCESS with its artifact folder and model sizes. */
        public TrainingResult succeeded(Path artifactDir, int movies, int neighborPairs) {
            return build(Status.SUCCESS, artifactDir, movies, neighborPairs, null);
        }

        /** A FAILED with why: no artifacts, no model. */
        public TrainingResult failed(String error) {
            return build(Status.FAILED, null, 0, 0, error);
        }

        private TrainingResult build(Status status, Path artifactDir, int movies, int neighborPairs, String error) {
            return new TrainingResult(
                    runId,
                    status,
                    params,
                    metrics,
                    phaseSeconds,
                    datasetMd5,
                    snapshotMd5,
                    snapshotRows,
                    artifactDir,
                    movies,
                    neighborPairs,
                    durationSeconds,
                    error);
        }
    }
}
