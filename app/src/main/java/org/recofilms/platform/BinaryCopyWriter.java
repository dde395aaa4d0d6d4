package org.recofilms.platform;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes rows in PostgreSQL's binary COPY format, which the server reads without parsing text:
 * the fastest way to stream millions of typed rows through {@code COPY ... FROM STDIN (FORMAT binary)}.
 */
public final class BinaryCopyWriter implements AutoCloseable {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private final DataOutputStream out;

    /** Starts {@code COPY <sql> FROM STDIN (FORMAT binary)} on {@code connection}. */
    public static BinaryCopyWriter copyIn(java.sql.Connection connection, String table, String columns)
            throws java.sql.SQLException, IOException {
        org.postgresql.PGConnection pg = connection.unwrap(org.postgresql.PGConnection.class);
        String sql = "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)";
        return new BinaryCopyWriter(new org.postgresql.copy.PGCopyOutputStream(pg, sql, 1 << 20));
    }

    /** Writes the COPY stream to {@code target}: tests check the loader's rows without a server. */
    public static BinaryCopyWriter to(OutputStream target) throws IOException {
        return new BinaryCopyWriter(target);
    }

    BinaryCopyWriter(OutputStream target) throws IOException {
        this.out = new DataOutputStream(new BufferedOutputStream(target, 1 << 20));
        out.write(SIGNATURE);
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
    }

    public void row(int fields) throws IOException {
        out.writeShort(fields);
    }

    public void int4(int value) throws IOException {
        out.writeInt(4);
        out.writeInt(value);
    }

    public void int8(long value) throws IOException {
        out.writeInt(8);
        out.writeLong(value);
    }

    public void int2(short value) throws IOException {
        out.writeInt(2);
        out.writeShort(value);
    }

    public void float8(double value) throws IOException {
        out.writeInt(8);
        out.writeDouble(value);
    }

    public void float4(float value) throws IOException {
        out.writeInt(4);
        out.writeFloat(value);
    }

    public void text(String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public void nullField() throws IOException {
        out.writeInt(-1);
    }

    /** Writes the trailer and closes the COPY stream, which commits the rows to the table. */
    @Override
    public void close() throws IOException {
        out.writeShort(-1);
        out.close();
    }
}
