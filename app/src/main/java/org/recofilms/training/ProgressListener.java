package org.recofilms.training;

/**
 * Receives the progress of a long computation, for logs and gauges.
 *
 * <p>Calls come from the thread that started the computation (never from workers), at the start and end
 * of each phase and every {@link #intervalMillis()} in between, so an implementation may log directly.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = (phase, done, total) -> {};

    /**
     * Reports that {@code done} of {@code total} units of {@code phase} are finished; {@code done == total}
     * marks the end of the phase. Units are phase-specific (movies for {@link TrainingPhase#SIMILARITIES}).
     */
    void onProgress(TrainingPhase phase, long done, long total);

    /** How often progress is reported during a phase, in milliseconds. */
    default long intervalMillis() {
        return 2_000;
    }
}
