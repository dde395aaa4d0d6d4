package org.recofilms.registry;

import java.util.Map;

/**
 * A registered version of a model. {@code source} locates its artifacts: the run's artifact
 * folder ({@code runs:/<run id>/<path>} in MLflow's words).
 */
public record ModelVersion(
        String modelName, int version, String runId, String source, long createdMillis, Map<String, String> tags) {}
