package org.recofilms.platform;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The JSON writer's settings for every answer: doubles (each recommendation's score) are written with
 * Jackson's Schubfach writer instead of {@link Double#toString}, which took about a twentieth of the event
 * loop under load. Both print a decimal that parses back to the same double; Schubfach's is the shortest
 * such decimal, which JDK 17's {@code Double.toString} is not always.
 */
@Singleton
public class JsonSettings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
    }
}
