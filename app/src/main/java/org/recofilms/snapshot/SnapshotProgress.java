package org.recofilms.snapshot;

/**
 * Told how a long export goes, for log lines and gauges. Calls come from the exporting thread: every
 * {@link #intervalMillis()} while rows stream, and once more at the end with the final count.
 */
@FunctionalInterface
public interface SnapshotProgress {

    /** A listener that ignores everything. */
    SnapshotProgress NONE = (rows, rowsPerSecond) -> {};

    /** {@code rows} written so far, at {@code rowsPerSecond} averaged since the start. */
    void onProgress(long rows, double rowsPerSecond);

    /** How often progress is reported while rows stream, in milliseconds. */
    default long intervalMillis() {
        return 5_000;
    }
}
