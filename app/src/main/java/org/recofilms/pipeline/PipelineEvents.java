package org.recofilms.pipeline;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes {@link PipelineRunChanged} on reco.pipeline.events, keyed by run id. Events inform; the
 * run row is the truth, so a lost event (broker down) is logged and never fails the run.
 */
@ApplicationScoped
public class PipelineEvents {

    private static final Logger LOG = Logger.getLogger(PipelineEvents.class);

    private final MutinyEmitter<PipelineRunChanged> emitter;

    public PipelineEvents(@Channel("pipeline-events-out") MutinyEmitter<PipelineRunChanged> emitter) {
        this.emitter = emitter;
    }

    public void send(PipelineRunChanged event) {
        emitter.sendMessage(Message.of(event)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(event.runId().toString())
                                .build()))
                .subscribe()
                .with(
                        ok -> {},
                        e -> LOG.warnf(
                                "PipelineRunChanged of run %s (%s) not published: %s",
                                event.runId(), event.status(), e.getMessage()));
    }
}
