package org.recofilms.pipeline;

/**
 * The life of a step of a pipeline run: PENDING (the run is queued or has not reached it) → RUNNING →
 * SUCCESS or FAILED; SKIPPED when the run ended before reaching it (an earlier blocking step failed, the
 * run was refused or never enqueued) or when it had nothing to do.
 */
public enum StepStatus {
    PENDING,
    RUNNING,
    SUCCESS,
    FAILED,
    SKIPPED
}
