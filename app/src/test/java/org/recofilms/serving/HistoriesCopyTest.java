package org.recofilms.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.recofilms.snapshot.SnapshotException;

/** The local copy of the histories' arrays: what is written is read back exactly; a damaged file is refused. */
class HistoriesCopyTest {

    private static final HistoriesCopy.Stamp STAMP = new HistoriesCopy.Stamp(
            42, Instant.parse("2026-12-04T10:15:30.123456Z"), Instant.parse("2026-12-04T10:20:00.000001Z"));

    record Row(int user, int movie, int halves) {}

    @Property(tries = 100)
    void whatIsWrittenIsReadBackExactly(
            @ForAll("rows") List<Row> rows, @ForAll @IntRange(min = 0, max = 1_000_000) int ingestion)
            throws IOException {
        Map<Integer, TreeMap<Integer, Integer>> model = new TreeMap<>();
        for (Row r : rows) {
            model.computeIfAbsent(r.user(), u -> new TreeMap<>()).put(r.movie(), r.halves());
        }
        UserHistories.Builder builder = new UserHistories.Builder();
        model.forEach((user, movies) -> movies.forEach((movie, h) -> builder.add(user, movie, h / 2f)));
        UserHistories.Base base = builder.build();
        HistoriesCopy.Stamp stamp = new HistoriesCopy.Stamp(
                ingestion, Instant.ofEpochSecond(1_700_000_000L + ingestion, 987_654_321), Instant.now());
        Path file = Files.createTempDirectory("histories-copy").resolve(HistoriesCopy.FILE);
        try {
            HistoriesCopy.write(file, base, stamp);
            assertEquals(stamp, HistoriesCopy.stamp(file));
            HistoriesCopy.Contents read = HistoriesCopy.read(file);
            assertEquals(stamp, read.stamp());
            UserHistories.Base got = read.base();
            assertArrayEquals(base.userIds(), got.userIds());
            assertArrayEquals(base.offsets(), got.offsets());
            assertArrayEquals(base.movies(), got.movies());
            assertArrayEquals(base.halves(), got.halves());
            UserHistories store = new UserHistories(got);
            model.forEach((user, movies) -> {
                UserRatings r = store.get(user);
                assertArrayEquals(
                        movies.keySet().stream().mapToInt(Integer::intValue).toArray(), r.movieIds());
                float[] expected = new float[movies.size()];
                int i = 0;
                for (int h : movies.values()) {
                    expected[i++] = h / 2f;
                }
                assertArrayEquals(expected, r.ratings());
            });
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        }
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        return Combinators.combine(
                        Arbitraries.integers().between(-5, 3_000),
                        Arbitraries.integers().between(1, 200_000),
                        Arbitraries.integers().between(1, 10))
                .as(Row::new)
                .list()
                .ofMaxSize(2_000);
    }

    @Test
    void theStampSaysWhichIngestionTheArraysHold() {
        assertTrue(STAMP.reflects(42, Instant.parse("2026-12-04T10:15:30.123456Z")));
        // a newer ingestion, or another database's ingestion of the same id
        assertFalse(STAMP.reflects(43, Instant.parse("2026-12-04T10:15:30.123456Z")));
        assertFalse(STAMP.reflects(42, Instant.parse("2026-12-04T10:15:30.123457Z")));
    }

    @Test
    void aCorruptFileIsRefused() throws IOException {
        Path file = sample();
        long size = Files.size(file);
        for (long at : List.of(3L, 30L, size / 2, size - 3)) {
            Path copy = Files.copy(file, file.resolveSibling("corrupt-" + at));
            try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer one = ByteBuffer.allocate(1);
                ch.read(one, at);
                one.flip();
                byte b = one.get(0);
                one.put(0, (byte) (b ^ 0x5a));
                ch.write(one, at);
            }
            assertThrows(SnapshotException.class, () -> HistoriesCopy.read(copy), "a flipped byte at " + at);
        }
    }

    @Test
    void aTruncatedOrEmptyFileIsRefused() throws IOException {
        Path file = sample();
        long size = Files.size(file);
        for (long keep : List.of(0L, 20L, 48L, size / 2, size - 1)) {
            Path copy = file.resolveSibling("truncated-" + keep);
            Files.copy(file, copy);
            try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                ch.truncate(keep);
            }
            assertThrows(SnapshotException.class, () -> HistoriesCopy.read(copy), "kept " + keep + " bytes");
            assertThrows(SnapshotException.class, () -> HistoriesCopy.stamp(copy), "kept " + keep + " bytes");
        }
    }

    @Test
    void aFileWrittenAgainReplacesTheOldOneWholeAndLeavesNoTemporaryFile() throws IOException {
        Path file = sample();
        UserHistories.Builder b = new UserHistories.Builder();
        b.add(1, 1, 4.0f);
        HistoriesCopy.Stamp next = new HistoriesCopy.Stamp(43, Instant.now(), Instant.now());
        HistoriesCopy.write(file, b.build(), next);
        assertEquals(next, HistoriesCopy.read(file).stamp());
        assertEquals(1, HistoriesCopy.read(file).base().ratings());
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    private static Path sample() {
        try {
            UserHistories.Builder b = new UserHistories.Builder();
            for (int user = 1; user <= 300; user++) {
                for (int movie = 1; movie <= 1 + user % 17; movie++) {
                    b.add(user, movie * 7, 0.5f + (user + movie) % 10 / 2f);
                }
            }
            Path file = Files.createTempDirectory("histories-copy").resolve(HistoriesCopy.FILE);
            HistoriesCopy.write(file, b.build(), STAMP);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
