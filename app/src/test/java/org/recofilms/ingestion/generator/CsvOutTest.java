package org.recofilms.ingestion.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvOutTest {

    @Test
    void formatsNumbersLikeLongToString() throws IOException {
        final long[] values = {
            0,
            7,
            9,
            10,
            99,
            100,
            999_999_999L,
            1_000_000_000L,
            1_427_760_000L,
            Integer.MAX_VALUE,
            Long.MAX_VALUE,
            -1,
            -42,
            Long.MIN_VALUE
        };
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final StringBuilder expected = new StringBuilder();
        try (CsvOut out = new CsvOut(bytes)) {
            for (final long value : values) {
                out.reserve(CsvOut.MAX_NUMERIC_LINE);
                out.number(value).endLine();
                expected.append(value).append('\n');
            }
            assertEquals(values.length, out.lines());
        }
        assertEquals(expected.toString(), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void formatsFixedDecimalsWithTrailingZeros() throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvOut out = new CsvOut(bytes)) {
            out.fixed(2_500, 5)
                    .comma()
                    .fixed(100_000, 5)
                    .comma()
                    .fixed(0, 5)
                    .comma()
                    .fixed(99_999, 5)
                    .comma();
            out.fixed(35, 1).comma().fixed(7, 0).endLine();
        }
        assertEquals("0.02500,1.00000,0.00000,0.99999,3.5,7\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void quotesTextOnlyWhenNeededAndWritesLongTextPastTheBuffer() throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final String longTitle = "x".repeat(100_000);
        try (CsvOut out = new CsvOut(bytes)) {
            out.field("Toy Story (1995)")
                    .comma()
                    .field("American President, The (1995)")
                    .comma();
            out.field("\"Great\" Cats (1998)").comma().field("Amélie (2001)").endLine();
            out.field(longTitle);
            out.reserve(1);
            out.endLine();
        }
        assertEquals(
                "Toy Story (1995),\"American President, The (1995)\",\"\"\"Great\"\" Cats (1998)\",Amélie (2001)\n"
                        + longTitle + "\n",
                bytes.toString(StandardCharsets.UTF_8));
    }
}
