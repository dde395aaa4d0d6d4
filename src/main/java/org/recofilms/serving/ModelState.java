package org.recofilms.serving;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the serving side currently holds: nothing loaded yet (popularity fallback), a model being
 * loaded, or a production model with its version. Swapped atomically by the model loader.
 */
@ApplicationScoped
public class ModelState {

    /** The phases of the serving model. */
    public enum Phase {
        /** No production model: recommendations come from the popularity fallback. */
        FALLBACK,
        /** The production model is being loaded at start; not ready yet. */
        LOADING,
        /** A production model serves recommendations. */
        SERVING
    }

    /** An immutable view of the state. */
    public record Snapshot(Phase phase, Optional<String> version, String detail) {}

    private final AtomicReference<Snapshot> current =
            new AtomicReference<>(new Snapshot(Phase.FALLBACK, Optional.empty(), "no production model"));

    public Snapshot current() {
        return current.get();
    }

    public void set(Snapshot snapshot) {
        current.set(snapshot);
    }
}
