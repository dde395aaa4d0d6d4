package org.recofilms.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A pipeline run as GET /pipelines/runs/{id} shows it (reco.pipeline_runs and its steps). */
public record PipelineRun(
        @JsonProperty("run_id") UUID runId,
        String kind,
        RunStatus status,
        String trigger,
        Map<String, String> params,
        @JsonProperty("requested_at") Instant requestedAt,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("heartbeat_at") Instant heartbeatAt,
        String worker,
        JsonNode counts,
        String error,
        List<Step> steps) {

    /** A step of a run, in chain order. */
    public record Step(
            int position,
            String step,
            StepStatus status,
            boolean blocking,
            @JsonProperty("started_at") Instant startedAt,
            @JsonProperty("finished_at") Instant finishedAt,
            JsonNode detail,
            String error) {}

    PipelineRun withSteps(List<Step> steps) {
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
