package org.recofilms.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * The serving arrays of a model (neighbour lists and popularity list) in one small binary file,
 * {@value #FILE}, published beside the seed's Parquet files. An API instance reads it in
 * milliseconds at start, without loading Parquet's and Hadoop's classes (several seconds on a cold
 * JVM), which is what keeps start-to-ready short. Little-endian: a magic number, a format version,
 * the three lengths, the arrays in the order of {@link NeighborArrays} then {@link PopularityArrays},
 * and a CRC32 of everything before it, so that a truncated or corrupt file is refused rather than
 * served.
 */
public final class ServingBundle {

    /** The artifact's file name. */
    public static final String FILE = "serving.bin";

    private static final long MAGIC = 0x315652534f434552L; // "RECOSRV1" read little-endian
    private static final int FORMAT = 1;
    private static final int HEADER = 8 + 4 + 4 + 4 + 4;

    /** What the file holds. */
    public record Bundle(NeighborArrays neighbors, PopularityArrays popularity) {}

    private ServingBundle() {}

    /** Writes the file atomically (a temporary file moved into place). */
    public static void write(Path file, NeighborArrays neighbors, PopularityArrays popularity) throws IOException {
        int movies = neighbors.movieIds().length;
        int pairs = neighbors.neighborIds().length;
        int popular = popularity.size();
        long size = HEADER + 4L * movies + 4L * (movies + 1) + 8L * pairs + 12L * popular + 8L * popular + 8;
        if (size > Integer.MAX_VALUE) {
            throw new IOException("model too large for " + FILE + ": " + size + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC).putInt(FORMAT).putInt(movies).putInt(pairs).putInt(popular);
        b.asIntBuffer().put(neighbors.movieIds());
        b.position(b.position() + 4 * movies);
        b.asIntBuffer().put(neighbors.offsets());
        b.position(b.position() + 4 * (movies + 1));
        b.asIntBuffer().put(neighbors.neighborIds());
        b.position(b.position() + 4 * pairs);
        b.asFloatBuffer().put(neighbors.similarities());
        b.position(b.position() + 4 * pairs);
        b.asIntBuffer().put(popularity.movieIds());
        b.position(b.position() + 4 * popular);
        b.asIntBuffer().put(popularity.nRatings());
        b.position(b.position() + 4 * popular);
        b.asFloatBuffer().put(popularity.meanRatings());
        b.position(b.position() + 4 * popular);
        b.asDoubleBuffer().put(popularity.bayesScores());
        b.position(b.position() + 8 * popular);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putLong(crc.getValue());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, b.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads and checks the file; a wrong magic, length or checksum is a {@link SnapshotException}. */
    public static Bundle read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < HEADER + 8) {
            throw new SnapshotException(file + " is not a serving bundle: " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong() != MAGIC || b.getInt() != FORMAT) {
            throw new SnapshotException(file + " is not a serving bundle of format " + FORMAT);
        }
        int movies = b.getInt();
        int pairs = b.getInt();
        int popular = b.getInt();
        long expected = HEADER + 4L * movies + 4L * (movies + 1) + 8L * pairs + 20L * popular + 8;
        if (movies < 0 || pairs < 0 || popular < 0 || expected != bytes.length) {
            throw new SnapshotException(
                    file + " is truncated or corrupt: " + bytes.length + " bytes, expected " + expected);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (ByteBuffer.wrap(bytes, bytes.length - 8, 8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong()
                != crc.getValue()) {
            throw new SnapshotException(file + " fails its checksum");
        }
        int[] movieIds = ints(b, movies);
        int[] offsets = ints(b, movies + 1);
        int[] neighborIds = ints(b, pairs);
        float[] similarities = floats(b, pairs);
        int[] popularIds = ints(b, popular);
        int[] counts = ints(b, popular);
        float[] means = floats(b, popular);
        double[] scores = new double[popular];
        b.asDoubleBuffer().get(scores);
        return new Bundle(
                new NeighborArrays(movieIds, offsets, neighborIds, similarities),
                new PopularityArrays(popularIds, counts, means, scores));
    }

    private static int[] ints(ByteBuffer b, int n) {
        int[] out = new int[n];
        b.asIntBuffer().get(out);
        b.position(b.position() + 4 * n);
        return out;
    }

    private static float[] floats(ByteBuffer b, int n) {
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        b.position(b.position() + 4 * n);
        return out;
    }
}
