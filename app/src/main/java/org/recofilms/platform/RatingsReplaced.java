package org.recofilms.platform;

import java.time.Instant;

/**
 * A CDI event: an ingestion in this process replaced the MovieLens ratings (not a no-op). Instances that hold
 * the user histories in memory reload them; other instances hear of it through the ingestion step's
 * PipelineRunChanged on reco.pipeline.events.
 *
 * @param at when the ingestion finished
 */
public record RatingsReplaced(Instant at) {}
