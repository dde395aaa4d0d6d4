package org.recofilms.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.recofilms.registry.TuningRuns;
import org.recofilms.snapshot.SnapshotInfo;
import org.recofilms.training.ModelSpec;
import org.recofilms.training.TrainingRequests;
import org.recofilms.training.TuningRequest;
import org.recofilms.training.TuningService;

/**
 * A tuning run: the search ({@link TuningService}: one split, every trial scored on the validation users), each
 * trial logged as a child run of one parent run ({@link TuningRuns}), then the best trial's training request
 * trained on all the data of the searched snapshot, registered and promoted as a training run is
 * ({@link TrainAndPromote}: its evaluation scores the test users, once).
 */
@ApplicationScoped
public class TuneAndPromote {

    private static final Logger LOG = Logger.getLogger(TuneAndPromote.class);

    /** Hears the search (snapshot, trials), then the end of the search, then the training's parts. */
    public interface Listener extends TuningService.Listener, TrainAndPromote.Listener {

        Listener NONE = new Listener() {};

        @Override
        default void snapshotReady(SnapshotInfo snapshot, String datasetMd5) {}

        /** The search ended; the final training starts now. */
        default void searched(TuningService.Result search, String parentRunId, List<String> childRunIds) {}
    }

    /** What the run did: the search, its registry runs, and the final training's step result. */
    public record Result(
            TuningService.Result search,
            String parentRunId,
            List<String> childRunIds,
            TrainAndPromote.Result trained) {}

    private final TuningService tuning;
    private final TuningRuns runs;
    private final TrainAndPromote trainAndPromote;
    private final TrainingRequests requests;

    public TuneAndPromote(
            TuningService tuning, TuningRuns runs, TrainAndPromote trainAndPromote, TrainingRequests requests) {
        this.tuning = tuning;
        this.runs = runs;
        this.trainAndPromote = trainAndPromote;
        this.requests = requests;
    }

    /**
     * Searches, then trains, publishes and promotes the best. A failure of the search (or of the registry while it
     * logs the trials) throws, with the parent run ended FAILED; the final training's own failures are in
     * {@link Result#trained()}, as for a training run.
     */
    public Result run(UUID runId, TuningRequest request, Listener listener) {
        // the parent run is made once the split is: a registry that fails then fails the search step, not the snapshot
        String[] parentRun = new String[1];
        List<String> children = new ArrayList<>();
        TuningService.Result search;
        try {
            search = tuning.search(runId, request, new TuningService.Listener() {
                @Override
                public void snapshotReady(SnapshotInfo snapshot, String datasetMd5) {
                    listener.snapshotReady(snapshot, datasetMd5);
                }

                @Override
                public void searching(TuningRequest r, int validationUsers) {
                    parentRun[0] = runs.start(runId, r);
                    listener.searching(r, validationUsers);
                }

                @Override
                public void trialEnded(TuningService.Trial trial, int of) {
                    children.add(runs.trial(parentRun[0], runId, trial, of));
                    listener.trialEnded(trial, of);
                }
            });
            runs.searched(parentRun[0], search, children.get(search.best()));
        } catch (RuntimeException e) {
            if (parentRun[0] != null) {
                runs.endQuietly(parentRun[0], "FAILED");
            }
            throw e;
        }
        String parent = parentRun[0];
        listener.searched(search, parent, List.copyOf(children));
        ModelSpec best = requests.resolve(search.bestTrial().request());
        LOG.infof(
                "tuning %s: training the best trial %s on all the data of snapshot %s",
                runId, search.bestTrial().searched(), search.snapshot().md5());
        TrainAndPromote.Result trained =
                trainAndPromote.run(runId, Optional.of(search.snapshot().path()), best, listener);
        try {
            runs.end(parent, trained.version().orElse(null), trained.error());
        } catch (RuntimeException e) {
            LOG.warnf("tuning %s: parent run %s not ended: %s", runId, parent, e.getMessage());
        }
        return new Result(search, parent, List.copyOf(children), trained);
    }
}
