package org.recofilms.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A sentence for a body that is not the JSON an endpoint takes, without Jackson's internals: no
 * parser feature to enable ({@code JsonReadFeature...}), no source location, no Java type.
 */
public final class JsonErrors {

    /** Where Jackson's message turns from the fault to its own advice or internals. */
    private static final List<String> CUTS = List.of(
            ": enable `", " (start marker at", ": maybe a (non-standard)", " (not recognized", "`", "Feature", "\n");

    private JsonErrors() {}

    /** What is wrong with the body, for the {@code detail} of a 400. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String where = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "the body does not fit this endpoint: " + where + " has a wrong type or value";
        }
        if (e instanceof JsonMappingException) {
            return "the body does not fit this endpoint: a JSON object is expected";
        }
        return "the body is not JSON: " + clean(e.getOriginalMessage());
    }

    static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "malformed";
        }
        int end = message.length();
        for (String cut : CUTS) {
            int at = message.indexOf(cut);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String out = message.substring(0, end).strip();
        while (out.endsWith(":") || out.endsWith(",")) {
            out = out.substring(0, out.length() - 1).strip();
        }
        return out.isEmpty() ? "malformed" : out;
    }
}
