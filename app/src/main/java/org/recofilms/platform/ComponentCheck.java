package org.recofilms.platform;

import io.smallrye.mutiny.Uni;

/**
 * One part the app depends on (database, Kafka, model), probed without blocking. Implementations
 * are CDI beans; {@link ReadinessService} runs them all.
 */
public interface ComponentCheck {

    /** Name of the component in /ready's {@code checks} object. */
    String name();

    /** Whether the app is not ready while this component is down. */
    default boolean required() {
        return true;
    }

    /** Probes the component; never fails: a failure is a {@link CheckResult} that is down. */
    Uni<CheckResult> check();
}
