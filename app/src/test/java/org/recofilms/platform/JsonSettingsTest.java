package org.recofilms.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class JsonSettingsTest {

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        new JsonSettings().customize(mapper);
        return mapper;
    }

    @Property(tries = 2000)
    void everyFloatScoreReadsBackAsTheSameDouble(@ForAll float sum) throws Exception {
        if (!Float.isFinite(sum)) {
            return;
        }
        ObjectMapper mapper = mapper();
        assertTrue(mapper.getFactory().isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER));
        double score = sum; // a recommendation's score: a float sum, written as a double
        String json = mapper.writeValueAsString(new double[] {score});
        assertEquals(score, mapper.readValue(json, double[].class)[0], 0.0, json);
    }

    @Property(tries = 2000)
    void everyDoubleReadsBackAsItself(@ForAll double value) throws Exception {
        if (!Double.isFinite(value)) {
            return;
        }
        ObjectMapper mapper = mapper();
        String json = mapper.writeValueAsString(value);
        assertEquals(value, mapper.readValue(json, Double.class), 0.0, json);
    }
}
