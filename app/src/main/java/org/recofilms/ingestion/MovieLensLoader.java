package org.recofilms.ingestion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.recofilms.platform.BinaryCopyWriter;

/**
 * Streams the MovieLens files into the staging tables with binary COPY, validating every line on
 * the way: a bad line is rejected with its kind and line number and the load goes on. Memory does
 * not grow with file size: lines are read into a fixed buffer and written straight to the server;
 * the only sets kept are movie and tag ids and the current user's movies.
 *
 * <p>Text files (movies, tags, links, genome tags) are parsed per line with commons-csv; the two big
 * numeric files (ratings, genome scores) by a byte-level splitter, with lines holding a quote sent
 * through commons-csv too.
 *
 * <p>The older layouts ({@link MovieLensLayout#ML_100K}, {@link MovieLensLayout#DAT}) are converted
 * on the way, line by line, into the same rows: the same checks, reject kinds and ratio rule apply,
 * rejects name the release's own file and line (these files have no header, so line 1 is data).
 */
final class MovieLensLoader {

    private static final CSVFormat CSV = CSVFormat.DEFAULT;
    private static final byte COMMA = ',';
    private static final byte TAB = '\t';
    private static final byte COLON = ':';

    /** Opens the COPY stream of one staging table. */
    @FunctionalInterface
    interface CopyTarget {
        BinaryCopyWriter open(String table, String columns) throws SQLException, IOException;
    }

    private final CopyTarget target;
    private final Path rawDir;
    private final RejectLog rejects;
    private final LoadProgress progress;
    private final long intervalNanos;
    private final BitSet movies = new BitSet();
    private final BitSet genomeTags = new BitSet();
    private boolean ratingsGroupedByUser = true;

    MovieLensLoader(Connection connection, Path rawDir, RejectLog rejects, LoadProgress progress, Duration interval) {
        this(
                (table, columns) -> BinaryCopyWriter.copyIn(connection, "raw_stage." + table, columns),
                rawDir,
                rejects,
                progress,
                interval);
    }

    /** Writes to {@code target} instead of a server: the property tests read the rows back. */
    MovieLensLoader(CopyTarget target, Path rawDir, RejectLog rejects, LoadProgress progress, Duration interval) {
        this.target = target;
        this.rawDir = rawDir;
        this.rejects = rejects;
        this.progress = progress;
        this.intervalNanos = interval.toNanos();
    }

    /** False when a user's ratings were found in more than one block: duplicates then need SQL. */
    boolean ratingsGroupedByUser() {
        return ratingsGroupedByUser;
    }

    StagedFile load(String file) throws IOException, SQLException {
        Path path = rawDir.resolve(file);
        if (!Files.exists(path)) {
            if (MovieLensFileSet.REQUIRED.contains(file)) {
                throw new IngestionException("required file missing: " + file);
            }
            return new StagedFile(file, 0, 0, 0);
        }
        long total = Files.size(path);
        try (InputStream in = Files.newInputStream(path);
                LineReader lines = new LineReader(in)) {
            if (MovieLensFileSet.ALL.contains(file)) {
                checkHeader(file, lines);
            }
            StagedFile staged = switch (file) {
                case MovieLensFileSet.MOVIES -> movies(lines, total, file, MovieLensLoader::csvMovie);
                case MovieLensFileSet.RATINGS -> ratings(lines, total, file, COMMA, false);
                case MovieLensFileSet.TAGS -> tags(lines, total, file, l -> csvFields(l.text()));
                case MovieLensFileSet.LINKS -> links(lines, total);
                case MovieLensFileSet.GENOME_TAGS -> genomeTags(lines, total);
                case MovieLensFileSet.GENOME_SCORES -> genomeScores(lines, total);
                case MovieLensLayout.U_ITEM -> movies(lines, total, file, uItemParser());
                case MovieLensLayout.U_DATA -> ratings(lines, total, file, TAB, false);
                case MovieLensLayout.MOVIES_DAT -> movies(lines, total, file, MovieLensLoader::datMovie);
                case MovieLensLayout.RATINGS_DAT -> ratings(lines, total, file, COLON, true);
                case MovieLensLayout.TAGS_DAT -> tags(lines, total, file, l -> datFields(l.textUtf8OrLatin1()));
                default -> throw new IllegalArgumentException(file);
            };
            progress.fileStaged(file, staged.rows(), staged.rejected());
            return staged;
        }
    }

    private static void checkHeader(String file, LineReader lines) throws IOException {
        String expected = MovieLensFileSet.header(file);
        if (!lines.next()) {
            throw new IngestionException(file + " is empty: expected the header '" + expected + "'");
        }
        String header = lines.text();
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        if (!header.equals(expected)) {
            throw new IngestionException("wrong header in " + file + ": expected '" + expected + "', found '"
                    + (header.length() > 200 ? header.substring(0, 200) + "..." : header) + "'");
        }
    }

    private BinaryCopyWriter copy(String table, String columns) throws SQLException, IOException {
        return target.open(table, columns);
    }

    /** Parses one line with commons-csv; null when its quoting is broken (then rejected). */
    private static List<String> csvFields(String line) {
        try (CSVParser parser = CSVParser.parse(line, CSV)) {
            List<CSVRecord> records = parser.getRecords();
            return records.isEmpty() ? List.of("") : records.get(0).toList();
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            return null;
        }
    }

    /** PostgreSQL text cannot hold NUL: such a line would fail the whole COPY, so it is a reject. */
    private static boolean badText(String s) {
        return s.indexOf('\0') >= 0;
    }

    private static int parseId(String s) {
        return Integer.parseInt(s.strip());
    }

    private final class Ticker {
        private final String file;
        private final long total;
        private final LineReader lines;
        private long last = System.nanoTime();

        Ticker(String file, long total, LineReader lines) {
            this.file = file;
            this.total = total;
            this.lines = lines;
        }

        void tick(long rows) {
            if ((lines.lineNumber() & 0xFFFF) == 0) {
                long now = System.nanoTime();
                if (now - last >= intervalNanos) {
                    last = now;
                    progress.progress(file, rows, lines.bytesRead(), total);
                }
            }
        }
    }

    /**
     * One line of a movies file split into id, title and genres (ml-20m's vocabulary), or why it
     * cannot be: {@code shape} for a line whose fields cannot even be told apart (checked first),
     * {@code value} for a bad field other than the id and title (checked after the id).
     */
    private record MovieFields(String id, String title, String genres, RejectKind shape, RejectKind value) {
        static MovieFields of(String id, String title, String genres) {
            return new MovieFields(id, title, genres, null, null);
        }

        static MovieFields bad(RejectKind shape) {
            return new MovieFields(null, null, null, shape, null);
        }
    }

    @FunctionalInterface
    private interface MovieParser {
        MovieFields parse(LineReader lines);
    }

    private static MovieFields csvMovie(LineReader lines) {
        List<String> f = csvFields(lines.text());
        if (f == null) {
            return MovieFields.bad(RejectKind.BROKEN_QUOTING);
        }
        if (f.size() != 3) {
            return MovieFields.bad(RejectKind.WRONG_COLUMN_COUNT);
        }
        return MovieFields.of(f.get(0), f.get(1), f.get(2));
    }

    /** {@code 1::Toy Story (1995)::Animation|Children's|Comedy}, genres renamed as ml-20m names them. */
    private static MovieFields datMovie(LineReader lines) {
        List<String> f = datFields(lines.textUtf8OrLatin1());
        if (f.size() != 3) {
            return MovieFields.bad(RejectKind.WRONG_COLUMN_COUNT);
        }
        StringBuilder genres = new StringBuilder();
        for (String genre : f.get(2).split("\\|", -1)) {
            String name = MovieLensGenreNames.modern(genre);
            if (name != null) {
                genres.append(genres.length() == 0 ? "" : "|").append(name);
            }
        }
        String field = genres.length() == 0 && !f.get(2).isEmpty() ? MovieLensGenreNames.NO_GENRES : genres.toString();
        return MovieFields.of(f.get(0), f.get(1), field);
    }

    /**
     * {@code 1|Toy Story (1995)|01-Jan-1995||http://...|0|0|0|1|1|...}, Latin-1: id, title, release
     * date, video release date, IMDb URL, then a 0/1 flag per genre of u.genre, in its order.
     */
    private MovieParser uItemParser() throws IOException {
        List<String> genres = MovieLensGenreNames.readUGenre(rawDir.resolve(MovieLensLayout.U_GENRE));
        return lines -> {
            String[] f = lines.text(StandardCharsets.ISO_8859_1).split("\\|", -1);
            if (f.length != 5 + genres.size()) {
                return MovieFields.bad(RejectKind.WRONG_COLUMN_COUNT);
            }
            StringBuilder field = new StringBuilder();
            boolean flagsValid = true;
            for (int g = 0; g < genres.size(); g++) {
                String flag = f[5 + g].strip();
                if (flag.equals("1")) {
                    String name = MovieLensGenreNames.modern(genres.get(g));
                    if (name != null) {
                        field.append(field.length() == 0 ? "" : "|").append(name);
                    }
                } else if (!flag.equals("0")) {
                    flagsValid = false;
                }
            }
            String genresField = field.length() == 0 ? MovieLensGenreNames.NO_GENRES : field.toString();
            return new MovieFields(f[0], f[1], genresField, null, flagsValid ? null : RejectKind.BAD_VALUE);
        };
    }

    /** Splits a line of a .dat file on {@code ::}, keeping empty fields. */
    private static List<String> datFields(String line) {
        return List.of(line.split("::", -1));
    }

    private StagedFile movies(LineReader lines, long total, String file, MovieParser parser)
            throws IOException, SQLException {
        Ticker ticker = new Ticker(file, total, lines);
        long rows = 0;
        long read = 0;
        try (BinaryCopyWriter out = copy("raw_movies", "\"movieId\", title, genres")) {
            while (lines.next()) {
                read++;
                MovieFields f = parser.parse(lines);
                RejectKind bad = f.shape();
                int id = 0;
                if (bad == null) {
                    try {
                        id = parseId(f.id());
                        if (id <= 0) {
                            bad = RejectKind.NON_POSITIVE_ID;
                        } else if (movies.get(id)) {
                            bad = RejectKind.DUPLICATE_PAIR;
                        } else if (f.title().isBlank() || badText(f.title()) || badText(f.genres())) {
                            bad = RejectKind.BAD_VALUE;
                        } else {
                            bad = f.value();
                        }
                    } catch (NumberFormatException e) {
                        bad = RejectKind.NON_NUMERIC_ID;
                    }
                }
                if (bad != null) {
                    rejects.add(file, lines.lineNumber(), bad, lines.text());
                    continue;
                }
                movies.set(id);
                out.row(3);
                out.int4(id);
                out.text(f.title());
                out.text(f.genres());
                rows++;
                ticker.tick(rows);
            }
        }
        return new StagedFile(file, rows, rejects.count(file), read);
    }

    /**
     * A ratings file: ratings.csv ({@code separator} a comma, quoted lines through commons-csv),
     * u.data (a tab) or ratings.dat ({@code ::}: the separator {@code doubled}).
     */
    private StagedFile ratings(LineReader lines, long total, String file, byte separator, boolean doubled)
            throws IOException, SQLException {
        boolean csv = separator == COMMA;
        Ticker ticker = new Ticker(file, total, lines);
        NumericLine n = new NumericLine();
        BitSet seenUsers = new BitSet();
        BitSet userMovies = new BitSet();
        int[] touched = new int[1024];
        int touchedCount = 0;
        int currentUser = Integer.MIN_VALUE;
        long rows = 0;
        long read = 0;
        try (BinaryCopyWriter out = copy("raw_ratings", "\"userId\", \"movieId\", rating, \"timestamp\"")) {
            while (lines.next()) {
                read++;
                byte[] buf = lines.buffer();
                int fields = csv
                        ? n.split(buf, lines.start(), lines.end())
                        : n.split(buf, lines.start(), lines.end(), separator, doubled);
                if (n.quoted()) {
                    List<String> f = csvFields(lines.text());
                    if (f == null) {
                        rejects.add(file, lines.lineNumber(), RejectKind.BROKEN_QUOTING, lines.text());
                        continue;
                    }
                    byte[] plain = String.join(",", f).getBytes(StandardCharsets.UTF_8);
                    fields = n.split(plain, 0, plain.length);
                }
                if (fields != 4) {
                    rejects.add(file, lines.lineNumber(), RejectKind.WRONG_COLUMN_COUNT, lines.text());
                    continue;
                }
                int user;
                int movie;
                try {
                    user = n.parseInt(0);
                    movie = n.parseInt(1);
                } catch (NumberFormatException e) {
                    rejects.add(file, lines.lineNumber(), RejectKind.NON_NUMERIC_ID, lines.text());
                    continue;
                }
                if (user <= 0 || movie <= 0) {
                    rejects.add(file, lines.lineNumber(), RejectKind.NON_POSITIVE_ID, lines.text());
                    continue;
                }
                double rating;
                long timestamp;
                try {
                    rating = n.parseDecimal(2);
                    timestamp = n.parseLong(3);
                } catch (NumberFormatException e) {
                    rejects.add(file, lines.lineNumber(), RejectKind.BAD_VALUE, lines.text());
                    continue;
                }
                if (!(rating >= 0.5 && rating <= 5.0)) {
                    rejects.add(file, lines.lineNumber(), RejectKind.RATING_OUT_OF_RANGE, lines.text());
                    continue;
                }
                if (Math.abs(rating * 2 - Math.rint(rating * 2)) > 1e-9) {
                    rejects.add(file, lines.lineNumber(), RejectKind.RATING_NOT_HALF_STEP, lines.text());
                    continue;
                }
                if (!movies.get(movie)) {
                    rejects.add(file, lines.lineNumber(), RejectKind.UNKNOWN_MOVIE, lines.text());
                    continue;
                }
                if (user != currentUser) {
                    for (int i = 0; i < touchedCount; i++) {
                        userMovies.clear(touched[i]);
                    }
                    touchedCount = 0;
                    if (currentUser >= 0) {
                        seenUsers.set(currentUser);
                    }
                    if (user >= 0 && seenUsers.get(user)) {
                        ratingsGroupedByUser = false;
                    }
                    currentUser = user;
                }
                if (userMovies.get(movie)) {
                    rejects.add(file, lines.lineNumber(), RejectKind.DUPLICATE_PAIR, lines.text());
                    continue;
                }
                userMovies.set(movie);
                if (touchedCount == touched.length) {
                    touched = java.util.Arrays.copyOf(touched, touchedCount * 2);
                }
                touched[touchedCount++] = movie;

                out.row(4);
                out.int4(user);
                out.int4(movie);
                out.float4((float) rating);
                out.int8(timestamp);
                rows++;
                ticker.tick(rows);
            }
        }
        return new StagedFile(file, rows, rejects.count(file), read);
    }

    /** A tags file: tags.csv or tags.dat, split by {@code splitter} (null: broken quoting). */
    private StagedFile tags(LineReader lines, long total, String file, Function<LineReader, List<String>> splitter)
            throws IOException, SQLException {
        Ticker ticker = new Ticker(file, total, lines);
        long rows = 0;
        long read = 0;
        try (BinaryCopyWriter out = copy("raw_tags", "\"userId\", \"movieId\", tag, \"timestamp\"")) {
            while (lines.next()) {
                read++;
                String line = lines.text();
                List<String> f = splitter.apply(lines);
                RejectKind bad = null;
                int user = 0;
                int movie = 0;
                long timestamp = 0;
                if (f == null) {
                    bad = RejectKind.BROKEN_QUOTING;
                } else if (f.size() != 4) {
                    bad = RejectKind.WRONG_COLUMN_COUNT;
                } else {
                    try {
                        user = parseId(f.get(0));
                        movie = parseId(f.get(1));
                        try {
                            timestamp = Long.parseLong(f.get(3).strip());
                            if (user <= 0 || movie <= 0) {
                                bad = RejectKind.NON_POSITIVE_ID;
                            } else if (f.get(2).isEmpty() || badText(f.get(2))) {
                                bad = RejectKind.BAD_VALUE;
                            } else if (!movies.get(movie)) {
                                bad = RejectKind.UNKNOWN_MOVIE;
                            }
                        } catch (NumberFormatException e) {
                            bad = RejectKind.BAD_VALUE;
                        }
                    } catch (NumberFormatException e) {
                        bad = RejectKind.NON_NUMERIC_ID;
                    }
                }
                if (bad != null) {
                    rejects.add(file, lines.lineNumber(), bad, line);
                    continue;
                }
                out.row(4);
                out.int4(user);
                out.int4(movie);
                out.text(f.get(2));
                out.int8(timestamp);
                rows++;
                ticker.tick(rows);
            }
        }
        return new StagedFile(file, rows, rejects.count(file), read);
    }

    private StagedFile links(LineReader lines, long total) throws IOException, SQLException {
        String file = MovieLensFileSet.LINKS;
        long rows = 0;
        long read = 0;
        BitSet seen = new BitSet();
        try (BinaryCopyWriter out = copy("raw_links", "\"movieId\", \"imdbId\", \"tmdbId\"")) {
            while (lines.next()) {
                read++;
                String line = lines.text();
                List<String> f = csvFields(line);
                RejectKind bad = null;
                int movie = 0;
                Integer imdb = null;
                Integer tmdb = null;
                if (f == null) {
                    bad = RejectKind.BROKEN_QUOTING;
                } else if (f.size() != 3) {
                    bad = RejectKind.WRONG_COLUMN_COUNT;
                } else {
                    try {
                        movie = parseId(f.get(0));
                        try {
                            imdb = f.get(1).isBlank() ? null : parseId(f.get(1));
                            tmdb = f.get(2).isBlank() ? null : parseId(f.get(2));
                            if (movie <= 0) {
                                bad = RejectKind.NON_POSITIVE_ID;
                            } else if (!movies.get(movie)) {
                                bad = RejectKind.UNKNOWN_MOVIE;
                            } else if (seen.get(movie)) {
                                bad = RejectKind.DUPLICATE_PAIR;
                            }
                        } catch (NumberFormatException e) {
                            bad = RejectKind.BAD_VALUE;
                        }
                    } catch (NumberFormatException e) {
                        bad = RejectKind.NON_NUMERIC_ID;
                    }
                }
                if (bad != null) {
                    rejects.add(file, lines.lineNumber(), bad, line);
                    continue;
                }
                seen.set(movie);
                out.row(3);
                out.int4(movie);
                if (imdb == null) {
                    out.nullField();
                } else {
                    out.int4(imdb);
                }
                if (tmdb == null) {
                    out.nullField();
                } else {
                    out.int4(tmdb);
                }
                rows++;
            }
        }
        return new StagedFile(file, rows, rejects.count(file), read);
    }

    private StagedFile genomeTags(LineReader lines, long total) throws IOException, SQLException {
        String file = MovieLensFileSet.GENOME_TAGS;
        long rows = 0;
        long read = 0;
        try (BinaryCopyWriter out = copy("raw_genome_tags", "\"tagId\", tag")) {
            while (lines.next()) {
                read++;
                String line = lines.text();
                List<String> f = csvFields(line);
                RejectKind bad = null;
                int tag = 0;
                if (f == null) {
                    bad = RejectKind.BROKEN_QUOTING;
                } else if (f.size() != 2) {
                    bad = RejectKind.WRONG_COLUMN_COUNT;
                } else {
                    try {
                        tag = parseId(f.get(0));
                        if (tag <= 0) {
                            bad = RejectKind.NON_POSITIVE_ID;
                        } else if (genomeTags.get(tag)) {
                            bad = RejectKind.DUPLICATE_PAIR;
                        } else if (badText(f.get(1))) {
                            bad = RejectKind.BAD_VALUE;
                        }
                    } catch (NumberFormatException e) {
                        bad = RejectKind.NON_NUMERIC_ID;
                    }
                }
                if (bad != null) {
                    rejects.add(file, lines.lineNumber(), bad, line);
                    continue;
                }
                genomeTags.set(tag);
                out.row(2);
                out.int4(tag);
                out.text(f.get(1));
                rows++;
            }
        }
        return new StagedFile(file, rows, rejects.count(file), read);
    }

    private StagedFile genomeScores(LineReader lines, long total) throws IOException, SQLException {
        String file = MovieLensFileSet.GENOME_SCORES;
        Ticker ticker = new Ticker(file, total, lines);
        NumericLine n = new NumericLine();
        long rows = 0;
        long read = 0;
        try (BinaryCopyWriter out = copy("raw_genome_scores", "\"movieId\", \"tagId\", relevance")) {
            while (lines.next()) {
                read++;
                int fields = n.split(lines.buffer(), lines.start(), lines.end());
                if (n.quoted()) {
                    List<String> f = csvFields(lines.text());
                    if (f == null) {
                        rejects.add(file, lines.lineNumber(), RejectKind.BROKEN_QUOTING, lines.text());
                        continue;
                    }
                    byte[] plain = String.join(",", f).getBytes(StandardCharsets.UTF_8);
                    fields = n.split(plain, 0, plain.length);
                }
                if (fields != 3) {
                    rejects.add(file, lines.lineNumber(), RejectKind.WRONG_COLUMN_COUNT, lines.text());
                    continue;
                }
                int movie;
                int tag;
                try {
                    movie = n.parseInt(0);
                    tag = n.parseInt(1);
                } catch (NumberFormatException e) {
                    rejects.add(file, lines.lineNumber(), RejectKind.NON_NUMERIC_ID, lines.text());
                    continue;
                }
                if (movie <= 0 || tag <= 0) {
                    rejects.add(file, lines.lineNumber(), RejectKind.NON_POSITIVE_ID, lines.text());
                    continue;
                }
                double relevance;
                try {
                    relevance = n.parseDecimal(2);
                    if (!Double.isFinite(relevance)) {
                        throw new NumberFormatException("not finite");
                    }
                } catch (NumberFormatException e) {
                    rejects.add(file, lines.lineNumber(), RejectKind.BAD_VALUE, lines.text());
                    continue;
                }
                if (!movies.get(movie)) {
                    rejects.add(file, lines.lineNumber(), RejectKind.UNKNOWN_MOVIE, lines.text());
                    continue;
                }
                if (!genomeTags.get(tag)) {
                    rejects.add(file, lines.lineNumber(), RejectKind.UNKNOWN_TAG, lines.text());
                    continue;
                }
                out.row(3);
                out.int4(movie);
                out.int4(tag);
                out.float4((float) relevance);
                rows++;
                ticker.tick(rows);
            }
        }
        return new StagedFile(file, rows, rejects.count(file), read);
    }
}
