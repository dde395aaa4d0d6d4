package org.recofilms.pipeline;

import io.smallrye.mutiny.TimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.recofilms.platform.BadRequestException;
import org.recofilms.platform.DatabaseDeadline;
import org.recofilms.platform.Failures;
import org.recofilms.platform.Jdbc;
import org.recofilms.platform.RecoConfig;
import org.recofilms.platform.UnavailableException;
import org.recofilms.training.TrainingRequests;
import org.recofilms.training.TuningRequests;

/**
 * Starts pipeline runs for the REST triggers and the scheduler: write the QUEUED run row, then
 * publish its {@link PipelineRequested} and wait for the broker's acknowledgement. A conflicting
 * active run is answered instead of a new one. When the broker cannot take the request the run
 * becomes NOT_ENQUEUED, so nothing is left waiting for a worker that will never come. Blocking.
 */
@ApplicationScoped
public class PipelineTriggers {

    private static final Logger LOG = Logger.getLogger(PipelineTriggers.class);

    /** The run a trigger answers with: a new QUEUED one, or the conflicting one already active. */
    public record Triggered(PipelineRun run, boolean alreadyActive) {}

    /** The request could not be published: the run is NOT_ENQUEUED (a 503 for REST callers). */
    public static class NotEnqueuedException extends RuntimeException {
        private final UUID runId;

        NotEnqueuedException(UUID runId, String message) {
            super(message);
            this.runId = runId;
        }

        public UUID runId() {
            return runId;
        }
    }

    private final PipelineRunRepository runs;
    private final PipelineRequestPublisher publisher;
    private final PipelineEvents events;
    private final PipelineMetrics metrics;
    private final RecoConfig config;
    private final TrainingRequests trainingRequests;
    private final TuningRequests tuningRequests;

    public PipelineTriggers(
            PipelineRunRepository runs,
            PipelineRequestPublisher publisher,
            PipelineEvents events,
            PipelineMetrics metrics,
            RecoConfig config,
            TrainingRequests trainingRequests,
            TuningRequests tuningRequests) {
        this.tuningRequests = tuningRequests;
        this.runs = runs;
        this.publisher = publisher;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
        this.trainingRequests = trainingRequests;
    }

    public Triggered trigger(PipelineKind kind, Map<String, String> given, String trigger) {
        // a training request is stored and sent with its family named, as the run will train it
        // and a tuning request with every field named, as the run will search
        Map<String, String> params = kind.takesTrainingRequest()
                ? trainingRequests.parse(given).asParams()
                : kind.takesTuningRequest() ? tuningRequests.asParams(tuningRequests.parse(given)) : given;
        String problem = kind.checkParams(params);
        if (problem != null) {
            throw new BadRequestException(problem);
        }
        UUID id = UUID.randomUUID();
        Instant requestedAt = Instant.now();
        try {
            PipelineRunRepository.Created created = runs.create(id, kind, params, trigger, requestedAt);
            if (created.alreadyActive()) {
                LOG.infof(
                        "%s trigger (%s): %s run %s is %s, answered instead of a new run",
                        kind.id(),
                        trigger,
                        created.run().kind(),
                        created.run().runId(),
                        created.run().status());
                return new Triggered(created.run(), true);
            }
            // before the request, so that this instance's events of the run stay in order
            events.send(PipelineRunChanged.run(id, kind.id(), RunStatus.QUEUED, trigger, null));
            try {
                publisher
                        .publish(new PipelineRequested(id, kind.id(), params, trigger, requestedAt))
                        .await()
                        .atMost(config.pipeline().publishTimeout());
            } catch (RuntimeException e) {
                String cause = e instanceof TimeoutException
                        ? "no acknowledgement within "
                                + config.pipeline().publishTimeout().toMillis() + " ms"
                        : Failures.describe(e);
                String error = "not enqueued: Kafka did not take the request (" + cause + ")";
                runs.markNotEnqueued(id, error);
                metrics.runEnded(kind.id(), RunStatus.NOT_ENQUEUED);
                events.send(PipelineRunChanged.run(id, kind.id(), RunStatus.NOT_ENQUEUED, trigger, error));
                LOG.errorf("%s run %s %s", kind.id(), id, error);
                throw new NotEnqueuedException(id, "run " + id + " " + error);
            }
            LOG.infof("%s run %s queued (%s, params %s)", kind.id(), id, trigger, params);
            // the run as queued: a worker may already have claimed it, but this answer is the trigger's
            return new Triggered(created.run(), false);
        } catch (SQLException e) {
            if (Jdbc.unreachable(e)) {
                throw new UnavailableException(
                        DatabaseDeadline.ERROR,
                        "PostgreSQL did not answer while triggering a " + kind.id() + " run: " + Failures.describe(e),
                        DatabaseDeadline.RETRY_AFTER,
                        e);
            }
            throw new IllegalStateException("database error while triggering a " + kind.id() + " run", e);
        }
    }
}
