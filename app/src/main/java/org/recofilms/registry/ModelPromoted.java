package org.recofilms.registry;

import java.time.Instant;

/**
 * The fact that a model version became the serving one, published on reco.pipeline.events keyed by
 * the run id. It carries references (the artifact location), never model bytes.
 *
 * @param model registered model name
 * @param version the version now behind the alias
 * @param alias the alias moved (production)
 * @param runId the run that trained it
 * @param artifactUri where its artifacts are ({@code runs:/<run id>/model})
 * @param actor who promoted it: "auto" or the operator
 * @param promotedAt when
 */
public record ModelPromoted(
        String type,
        String model,
        int version,
        String alias,
        String runId,
        String artifactUri,
        String actor,
        Instant promotedAt) {

    public static final String TYPE = "ModelPromoted";

    public static ModelPromoted of(ModelVersion v, String alias, String actor) {
        return new ModelPromoted(TYPE, v.modelName(), v.version(), alias, v.runId(), v.source(), actor, Instant.now());
    }
}
