package org.recofilms.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte-level line reader and numeric splitter that the big files go through. */
class LineReaderTest {

    private static List<String> lines(String text) throws Exception {
        List<String> out = new ArrayList<>();
        try (LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            while (r.next()) {
                out.add(r.lineNumber() + ":" + r.text());
            }
        }
        return out;
    }

    @Test
    void splitsOnLfAndCrLfAndKeepsALastLineWithoutNewline() throws Exception {
        assertEquals(List.of("1:a,b", "2:c", "3:", "4:d"), lines("a,b\r\nc\n\nd"));
        assertEquals(List.of(), lines(""));
    }

    @Test
    void linesLongerThanTheBufferGrowIt() throws Exception {
        String longLine = "x".repeat(3 << 20);
        assertEquals(List.of("1:" + longLine, "2:y"), lines(longLine + "\ny\n"));
    }

    @Test
    void numericFieldsParseFromBytes() {
        NumericLine n = new NumericLine();
        byte[] line = "12,-3,3.5,1112486027,0.02500".getBytes(StandardCharsets.US_ASCII);
        assertEquals(5, n.split(line, 0, line.length));
        assertEquals(12, n.parseInt(0));
        assertEquals(-3, n.parseInt(1));
        assertEquals(3.5, n.parseDecimal(2));
        assertEquals(1112486027L, n.parseLong(3));
        assertEquals(0.025, n.parseDecimal(4), 1e-12);
        assertFalse(n.quoted());
    }

    @Test
    void nonNumbersThrowAndQuotesAreFlagged() {
        NumericLine n = new NumericLine();
        byte[] line = "abc,,1e2,\"4\"".getBytes(StandardCharsets.US_ASCII);
        assertEquals(4, n.split(line, 0, line.length));
        assertThrows(NumberFormatException.class, () -> n.parseInt(0));
        assertThrows(NumberFormatException.class, () -> n.parseLong(1));
        assertEquals(100.0, n.parseDecimal(2));
        assertTrue(n.quoted());
        assertThrows(NumberFormatException.class, () -> n.parseInt(3));
        byte[] big = "99999999999".getBytes(StandardCharsets.US_ASCII);
        n.split(big, 0, big.length);
        assertThrows(NumberFormatException.class, () -> n.parseInt(0));
    }
}
