package org.recofilms.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.recofilms.registry.ModelPublisher;
import org.recofilms.registry.ModelVersion;
import org.recofilms.registry.PromotionService;
import org.recofilms.registry.RegistryException;
import org.recofilms.snapshot.SnapshotInfo;
import org.recofilms.training.ModelSpec;
import org.recofilms.training.TrainingListener;
import org.recofilms.training.TrainingResult;
import org.recofilms.training.TrainingRunLog;
import org.recofilms.training.TrainingService;

/**
 * Training, publication to the registry and automatic promotion, as one step of a pipeline. When
 * the registry cannot be reached (after its bounded retries) the training run ends FAILED in its run
 * log with the registry's message, and the serving model stays as it was.
 */
@ApplicationScoped
public class TrainAndPromote {

    private static final Logger LOG = Logger.getLogger(TrainAndPromote.class);

    /** What the step did: the training, and the version and promotion when it got that far. */
    public record Result(
            TrainingResult training,
            Optional<ModelVersion> version,
            Optional<PromotionService.Outcome> promotion,
            String error) {

        public boolean succeeded() {
            return error == null;
        }
    }

    /**
     * Hears the parts of the step as they end: the snapshot (from {@link TrainingListener}), then the
     * training, before publication and promotion start. Called on the thread that runs the step.
     */
    public interface Listener extends TrainingListener {

        /** A listener that ignores everything. */
        Listener NONE = new Listener() {};

        @Override
        default void snapshotReady(SnapshotInfo snapshot, String datasetMd5) {}

        /** The training ended, SUCCESS or FAILED; publication and promotion start now when it succeeded. */
        default void trained(TrainingResult training) {}
    }

    private final TrainingService training;
    private final ModelPublisher publisher;
    private final PromotionService promotion;
    private final TrainingRunLog runLog;

    public TrainAndPromote(
            TrainingService training, ModelPublisher publisher, PromotionService promotion, TrainingRunLog runLog) {
        this.training = training;
        this.publisher = publisher;
        this.promotion = promotion;
        this.runLog = runLog;
    }

    /** Trains on a fresh snapshot of the current ratings, publishes and promotes. */
    public Result run(UUID runId) {
        return run(runId, Optional.empty(), Listener.NONE);
    }

    /**
     * Trains from {@code snapshot} when given (a run reproduced from its snapshot can reach the
     * registry), else from a fresh one, publishes and promotes, telling {@code listener} when each
     * part ends.
     */
    public Result run(UUID runId, Optional<Path> snapshot, Listener listener) {
        return run(runId, snapshot, training.spec(), listener);
    }

    /** As {@link #run(UUID, Optional, Listener)}, training {@code model}. */
    public Result run(UUID runId, Optional<Path> snapshot, ModelSpec model, Listener listener) {
        TrainingResult trained = training.train(runId, snapshot, model, listener);
        listener.trained(trained);
        if (trained.status() != TrainingResult.Status.SUCCESS) {
            return new Result(trained, Optional.empty(), Optional.empty(), trained.error());
        }
        ModelVersion version;
        try {
            version = publisher.publish(trained);
            runLog.setModelVersion(runId, Integer.toString(version.version()));
        } catch (RegistryException | SQLException e) {
            String error = "registry: " + e.getMessage();
            LOG.errorf("training %s trained but not published; the serving model is unchanged: %s", runId, error);
            markFailed(runId, error);
            return new Result(trained, Optional.empty(), Optional.empty(), error);
        }
        try {
            return new Result(trained, Optional.of(version), Optional.of(promotion.autoPromote(version)), null);
        } catch (RuntimeException e) {
            String error = "promotion: " + e.getMessage();
            LOG.errorf("training %s published as version %d but not promoted: %s", runId, version.version(), error);
            markFailed(runId, error);
            return new Result(trained, Optional.of(version), Optional.empty(), error);
        }
    }

    private void markFailed(UUID runId, String error) {
        try {
            runLog.markFailed(runId, error);
        } catch (SQLException e) {
            LOG.errorf("could not record the failure of training %s: %s", runId, e.getMessage());
        }
    }
}
