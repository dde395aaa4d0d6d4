package org.recofilms.pipeline;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.recofilms.platform.BadRequestException;

/**
 * The life of a pipeline run: QUEUED (row written, request published) → RUNNING (claimed by one
 * worker) → SUCCESS or FAILED. NOT_ENQUEUED: the request could not be published (Kafka
 * unreachable), so no worker will ever see it.
 */
public enum RunStatus {
    QUEUED,
    RUNNING,
    SUCCESS,
    FAILED,
    NOT_ENQUEUED;

    public boolean active() {
        return this == QUEUED || this == RUNNING;
    }

    /** The status named {@code name} (case-insensitive), or a 400 listing the statuses. */
    public static RunStatus parse(String name) {
        return Arrays.stream(values())
                .filter(s -> s.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new BadRequestException("unknown run status '" + name + "'; statuses: "
                        + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "))));
    }
}
