package org.recofilms.pipeline;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.recofilms.platform.RecoConfig;

/**
 * The scheduler replaces the seed's cron: it triggers the daily pipeline (it only triggers; the
 * workers do the work), refreshes the heartbeats of the runs this instance executes, and reaps
 * runs whose worker died. Every instance schedules the daily trigger; the run table's conflict
 * check makes the second trigger of the night answer with the first run instead of a new one.
 */
@ApplicationScoped
public class PipelineScheduler {

    private static final Logger LOG = Logger.getLogger(PipelineScheduler.class);

    private final PipelineTriggers triggers;
    private final PipelineWorker worker;
    private final PipelineRunRepository runs;
    private final PipelineEvents events;
    private final PipelineMetrics metrics;
    private final RecoConfig config;

    public PipelineScheduler(
            PipelineTriggers triggers,
            PipelineWorker worker,
            PipelineRunRepository runs,
            PipelineEvents events,
            PipelineMetrics metrics,
            RecoConfig config) {
        this.triggers = triggers;
        this.worker = worker;
        this.runs = runs;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
    }

    /** reco.pipeline.daily-cron ("off" in tests); skipped while the previous trigger is still running. */
    @Scheduled(
            identity = "daily-pipeline",
            cron = "{reco.pipeline.daily-cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        try {
            PipelineTriggers.Triggered t = triggers.trigger(PipelineKind.DAILY, Map.of(), "scheduler");
            if (t.alreadyActive()) {
                LOG.warnf(
                        "daily pipeline skipped: %s run %s is still %s",
                        t.run().kind(), t.run().runId(), t.run().status());
            }
        } catch (RuntimeException e) {
            LOG.errorf("daily pipeline not triggered: %s", e.getMessage());
        }
    }

    @Scheduled(
            identity = "pipeline-heartbeat",
            every = "{reco.pipeline.heartbeat-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        worker.heartbeat();
    }

    @Scheduled(
            identity = "pipeline-reaper",
            every = "{reco.pipeline.reaper-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        try {
            List<PipelineRunRepository.Reaped> reaped =
                    runs.reap(config.pipeline().lease(), config.pipeline().queueTimeout());
            for (PipelineRunRepository.Reaped r : reaped) {
                LOG.warnf("%s run %s marked FAILED: %s", r.kind(), r.id(), r.error());
                metrics.runEnded(r.kind(), RunStatus.FAILED);
                events.send(PipelineRunChanged.run(r.id(), r.kind(), RunStatus.FAILED, r.trigger(), r.error()));
            }
            metrics.active(runs.activeByKind());
        } catch (SQLException e) {
            LOG.warnf("pipeline reaper: %s", e.getMessage());
        }
    }
}
