package org.recofilms.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.recofilms.platform.BinaryCopyWriter;

/**
 * Property: valid MovieLens files with bad lines mixed in load every good line and reject every bad
 * one, at its line number and under its kind, without throwing. Each try builds the six files
 * (random sizes, LF and CRLF mixed, a BOM on some headers, odd but valid lines: quoted commas,
 * non-UTF-8 bytes in a title, a 200,000-character title) and inserts copies of good lines with one
 * field or the line's shape broken: negative, zero and overflowing ids, non-numeric text, NaN and
 * infinities, empty and blank fields, a BOM before an id, stray quotes, non-UTF-8 bytes, NUL in a
 * text, extra and missing columns, duplicates, unknown movies and tags, empty lines. No database:
 * the loader writes its COPY streams to nowhere.
 */
class IngestionBadLinesTest {

    /** Encoded as the single byte 0xFF, which is never valid UTF-8. */
    private static final String NOT_UTF8 = "\uE000";

    private static final List<String> BAD_IDS_NON_NUMERIC = List.of(
            "2147483648",
            "-2147483649",
            "99999999999999999999",
            "abc",
            "",
            "   ",
            "NaN",
            "Infinity",
            "1.5",
            "\uFEFF7",
            "7x",
            NOT_UTF8 + "7");
    private static final List<String> BAD_IDS_NON_POSITIVE = List.of("-5", "-1", "0", "-2147483648");

    /** A line of a file: its text, the kind it must be rejected with (null: loaded), its fields if good. */
    record Line(String text, RejectKind kind, String[] fields) {}

    /** One file being built: its lines, the next fresh (never good) id, and the random source. */
    private static final class FileBuilder {
        final List<Line> lines = new ArrayList<>();
        final Random random;
        int fresh = 1_000_000;

        FileBuilder(Random random) {
            this.random = random;
        }

        void good(String... fields) {
            lines.add(new Line(String.join(",", fields), null, fields));
        }

        List<String[]> goods() {
            List<String[]> out = new ArrayList<>();
            for (Line l : lines) {
                if (l.kind() == null) {
                    out.add(l.fields());
                }
            }
            return out;
        }

        /** Inserts a bad line anywhere after the first good line. */
        void bad(String text, RejectKind kind) {
            lines.add(1 + random.nextInt(lines.size()), new Line(text, kind, null));
        }

        /** Inserts a copy of a good line right after it: the same key, seen just before. */
        void duplicate() {
            List<Integer> goodAt = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).kind() == null) {
                    goodAt.add(i);
                }
            }
            int at = goodAt.get(random.nextInt(goodAt.size()));
            lines.add(at + 1, new Line(lines.get(at).text(), RejectKind.DUPLICATE_PAIR, null));
        }

        String[] anyGood() {
            List<String[]> g = goods();
            return g.get(random.nextInt(g.size())).clone();
        }

        <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        /** A good line with field {@code field} replaced by a bad id. */
        void badId(int field) {
            String[] f = anyGood();
            boolean nonPositive = random.nextBoolean();
            f[field] = pick(nonPositive ? BAD_IDS_NON_POSITIVE : BAD_IDS_NON_NUMERIC);
            bad(String.join(",", f), nonPositive ? RejectKind.NON_POSITIVE_ID : RejectKind.NON_NUMERIC_ID);
        }

        /** A good line with field {@code field} replaced, and field {@code freshId} (if >= 0) a new id. */
        void badField(int field, List<String> values, RejectKind kind, int freshId) {
            String[] f = anyGood();
            f[field] = pick(values);
            if (freshId >= 0) {
                f[freshId] = Integer.toString(fresh++);
            }
            bad(String.join(",", f), kind);
        }

        /** Shape: extra or missing column, empty or blank line, an unclosed quote. */
        void badShape() {
            String[] f = anyGood();
            switch (random.nextInt(6)) {
                case 0 -> bad(String.join(",", f) + ",x", RejectKind.WRONG_COLUMN_COUNT);
                case 1 -> bad(String.join(",", f) + "," + "y".repeat(200_000), RejectKind.WRONG_COLUMN_COUNT);
                case 2 -> bad(String.join(",", List.of(f).subList(0, f.length - 1)), RejectKind.WRONG_COLUMN_COUNT);
                case 3 -> bad("", RejectKind.WRONG_COLUMN_COUNT);
                case 4 -> bad("  \t ", RejectKind.WRONG_COLUMN_COUNT);
                default -> bad("\"" + String.join(",", f), RejectKind.BROKEN_QUOTING);
            }
        }
    }

    @Property(tries = 60)
    void everyGoodLineLoadsAndEveryBadLineIsRejectedWithItsKind(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 12) int badPerFile) throws Exception {
        Random random = new Random(seed);
        int movieCount = 3 + random.nextInt(30);
        int userCount = 1 + random.nextInt(10);
        int tagCount = 1 + random.nextInt(8);
        Map<String, FileBuilder> files = new HashMap<>();
        for (String file : MovieLensFileSet.ALL) {
            files.put(file, new FileBuilder(random));
        }

        FileBuilder movies = files.get(MovieLensFileSet.MOVIES);
        for (int m = 1; m <= movieCount; m++) {
            String title = switch (random.nextInt(8)) {
                case 0 -> "\"Movie " + m + ", The (1999)\"";
                case 1 -> "Film " + NOT_UTF8 + m + " (2001)";
                case 2 -> "Long " + "t".repeat(random.nextInt(2) == 0 ? 200_000 : 500) + " (2002)";
                default -> "Movie " + m + " (2000)";
            };
            movies.good(Integer.toString(m), title, random.nextBoolean() ? "Comedy|Drama" : "(no genres listed)");
        }
        FileBuilder ratings = files.get(MovieLensFileSet.RATINGS);
        FileBuilder tags = files.get(MovieLensFileSet.TAGS);
        for (int u = 1; u <= userCount; u++) {
            for (int m = 1; m <= movieCount; m++) {
                if (random.nextInt(3) == 0) {
                    String rating = Double.toString((1 + random.nextInt(10)) / 2.0);
                    ratings.good(Integer.toString(u), Integer.toString(m), rating, Long.toString(1_100_000_000L + m));
                }
                if (random.nextInt(6) == 0) {
                    tags.good(Integer.toString(u), Integer.toString(m), "funny", "1139045764");
                }
            }
        }
        ratings.good(Integer.toString(userCount + 1), "1", "4.0", "1139045764"); // never empty
        tags.good("1", "1", "dark and slow", "1139045764");
        FileBuilder links = files.get(MovieLensFileSet.LINKS);
        for (int m = 1; m <= movieCount; m++) {
            links.good(Integer.toString(m), Integer.toString(100_000 + m), random.nextInt(5) == 0 ? "" : "" + m);
        }
        FileBuilder genomeTags = files.get(MovieLensFileSet.GENOME_TAGS);
        FileBuilder scores = files.get(MovieLensFileSet.GENOME_SCORES);
        for (int t = 1; t <= tagCount; t++) {
            genomeTags.good(Integer.toString(t), "tag " + t);
            for (int m = 1; m <= movieCount; m++) {
                scores.good(Integer.toString(m), Integer.toString(t), "0.0" + random.nextInt(10) + "25");
            }
        }

        String unknownMovie = Integer.toString(movieCount + 1 + random.nextInt(1000));
        List<String> outOfRange = List.of("NaN", "Infinity", "-Infinity", "0", "0.0", "5.5", "-1", "1e3");
        List<String> notANumber = List.of("abc", "", "x1", NOT_UTF8);
        List<String> nulText = List.of("a\0b", "\0");
        for (int i = 0; i < badPerFile; i++) {
            switch (random.nextInt(4)) {
                case 0 -> movies.badId(0);
                case 1 -> movies.badField(1, List.of("", "   ", "Nul\0 (2000)"), RejectKind.BAD_VALUE, 0);
                case 2 -> movies.duplicate();
                default -> movies.badShape();
            }
            switch (random.nextInt(8)) {
                case 0 -> ratings.badId(random.nextInt(2));
                case 1 -> ratings.badField(2, outOfRange, RejectKind.RATING_OUT_OF_RANGE, -1);
                case 2 -> ratings.badField(2, List.of("3.3", "0.75", "4.99"), RejectKind.RATING_NOT_HALF_STEP, -1);
                case 3 -> ratings.badField(2 + random.nextInt(2), notANumber, RejectKind.BAD_VALUE, -1);
                case 4 -> ratings.badField(1, List.of(unknownMovie), RejectKind.UNKNOWN_MOVIE, -1);
                case 5 -> ratings.duplicate();
                default -> ratings.badShape();
            }
            switch (random.nextInt(5)) {
                case 0 -> tags.badId(random.nextInt(2));
                case 1 -> tags.badField(2, List.of("", "x\0"), RejectKind.BAD_VALUE, -1);
                case 2 -> tags.badField(3, notANumber, RejectKind.BAD_VALUE, -1);
                case 3 -> tags.badField(1, List.of(unknownMovie), RejectKind.UNKNOWN_MOVIE, -1);
                default -> tags.badShape();
            }
            switch (random.nextInt(5)) {
                case 0 -> links.badId(0);
                case 1 ->
                    links.badField(1 + random.nextInt(2), List.of("abc", "1.5", NOT_UTF8), RejectKind.BAD_VALUE, -1);
                case 2 -> links.badField(0, List.of(unknownMovie), RejectKind.UNKNOWN_MOVIE, -1);
                case 3 -> links.duplicate();
                default -> links.badShape();
            }
            switch (random.nextInt(4)) {
                case 0 -> genomeTags.badId(0);
                case 1 -> genomeTags.badField(1, nulText, RejectKind.BAD_VALUE, 0);
                case 2 -> genomeTags.duplicate();
                default -> genomeTags.badShape();
            }
            switch (random.nextInt(5)) {
                case 0 -> scores.badId(random.nextInt(2));
                case 1 ->
                    scores.badField(2, List.of("NaN", "Infinity", "-Infinity", "x", ""), RejectKind.BAD_VALUE, -1);
                case 2 -> scores.badField(0, List.of(unknownMovie), RejectKind.UNKNOWN_MOVIE, -1);
                case 3 ->
                    scores.badField(
                            1,
                            List.of(Integer.toString(tagCount + 1 + random.nextInt(100))),
                            RejectKind.UNKNOWN_TAG,
                            -1);
                default -> scores.badShape();
            }
        }

        Path dir = Files.createTempDirectory("bad-lines");
        try {
            for (String file : MovieLensFileSet.ALL) {
                Files.write(dir.resolve(file), encode(file, files.get(file).lines, random));
            }
            RejectLog rejects = new RejectLog(1_000_000);
            MovieLensLoader loader = new MovieLensLoader(
                    (table, columns) -> BinaryCopyWriter.to(OutputStream.nullOutputStream()),
                    dir,
                    rejects,
                    LoadProgress.NONE,
                    Duration.ofHours(1));
            for (String file : MovieLensFileSet.ALL) {
                List<Line> lines = files.get(file).lines;
                StagedFile staged = loader.load(file);
                Set<String> expected = new TreeSet<>();
                long good = 0;
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).kind() == null) {
                        good++;
                    } else {
                        expected.add((i + 2) + " " + lines.get(i).kind());
                    }
                }
                Set<String> actual = new TreeSet<>();
                for (RejectLog.Reject r : rejects.stored()) {
                    if (r.file().equals(file)) {
                        actual.add(r.line() + " " + r.kind());
                    }
                }
                assertEquals(expected, actual, file + ": rejected lines (line number, kind)");
                assertEquals(good, staged.rows(), file + ": loaded rows");
                assertEquals(lines.size(), staged.lines(), file + ": lines read");
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The header (with a BOM one time in four), then the lines with LF or CRLF ends mixed. */
    private static byte[] encode(String file, List<Line> lines, Random random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextInt(4) == 0) {
            out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        out.write(MovieLensFileSet.header(file).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < lines.size(); i++) {
            out.write(random.nextBoolean() ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
            String[] parts = lines.get(i).text().split(NOT_UTF8, -1);
            for (int p = 0; p < parts.length; p++) {
                if (p > 0) {
                    out.write(0xFF);
                }
                out.write(parts[p].getBytes(StandardCharsets.UTF_8));
            }
        }
        // An empty last line only exists when a line end follows it.
        if (random.nextBoolean() || lines.get(lines.size() - 1).text().isEmpty()) {
            out.write('\n');
        }
        return out.toByteArray();
    }
}
