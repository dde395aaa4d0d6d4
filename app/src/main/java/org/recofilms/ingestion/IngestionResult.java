package org.recofilms.ingestion;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an ingestion run did. {@code rowsInjected} counts the rows this run loaded per table,
 * {@code rowsTotal} the rows live after it, {@code rejected} the rejected lines by file and kind,
 * {@code phaseSeconds} the time spent staging each file and in each later phase.
 */
public record IngestionResult(
        UUID runId,
        Status status,
        boolean noOp,
        String datasetMd5,
        Map<String, Long> rowsInjected,
        Map<String, Long> rowsTotal,
        Map<String, Map<String, Long>> rejected,
        List<QualityCheck> checks,
        Map<String, Double> phaseSeconds,
        double durationSeconds,
        String error) {

    /** SUCCESS (swapped in, or a no-op when the files did not change) or FAILED (nothing swapped). */
    public enum Status {
        SUCCESS,
        FAILED
    }

    public long rejected(String file, RejectKind kind) {
        return rejected.getOrDefault(file, Map.of()).getOrDefault(kind.name(), 0L);
    }

    /** A result of run {@code runId}, closed by {@link Builder#succeeded}, {@link Builder#unchanged} or {@link Builder#failed}. */
    public static Builder builder(UUID runId) {
        return new Builder(runId);
    }

    /** Names the fields of an {@link IngestionResult}; what is not set is empty (no rows, no rejects, no checks). */
    public static final class Builder {
        private final UUID runId;
        private String datasetMd5;
        private Map<String, Long> rowsInjected = Map.of();
        private Map<String, Long> rowsTotal = Map.of();
        private Map<String, Map<String, Long>> rejected = Map.of();
        private List<QualityCheck> checks = List.of();
        private Map<String, Double> phaseSeconds = Map.of();
        private double durationSeconds;

        private Builder(UUID runId) {
            this.runId = runId;
        }

        public Builder datasetMd5(String datasetMd5) {
            this.datasetMd5 = datasetMd5;
            return this;
        }

        public Builder rowsInjected(Map<String, Long> rowsInjected) {
            this.rowsInjected = rowsInjected;
            return this;
        }

        public Builder rowsTotal(Map<String, Long> rowsTotal) {
            this.rowsTotal = rowsTotal;
            return this;
        }

        public Builder rejected(Map<String, Map<String, Long>> rejected) {
            this.rejected = rejected;
            return this;
        }

        public Builder checks(List<QualityCheck> checks) {
            this.checks = checks;
            return this;
        }

        public Builder phaseSeconds(Map<String, Double> phaseSeconds) {
            this.phaseSeconds = phaseSeconds;
            return this;
        }

        public Builder durationSeconds(double durationSeconds) {
            this.durationSeconds = durationSeconds;
            return this;
        }

        /** A SUCCESS that loaded and swapped in the files. */
        public IngestionResult succeeded() {
            return build(Status.SUCCESS, false, null);
        }

        /** A SUCCESS that did nothing: the files are the version already live (a no-op run). */
        public IngestionResult unchanged() {
            return build(Status.SUCCESS, true, null);
        }

        /** A FAILED with why: nothing swapped in. */
        public IngestionResult failed(String error) {
            return build(Status.FAILED, false, error);
        }

        private IngestionResult build(Status status, boolean noOp, String error) {
            return new IngestionResult(
                    runId,
                    status,
                    noOp,
                    datasetMd5,
                    rowsInjected,
                    rowsTotal,
                    rejected,
                    checks,
                    phaseSeconds,
                    durationSeconds,
                    error);
        }
    }
}
