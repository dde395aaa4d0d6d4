package org.recofilms.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.recofilms.platform.BinaryCopyWriter;

/**
 * Property: files of the older layouts (ml-100k's u.item and u.data, the .dat files of ml-1m and
 * ml-10m) with bad lines mixed in load every good line and reject every bad one at its line number
 * (line 1 is data: these files have no header) under the kind the CSV path gives the same fault,
 * without throwing. Titles hold Latin-1 (u.item, ml-1m) or UTF-8 (ml-10m) text; line ends mix LF
 * and CRLF. No database: the loader writes its COPY streams to nowhere.
 */
class OldLayoutBadLinesTest {

    /** A line and the kind it must be rejected with (null: loaded). */
    record Line(String text, RejectKind kind) {}

    private static final List<String> TITLES =
            List.of("Toy Story (1995)", "Misérables, Les (1995)", "Cité des enfants perdus (1995)", "Heat (1995)");
    private static final List<String> UTF8_ONLY_TITLES = List.of("Żółty dom (2001)", "Город (1999)");

    @Property(tries = 30)
    void everyBadLineIsRejectedUnderItsKindAndTheRestLoads(@ForAll long randomSeed, @ForAll boolean dat)
            throws IOException, java.sql.SQLException {
        Random random = new Random(randomSeed);
        String sep = dat ? "::" : "|";
        String ratingSep = dat ? "::" : "\t";
        int genres = MovieLensGenreNames.ML_100K.size();

        // movies: ids with gaps, then bad lines inserted at random places
        List<Line> movies = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        int id = 0;
        for (int m = 0, n = 5 + random.nextInt(25); m < n; m++) {
            id += 1 + random.nextInt(3);
            ids.add(id);
            movies.add(new Line(movieLine(random, id, dat, random.nextInt(4) == 0 ? "0" : "1"), null));
        }
        int fresh = id + 10;
        for (int b = 0, n = random.nextInt(8); b < n; b++) {
            int goodId = ids.get(random.nextInt(ids.size()));
            Line bad = switch (random.nextInt(7)) {
                case 0 -> new Line(movieLine(random, fresh++, dat, "1") + sep + "extra", RejectKind.WRONG_COLUMN_COUNT);
                case 1 ->
                    new Line(
                            List.of("abc", "", "7x", "99999999999", "1.5").get(random.nextInt(5))
                                    + movieLine(random, 1, dat, "1").substring(1),
                            RejectKind.NON_NUMERIC_ID);
                case 2 ->
                    new Line(
                            List.of("0", "-3").get(random.nextInt(2))
                                    + movieLine(random, 1, dat, "1").substring(1),
                            RejectKind.NON_POSITIVE_ID);
                case 3 -> new Line(movieLine(random, goodId, dat, "1"), RejectKind.DUPLICATE_PAIR);
                case 4 -> new Line(fresh++ + sep + " " + sep + rest(dat, genres, "1"), RejectKind.BAD_VALUE);
                case 5 ->
                    dat
                            ? new Line(fresh++ + sep + "Only Two Fields (1999)", RejectKind.WRONG_COLUMN_COUNT)
                            : new Line(movieLine(random, fresh++, false, "2"), RejectKind.BAD_VALUE);
                default -> new Line("", RejectKind.WRONG_COLUMN_COUNT);
            };
            // a duplicate must follow the good line it repeats
            int at = bad.kind() == RejectKind.DUPLICATE_PAIR
                    ? indexOfId(movies, goodId, sep)
                            + 1
                            + random.nextInt(movies.size() - indexOfId(movies, goodId, sep))
                    : random.nextInt(movies.size() + 1);
            movies.add(at, bad);
        }

        // ratings: users in blocks, movies unique per user
        List<Line> ratings = new ArrayList<>();
        for (int user = 1, users = 1 + random.nextInt(6); user <= users; user++) {
            List<Integer> mine = new ArrayList<>(ids);
            java.util.Collections.shuffle(mine, random);
            for (int movie : mine.subList(0, 1 + random.nextInt(mine.size()))) {
                String rating =
                        dat ? Double.toString((1 + random.nextInt(10)) / 2.0) : Integer.toString(1 + random.nextInt(5));
                String good =
                        user + ratingSep + movie + ratingSep + rating + ratingSep + (881250949 + random.nextInt(1000));
                ratings.add(new Line(good, null));
                if (random.nextInt(6) == 0) {
                    String[] f = good.split(dat ? "::" : "\t");
                    Line bad = switch (random.nextInt(8)) {
                        case 0 -> new Line(String.join(ratingSep, f[0], f[1], f[2]), RejectKind.WRONG_COLUMN_COUNT);
                        case 1 ->
                            new Line(String.join(ratingSep, "u" + f[0], f[1], f[2], f[3]), RejectKind.NON_NUMERIC_ID);
                        case 2 -> new Line(String.join(ratingSep, f[0], "0", f[2], f[3]), RejectKind.NON_POSITIVE_ID);
                        case 3 ->
                            new Line(String.join(ratingSep, f[0], f[1], "6", f[3]), RejectKind.RATING_OUT_OF_RANGE);
                        case 4 ->
                            new Line(String.join(ratingSep, f[0], f[1], "3.7", f[3]), RejectKind.RATING_NOT_HALF_STEP);
                        case 5 ->
                            new Line(
                                    String.join(ratingSep, f[0], Integer.toString(fresh + 100), f[2], f[3]),
                                    RejectKind.UNKNOWN_MOVIE);
                        case 6 -> new Line(String.join(ratingSep, f[0], f[1], f[2], "n/a"), RejectKind.BAD_VALUE);
                        default -> new Line(good, RejectKind.DUPLICATE_PAIR);
                    };
                    ratings.add(bad);
                }
            }
        }

        // tags.dat (ml-10m only)
        List<Line> tags = new ArrayList<>();
        if (dat) {
            for (int t = 0, n = random.nextInt(10); t < n; t++) {
                int movie = ids.get(random.nextInt(ids.size()));
                tags.add(new Line(1 + "::" + movie + "::" + "dark comedy, sort of" + "::" + 1215184630, null));
            }
            for (int b = 0, n = random.nextInt(5); b < n; b++) {
                int movie = ids.get(random.nextInt(ids.size()));
                Line bad = switch (random.nextInt(4)) {
                    case 0 -> new Line("1::" + movie + "::a::b::1215184630", RejectKind.WRONG_COLUMN_COUNT);
                    case 1 -> new Line("x::" + movie + "::funny::1215184630", RejectKind.NON_NUMERIC_ID);
                    case 2 -> new Line("1::" + (fresh + 200) + "::funny::1215184630", RejectKind.UNKNOWN_MOVIE);
                    default -> new Line("1::" + movie + "::funny::yesterday", RejectKind.BAD_VALUE);
                };
                tags.add(random.nextInt(tags.size() + 1), bad);
            }
        }

        Path dir = Files.createTempDirectory("old-layouts");
        try {
            List<String> files;
            if (dat) {
                write(dir.resolve(MovieLensLayout.MOVIES_DAT), movies, random, true);
                write(dir.resolve(MovieLensLayout.RATINGS_DAT), ratings, random, false);
                write(dir.resolve(MovieLensLayout.TAGS_DAT), tags, random, false);
                files = List.of(MovieLensLayout.MOVIES_DAT, MovieLensLayout.RATINGS_DAT, MovieLensLayout.TAGS_DAT);
            } else {
                StringBuilder uGenre = new StringBuilder();
                for (int g = 0; g < genres; g++) {
                    uGenre.append(MovieLensGenreNames.ML_100K.get(g))
                            .append('|')
                            .append(g)
                            .append('\n');
                }
                Files.writeString(dir.resolve(MovieLensLayout.U_GENRE), uGenre + "\n", StandardCharsets.ISO_8859_1);
                write(dir.resolve(MovieLensLayout.U_ITEM), movies, random, false);
                write(dir.resolve(MovieLensLayout.U_DATA), ratings, random, false);
                files = List.of(MovieLensLayout.U_ITEM, MovieLensLayout.U_DATA);
            }
            assertEquals(dat ? MovieLensLayout.DAT : MovieLensLayout.ML_100K, MovieLensLayout.of(dir));
            RejectLog rejects = new RejectLog(1_000_000);
            MovieLensLoader loader = new MovieLensLoader(
                    (table, columns) -> BinaryCopyWriter.to(OutputStream.nullOutputStream()),
                    dir,
                    rejects,
                    LoadProgress.NONE,
                    Duration.ofHours(1));
            for (String file : files) {
                List<Line> lines = switch (file) {
                    case MovieLensLayout.MOVIES_DAT, MovieLensLayout.U_ITEM -> movies;
                    case MovieLensLayout.TAGS_DAT -> tags;
                    default -> ratings;
                };
                StagedFile staged = loader.load(file);
                Set<String> expected = new TreeSet<>();
                long good = 0;
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).kind() == null) {
                        good++;
                    } else {
                        expected.add((i + 1) + " " + lines.get(i).kind());
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
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int indexOfId(List<Line> movies, int id, String sep) {
        for (int i = 0; i < movies.size(); i++) {
            if (movies.get(i).kind() == null && movies.get(i).text().startsWith(id + sep)) {
                return i;
            }
        }
        throw new IllegalStateException("no movie " + id);
    }

    private static String movieLine(Random random, int id, boolean dat, String flag) {
        List<String> titles = new ArrayList<>(TITLES);
        if (dat) {
            titles.addAll(UTF8_ONLY_TITLES);
        }
        String title = titles.get(random.nextInt(titles.size()));
        return id
                + (dat ? "::" : "|")
                + title
                + (dat ? "::" : "|")
                + rest(dat, MovieLensGenreNames.ML_100K.size(), flag);
    }

    /** What follows the title: genres (.dat) or dates, URL and flags (u.item), one flag set to {@code flag}. */
    private static String rest(boolean dat, int genres, String flag) {
        if (dat) {
            return "Animation|Children's|Comedy";
        }
        StringBuilder s = new StringBuilder("01-Jan-1995||http://us.imdb.com/M/title-exact?x");
        for (int g = 0; g < genres; g++) {
            s.append('|').append(g == 4 ? flag : "0");
        }
        return s.toString();
    }

    /** The lines with LF or CRLF ends; text in Latin-1 where it fits (UTF-8 otherwise, or at random for .dat). */
    private static void write(Path file, List<Line> lines, Random random, boolean mixedCharsets) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Line line : lines) {
            Charset charset = StandardCharsets.ISO_8859_1.newEncoder().canEncode(line.text())
                            && (!mixedCharsets || random.nextBoolean())
                    ? StandardCharsets.ISO_8859_1
                    : StandardCharsets.UTF_8;
            out.write(line.text().getBytes(charset));
            out.write(random.nextBoolean() ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
        }
        Files.write(file, out.toByteArray());
    }
}
