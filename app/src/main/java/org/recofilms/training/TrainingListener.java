package org.recofilms.training;

import org.recofilms.snapshot.SnapshotInfo;

/**
 * Hears the parts of a training run as they end, so that a caller (the pipeline's step records) can
 * date each part when it happens rather than after the whole run. Called on the thread that runs the
 * training; an exception thrown here fails the training, so implementations should not throw.
 */
@FunctionalInterface
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = (snapshot, datasetMd5) -> {};

    /**
     * The snapshot the training reads is in place: exported and versioned, or the given file found (then
     * {@code snapshot.rows()} is -1, the file not read yet). Training from it starts now; it is not called
     * when the snapshot could not be made.
     *
     * @param datasetMd5 the version of the raw data the snapshot was taken from, null when unknown
     */
    void snapshotReady(SnapshotInfo snapshot, String datasetMd5);
}
