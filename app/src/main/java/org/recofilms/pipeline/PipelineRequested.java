package org.recofilms.pipeline;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The ask to run a pipeline, published on reco.pipeline.requests with the kind as key. The run row
 * exists before this record is sent; workers are idempotent by {@code runId}.
 *
 * @param runId the run row this request executes
 * @param kind ingestion, training, daily or monitoring
 * @param params pipeline parameters, all strings (for example {@code source} or {@code k_neighbors})
 * @param trigger who asked: rest, scheduler, chain or an outside client
 * @param requestedAt when the run was requested
 */
public record PipelineRequested(
        UUID runId, String kind, Map<String, String> params, String trigger, Instant requestedAt) {

    public PipelineRequested {
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
