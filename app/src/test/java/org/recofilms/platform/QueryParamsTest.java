package org.recofilms.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Integer parameters: ASCII digits only, in range, a 400 naming the parameter otherwise. */
class QueryParamsTest {

    @Test
    void asciiDigitsInRangeAreRead() {
        assertEquals(1, QueryParams.required("user_id", "1", 1, Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, QueryParams.required("user_id", "2147483647", 1, Integer.MAX_VALUE));
        assertEquals(-3, QueryParams.required("x", "-3", -5, 5));
        assertEquals(7, QueryParams.optional("limit", "007", 10, 1, 100));
        assertEquals(10, QueryParams.optional("limit", null, 10, 1, 100));
    }

    @Test
    void digitsOfOtherScriptsSignsAndSpacesAreRefused() {
        // U+0661 ARABIC-INDIC DIGIT ONE, U+FF11 FULLWIDTH DIGIT ONE: Long.parseLong reads both as 1
        for (String raw : new String[] {"\u0661", "\uFF11", "+1", " 1", "1 ", "1.0", "1e3", "-", "0x1", "", "abc"}) {
            BadRequestException e = assertThrows(
                    BadRequestException.class,
                    () -> QueryParams.required("user_id", raw, 1, Integer.MAX_VALUE),
                    "'" + raw + "'");
            assertTrue(e.getMessage().startsWith("user_id "), e.getMessage());
        }
        assertFalse(QueryParams.isInteger("\u0661"));
        assertTrue(QueryParams.isInteger("-12"));
    }

    @Test
    void anEmptyOptionalValueIsNotTheDefault() {
        assertThrows(BadRequestException.class, () -> QueryParams.optional("limit", "", 10, 1, 100));
    }

    @Test
    void outOfRangeEvenBeyondLongIsA400() {
        BadRequestException low =
                assertThrows(BadRequestException.class, () -> QueryParams.required("top_n", "0", 1, 100));
        assertEquals("top_n must be from 1 to 100, got 0", low.getMessage());
        assertThrows(
                BadRequestException.class, () -> QueryParams.required("user_id", "2147483648", 1, Integer.MAX_VALUE));
        String huge = "9".repeat(60);
        BadRequestException e = assertThrows(
                BadRequestException.class, () -> QueryParams.required("user_id", huge, 1, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("..."), "a long value is abbreviated: " + e.getMessage());
        assertThrows(
                BadRequestException.class, () -> QueryParams.required("user_id", "-" + huge, 1, Integer.MAX_VALUE));
    }
}
