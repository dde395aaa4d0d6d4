package org.recofilms.ingestion;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes rows in PostgreSQL's binary COPY format, which the server reads without parsing text:
 * the fastest way to stream millions of typed rows through {@code COPY ... FROM STDIN (FORMAT binary)}.
 */
final class BinaryCopyWriter implements AutoCloseable {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private final DataOutputStream out;

    BinaryCopyWriter(OutputStream target) throws IOException {
        this.out = new DataOutputStream(new BufferedOutputStream(target, 1 << 20));
        out.write(SIGNATURE);
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
    }

    void row(int fields) throws IOException {
        out.writeShort(fields);
    }

    void int4(int value) throws IOException {
        out.writeInt(4);
        out.writeInt(value);
    }

    void int8(long value) throws IOException {
        out.writeInt(8);
        out.writeLong(value);
    }

    void float4(float value) throws IOException {
        out.writeInt(4);
        out.writeFloat(value);
    }

    void text(String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    void nullField() throws IOException {
        out.writeInt(-1);
    }

    /** Writes the trailer and closes the COPY stream, which commits the rows to the table. */
    @Override
    public void close() throws IOException {
        out.writeShort(-1);
        out.close();
    }
}
