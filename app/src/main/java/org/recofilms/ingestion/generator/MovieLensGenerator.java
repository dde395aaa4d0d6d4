package org.recofilms.ingestion.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.recofilms.ingestion.MovieLensFileSet;
import org.recofilms.ingestion.RejectKind;

/**
 * Generates data in the exact MovieLens 20M format, because the real files may not be redistributed.
 *
 * <h2>Files</h2>
 *
 * Six UTF-8 files with a header row, {@code \n} line ends and one record per physical line; text
 * fields are quoted (RFC 4180, quotes doubled) only when they hold a comma or a quote.
 *
 * <ul>
 *   <li>{@code movies.csv} ({@code movieId,title,genres}): ids increasing with gaps, titles with a
 *       year such as {@code "Silent River, The (1995)"}, genres from {@link MovieLensGenres#ALL}
 *       joined by {@code |} in that order, or {@code (no genres listed)}.
 *   <li>{@code links.csv} ({@code movieId,imdbId,tmdbId}): imdbId zero-padded to 7 digits, tmdbId an
 *       integer or empty for about 1% of the movies.
 *   <li>{@code ratings.csv} ({@code userId,movieId,rating,timestamp}): sorted by userId then
 *       movieId; users 1..N each with at least 20 ratings; no (userId, movieId) pair twice; ratings
 *       0.5..5.0 in half steps written {@code 3.5} or {@code 4.0}; epoch seconds between 1995-01-09 and
 *       2015-03-31 (UTC), never before the movie's release date.
 *   <li>{@code tags.csv} ({@code userId,movieId,tag,timestamp}): sorted by userId then movieId, by
 *       existing users on movies they rated.
 *   <li>{@code genome-tags.csv} ({@code tagId,tag}) and {@code genome-scores.csv}
 *       ({@code movieId,tagId,relevance}): every pair of the most popular movies and all genome tags,
 *       sorted by movieId then tagId, relevance in [0, 1] with exactly 5 decimals ({@code 0.02500}).
 * </ul>
 *
 * <h2>Shape</h2>
 *
 * The same configuration always gives byte-identical files. Memory is O(users + movies), not
 * O(ratings): the users are simulated and written one at a time.
 *
 * <ul>
 *   <li>Movie popularity is Zipf-like over a random ranking, so a tenth of the movies holds most
 *       ratings while most movies get few; the most popular movies have genome scores.
 *   <li>User activity is lognormal: at least 20 ratings, a median near 70 at the ML-20M preset, and
 *       a heavy tail capped at 40% of the catalogue.
 *   <li>Taste: every movie belongs to a hidden cluster tied to its genres ({@link TasteClusters});
 *       each user draws 60-90% of their movies from one to three favourite clusters and rates those
 *       higher (rating = user bias + movie quality + cluster affinity + noise, rounded to half stars,
 *       or whole stars for users who started before 2003). Item neighbourhoods therefore follow the
 *       clusters, and a personalised model beats popularity on held-out ratings.
 *   <li>Time: each user rates within an activity window (a single sitting for many, years for some)
 *       and never rates a movie before its release.
 * </ul>
 *
 * <h2>Bad rows</h2>
 *
 * {@link GeneratorConfig#badRows()} adds lines that a loader must reject, each for exactly one
 * {@link RejectKind}. The good lines stay exactly those of the same configuration without bad rows;
 * bad lines are only inserted between them, and the report lists each one with its line number.
 *
 * <ul>
 *   <li>In ratings.csv a bad line sits inside the block of the user it names, at the place its
 *       movieId would take in sort order (a duplicate right after the line it repeats), so the file
 *       stays sorted. Users are drawn at random, so one user may get several bad lines. Good lines
 *       are unaffected, so every user keeps all of its (at least 20) good ratings.
 *   <li>{@code WRONG_COLUMN_COUNT}: {@code u,m,r} or {@code u,m} or {@code u,m,r,t,} (a trailing
 *       comma, 5 columns); the values present are valid and (u, m) is a pair the user did not rate.
 *   <li>{@code NON_NUMERIC_ID}: four columns with a valid rating and timestamp, the userId written
 *       {@code u42} or {@code abc}, or the movieId written {@code 123x} or {@code NULL}.
 *   <li>{@code RATING_OUT_OF_RANGE}: a rating of {@code 5.5}, {@code 0.0}, {@code -1}, {@code 6.0},
 *       {@code 0} or {@code 10} for an existing movie the user did not rate.
 *   <li>{@code RATING_NOT_HALF_STEP}: a rating of {@code 3.7}, {@code 2.25}, {@code 4.1}, {@code 1.3},
 *       {@code 0.75} or {@code 4.99}, otherwise like the previous kind.
 *   <li>{@code DUPLICATE_PAIR}: a second, valid line for a pair the user rated; the first line is
 *       the good one, the repeat (which follows it directly) is the bad one.
 *   <li>{@code UNKNOWN_MOVIE}: a valid line whose movieId no line of movies.csv uses, neither a good
 *       one nor a broken one (a gap between ids, or past the last id).
 *   <li>{@code BAD_VALUE}: four columns, valid ids and rating for a movie the user did not rate, and
 *       a timestamp that is not a number ({@code 2009-05-01 10:00:00}, {@code n/a}, {@code 12a45},
 *       {@code yesterday}).
 *   <li>{@code BROKEN_QUOTING}, in movies.csv: {@code 123,"Some Title (1999),Drama}, a quote that
 *       opens the title and never closes, placed in id order; its id is used by nothing else.
 *   <li>{@code UNKNOWN_TAG}, in genome-scores.csv: {@code movieId,tagId,relevance} for a genome movie
 *       with a valid relevance and a tagId past the last line of genome-tags.csv, right after that
 *       movie's good lines.
 *   <li>{@link BadRows#tagWrongColumnCount()} lines in tags.csv, inside a tagger's block: a tag with
 *       an unquoted comma ({@code 15,296,funny, but sad,1234567890}, five columns) or a line without
 *       its timestamp.
 * </ul>
 */
public final class MovieLensGenerator {

    private static final System.Logger LOG = System.getLogger(MovieLensGenerator.class.getName());
    private static final long BROKEN_TITLES = 401;
    private static final LocalDateTime ZIP_ENTRY_TIME = LocalDateTime.of(2015, 3, 31, 0, 0);

    private MovieLensGenerator() {}

    /**
     * Writes the six files into {@code directory} (created if needed, existing files replaced).
     *
     * @throws IllegalArgumentException when the bad rows cannot be placed
     */
    public static GenerationReport generate(final GeneratorConfig config, final Path directory) throws IOException {
        final long started = System.nanoTime();
        Files.createDirectories(directory);
        final Catalog catalog = Catalog.build(config);
        final PhantomIds phantoms = new PhantomIds(catalog, config);
        final Map<String, Long> rows = new LinkedHashMap<>();
        final List<InjectedBadRow> movieBad = new ArrayList<>();
        final List<InjectedBadRow> ratingBad = new ArrayList<>();
        final List<InjectedBadRow> tagBad = new ArrayList<>();

        try (CsvOut out = CsvOut.create(directory.resolve(MovieLensFileSet.MOVIES))) {
            writeMovies(out, catalog, phantoms, config.randomSeed(), movieBad);
        }
        rows.put(MovieLensFileSet.MOVIES, (long) catalog.count);
        try (CsvOut out = CsvOut.create(directory.resolve(MovieLensFileSet.LINKS))) {
            writeLinks(out, catalog);
        }
        rows.put(MovieLensFileSet.LINKS, (long) catalog.count);

        final UserSimulation users = new UserSimulation(config, catalog, phantoms);
        try (CsvOut ratings = CsvOut.create(directory.resolve(MovieLensFileSet.RATINGS));
                CsvOut tags = CsvOut.create(directory.resolve(MovieLensFileSet.TAGS))) {
            users.write(ratings, tags, ratingBad, tagBad);
        }
        rows.put(MovieLensFileSet.RATINGS, config.ratings());
        rows.put(MovieLensFileSet.TAGS, users.totalTags());

        final Genome genome = new Genome(config, catalog.clusterCount);
        try (CsvOut out = CsvOut.create(directory.resolve(MovieLensFileSet.GENOME_TAGS))) {
            genome.writeTags(out);
        }
        rows.put(MovieLensFileSet.GENOME_TAGS, (long) genome.tagCount());
        final int[] genomeMovies = genome.tagCount() == 0 ? new int[0] : catalog.mostPopular(config.genomeMovies());
        final List<InjectedBadRow> scoreBad = new ArrayList<>();
        try (CsvOut out = CsvOut.create(directory.resolve(MovieLensFileSet.GENOME_SCORES))) {
            rows.put(MovieLensFileSet.GENOME_SCORES, genome.writeScores(out, catalog, genomeMovies, config, scoreBad));
        }

        final List<InjectedBadRow> injected = new ArrayList<>(movieBad);
        injected.addAll(ratingBad);
        injected.addAll(tagBad);
        injected.addAll(scoreBad);
        final Map<String, Map<RejectKind, Integer>> badCounts = new LinkedHashMap<>();
        for (final InjectedBadRow row : injected) {
            badCounts
                    .computeIfAbsent(row.file(), file -> new EnumMap<>(RejectKind.class))
                    .merge(row.kind(), 1, Integer::sum);
        }
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        LOG.log(
                System.Logger.Level.INFO,
                "generated {0} ratings for {1} users in {2} ms into {3}",
                config.ratings(),
                config.users(),
                elapsed.toMillis(),
                directory);
        return new GenerationReport(directory, MovieLensFiles.ALL, rows, badCounts, injected, elapsed);
    }

    /**
     * Writes the six files into a zip laid out like the GroupLens download: entries
     * {@code ml-20m/movies.csv} and so on. Entry times are fixed so that the zip is byte-identical
     * for one configuration. The files are generated into a temporary directory next to the zip
     * first (ratings and tags are written side by side, which a zip stream cannot do).
     */
    public static GenerationReport generateZip(final GeneratorConfig config, final Path zipFile) throws IOException {
        final long started = System.nanoTime();
        final Path parent = zipFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path work = Files.createTempDirectory(parent, ".movielens-");
        try {
            final GenerationReport files = generate(config, work);
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(zipFile))) {
                zip.putNextEntry(entry(MovieLensFiles.ZIP_FOLDER));
                zip.closeEntry();
                for (final String file : files.files()) {
                    zip.putNextEntry(entry(MovieLensFiles.ZIP_FOLDER + file));
                    Files.copy(work.resolve(file), zip);
                    zip.closeEntry();
                }
            }
            return new GenerationReport(
                    zipFile,
                    files.files(),
                    files.goodRows(),
                    files.badRows(),
                    files.injected(),
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /**
     * Writes {@code release}'s files into {@code directory}: the data of {@code config}, generated as
     * ML-20M and rewritten as that release lays it out ({@link ReleaseWriter} says what changes).
     *
     * @throws IllegalArgumentException for bad rows in a release that is not CSV, or genome bad rows
     *     in a release without a genome (the bad rows are made for the CSV files)
     */
    public static GenerationReport generate(
            final GeneratorConfig config, final Path directory, final MovieLensRelease release) throws IOException {
        if (release == MovieLensRelease.ML_20M) {
            return generate(config, directory);
        }
        checkBadRows(config, release);
        final long started = System.nanoTime();
        final Path parent = directory.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path work = Files.createTempDirectory(parent, ".movielens-");
        try {
            final GenerationReport csv = generate(config, work);
            final Map<String, Long> rows = ReleaseWriter.write(release, csv, directory);
            final List<String> files = List.copyOf(rows.keySet());
            final Map<String, Map<RejectKind, Integer>> bad = new LinkedHashMap<>(csv.badRows());
            bad.keySet().retainAll(files);
            final List<InjectedBadRow> injected = csv.injected().stream()
                    .filter(row -> files.contains(row.file()))
                    .toList();
            return new GenerationReport(
                    directory, files, rows, bad, injected, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Writes {@code release}'s files into a zip laid out like its GroupLens download (entries under
     * {@link MovieLensRelease#zipFolder()}, {@code ml-10M100K/ratings.dat} for ml-10m).
     */
    public static GenerationReport generateZip(
            final GeneratorConfig config, final Path zipFile, final MovieLensRelease release) throws IOException {
        final long started = System.nanoTime();
        final Path parent = zipFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path work = Files.createTempDirectory(parent, ".movielens-");
        try {
            final GenerationReport files = generate(config, work.resolve("files"), release);
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(zipFile))) {
                zip.putNextEntry(entry(release.zipFolder()));
                zip.closeEntry();
                for (final String file : files.files()) {
                    zip.putNextEntry(entry(release.zipFolder() + file));
                    Files.copy(work.resolve("files").resolve(file), zip);
                    zip.closeEntry();
                }
            }
            return new GenerationReport(
                    zipFile,
                    files.files(),
                    files.goodRows(),
                    files.badRows(),
                    files.injected(),
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            deleteTree(work);
        }
    }

    private static void checkBadRows(final GeneratorConfig config, final MovieLensRelease release) {
        final boolean anyBad = config.badRows().total() > 0;
        if (anyBad && release.layout() != org.recofilms.ingestion.MovieLensLayout.CSV) {
            throw new IllegalArgumentException(
                    "bad rows are made for the CSV files: not available for " + release.label());
        }
        if (config.badRows().count(RejectKind.UNKNOWN_TAG) > 0 && !release.hasGenome()) {
            throw new IllegalArgumentException(release.label() + " has no genome for the unknown-tag bad rows");
        }
    }

    private static void deleteTree(final Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The hidden taste clusters of the movies this configuration generates (cheap: no ratings). */
    public static TasteClusters tasteClusters(final GeneratorConfig config) {
        return new TasteClusters(Catalog.build(config));
    }

    private static ZipEntry entry(final String name) {
        final ZipEntry entry = new ZipEntry(name);
        // Local time, not an instant: the DOS time in a zip would otherwise follow the time zone.
        entry.setTimeLocal(ZIP_ENTRY_TIME);
        return entry;
    }

    private static void writeMovies(
            final CsvOut out,
            final Catalog catalog,
            final PhantomIds phantoms,
            final long randomSeed,
            final List<InjectedBadRow> report)
            throws IOException {
        out.line(MovieLensFileSet.header(MovieLensFileSet.MOVIES));
        int broken = 0;
        for (int m = 0; m <= catalog.count; m++) {
            final int nextId = m < catalog.count ? catalog.ids[m] : Integer.MAX_VALUE;
            while (broken < phantoms.broken.length && phantoms.broken[broken] < nextId) {
                report.add(new InjectedBadRow(MovieLensFileSet.MOVIES, out.lines() + 1, RejectKind.BROKEN_QUOTING));
                out.line(brokenMovieLine(phantoms.broken[broken], randomSeed));
                broken++;
            }
            if (m == catalog.count) {
                break;
            }
            out.reserve(CsvOut.MAX_NUMERIC_LINE);
            out.number(catalog.ids[m]).comma().field(catalog.titles[m]);
            out.reserve(1);
            out.comma().field(MovieLensGenres.field(catalog.genres[m]));
            out.reserve(1);
            out.endLine();
        }
    }

    /** {@code 123,"Some Title (1999),Drama}: the quote before the title is never closed. */
    private static String brokenMovieLine(final int movieId, final long randomSeed) {
        final Rng rng = Rng.stream(randomSeed, BROKEN_TITLES, movieId);
        final String title = Words.title(rng).replace("\"", "");
        final int year = 1920 + rng.nextInt(95);
        final String genre = MovieLensGenres.ALL.get(rng.nextInt(MovieLensGenres.ALL.size()));
        return movieId + ",\"" + title + " (" + year + ")," + genre;
    }

    private static void writeLinks(final CsvOut out, final Catalog catalog) throws IOException {
        out.line(MovieLensFileSet.header(MovieLensFileSet.LINKS));
        for (int m = 0; m < catalog.count; m++) {
            out.reserve(CsvOut.MAX_NUMERIC_LINE);
            out.number(catalog.ids[m]).comma();
            final int imdb = catalog.imdbIds[m];
            for (int pad = CsvOut.digits(imdb); pad < 7; pad++) {
                out.ascii('0');
            }
            out.number(imdb).comma();
            if (catalog.tmdbIds[m] >= 0) {
                out.number(catalog.tmdbIds[m]);
            }
            out.endLine();
        }
    }
}
