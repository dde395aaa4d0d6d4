package org.recofilms.registry;

import java.util.Map;

/** A run as the registry holds it: status RUNNING, FINISHED or FAILED; its latest metric values. */
public record RunInfo(
        String runId,
        String experiment,
        String runName,
        String status,
        long startTimeMillis,
        Map<String, String> params,
        Map<String, Double> metrics,
        Map<String, String> tags) {}
