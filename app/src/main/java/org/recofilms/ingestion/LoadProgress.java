package org.recofilms.ingestion;

/**
 * Told how a load goes: called every few seconds while a file streams in, and once per file at the
 * end. The ingestion service turns it into log lines and gauges; tests use it to interrupt a run.
 */
public interface LoadProgress {

    /** Periodic: {@code rows} accepted so far out of {@code bytesRead} of {@code bytesTotal}. */
    default void progress(String file, long rows, long bytesRead, long bytesTotal) {}

    /** After a file is staged (not yet swapped in): its accepted and rejected line counts. */
    default void fileStaged(String file, long rows, long rejected) {}

    /** Before the next phase (staging, indexes, checks, swap). */
    default void phase(String phase) {}

    LoadProgress NONE = new LoadProgress() {};
}
