package org.recofilms.training;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.recofilms.platform.AdvisoryLock;
import org.recofilms.platform.RecoConfig;
import org.recofilms.snapshot.SnapshotException;
import org.recofilms.snapshot.SnapshotInfo;
import org.recofilms.snapshot.SnapshotRatings;
import org.recofilms.training.evaluation.FullRankingProtocol;

/**
 * The search of a tuning run: export the snapshot (as a training run does), make ONE full-ranking split of it,
 * then train every trial on the split's training ratings and score it on the split's VALIDATION users only. The
 * test users are never scored here: the chosen parameters are trained on all the data and scored on them once, by
 * the normal training run that follows ({@code TrainingService}, called by the pipeline). Each trial is told to the
 * {@link Listener} as it ends, so the caller can log it (a child run in the registry). Holds the training lock for
 * the search; releases it before returning, so that the final training can take it. Blocking.
 */
@ApplicationScoped
public class TuningService {

    private static final Logger LOG = Logger.getLogger(TuningService.class);

    /** The metric trials are ranked by, as logged on each trial. */
    public static final String OBJECTIVE = "val_full_ndcg_100";

    /** Prefix of every metric of a trial: measured on the validation users. */
    public static final String PREFIX = "val_";

    /** Hears the search as it goes. Called on the thread that runs it. */
    public interface Listener extends TrainingListener {

        Listener NONE = new Listener() {};

        @Override
        default void snapshotReady(SnapshotInfo snapshot, String datasetMd5) {}

        /** The split is made: the search starts now. */
        default void searching(TuningRequest request, int validationUsers) {}

        /** One trial ended. */
        default void trialEnded(Trial trial, int of) {}
    }

    /**
     * One trial.
     *
     * @param index from 0, in the order the trials ran
     * @param searched the trial's values of the searched parameters
     * @param request the training request of the trial: the fixed parameters and the searched ones
     * @param params every parameter of the model trained ({@link ModelSpec#paramMap()})
     * @param metrics the full-ranking metrics on the validation users, every name prefixed {@code val_}
     * @param evaluatedOn the held-out users the trial was scored on (always VALIDATION)
     */
    public record Trial(
            int index,
            Map<String, Object> searched,
            TrainingRequest request,
            Map<String, Object> params,
            Map<String, Double> metrics,
            FullRankingProtocol.Users evaluatedOn,
            double seconds) {

        public double objective() {
            return metrics.getOrDefault(OBJECTIVE, Double.NaN);
        }
    }

    /**
     * What the search found.
     *
     * @param snapshot the snapshot searched on, which the final training reads
     * @param usersScored every set of held-out users any evaluation of the search scored
     */
    public record Result(
            SnapshotInfo snapshot,
            String datasetMd5,
            int validationUsers,
            List<Trial> trials,
            int best,
            Set<FullRankingProtocol.Users> usersScored,
            double seconds) {

        public Trial bestTrial() {
            return trials.get(best);
        }
    }

    private final AgroalDataSource dataSource;
    private final TrainingService training;
    private final TrainingRequests requests;
    private final TuningRequests tuningRequests;
    private final RecoConfig config;

    public TuningService(
            AgroalDataSource dataSource,
            TrainingService training,
            TrainingRequests requests,
            TuningRequests tuningRequests,
            RecoConfig config) {
        this.dataSource = dataSource;
        this.training = training;
        this.requests = requests;
        this.tuningRequests = tuningRequests;
        this.config = config;
    }

    /** Searches as {@code request} asks; a failure is a {@link TrainingException} (or a {@link SnapshotException}). */
    public Result search(UUID runId, TuningRequest request, Listener listener) {
        long t0 = System.nanoTime();
        List<TrainingRequest> trialRequests = tuningRequests.trialRequests(request);
        List<Map<String, Object>> trialParams = request.trialParams();
        try (AdvisoryLock lock = AdvisoryLock.tryAcquire(dataSource, AdvisoryLock.TRAINING)
                .orElseThrow(() -> new TrainingException("another training is running"))) {
            String datasetMd5 = training.currentDatasetMd5();
            SnapshotInfo snapshot = training.exportSnapshot(runId);
            listener.snapshotReady(snapshot, datasetMd5);
            SnapshotRatings read = TrainingService.readSnapshot(snapshot.path());
            snapshot = new SnapshotInfo(
                    snapshot.path(), read.size(), snapshot.md5(), snapshot.bytes(), snapshot.elapsed());
            Ratings ratings = new Ratings(read.userId(), read.movieId(), read.rating());
            ProgressListener progress = training.reporting(runId);

            int threads = requests.resolve(trialRequests.get(0)).parallelism();
            FullRankingProtocol.Config split =
                    FullRankingProtocol.Config.from(config.training().fullRanking(), threads);
            if (split.sizing().validationUsers() == 0) {
                // a search needs its own users: as many as the test users, whatever the training runs use
                split = split.withValidationUsers(FullRankingProtocol.Sizing.SAME_AS_TEST);
            }
            FullRankingProtocol.Split made = FullRankingProtocol.split(ratings, split, progress);
            int validationUsers = made.validationUsers().userIds().length;
            if (validationUsers == 0) {
                throw new TrainingException("no validation users: too few users with enough positives to tune on");
            }
            LOG.infof(
                    "tuning %s: %s, %s search, %d trials (seed %d) over %s on %d validation users (%d ratings)",
                    runId,
                    request.family().id(),
                    request.strategy().name().toLowerCase(),
                    trialRequests.size(),
                    request.seed(),
                    request.searchSpace().dimensions(),
                    validationUsers,
                    ratings.size());
            listener.searching(request, validationUsers);

            List<Trial> trials = new ArrayList<>();
            Set<FullRankingProtocol.Users> scored = EnumSet.noneOf(FullRankingProtocol.Users.class);
            int best = -1;
            long searchStart = System.nanoTime();
            // the baselines do not depend on the trial: scored once, reported with every trial
            FamilyEvaluation.Baselines baselines =
                    FamilyEvaluation.baselines(made, FullRankingProtocol.Users.VALIDATION, threads, progress);
            for (int i = 0; i < trialRequests.size(); i++) {
                long ti = System.nanoTime();
                ModelSpec spec = requests.resolve(trialRequests.get(i));
                FullRankingProtocol.Report report = FamilyEvaluation.fullRanking(
                        made, spec, FullRankingProtocol.Users.VALIDATION, baselines, threads, progress);
                scored.add(report.itemKnn().evaluatedOn());
                scored.add(report.bayesianPopularity().evaluatedOn());
                scored.add(report.topPopularity().evaluatedOn());
                Map<String, Double> metrics = new LinkedHashMap<>();
                report.metrics().forEach((k, v) -> metrics.put(PREFIX + k, v));
                double seconds = (System.nanoTime() - ti) / 1e9;
                metrics.put(PREFIX + "trial_seconds", seconds);
                Trial trial = new Trial(
                        i,
                        Collections.unmodifiableMap(new LinkedHashMap<>(trialParams.get(i))),
                        trialRequests.get(i),
                        spec.paramMap(),
                        Collections.unmodifiableMap(metrics),
                        report.itemKnn().evaluatedOn(),
                        seconds);
                trials.add(trial);
                if (best < 0 || trial.objective() > trials.get(best).objective()) {
                    best = i;
                }
                double elapsed = (System.nanoTime() - searchStart) / 1e9;
                double eta = elapsed / (i + 1) * (trialRequests.size() - i - 1);
                LOG.infof(
                        "tuning %s: trial %d of %d %s: %s %.4f (se %.4f) in %.1f s; best so far trial %d (%.4f) %s;"
                                + " ETA %.0f s",
                        runId,
                        i + 1,
                        trialRequests.size(),
                        trial.searched(),
                        OBJECTIVE,
                        trial.objective(),
                        metrics.getOrDefault(OBJECTIVE + "_se", Double.NaN),
                        seconds,
                        best + 1,
                        trials.get(best).objective(),
                        trials.get(best).searched(),
                        eta);
                listener.trialEnded(trial, trialRequests.size());
            }
            Trial chosen = trials.get(best);
            LOG.infof(
                    "tuning %s: best trial %d of %d %s, %s %.4f; %.1f s",
                    runId, best + 1, trials.size(), chosen.searched(), OBJECTIVE, chosen.objective(), seconds(t0));
            return new Result(
                    snapshot, datasetMd5, validationUsers, List.copyOf(trials), best, Set.copyOf(scored), seconds(t0));
        } catch (SQLException e) {
            throw new TrainingException("database error: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TrainingException("snapshot: " + e.getMessage(), e);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
