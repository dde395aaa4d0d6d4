package org.recofilms.pipeline;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Sends {@link PipelineRequested} records to reco.pipeline.requests, keyed by pipeline kind. */
@ApplicationScoped
public class PipelineRequestPublisher {

    private final MutinyEmitter<PipelineRequested> emitter;

    public PipelineRequestPublisher(@Channel("pipeline-requests-out") MutinyEmitter<PipelineRequested> emitter) {
        this.emitter = emitter;
    }

    /** Completes when the broker has acknowledged the record, fails when it could not be sent. */
    public Uni<Void> publish(PipelineRequested request) {
        return emitter.sendMessage(Message.of(request)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(request.kind())
                        .build()));
    }
}
