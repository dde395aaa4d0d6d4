package org.recofilms.snapshot;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes the output of {@code COPY ... TO STDOUT (FORMAT binary)} for rows of (int4, int4, float4, int8), the
 * shape {@link RatingsSnapshot#export} casts its query to. Binary COPY hands over the server's own
 * representation (big-endian, fixed width), so there is no text to parse: a row is 38 bytes read in place.
 */
final class BinaryCopyReader {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final String[] COLUMNS = {"userId", "movieId", "rating", "timestamp"};

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private long rows;

    int userId;
    int movieId;
    float rating;
    long timestamp;

    BinaryCopyReader(InputStream in) throws IOException {
        this.in = in;
        require(SIGNATURE.length + 8);
        if (!Arrays.equals(buffer, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IOException("the COPY stream does not start with the binary COPY signature");
        }
        position = SIGNATURE.length;
        int flags = int32();
        if ((flags & (1 << 16)) != 0) {
            throw new IOException("the COPY stream carries OIDs, which this reader does not expect");
        }
        int extension = int32();
        for (int skipped = 0; skipped < extension; skipped++) {
            require(1);
            position++;
        }
    }

    /** Reads the next row into the public fields; false at the end of the data. */
    boolean next() throws IOException {
        require(2);
        short fields = (short) SHORT.get(buffer, position);
        position += 2;
        if (fields == -1) {
            return false;
        }
        if (fields != COLUMNS.length) {
            throw new IOException("row " + rows + " of the COPY stream has " + fields + " fields, expected 4");
        }
        userId = int4(0);
        movieId = int4(1);
        rating = Float.intBitsToFloat(int4(2));
        length(3, 8);
        timestamp = (long) LONG.get(buffer, position);
        position += 8;
        rows++;
        return true;
    }

    private int int4(int column) throws IOException {
        length(column, 4);
        int value = (int) INT.get(buffer, position);
        position += 4;
        return value;
    }

    /** Reads a field's length, checks it, and makes sure the field's bytes are buffered. */
    private void length(int column, int expected) throws IOException {
        int length = int32();
        if (length != expected) {
            throw new IOException(
                    length == -1
                            ? "column " + COLUMNS[column] + " is null in row " + rows
                            : "column " + COLUMNS[column] + " has " + length + " bytes in row " + rows + ", expected "
                                    + expected);
        }
        require(expected);
    }

    private int int32() throws IOException {
        require(4);
        int value = (int) INT.get(buffer, position);
        position += 4;
        return value;
    }

    private void require(int bytes) throws IOException {
        if (limit - position >= bytes) {
            return;
        }
        int remaining = limit - position;
        System.arraycopy(buffer, position, buffer, 0, remaining);
        position = 0;
        limit = remaining;
        while (limit < bytes) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                throw new EOFException("the COPY stream ended inside row " + rows);
            }
            limit += n;
        }
    }
}
