package org.recofilms.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * Request body fields that take only the JSON type the OpenAPI document gives them: Jackson would
 * turn {@code false} into the text "false" and {@code 1.5} or {@code "1"} into the number 1. A value
 * of another type is a 400 (a MismatchedInputException, see ErrorMappers); null stays null.
 */
public final class StrictJson {

    private StrictJson() {}

    /** A JSON string only. */
    public static final class Text extends StdDeserializer<String> {
        public Text() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            return p.getText();
        }
    }

    /** A JSON integer in the int range only. */
    public static final class Int extends StdDeserializer<Integer> {
        public Int() {
            super(Integer.class);
        }

        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                return (Integer) ctxt.handleUnexpectedToken(Integer.class, p);
            }
            return p.getIntValue();
        }
    }
}
