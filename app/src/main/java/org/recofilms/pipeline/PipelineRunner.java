package org.recofilms.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.recofilms.ingestion.IngestionException;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.ingestion.QualityCheck;
import org.recofilms.monitoring.DataMonitoringService;
import org.recofilms.monitoring.MonitoringException;
import org.recofilms.monitoring.MonitoringSummary;
import org.recofilms.pipeline.PipelineKind.Step;
import org.recofilms.platform.RecoConfig;
import org.recofilms.snapshot.SnapshotInfo;
import org.recofilms.training.ModelSpec;
import org.recofilms.training.TrainingException;
import org.recofilms.training.TrainingRequests;
import org.recofilms.training.TrainingResult;
import org.recofilms.training.TuningRequests;
import org.recofilms.training.TuningService;

/**
 * Executes a claimed run, step by step, recording each step's status, timings, detail and error
 * in reco.pipeline_steps. A failed blocking step stops the chain (the later steps are SKIPPED) and
 * fails the run with that step's error; a failed non-blocking step (data monitoring) is recorded
 * and the chain goes on. The ingestion and training services keep their own run logs under the
 * same run id. Blocking: runs on the worker's pool.
 */
@ApplicationScoped
public class PipelineRunner {

    private static final Logger LOG = Logger.getLogger(PipelineRunner.class);

    private final PipelineRunRepository runs;
    private final IngestionService ingestion;
    private final TrainAndPromote trainAndPromote;
    private final TuneAndPromote tuneAndPromote;
    private final TuningRequests tuningRequests;
    private final DataMonitoringService monitoring;
    private final PipelineEvents events;
    private final PipelineMetrics metrics;
    private final RecoConfig config;
    private final TrainingRequests trainingRequests;

    public PipelineRunner(
            PipelineRunRepository runs,
            IngestionService ingestion,
            TrainAndPromote trainAndPromote,
            DataMonitoringService monitoring,
            PipelineEvents events,
            PipelineMetrics metrics,
            RecoConfig config,
            TrainingRequests trainingRequests,
            TuneAndPromote tuneAndPromote,
            TuningRequests tuningRequests) {
        this.tuneAndPromote = tuneAndPromote;
        this.tuningRequests = tuningRequests;
        this.runs = runs;
        this.ingestion = ingestion;
        this.trainAndPromote = trainAndPromote;
        this.monitoring = monitoring;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
        this.trainingRequests = trainingRequests;
    }

    /** Runs {@code run} (already RUNNING for {@code worker}) to its end; never throws. */
    public void execute(PipelineRun run, String worker) {
        PipelineKind kind = PipelineKind.parse(run.kind());
        Steps steps = new Steps(run);
        Map<String, Object> counts = new LinkedHashMap<>();
        String error = null;
        try {
            List<Step> plan = kind.steps();
            if (plan.contains(Step.INGESTION)) {
                error = ingest(run, steps, counts);
            }
            if (error == null && plan.contains(Step.DATA_MONITORING)) {
                String monitoringError = monitor(run, steps, counts);
                if (kind == PipelineKind.MONITORING) {
                    error = monitoringError;
                }
            }
            if (error == null && plan.contains(Step.TUNING)) {
                error = tuneAndPromote(run, steps, counts);
            } else if (error == null && plan.contains(Step.TRAINING)) {
                error = trainAndPromote(run, steps, counts);
            }
        } catch (SQLException | RuntimeException e) {
            error = "unexpected: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.errorf(e, "%s run %s failed", kind.id(), run.runId());
        }
        RunStatus status = error == null ? RunStatus.SUCCESS : RunStatus.FAILED;
        try {
            runs.skipPending(run.runId());
            if (!runs.finish(run.runId(), worker, status, counts, error)) {
                LOG.warnf(
                        "%s run %s ended %s, but it was no longer held by this worker (lease expired or app"
                                + " stopping); its recorded status stands",
                        kind.id(), run.runId(), status);
                return;
            }
        } catch (SQLException e) {
            LOG.errorf(
                    "%s run %s ended %s but could not be recorded: %s", kind.id(), run.runId(), status, e.getMessage());
            return;
        }
        metrics.runEnded(kind.id(), status);
        events.send(PipelineRunChanged.run(run.runId(), kind.id(), status, run.trigger(), error));
        if (error == null) {
            LOG.infof("%s run %s succeeded: %s", kind.id(), run.runId(), counts);
        } else {
            LOG.errorf("%s run %s failed: %s", kind.id(), run.runId(), error);
        }
    }

    /** Ingestion, then its quality checks as their own step; the error of the first failed one, or null. */
    private String ingest(PipelineRun run, Steps steps, Map<String, Object> counts) throws SQLException {
        String source = run.params().getOrDefault("source", config.ingestion().source());
        Instant start = steps.running(Step.INGESTION);
        ChecksTiming timing = new ChecksTiming(steps);
        IngestionResult result;
        try {
            result = ingestion.ingest(run.runId(), source, timing);
        } catch (IngestionException e) {
            steps.ended(Step.INGESTION, StepStatus.FAILED, start, Map.of("source", source), e.getMessage());
            return "ingestion: " + e.getMessage();
        }
        Instant end = Instant.now();
        long rejected = result.rejected().values().stream()
                .flatMap(m -> m.values().stream())
                .mapToLong(Long::longValue)
                .sum();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("source", source);
        detail.put("no_op", result.noOp());
        detail.put("dataset_md5", result.datasetMd5());
        detail.put("rows_injected", result.rowsInjected());
        detail.put("rows_total", result.rowsTotal());
        detail.put("rejected_lines", rejected);
        detail.put("duration_seconds", result.durationSeconds());
        boolean ok = result.status() == IngestionResult.Status.SUCCESS;
        steps.ended(Step.INGESTION, ok ? StepStatus.SUCCESS : StepStatus.FAILED, start, end, detail, result.error());
        counts.put("dataset_md5", result.datasetMd5());
        counts.put("rows", result.rowsTotal());
        counts.put("rejected_lines", rejected);
        counts.put("ingestion_no_op", result.noOp());

        if (!result.checks().isEmpty()) {
            List<QualityCheck> failed = result.checks().stream()
                    .filter(QualityCheck::failedBlocking)
                    .toList();
            Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("checks", result.checks());
            checks.put(
                    "warnings",
                    result.checks().stream()
                            .filter(q -> q.status() == QualityCheck.Status.WARN)
                            .count());
            steps.ended(
                    Step.QUALITY_CHECKS,
                    failed.isEmpty() ? StepStatus.SUCCESS : StepStatus.FAILED,
                    timing.start == null ? end : timing.start,
                    timing.end == null ? end : timing.end,
                    checks,
                    failed.isEmpty()
                            ? null
                            : "blocking checks failed: "
                                    + failed.stream().map(QualityCheck::name).toList());
        } else if (result.noOp()) {
            steps.ended(
                    Step.QUALITY_CHECKS,
                    StepStatus.SKIPPED,
                    end,
                    end,
                    Map.of("reason", "dataset unchanged since the last ingestion: nothing loaded, nothing to check"),
                    null);
        }
        return ok ? null : "ingestion: " + result.error();
    }

    /**
     * The data-monitoring step: the KPIs of {@code day} (default yesterday, UTC, as the seed's daily
     * job), or of the whole history with {@code backfill=true}. Its error, or null.
     */
    private String monitor(PipelineRun run, Steps steps, Map<String, Object> counts) throws SQLException {
        Instant start = steps.running(Step.DATA_MONITORING);
        boolean backfill = "true".equals(run.params().get("backfill"));
        LocalDate day = Optional.ofNullable(run.params().get("day"))
                .map(LocalDate::parse)
                .orElse(LocalDate.now(ZoneOffset.UTC).minusDays(1));
        try {
            MonitoringSummary summary = backfill ? monitoring.backfill() : monitoring.run(day);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("scope", summary.scope());
            detail.put("periods", summary.periods());
            detail.put("metrics", summary.metrics());
            detail.put("duration_seconds", summary.durationSeconds());
            steps.ended(Step.DATA_MONITORING, StepStatus.SUCCESS, start, detail, null);
            counts.put("monitoring_periods", summary.periods());
            counts.put("monitoring_metrics", summary.metrics());
            return null;
        } catch (RuntimeException e) {
            String error = e instanceof MonitoringException
                    ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            steps.ended(
                    Step.DATA_MONITORING,
                    StepStatus.FAILED,
                    start,
                    Map.of("scope", backfill ? "backfill" : "day " + day),
                    error);
            return "data_monitoring: " + error;
        }
    }

    /**
     * The model a run trains: a training run's own request (its params), else the configured family
     * with its configured parameters (a daily run).
     */
    private ModelSpec model(PipelineRun run) {
        return trainingRequests.resolve(
                PipelineKind.parse(run.kind()).takesTrainingRequest()
                        ? trainingRequests.parse(run.params())
                        : trainingRequests.defaults());
    }

    /**
     * Snapshot, training and promotion, from one {@link TrainAndPromote} call that tells when each
     * part ends ({@link TrainingSteps}): each step is recorded when it starts and when it ends.
     */
    private String trainAndPromote(PipelineRun run, Steps steps, Map<String, Object> counts) throws SQLException {
        TrainingSteps heard = new TrainingSteps(steps, counts, steps.running(Step.SNAPSHOT));
        TrainAndPromote.Result result;
        try {
            result = trainAndPromote.run(run.runId(), Optional.empty(), model(run), heard);
        } catch (TrainingException e) {
            heard.throwUnrecorded();
            return heard.trainingFailed(e.getMessage());
        }
        heard.throwUnrecorded();
        return promoted(result, steps, counts, heard);
    }

    /**
     * Snapshot, search, training and promotion of a tuning run, from one {@link TuneAndPromote} call: the search's
     * step ends with the trials' summary and the registry's parent and child runs.
     */
    private String tuneAndPromote(PipelineRun run, Steps steps, Map<String, Object> counts) throws SQLException {
        TrainingSteps heard = new TrainingSteps(steps, counts, steps.running(Step.SNAPSHOT), true);
        TuneAndPromote.Result result;
        try {
            result = tuneAndPromote.run(run.runId(), tuningRequests.parse(run.params()), heard);
        } catch (RuntimeException e) {
            heard.throwUnrecorded();
            String message = e instanceof TrainingException
                    ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            return heard.trainingFailed(message);
        }
        heard.throwUnrecorded();
        return promoted(result.trained(), steps, counts, heard);
    }

    /** The end of a training's step result: the training's failure, or the promotion step recorded. */
    private String promoted(TrainAndPromote.Result result, Steps steps, Map<String, Object> counts, TrainingSteps heard)
            throws SQLException {
        if (result.training().status() != TrainingResult.Status.SUCCESS) {
            return heard.trainingFailed(result.training().error());
        }

        Map<String, Object> promotion = new LinkedHashMap<>();
        result.version().ifPresent(v -> {
            promotion.put("model", v.modelName());
            promotion.put("version", v.version());
            counts.put("model_version", v.version());
        });
        result.promotion().ifPresent(p -> {
            promotion.put("promoted", p.promoted());
            promotion.put("serving_version", p.version().version());
            promotion.put("reason", p.reason());
            counts.put("promoted", p.promoted());
        });
        if (!result.succeeded()) {
            steps.ended(Step.PROMOTION, StepStatus.FAILED, heard.promotionStart, promotion, result.error());
            return "promotion: " + result.error();
        }
        steps.ended(Step.PROMOTION, StepStatus.SUCCESS, heard.promotionStart, promotion, null);
        return null;
    }

    /**
     * Hears {@link TrainAndPromote}'s parts as they end and records the steps then: the snapshot ends
     * and the training starts when the snapshot is ready; the training ends, and the promotion starts
     * when it succeeded, as soon as the training returns. A step record that cannot be written is kept
     * and thrown when the call returns ({@link #throwUnrecorded}), as any other database error of the
     * runner is.
     */
    private static final class TrainingSteps implements TuneAndPromote.Listener {
        private final Steps steps;
        private final Map<String, Object> counts;
        private final Instant snapshotStart;
        private final boolean tuning;
        private Instant tuningStart;
        private boolean searched;
        private Instant trainingStart;
        private boolean trainingEnded;
        private Instant promotionStart;
        private SQLException unrecorded;

        TrainingSteps(Steps steps, Map<String, Object> counts, Instant snapshotStart) {
            this(steps, counts, snapshotStart, false);
        }

        /** With {@code tuning}, the snapshot step is followed by the search's, then the training's. */
        TrainingSteps(Steps steps, Map<String, Object> counts, Instant snapshotStart, boolean tuning) {
            this.steps = steps;
            this.counts = counts;
            this.snapshotStart = snapshotStart;
            this.tuning = tuning;
        }

        @Override
        public void searched(TuningService.Result search, String parentRunId, List<String> childRunIds) {
            TuningService.Trial best = search.bestTrial();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("trials", search.trials().size());
            detail.put("validation_users", search.validationUsers());
            detail.put("users_scored", search.usersScored());
            detail.put("best_trial", best.index() + 1);
            detail.put("best_params", best.searched());
            detail.put(TuningService.OBJECTIVE, best.objective());
            detail.put(TuningService.OBJECTIVE + "_se", best.metrics().get(TuningService.OBJECTIVE + "_se"));
            detail.put("parent_run_id", parentRunId);
            detail.put("child_run_ids", childRunIds);
            List<Map<String, Object>> trials = new java.util.ArrayList<>();
            for (TuningService.Trial t : search.trials()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("params", t.searched());
                one.put(TuningService.OBJECTIVE, t.objective());
                one.put("seconds", t.seconds());
                trials.add(one);
            }
            detail.put("by_trial", trials);
            detail.put("seconds", search.seconds());
            counts.put("tuning_trials", search.trials().size());
            counts.put("tuning_best_" + TuningService.OBJECTIVE, best.objective());
            Instant now = Instant.now();
            searched = true;
            trainingStart = now;
            try {
                steps.ended(Step.TUNING, StepStatus.SUCCESS, tuningStart, now, detail, null);
                steps.running(Step.TRAINING, now);
            } catch (SQLException e) {
                keep(e);
            }
        }

        @Override
        public void snapshotReady(SnapshotInfo snapshot, String datasetMd5) {
            if (tuning && searched) {
                return; // the final training reads the snapshot the search made: its step has ended
            }
            if (tuning) {
                Instant now = Instant.now();
                counts.put("snapshot_rows", snapshot.rows());
                tuningStart = now;
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("md5", snapshot.md5());
                detail.put("dataset_md5", datasetMd5);
                try {
                    steps.ended(Step.SNAPSHOT, StepStatus.SUCCESS, snapshotStart, now, detail, null);
                    steps.running(Step.TUNING, now);
                } catch (SQLException e) {
                    keep(e);
                }
                return;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("rows", snapshot.rows());
            detail.put("md5", snapshot.md5());
            detail.put("dataset_md5", datasetMd5);
            counts.put("snapshot_rows", snapshot.rows());
            Instant now = Instant.now();
            trainingStart = now;
            try {
                steps.ended(Step.SNAPSHOT, StepStatus.SUCCESS, snapshotStart, now, detail, null);
                steps.running(Step.TRAINING, now);
            } catch (SQLException e) {
                keep(e);
            }
        }

        @Override
        public void trained(TrainingResult t) {
            if (trainingStart == null) {
                return; // no snapshot: trainingFailed records the snapshot step as failed
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("phase_seconds", t.phaseSeconds());
            detail.put("metrics", t.metrics());
            detail.put("movies_with_neighbors", t.movies());
            detail.put("neighbor_pairs", t.neighborPairs());
            Instant now = Instant.now();
            trainingEnded = true;
            try {
                if (t.status() != TrainingResult.Status.SUCCESS) {
                    steps.ended(Step.TRAINING, StepStatus.FAILED, trainingStart, now, detail, t.error());
                    return;
                }
                steps.ended(Step.TRAINING, StepStatus.SUCCESS, trainingStart, now, detail, null);
                counts.put("neighbor_pairs", t.neighborPairs());
                for (String metric : List.of("ndcg_10", "precision_10", "recall_10")) {
                    if (t.metrics().containsKey(metric)) {
                        counts.put(metric, t.metrics().get(metric));
                    }
                }
                promotionStart = now;
                steps.running(Step.PROMOTION, now);
            } catch (SQLException e) {
                keep(e);
            }
        }

        /**
         * The training did not succeed: records the step that failed (the snapshot when it never was
         * ready, else the training unless {@link #trained} has) and returns the run's error.
         */
        String trainingFailed(String error) throws SQLException {
            if (tuningStart != null && !searched) {
                steps.ended(Step.TUNING, StepStatus.FAILED, tuningStart, Map.of(), error);
                return "tuning: " + error;
            }
            if (trainingStart == null) {
                steps.ended(Step.SNAPSHOT, StepStatus.FAILED, snapshotStart, Map.of(), error);
                return "snapshot: " + error;
            }
            if (!trainingEnded) {
                steps.ended(Step.TRAINING, StepStatus.FAILED, trainingStart, Map.of(), error);
            }
            return "training: " + error;
        }

        void throwUnrecorded() throws SQLException {
            if (unrecorded != null) {
                throw unrecorded;
            }
        }

        private void keep(SQLException e) {
            LOG.warnf("run %s: a training step could not be recorded: %s", steps.id(), e.getMessage());
            if (unrecorded == null) {
                unrecorded = e;
            }
        }
    }

    /** Records the steps of one run, with an event and a duration metric when each ends. */
    private final class Steps {
        private final PipelineRun run;

        Steps(PipelineRun run) {
            this.run = run;
        }

        Instant running(Step step) throws SQLException {
            return running(step, Instant.now());
        }

        Instant running(Step step, Instant at) throws SQLException {
            runs.step(run.runId(), step, StepStatus.RUNNING, at, null, null, null);
            events.send(PipelineRunChanged.step(
                    run.runId(), run.kind(), run.trigger(), step.id(), StepStatus.RUNNING, null));
            return at;
        }

        void ended(Step step, StepStatus status, Instant start, Map<String, Object> detail, String error)
                throws SQLException {
            ended(step, status, start, Instant.now(), detail, error);
        }

        void ended(Step step, StepStatus status, Instant start, Instant end, Map<String, Object> detail, String error)
                throws SQLException {
            runs.step(run.runId(), step, status, start, end, detail, error);
            events.send(PipelineRunChanged.step(run.runId(), run.kind(), run.trigger(), step.id(), status, error));
            if (status != StepStatus.SKIPPED) {
                metrics.stepEnded(run.kind(), step, status, Duration.between(start, end));
            }
            LOG.infof(
                    "%s run %s: step %s %s in %.1f s%s",
                    run.kind(),
                    run.runId(),
                    step.id(),
                    status,
                    Duration.between(start, end).toMillis() / 1000.0,
                    error == null ? "" : ": " + error);
        }

        UUID id() {
            return run.runId();
        }
    }

    /** Hears the ingestion's phases: when its quality checks start and end. */
    private static final class ChecksTiming implements LoadProgress {
        private final Steps steps;
        private volatile Instant start;
        private volatile Instant end;

        ChecksTiming(Steps steps) {
            this.steps = steps;
        }

        @Override
        public void phase(String phase) {
            if (phase.equals("checks")) {
                try {
                    start = steps.running(Step.QUALITY_CHECKS);
                } catch (SQLException e) {
                    start = Instant.now();
                    LOG.warnf("run %s: quality-checks step not marked running: %s", steps.id(), e.getMessage());
                }
            } else if (phase.equals("swap")) {
                end = Instant.now();
            }
        }
    }
}
