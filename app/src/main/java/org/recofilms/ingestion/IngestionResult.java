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
}
