package org.recofilms.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** /model/config gives the registry's text parameters their JSON types. */
class ModelConfigValuesTest {

    @Test
    void numbersAndBooleansAreTypedAndTheRestStaysText() {
        assertEquals(20L, ModelResource.typed("20"));
        assertEquals(-3L, ModelResource.typed("-3"));
        assertEquals(4.0, ModelResource.typed("4.0"));
        assertEquals(0.001, ModelResource.typed("1e-3"));
        assertEquals(Boolean.TRUE, ModelResource.typed("true"));
        assertEquals(Boolean.FALSE, ModelResource.typed("false"));
        assertEquals(
                new BigDecimal("123456789012345678901234567890"),
                ModelResource.typed("123456789012345678901234567890"));
        // what JSON would not read as a number stays a string
        for (String text : new String[] {"cosine", "007", "+1", "1.", ".5", "NaN", "Infinity", "True", "", "1 "}) {
            assertEquals(text, ModelResource.typed(text), text);
        }
    }
}
