package org.recofilms.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the byte-level parsers against the JDK's: on any field the numeric parsers either
 * agree with {@link Long#parseLong} and {@link Double#parseDouble} or throw {@link
 * NumberFormatException} (which the loader turns into a reject), never anything else; the line
 * reader splits any mix of LF and CRLF as a reference split does.
 */
class NumericLinePropertiesTest {

    private static final String PLAIN_INT = "[+-]?[0-9]+";
    private static final String PLAIN_DECIMAL = "[+-]?[0-9]+(\\.[0-9]*)?|[+-]?\\.[0-9]+";

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(22),
                Arbitraries.strings().withChars("0123456789+-.").ofMaxLength(12),
                Arbitraries.strings()
                        .withChars("0123456789+-.eENaInfity \t\"\uFEFF\u0661\u00ff")
                        .ofMaxLength(12),
                Arbitraries.of("NaN", "Infinity", "-Infinity", "2147483648", "-2147483649", "9223372036854775808"));
    }

    private static NumericLine split(String field) {
        NumericLine n = new NumericLine();
        byte[] bytes = ("7," + field + ",8").getBytes(StandardCharsets.UTF_8);
        assertEquals(3, n.split(bytes, 0, bytes.length));
        return n;
    }

    @Property(tries = 500)
    void parseIntAgreesWithTheJdkOrThrowsNumberFormatException(@ForAll("fields") String field) {
        NumericLine n = split(field);
        Long expected = null;
        if (field.matches(PLAIN_INT)) {
            try {
                long v = Long.parseLong(field);
                expected = v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? v : null;
            } catch (NumberFormatException e) {
                expected = null;
            }
        }
        if (expected == null) {
            assertThrows(NumberFormatException.class, () -> n.parseInt(1), field);
        } else {
            assertEquals(expected.intValue(), n.parseInt(1), field);
        }
        assertEquals(8, n.parseInt(2));
    }

    @Property(tries = 500)
    void parseDecimalAgreesWithTheJdkOrThrowsNumberFormatException(@ForAll("fields") String field) {
        NumericLine n = split(field);
        double value;
        try {
            value = n.parseDecimal(1);
        } catch (NumberFormatException e) {
            return; // a reject: fine for anything
        }
        if (field.matches(PLAIN_DECIMAL)) {
            double expected = Double.parseDouble(field);
            assertEquals(expected, value, Math.abs(expected) * 1e-12, field);
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("a,\r\n\"é").ofMaxLength(40);
    }

    @Property(tries = 300)
    void lineReaderSplitsLfAndCrLfLikeAReferenceSplit(@ForAll("texts") String text) throws Exception {
        List<String> expected = new ArrayList<>();
        String[] parts = text.split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i == parts.length - 1 && parts[i].isEmpty()) {
                break; // the line end of the last line, not an empty line
            }
            String p = parts[i];
            expected.add(p.endsWith("\r") ? p.substring(0, p.length() - 1) : p);
        }
        List<String> actual = new ArrayList<>();
        try (LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            while (r.next()) {
                assertEquals(actual.size() + 1, r.lineNumber());
                actual.add(r.text());
            }
        }
        assertEquals(expected, actual);
    }
}
