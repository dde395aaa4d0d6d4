package org.recofilms.serving;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.zip.CRC32;
import org.recofilms.snapshot.SnapshotException;

/**
 * This instance's local binary copy of its {@link UserHistories.Base} ({@code reco.data.dir}/{@value #FILE}), so
 * that a restart reads about 100 MB from disk (well under a second) instead of 20M rows from PostgreSQL.
 * Little-endian: a magic number, a format version, the user and rating counts, the {@link Stamp} (which
 * ingestion the arrays hold and the feedback watermark up to which they hold raw.feedback_ratings), the four
 * arrays ({@code userIds}, {@code offsets}, {@code movies}, {@code halves}) and a CRC32 of everything before it.
 * Written to a temporary file moved into place; read in bulk through a {@link FileChannel}. A wrong magic,
 * length, checksum or offset is a {@link SnapshotException}: the caller loads another way.
 */
final class HistoriesCopy {

    /** The file's name in {@code reco.data.dir}. */
    static final String FILE = "histories.bin";

    private static final long MAGIC = 0x315453484f434552L; // "RECOHST1" read little-endian
    private static final int FORMAT = 1;
    private static final int HEADER = 8 + 4 + 4 + 8 + 8 + 8 + 8;
    private static final int CHUNK = 1 << 22;

    /**
     * What the arrays reflect: the last successful ingestion loaded (its {@code raw.ingestion_run_log} id and
     * finish time) and the feedback watermark (the {@code received_at} up to which raw.feedback_ratings is in
     * the arrays; a catch-up from it, less the overlap, brings them up to date).
     */
    record Stamp(long ingestionId, Instant ingestionFinished, Instant watermark) {

        Stamp {
            ingestionFinished = ingestionFinished.truncatedTo(ChronoUnit.MICROS);
            watermark = watermark.truncatedTo(ChronoUnit.MICROS);
        }

        /** Whether the arrays hold this ingestion's ratings (id and finish time both equal). */
        boolean reflects(long id, Instant finished) {
            return ingestionId == id && ingestionFinished.equals(finished.truncatedTo(ChronoUnit.MICROS));
        }
    }

    /** A file's contents. */
    record Contents(UserHistories.Base base, Stamp stamp) {}

    private HistoriesCopy() {}

    /** Writes the arrays and their stamp to {@code file} atomically (a temporary file moved into place). */
    static void write(Path file, UserHistories.Base base, Stamp stamp) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // a name of its own: instances that share a data volume never write into one another's temporary file
        Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            writeTo(tmp, base, stamp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp); // after a failed write (a full disk)
        }
    }

    private static void writeTo(Path tmp, UserHistories.Base base, Stamp stamp) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer b = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            b.putLong(MAGIC)
                    .putInt(FORMAT)
                    .putInt(base.userIds().length)
                    .putLong(base.movies().length)
                    .putLong(stamp.ingestionId())
                    .putLong(micros(stamp.ingestionFinished()))
                    .putLong(micros(stamp.watermark()));
            b.flip();
            drain(ch, b, crc);
            putInts(ch, b, crc, base.userIds());
            putInts(ch, b, crc, base.offsets());
            putInts(ch, b, crc, base.movies());
            byte[] halves = base.halves();
            for (int done = 0; done < halves.length; ) {
                int n = Math.min(CHUNK, halves.length - done);
                b.clear();
                b.put(halves, done, n).flip();
                drain(ch, b, crc);
                done += n;
            }
            b.clear();
            b.putLong(crc.getValue()).flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** The stamp of {@code file} from its header alone (magic, format and length checked, not the checksum). */
    static Stamp stamp(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            fill(ch, b, file);
            return header(b, ch.size(), file).stamp;
        }
    }

    /** Reads and checks the whole file. */
    static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            b.limit(HEADER);
            fill(ch, b, file);
            Header h = header(b, ch.size(), file);
            CRC32 crc = new CRC32();
            b.rewind();
            crc.update(b);
            int[] userIds = new int[h.users];
            int[] offsets = new int[h.users + 1];
            int[] movies = new int[h.ratings];
            byte[] halves = new byte[h.ratings];
            getInts(ch, b, crc, userIds, file);
            getInts(ch, b, crc, offsets, file);
            getInts(ch, b, crc, movies, file);
            for (int done = 0; done < halves.length; ) {
                int n = Math.min(CHUNK, halves.length - done);
                chunk(ch, b, crc, n, file).get(halves, done, n);
                done += n;
            }
            b.clear().limit(8);
            fill(ch, b, file);
            if (b.getLong() != crc.getValue()) {
                throw new SnapshotException(file + " fails its checksum");
            }
            if (offsets[0] != 0 || offsets[h.users] != h.ratings) {
                throw new SnapshotException(file + " has inconsistent offsets");
            }
            for (int u = 0; u < h.users; u++) {
                if (offsets[u + 1] < offsets[u] || (u > 0 && userIds[u] <= userIds[u - 1])) {
                    throw new SnapshotException(file + " has inconsistent offsets or user ids at user " + u);
                }
            }
            return new Contents(new UserHistories.Base(userIds, offsets, movies, halves), h.stamp);
        }
    }

    private record Header(int users, int ratings, Stamp stamp) {}

    private static Header header(ByteBuffer b, long size, Path file) throws SnapshotException {
        if (b.getLong() != MAGIC || b.getInt() != FORMAT) {
            throw new SnapshotException(file + " is not a user histories copy of format " + FORMAT);
        }
        int users = b.getInt();
        long ratings = b.getLong();
        Stamp stamp = new Stamp(b.getLong(), instant(b.getLong()), instant(b.getLong()));
        if (users < 0 || ratings < 0 || ratings > Integer.MAX_VALUE - 8) {
            throw new SnapshotException(file + " is corrupt: " + users + " users, " + ratings + " ratings");
        }
        long expected = HEADER + 4L * users + 4L * (users + 1) + 5L * ratings + 8;
        if (size != expected) {
            throw new SnapshotException(file + " is truncated or corrupt: " + size + " bytes, expected " + expected);
        }
        return new Header(users, (int) ratings, stamp);
    }

    private static void putInts(FileChannel ch, ByteBuffer b, CRC32 crc, int[] values) throws IOException {
        for (int done = 0; done < values.length; ) {
            int n = Math.min(CHUNK / 4, values.length - done);
            b.clear();
            b.asIntBuffer().put(values, done, n);
            b.limit(4 * n);
            drain(ch, b, crc);
            done += n;
        }
    }

    private static void drain(FileChannel ch, ByteBuffer b, CRC32 crc) throws IOException {
        crc.update(b.duplicate());
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void getInts(FileChannel ch, ByteBuffer b, CRC32 crc, int[] into, Path file) throws IOException {
        for (int done = 0; done < into.length; ) {
            int n = Math.min(CHUNK / 4, into.length - done);
            chunk(ch, b, crc, 4 * n, file).asIntBuffer().get(into, done, n);
            done += n;
        }
    }

    /** The next {@code bytes} of the file in {@code b} (position 0), added to the checksum. */
    private static ByteBuffer chunk(FileChannel ch, ByteBuffer b, CRC32 crc, int bytes, Path file) throws IOException {
        b.clear().limit(bytes);
        fill(ch, b, file);
        crc.update(b.duplicate());
        return b;
    }

    /** Reads until {@code b} is full, then flips it. */
    private static void fill(FileChannel ch, ByteBuffer b, Path file) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new SnapshotException(file + " is truncated: it ends early");
            }
        }
        b.flip();
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
