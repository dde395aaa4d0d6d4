package org.recofilms.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A pipeline run as GET /pipelines/runs/{id} shows it (reco.pipeline_runs and its steps). */
public record PipelineRun(
        @JsonProperty("run_id") UUID runId,
        String kind,
        RunStatus status,
        String trigger,
        Map<String, String> params,
        @JsonProperty("requested_at") Instant requestedAt,
        @JsonProperty("started_at") @Schema(nullable = true) Instant startedAt,

        @JsonProperty("finished_at") @Schema(nullable = true)
        Instant finishedAt,

        @JsonProperty("heartbeat_at") @Schema(nullable = true)
        Instant heartbeatAt,

        @Schema(nullable = true) String worker,
        @Schema(nullable = true) JsonNode counts,
        @Schema(nullable = true) String error,
        List<Step> steps) {

    /** A step of a run, in chain order. */
    public record Step(
            int position,
            String step,
            StepStatus status,
            boolean blocking,

            @JsonProperty("started_at") @Schema(nullable = true)
            Instant startedAt,

            @JsonProperty("finished_at") @Schema(nullable = true)
            Instant finishedAt,

            @Schema(nullable = true) JsonNode detail,
            @Schema(nullable = true) String error) {}

    /** This run with {@code steps} in place of its own. */
    PipelineRun withSteps(List<Step> steps) {
        return new Builder(this).steps(steps).build();
    }

    /** A run {@code runId} as read from reco.pipeline_runs; steps and params are empty until given. */
    static Builder builder(UUID runId) {
        return new Builder(runId);
    }

    /** Names the fields of a {@link PipelineRun}. */
    static final class Builder {
        private final UUID runId;
        private String kind;
        private RunStatus status;
        private String trigger;
        private Map<String, String> params = Map.of();
        private Instant requestedAt;
        private Instant startedAt;
        private Instant finishedAt;
        private Instant heartbeatAt;
        private String worker;
        private JsonNode counts;
        private String error;
        private List<Step> steps = List.of();

        private Builder(UUID runId) {
            this.runId = runId;
        }

        private Builder(PipelineRun run) {
            this.runId = run.runId;
            this.kind = run.kind;
            this.status = run.status;
            this.trigger = run.trigger;
            this.params = run.params;
            this.requestedAt = run.requestedAt;
            this.startedAt = run.startedAt;
            this.finishedAt = run.finishedAt;
            this.heartbeatAt = run.heartbeatAt;
            this.worker = run.worker;
            this.counts = run.counts;
            this.error = run.error;
            this.steps = run.steps;
        }

        Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        Builder status(RunStatus status) {
            this.status = status;
            return this;
        }

        Builder trigger(String trigger) {
            this.trigger = trigger;
            return this;
        }

        Builder params(Map<String, String> params) {
            this.params = params;
            return this;
        }

        Builder requestedAt(Instant requestedAt) {
            this.requestedAt = requestedAt;
            return this;
        }

        Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        Builder finishedAt(Instant finishedAt) {
            this.finishedAt = finishedAt;
            return this;
        }

        /** When the worker last said it was alive; null before a worker takes the run. */
        Builder heartbeatAt(Instant heartbeatAt) {
            this.heartbeatAt = heartbeatAt;
            return this;
        }

        Builder worker(String worker) {
            this.worker = worker;
            return this;
        }

        Builder counts(JsonNode counts) {
            this.counts = counts;
            return this;
        }

        Builder error(String error) {
            this.error = error;
            return this;
        }

        Builder steps(List<Step> steps) {
            this.steps = steps;
            return this;
        }

        PipelineRun build() {
            return new PipelineRun(
                    runId,
                    kind,
                    status,
                    trigger,
                    params,
                    requestedAt,
                    startedAt,
                    finishedAt,
                    heartbeatAt,
                    worker,
                    counts,
                    error,
                    steps);
        }
    }
}
