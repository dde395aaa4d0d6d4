package org.recofilms.ingestion;

/**
 * The result of one data-quality check, as written to raw.quality_checks_log. A failed blocking
 * check stops the ingestion before the swap (and so the pipeline before training).
 */
public record QualityCheck(String name, Status status, long errorCount, boolean blocking, String detail) {

    /** PASS, FAIL (blocking or not) or WARN (a failed non-blocking check). */
    public enum Status {
        PASS,
        WARN,
        FAIL
    }

    static QualityCheck of(String name, long errors, boolean blocking, String detail) {
        Status status = errors == 0 ? Status.PASS : blocking ? Status.FAIL : Status.WARN;
        return new QualityCheck(name, status, errors, blocking, detail);
    }

    public boolean failedBlocking() {
        return blocking && status == Status.FAIL;
    }
}
