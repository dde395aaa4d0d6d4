package org.recofilms.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link BinaryCopyReader#read}, the batch decoder, against the row-at-a-time {@link BinaryCopyReader#next} and the
 * rows encoded, and {@link CopyBatches}, the two-thread hand-off the export runs it on.
 */
class CopyBatchesTest {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    record Rating(int userId, int movieId, int ratingBits, long timestamp) {}

    @Provide
    Arbitrary<List<Rating>> ratings() {
        Arbitrary<Integer> ints = Arbitraries.oneOf(
                Arbitraries.integers(),
                Arbitraries.of(0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE),
                Arbitraries.integers().between(1, 300));
        Arbitrary<Integer> floatBits = Arbitraries.oneOf(
                Arbitraries.integers(),
                Arbitraries.of(0.5f, 5.0f, -0.0f, Float.NaN, Float.MIN_VALUE).map(Float::floatToRawIntBits));
        Arbitrary<Long> longs = Arbitraries.oneOf(
                Arbitraries.longs(), Arbitraries.of(0L, Long.MIN_VALUE, Long.MAX_VALUE, 1_112_486_027L));
        return Combinators.combine(ints, ints, floatBits, longs)
                .as(Rating::new)
                .list()
                .ofMaxSize(400);
    }

    /** Whatever the rows, read sizes and batch sizes: the batch decoder gives the rows encoded, in order. */
    @Property(tries = 300)
    void batchDecodingGivesTheRowsEncoded(
            @ForAll("ratings") List<Rating> rows,
            @ForAll @IntRange(min = 1, max = 200) int chunk,
            @ForAll @IntRange(min = 1, max = 70) int max,
            @ForAll long randomSeed)
            throws IOException {
        BinaryCopyReader reader = new BinaryCopyReader(new ChunkedStream(stream(rows), chunk, randomSeed));

        assertEquals(rows, readAll(reader, max));
    }

    /** Batches and single rows may be mixed: each takes up where the other stopped. */
    @Property(tries = 200)
    void batchAndSingleRowReadsInterleave(
            @ForAll("ratings") List<Rating> rows,
            @ForAll @IntRange(min = 1, max = 97) int chunk,
            @ForAll long randomSeed)
            throws IOException {
        BinaryCopyReader reader = new BinaryCopyReader(new ChunkedStream(stream(rows), chunk, randomSeed));
        SplittableRandom random = new SplittableRandom(randomSeed);
        List<Rating> read = new ArrayList<>();
        int[] u = new int[16];
        int[] m = new int[16];
        float[] r = new float[16];
        long[] t = new long[16];
        while (true) {
            if (random.nextBoolean()) {
                if (!reader.next()) {
                    break;
                }
                read.add(new Rating(
                        reader.userId, reader.movieId, Float.floatToRawIntBits(reader.rating), reader.timestamp));
            } else {
                int n = reader.read(u, m, r, t, 1 + random.nextInt(16));
                if (n == 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    read.add(new Rating(u[i], m[i], Float.floatToRawIntBits(r[i]), t[i]));
                }
            }
        }

        assertEquals(rows, read);
        assertEquals(0, reader.read(u, m, r, t, 16), "the end stays the end");
    }

    /** A malformed row is reported by the batch decoder with next()'s message, after the good rows before it. */
    @Property(tries = 100)
    void aMalformedRowFailsTheBatchWithItsRowNumber(
            @ForAll("ratings") List<Rating> rows, @ForAll @IntRange(min = 1, max = 64) int chunk) throws IOException {
        byte[] good = stream(rows);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(good, 0, good.length - 2); // without the trailer
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(4);
        out.writeInt(4);
        out.writeInt(1);
        out.writeInt(4);
        out.writeInt(2);
        out.writeInt(-1); // rating is null
        out.writeInt(8);
        out.writeLong(3);
        out.writeShort(-1);
        BinaryCopyReader reader = new BinaryCopyReader(new ChunkedStream(bytes.toByteArray(), chunk, chunk));
        int[] u = new int[rows.size() + 5];

        IOException e = assertThrows(
                IOException.class,
                () -> reader.read(u, new int[u.length], new float[u.length], new long[u.length], u.length));

        assertEquals("column rating is null in row " + rows.size(), e.getMessage());
    }

    /** Through the reader thread, with batches smaller than the data: every row once, in order. */
    @Property(tries = 100)
    void theReaderThreadHandsOverEveryRowInOrder(
            @ForAll("ratings") List<Rating> rows,
            @ForAll @IntRange(min = 1, max = 50) int batchRows,
            @ForAll @IntRange(min = 1, max = 300) int chunk)
            throws Exception {
        List<Rating> read = new ArrayList<>();
        try (CopyBatches batches =
                new CopyBatches(new BinaryCopyReader(new ChunkedStream(stream(rows), chunk, batchRows)), batchRows)) {
            for (CopyBatches.Batch b; (b = batches.next()) != null; ) {
                for (int i = 0; i < b.size; i++) {
                    read.add(new Rating(
                            b.userId[i], b.movieId[i], Float.floatToRawIntBits(b.rating[i]), b.timestamp[i]));
                }
                batches.recycle(b);
            }
            assertNull(batches.next(), "the end stays the end");
        }

        assertEquals(rows, read);
    }

    @Test
    void theReaderThreadsFailureReachesTheCallerAsThrown() throws Exception {
        List<Rating> rows = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            rows.add(new Rating(i, i, Float.floatToRawIntBits(4.0f), i));
        }
        byte[] whole = stream(rows);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 100);
        int seen = 0;
        try (CopyBatches batches = new CopyBatches(new BinaryCopyReader(new ChunkedStream(cut, 512, 1)), 64)) {
            IOException e = null;
            try {
                for (CopyBatches.Batch b; (b = batches.next()) != null; ) {
                    seen += b.size;
                    batches.recycle(b);
                }
            } catch (IOException thrown) {
                e = thrown;
            }
            assertEquals(java.io.EOFException.class, e == null ? null : e.getClass());
            // 997 whole rows before the cut; the batch that failed (rows 960 to 996) is not handed over
            assertEquals("the COPY stream ended inside row 997", e.getMessage());
        }
        assertEquals(960, seen, "every batch before the failing one arrived");
    }

    @Test
    void closingEarlyStopsTheReaderThread() throws Exception {
        List<Rating> rows = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rows.add(new Rating(i, -i, Float.floatToRawIntBits(0.5f), -i));
        }
        CopyBatches batches = new CopyBatches(new BinaryCopyReader(new ChunkedStream(stream(rows), 4096, 2)), 100);
        CopyBatches.Batch first = batches.next();
        assertEquals(100, first.size);
        assertEquals(0, first.userId[0]);

        batches.close();

        // the reader thread is gone: nothing of it remains to touch the stream
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("snapshot-copy-reader") && t.isAlive()) {
                t.join(10_000);
                assertEquals(false, t.isAlive(), "a reader thread outlived close()");
            }
        }
    }

    private static List<Rating> readAll(BinaryCopyReader reader, int max) throws IOException {
        int[] u = new int[max];
        int[] m = new int[max];
        float[] r = new float[max];
        long[] t = new long[max];
        List<Rating> read = new ArrayList<>();
        for (int n; (n = reader.read(u, m, r, t, max)) > 0; ) {
            for (int i = 0; i < n; i++) {
                read.add(new Rating(u[i], m[i], Float.floatToRawIntBits(r[i]), t[i]));
            }
        }
        return read;
    }

    /** A binary COPY stream of (int4, int4, float4, int8) rows, as PostgreSQL writes it. */
    static byte[] stream(List<Rating> rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(SIGNATURE);
        out.writeInt(0);
        out.writeInt(0);
        for (Rating row : rows) {
            out.writeShort(4);
            out.writeInt(4);
            out.writeInt(row.userId());
            out.writeInt(4);
            out.writeInt(row.movieId());
            out.writeInt(4);
            out.writeInt(row.ratingBits());
            out.writeInt(8);
            out.writeLong(row.timestamp());
        }
        out.writeShort(-1);
        return bytes.toByteArray();
    }

    /** Hands out the bytes in reads of random sizes up to {@code chunk}, as a network stream does. */
    private static final class ChunkedStream extends InputStream {
        private final byte[] bytes;
        private final int chunk;
        private final SplittableRandom random;
        private int position;

        ChunkedStream(byte[] bytes, int chunk, long randomSeed) {
            this.bytes = bytes;
            this.chunk = chunk;
            this.random = new SplittableRandom(randomSeed);
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
            int n = Math.min(Math.min(len, 1 + random.nextInt(chunk)), bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }
}
