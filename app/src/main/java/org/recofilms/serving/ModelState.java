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
    private final AtomicReference<ServingModel> model = new AtomicReference<>();

    public Snapshot current() {
        return current.get();
    }

    public void set(Snapshot snapshot) {
        current.set(snapshot);
    }

    /** The model in memory, if any: requests read it once and use that one throughout. */
    public Optional<ServingModel> model() {
        return Optional.ofNullable(model.get());
    }

    /** Replaces the serving model in one step; requests in flight keep the one they read. */
    public void swap(ServingModel next) {
        model.set(next);
        current.set(new Snapshot(
                Phase.SERVING,
                Optional.of(Integer.toString(next.version().version())),
                "run " + next.version().runId()));
    }
}
