package org.recofilms.pipeline;

import java.time.Instant;
import java.util.UUID;

/**
 * A run or one of its steps changed status; published on reco.pipeline.events keyed by the run id.
 * Consumers tell it from ModelPromoted by {@code type}.
 *
 * @param type always "PipelineRunChanged"
 * @param status the run's status (QUEUED, RUNNING, SUCCESS, FAILED)
 * @param step the step that changed, null when the run itself changed
 * @param stepStatus that step's status (RUNNING, SUCCESS, FAILED, SKIPPED), null when step is null
 * @param error why the run or step failed, else null
 */
public record PipelineRunChanged(
        String type,
        UUID runId,
        String kind,
        RunStatus status,
        String trigger,
        String step,
        StepStatus stepStatus,
        String error,
        Instant changedAt) {

    public static final String TYPE = "PipelineRunChanged";

    static PipelineRunChanged run(UUID runId, String kind, RunStatus status, String trigger, String error) {
        return new PipelineRunChanged(TYPE, runId, kind, status, trigger, null, null, error, Instant.now());
    }

    static PipelineRunChanged step(
            UUID runId, String kind, String trigger, String step, StepStatus stepStatus, String error) {
        return new PipelineRunChanged(
                TYPE, runId, kind, RunStatus.RUNNING, trigger, step, stepStatus, error, Instant.now());
    }
}
