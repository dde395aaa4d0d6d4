package org.recofilms.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.recofilms.platform.BadRequestException;
import org.recofilms.training.TrainingRequests;
import org.recofilms.training.TuningRequests;

/**
 * Consumes reco.pipeline.requests in the group reco-workers, so one instance takes each request.
 * A request is claimed in the database (QUEUED → RUNNING with this worker's id) before anything
 * runs: a redelivered request finds its run claimed or finished and does nothing. The work runs on
 * a pool of its own, off the consumer thread, so a long run never holds a partition. A record that
 * is not a valid PipelineRequested throws, and SmallRye's dead-letter-queue strategy sends it to
 * reco.pipeline.requests.dlq with the reason in its headers. While a run executes, this worker
 * refreshes its heartbeat; should the process die, the reaper fails the run once the lease expires.
 */
@ApplicationScoped
public class PipelineWorker {

    private static final Logger LOG = Logger.getLogger(PipelineWorker.class);

    /** A record that no worker can act on; its message becomes the dead-letter reason. */
    public static class InvalidRequestException extends RuntimeException {
        InvalidRequestException(String message) {
            super(message);
        }
    }

    private final PipelineRunRepository runs;
    private final PipelineRunner runner;
    private final PipelineEvents events;
    private final PipelineMetrics metrics;
    private final ObjectMapper json;
    private final TrainingRequests trainingRequests;
    private final TuningRequests tuningRequests;
    private final String workerId = ManagementFactory.getRuntimeMXBean().getName();
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pipeline-run-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    public PipelineWorker(
            PipelineRunRepository runs,
            PipelineRunner runner,
            PipelineEvents events,
            PipelineMetrics metrics,
            ObjectMapper json,
            TrainingRequests trainingRequests,
            TuningRequests tuningRequests) {
        this.trainingRequests = trainingRequests;
        this.tuningRequests = tuningRequests;
        this.runs = runs;
        this.runner = runner;
        this.events = events;
        this.metrics = metrics;
        this.json = json;
    }

    public String workerId() {
        return workerId;
    }

    @Incoming("pipeline-requests-in")
    @Blocking
    public void onRequest(String record) throws SQLException {
        PipelineRequested request = parse(record);
        UUID id = request.runId();
        PipelineKind kind = PipelineKind.find(request.kind())
                .orElseThrow(() -> new InvalidRequestException("unknown pipeline kind '" + request.kind() + "'"));
        Optional<PipelineRun> existing = runs.find(id);
        if (existing.isPresent() && !existing.get().kind().equals(kind.id())) {
            throw new InvalidRequestException(
                    "run " + id + " is a " + existing.get().kind() + " run, the request says " + kind.id());
        }
        String problem = kind.checkParams(request.params());
        if (problem == null && kind.takesTrainingRequest()) {
            try {
                trainingRequests.parse(request.params());
            } catch (BadRequestException e) {
                problem = e.getMessage();
            }
        }
        if (problem == null && kind.takesTuningRequest()) {
            try {
                tuningRequests.parse(request.params());
            } catch (BadRequestException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            if (existing.isPresent() && runs.refuse(id, "invalid request: " + problem)) {
                endedWithoutRunning(id, kind, request.trigger(), "invalid request: " + problem);
            }
            throw new InvalidRequestException(problem);
        }
        String trigger = request.trigger() == null || request.trigger().isBlank() ? "kafka" : request.trigger();
        boolean adopted = existing.isEmpty()
                && runs.adopt(
                        id,
                        kind,
                        request.params(),
                        trigger,
                        request.requestedAt() == null ? Instant.now() : request.requestedAt());
        Optional<PipelineRun> claimed = runs.claim(id, workerId);
        if (claimed.isEmpty()) {
            PipelineRun now = runs.find(id).orElseThrow();
            if (adopted) {
                // an outside request that conflicts with an active run: recorded as refused
                LOG.warnf("%s run %s from %s %s", kind.id(), id, trigger, now.error());
                endedWithoutRunning(id, kind, trigger, now.error());
            } else {
                LOG.infof(
                        "%s run %s is %s: request redelivered or run refused, nothing to do",
                        kind.id(), id, now.status());
            }
            return;
        }
        held.add(id);
        PipelineRun run = claimed.get();
        LOG.infof(
                "%s run %s claimed by worker %s (%s)",
                kind.id(), id, workerId, adopted ? "sent by " + trigger : trigger);
        events.send(PipelineRunChanged.run(id, kind.id(), RunStatus.RUNNING, run.trigger(), null));
        pool.submit(() -> {
            try {
                runner.execute(run, workerId);
            } finally {
                held.remove(id);
            }
        });
    }

    private void endedWithoutRunning(UUID id, PipelineKind kind, String trigger, String error) {
        events.send(PipelineRunChanged.run(id, kind.id(), RunStatus.FAILED, trigger, error));
        metrics.runEnded(kind.id(), RunStatus.FAILED);
    }

    private PipelineRequested parse(String record) {
        if (record == null || record.isBlank()) {
            throw new InvalidRequestException("empty record: a PipelineRequested JSON object was expected");
        }
        PipelineRequested request;
        try {
            request = json.readValue(record, PipelineRequested.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("not a PipelineRequested JSON object: " + e.getOriginalMessage());
        }
        if (request == null || request.runId() == null || request.kind() == null) {
            throw new InvalidRequestException("a PipelineRequested needs runId (a UUID) and kind");
        }
        return request;
    }

    /** Refreshes the heartbeat of the runs this worker executes (called by the scheduler). */
    void heartbeat() {
        List<UUID> ids = List.copyOf(held);
        if (ids.isEmpty()) {
            return;
        }
        try {
            runs.heartbeat(ids, workerId);
        } catch (SQLException e) {
            LOG.warnf("heartbeat of runs %s not written: %s", ids, e.getMessage());
        }
    }

    /** Runs still executing when the app stops are failed now rather than when their lease expires. */
    void onStop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
        for (UUID id : List.copyOf(held)) {
            try {
                PipelineRun run = runs.find(id).orElseThrow();
                String error = "worker " + workerId + " stopped while running it";
                if (runs.abandon(id, workerId, error)) {
                    metrics.runEnded(run.kind(), RunStatus.FAILED);
                    LOG.warnf("%s run %s marked FAILED: %s", run.kind(), id, error);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("run %s left to the reaper of another instance: %s", id, e.getMessage());
            }
        }
    }
}
