package org.recofilms.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * A factor model's serving arrays (iALS) in one small binary file, {@value #FILE}, published beside
 * {@link ServingBundle#FILE} (which then holds no neighbour lists, only the popularity list): the movie ids,
 * the item factors, their Gram matrix {@code Y^T Y} and the training's regularisation, unobserved weight,
 * confidence and positive threshold, which is all a user's fold-in at request time needs. Little-endian: a magic
 * number, a format version, the movie and factor counts, the four scalars, the arrays, and a CRC32 of everything
 * before it, so that a truncated or corrupt file is refused rather than served.
 */
public final class FactorBundle {

    /** The artifact's file name. */
    public static final String FILE = "factors.bin";

    private static final long MAGIC = 0x31544341464f4345L; // "ECOFACT1" read little-endian
    private static final int FORMAT = 1;
    private static final int HEADER = 8 + 4 + 4 + 4 + 8 + 8 + 8 + 4;

    /**
     * What the file holds.
     *
     * @param movieIds model movies, ascending
     * @param factors latent dimensions
     * @param itemFactors {@code movieIds.length * factors}, row-major by movie
     * @param gram {@code factors * factors}, row-major
     */
    public record Factors(
            int[] movieIds,
            int factors,
            float[] itemFactors,
            double[] gram,
            double regularization,
            double unobservedWeight,
            double alpha,
            float positiveThreshold) {

        public Factors {
            if (factors < 1
                    || itemFactors.length != (long) movieIds.length * factors
                    || gram.length != factors * factors) {
                throw new IllegalArgumentException("factor arrays must match movieIds and factors");
            }
        }
    }

    private FactorBundle() {}

    /** Writes the file atomically (a temporary file moved into place). */
    public static void write(Path file, Factors a) throws IOException {
        int movies = a.movieIds().length;
        int factors = a.factors();
        long size = HEADER + 4L * movies + 4L * movies * factors + 8L * factors * factors + 8;
        if (size > Integer.MAX_VALUE) {
            throw new IOException("model too large for " + FILE + ": " + size + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC).putInt(FORMAT).putInt(movies).putInt(factors);
        b.putDouble(a.regularization()).putDouble(a.unobservedWeight()).putDouble(a.alpha());
        b.putFloat(a.positiveThreshold());
        b.asIntBuffer().put(a.movieIds());
        b.position(b.position() + 4 * movies);
        b.asFloatBuffer().put(a.itemFactors());
        b.position(b.position() + 4 * movies * factors);
        b.asDoubleBuffer().put(a.gram());
        b.position(b.position() + 8 * factors * factors);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putLong(crc.getValue());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, b.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads and checks the file; a wrong magic, length or checksum is a {@link SnapshotException}. */
    public static Factors read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < HEADER + 8) {
            throw new SnapshotException(file + " is not a factor bundle: " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong() != MAGIC || b.getInt() != FORMAT) {
            throw new SnapshotException(file + " is not a factor bundle of format " + FORMAT);
        }
        int movies = b.getInt();
        int factors = b.getInt();
        long expected = HEADER + 4L * movies + 4L * movies * factors + 8L * factors * factors + 8;
        if (movies < 0 || factors < 1 || expected != bytes.length) {
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
        double regularization = b.getDouble();
        double unobservedWeight = b.getDouble();
        double alpha = b.getDouble();
        float positiveThreshold = b.getFloat();
        int[] movieIds = new int[movies];
        b.asIntBuffer().get(movieIds);
        b.position(b.position() + 4 * movies);
        float[] itemFactors = new float[movies * factors];
        b.asFloatBuffer().get(itemFactors);
        b.position(b.position() + 4 * movies * factors);
        double[] gram = new double[factors * factors];
        b.asDoubleBuffer().get(gram);
        return new Factors(
                movieIds, factors, itemFactors, gram, regularization, unobservedWeight, alpha, positiveThreshold);
    }
}
