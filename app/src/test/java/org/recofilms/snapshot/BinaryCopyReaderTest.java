package org.recofilms.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BinaryCopyReaderTest {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    @Test
    void decodesRowsSplitAcrossAnyReadBoundary() throws IOException {
        byte[] stream = stream(out -> {
            row(out, 1, 10, 4.5f, 1_112_486_027L);
            row(out, Integer.MIN_VALUE, Integer.MAX_VALUE, -0.0f, Long.MIN_VALUE);
            row(out, -7, 0, Float.NaN, Long.MAX_VALUE);
        });
        // one byte per read: every field straddles a refill
        BinaryCopyReader reader = new BinaryCopyReader(new TrickleStream(stream));

        assertTrue(reader.next());
        assertEquals(1, reader.userId);
        assertEquals(10, reader.movieId);
        assertEquals(4.5f, reader.rating);
        assertEquals(1_112_486_027L, reader.timestamp);
        assertTrue(reader.next());
        assertEquals(Integer.MIN_VALUE, reader.userId);
        assertEquals(Integer.MAX_VALUE, reader.movieId);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(reader.rating));
        assertEquals(Long.MIN_VALUE, reader.timestamp);
        assertTrue(reader.next());
        assertTrue(Float.isNaN(reader.rating));
        assertEquals(Long.MAX_VALUE, reader.timestamp);
        assertFalse(reader.next());
    }

    @Test
    void skipsTheHeaderExtension() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(SIGNATURE);
        out.writeInt(0);
        out.writeInt(3);
        out.write(new byte[] {9, 9, 9});
        row(out, 5, 6, 1.0f, 7L);
        out.writeShort(-1);

        BinaryCopyReader reader = new BinaryCopyReader(new ByteArrayInputStream(bytes.toByteArray()));

        assertTrue(reader.next());
        assertEquals(5, reader.userId);
        assertFalse(reader.next());
    }

    @Test
    void nullFieldIsNamed() throws IOException {
        byte[] stream = stream(out -> {
            out.writeShort(4);
            out.writeInt(4);
            out.writeInt(1);
            out.writeInt(4);
            out.writeInt(2);
            out.writeInt(-1); // rating is null
            out.writeInt(8);
            out.writeLong(3);
        });
        BinaryCopyReader reader = new BinaryCopyReader(new ByteArrayInputStream(stream));

        IOException e = assertThrows(IOException.class, reader::next);

        assertEquals("column rating is null in row 0", e.getMessage());
    }

    @Test
    void wrongWidthAndFieldCountAreRejected() throws IOException {
        byte[] wide = stream(out -> {
            row(out, 1, 2, 3.0f, 4L);
            out.writeShort(4);
            out.writeInt(8); // a bigint where an int4 belongs
            out.writeLong(1);
        });
        BinaryCopyReader reader = new BinaryCopyReader(new ByteArrayInputStream(wide));
        assertTrue(reader.next());
        assertEquals(
                "column userId has 8 bytes in row 1, expected 4",
                assertThrows(IOException.class, reader::next).getMessage());

        byte[] five = stream(out -> out.writeShort(5));
        assertEquals(
                "row 0 of the COPY stream has 5 fields, expected 4",
                assertThrows(IOException.class, new BinaryCopyReader(new ByteArrayInputStream(five))::next)
                        .getMessage());
    }

    @Test
    void truncatedStreamAndForeignStreamFail() throws IOException {
        byte[] full = stream(out -> row(out, 1, 2, 3.0f, 4L));
        BinaryCopyReader reader = new BinaryCopyReader(new ByteArrayInputStream(Arrays.copyOf(full, full.length - 7)));
        assertThrows(EOFException.class, reader::next);

        byte[] text = "1\t2\t3.5\t4\n".repeat(3).getBytes();
        IOException e = assertThrows(IOException.class, () -> new BinaryCopyReader(new ByteArrayInputStream(text)));
        assertEquals("the COPY stream does not start with the binary COPY signature", e.getMessage());
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** A binary COPY stream: header, what the body writes, trailer. */
    private static byte[] stream(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(SIGNATURE);
        out.writeInt(0);
        out.writeInt(0);
        body.write(out);
        out.writeShort(-1);
        return bytes.toByteArray();
    }

    private static void row(DataOutputStream out, int user, int movie, float rating, long timestamp)
            throws IOException {
        out.writeShort(4);
        out.writeInt(4);
        out.writeInt(user);
        out.writeInt(4);
        out.writeInt(movie);
        out.writeInt(4);
        out.writeFloat(rating);
        out.writeInt(8);
        out.writeLong(timestamp);
    }

    /** Hands out one byte per read, as a network stream may. */
    private static final class TrickleStream extends InputStream {
        private final byte[] bytes;
        private int position;

        TrickleStream(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= bytes.length) {
                return -1;
            }
            b[off] = bytes[position++];
            return 1;
        }
    }
}
