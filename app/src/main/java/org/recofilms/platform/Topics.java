package org.recofilms.platform;

/** Kafka topic names of DESIGN.md; kafka/topics.conf creates them with their partitions. */
public final class Topics {

    public static final String PIPELINE_REQUESTS = "reco.pipeline.requests";
    public static final String PIPELINE_EVENTS = "reco.pipeline.events";
    public static final String RATINGS = "reco.ratings";
    public static final String PIPELINE_REQUESTS_DLQ = "reco.pipeline.requests.dlq";

    private Topics() {}
}
