package org.recofilms.ingestion.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.MovieLensFileSet;

/** Every file of a small generated set, read with commons-csv, has the exact MovieLens 20M format. */
class MovieLensFormatTest {

    private static final GeneratorConfig CONFIG = GeneratorConfig.tiny().toBuilder()
            .users(300)
            .movies(1_200)
            .ratings(20_000)
            .tags(1_500)
            .genomeMovies(150)
            .genomeTags(60)
            .build();

    private static final long FIRST =
            LocalDate.of(1995, 1, 9).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    private static final long LAST =
            LocalDate.of(2015, 4, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() - 1;
    private static final Pattern TITLE = Pattern.compile(".+ \\((\\d{4})\\)");
    private static final Pattern RATING = Pattern.compile("[0-5]\\.[05]");
    private static final Pattern INTEGER = Pattern.compile("0|[1-9][0-9]*");
    private static final Pattern RELEVANCE = Pattern.compile("[01]\\.[0-9]{5}");

    @TempDir
    static Path dir;

    private static GenerationReport report;
    /** movieId -> release year from the title. */
    private static final Map<Integer, Integer> movieYears = new TreeMap<>();

    @BeforeAll
    static void generate() throws IOException {
        report = MovieLensGenerator.generate(CONFIG, dir);
        for (final CSVRecord movie : GeneratedFiles.records(dir, MovieLensFileSet.MOVIES)) {
            final Matcher title = TITLE.matcher(movie.get("title"));
            assertTrue(title.matches(), "title with a year: " + movie.get("title"));
            movieYears.put(Integer.parseInt(movie.get("movieId")), Integer.parseInt(title.group(1)));
        }
    }

    @Test
    void reportCountsTheRowsOfEveryFile() throws IOException {
        assertEquals(MovieLensFiles.ALL, report.files());
        assertEquals(CONFIG.movies(), report.goodRows(MovieLensFileSet.MOVIES));
        assertEquals(CONFIG.movies(), report.goodRows(MovieLensFileSet.LINKS));
        assertEquals(CONFIG.ratings(), report.goodRows(MovieLensFileSet.RATINGS));
        assertEquals(CONFIG.tags(), report.goodRows(MovieLensFileSet.TAGS));
        assertEquals(CONFIG.genomeTags(), report.goodRows(MovieLensFileSet.GENOME_TAGS));
        assertEquals(
                (long) CONFIG.genomeMovies() * CONFIG.genomeTags(), report.goodRows(MovieLensFileSet.GENOME_SCORES));
        assertTrue(report.badRows().isEmpty());
        assertTrue(report.injected().isEmpty());
        for (final String file : MovieLensFiles.ALL) {
            final List<CSVRecord> records = GeneratedFiles.records(dir, file);
            assertEquals(report.goodRows(file), records.size(), file);
            // One record per physical line: the parser and a plain line split agree.
            assertEquals(records.size() + 1, GeneratedFiles.lines(dir, file).size(), file + " physical lines");
            for (final CSVRecord record : records) {
                assertEquals(MovieLensFileSet.header(file).split(",").length, record.size(), file + " columns");
            }
        }
    }

    @Test
    void moviesHaveSparseIncreasingIdsTitlesWithYearsAndKnownGenres() throws IOException {
        final List<CSVRecord> movies = GeneratedFiles.records(dir, MovieLensFileSet.MOVIES);
        final List<String> lines = GeneratedFiles.lines(dir, MovieLensFileSet.MOVIES);
        int previous = 0;
        int noGenres = 0;
        final Set<String> genresSeen = new HashSet<>();
        for (final CSVRecord movie : movies) {
            final int id = Integer.parseInt(movie.get("movieId"));
            assertTrue(id > previous, "increasing ids");
            previous = id;
            final int year = movieYears.get(id);
            assertTrue(year >= 1900 && year <= 2015, "year " + year);
            final String genres = movie.get("genres");
            if (genres.equals(MovieLensGenres.NO_GENRES)) {
                noGenres++;
                continue;
            }
            int lastIndex = -1;
            for (final String genre : genres.split("\\|")) {
                final int index = MovieLensGenres.ALL.indexOf(genre);
                assertTrue(index > lastIndex, "known genres in list order: " + genres);
                lastIndex = index;
                genresSeen.add(genre);
            }
        }
        assertTrue(previous > CONFIG.movies() * 2, "ids leave gaps: max id " + previous);
        assertTrue(noGenres > 0 && noGenres < CONFIG.movies() / 20, "a few movies without genres: " + noGenres);
        assertTrue(genresSeen.size() >= 18, "nearly every genre is used: " + genresSeen);

        // MovieLens quirks a loader must survive: quoted titles with commas, doubled quotes, accents.
        assertTrue(
                lines.stream().anyMatch(l -> l.matches("\\d+,\"[^\"]*, The \\(\\d{4}\\)\",.*")), "\"X, The (1995)\"");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"\"")), "a title with an escaped quote");
        assertTrue(movies.stream().anyMatch(m -> m.get("title").startsWith("\"")), "a title starting with a quote");
        assertTrue(movies.stream().anyMatch(m -> !m.get("title").chars().allMatch(c -> c < 128)), "a non-ASCII title");
    }

    @Test
    void linksPadImdbIdsAndSometimesLackTmdbIds() throws IOException {
        final List<CSVRecord> links = GeneratedFiles.records(dir, MovieLensFileSet.LINKS);
        assertEquals(
                List.copyOf(movieYears.keySet()),
                links.stream().map(l -> Integer.parseInt(l.get("movieId"))).toList());
        final Set<String> imdbIds = new HashSet<>();
        int missingTmdb = 0;
        for (final CSVRecord link : links) {
            assertTrue(link.get("imdbId").matches("\\d{7}"), "7-digit imdbId: " + link.get("imdbId"));
            assertTrue(imdbIds.add(link.get("imdbId")), "unique imdbId");
            final String tmdb = link.get("tmdbId");
            if (tmdb.isEmpty()) {
                missingTmdb++;
            } else {
                assertTrue(INTEGER.matcher(tmdb).matches(), "integer tmdbId: " + tmdb);
            }
        }
        assertTrue(imdbIds.stream().anyMatch(id -> id.startsWith("0")), "some imdbIds need the zero padding");
        assertTrue(missingTmdb > 0 && missingTmdb < links.size() / 20, "a few empty tmdbIds: " + missingTmdb);
    }

    @Test
    void ratingsAreSortedValidAndEveryUserHasTwentyOfThem() throws IOException {
        final List<CSVRecord> ratings = GeneratedFiles.records(dir, MovieLensFileSet.RATINGS);
        final Map<Integer, Integer> perUser = new HashMap<>();
        final Set<Long> pairs = new HashSet<>();
        final Set<String> values = new HashSet<>();
        long previousKey = -1;
        for (final CSVRecord rating : ratings) {
            final int user = Integer.parseInt(rating.get("userId"));
            final int movie = Integer.parseInt(rating.get("movieId"));
            final String value = rating.get("rating");
            assertTrue(RATING.matcher(value).matches(), "rating like 3.5 or 4.0: " + value);
            final double stars = Double.parseDouble(value);
            assertTrue(stars >= 0.5 && stars <= 5.0, "rating in range: " + value);
            values.add(value);
            final long timestamp = Long.parseLong(rating.get("timestamp"));
            assertTrue(timestamp >= FIRST && timestamp <= LAST, "timestamp in 1995-01-09..2015-03-31: " + timestamp);
            final Integer year = movieYears.get(movie);
            assertNotNull(year, "rated movie exists: " + movie);
            final long release =
                    LocalDate.of(year, 1, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            assertTrue(timestamp >= release, "rated after the release year began");
            final long key = (long) user << 32 | movie;
            assertTrue(key > previousKey, "sorted by userId then movieId, no duplicate: " + user + "," + movie);
            previousKey = key;
            assertTrue(pairs.add(key));
            perUser.merge(user, 1, Integer::sum);
        }
        assertEquals(CONFIG.users(), perUser.size(), "every user has ratings");
        for (int user = 1; user <= CONFIG.users(); user++) {
            assertTrue(perUser.getOrDefault(user, 0) >= 20, "user " + user + " has at least 20 ratings");
        }
        assertEquals(10, values.size(), "all ten half-star values occur: " + values);
    }

    @Test
    void tagsAreByExistingUsersOnExistingMovies() throws IOException {
        final List<CSVRecord> tags = GeneratedFiles.records(dir, MovieLensFileSet.TAGS);
        final Set<Long> rated = new HashSet<>();
        for (final CSVRecord rating : GeneratedFiles.records(dir, MovieLensFileSet.RATINGS)) {
            rated.add(Long.parseLong(rating.get("userId")) << 32 | Long.parseLong(rating.get("movieId")));
        }
        long previousKey = -1;
        for (final CSVRecord tag : tags) {
            final long user = Long.parseLong(tag.get("userId"));
            final long movie = Long.parseLong(tag.get("movieId"));
            assertTrue(user >= 1 && user <= CONFIG.users(), "existing user");
            assertTrue(movieYears.containsKey((int) movie), "existing movie");
            assertTrue(rated.contains(user << 32 | movie), "tagged movies were rated by the tagger");
            assertFalse(tag.get("tag").isBlank(), "a tag text");
            final long timestamp = Long.parseLong(tag.get("timestamp"));
            assertTrue(timestamp >= FIRST && timestamp <= LAST, "timestamp in range");
            final long key = user << 32 | movie;
            assertTrue(key >= previousKey, "sorted by userId then movieId");
            previousKey = key;
        }
        assertTrue(tags.stream().anyMatch(t -> t.get("tag").contains(",")), "some tags need quoting");
        assertTrue(
                tags.stream().map(t -> t.get("userId")).distinct().count() < CONFIG.users(),
                "only some users write tags");
    }

    @Test
    void genomeHasEveryPairSortedWithFiveDecimalRelevance() throws IOException {
        final List<CSVRecord> genomeTags = GeneratedFiles.records(dir, MovieLensFileSet.GENOME_TAGS);
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < genomeTags.size(); i++) {
            assertEquals(String.valueOf(i + 1), genomeTags.get(i).get("tagId"), "tagIds 1..n");
            assertTrue(names.add(genomeTags.get(i).get("tag")), "distinct genome tags");
        }
        final List<CSVRecord> scores = GeneratedFiles.records(dir, MovieLensFileSet.GENOME_SCORES);
        final Set<Integer> genomeMovies = new HashSet<>();
        int row = 0;
        double sum = 0;
        int high = 0;
        long previousKey = -1;
        for (final CSVRecord score : scores) {
            final int movie = Integer.parseInt(score.get("movieId"));
            final int tag = Integer.parseInt(score.get("tagId"));
            assertTrue(movieYears.containsKey(movie), "genome movie exists");
            genomeMovies.add(movie);
            assertEquals(row % CONFIG.genomeTags() + 1, tag, "every tag of a movie, in order");
            final long key = (long) movie << 32 | tag;
            assertTrue(key > previousKey, "sorted by movieId then tagId");
            previousKey = key;
            final String relevance = score.get("relevance");
            assertTrue(RELEVANCE.matcher(relevance).matches(), "relevance like 0.02500: " + relevance);
            final double value = Double.parseDouble(relevance);
            assertTrue(value >= 0 && value <= 1, "relevance in [0, 1]");
            sum += value;
            high += value > 0.5 ? 1 : 0;
            row++;
        }
        assertEquals(CONFIG.genomeMovies(), genomeMovies.size());
        final double mean = sum / scores.size();
        assertTrue(mean > 0.03 && mean < 0.3, "mostly low relevance, as in ML-20M: mean " + mean);
        assertTrue(high > 0, "some tags fit some movies well");
    }
}
