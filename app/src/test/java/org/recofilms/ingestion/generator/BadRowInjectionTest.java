package org.recofilms.ingestion.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.MovieLensFileSet;
import org.recofilms.ingestion.RejectKind;

/**
 * Injected bad lines: exactly the requested number per kind, each line bad for exactly one reason
 * (checked by an independent line-by-line classifier), inserted without touching any good line.
 */
class BadRowInjectionTest {

    private static final GeneratorConfig CLEAN = GeneratorConfig.tiny().toBuilder()
            .randomSeed(7)
            .users(200)
            .movies(800)
            .ratings(12_000)
            .tags(800)
            .genomeMovies(80)
            .genomeTags(40)
            .build();

    private static final BadRows BAD = BadRows.none()
            .with(RejectKind.WRONG_COLUMN_COUNT, 3)
            .with(RejectKind.NON_NUMERIC_ID, 4)
            .with(RejectKind.RATING_OUT_OF_RANGE, 5)
            .with(RejectKind.RATING_NOT_HALF_STEP, 6)
            .with(RejectKind.DUPLICATE_PAIR, 7)
            .with(RejectKind.UNKNOWN_MOVIE, 8)
            .with(RejectKind.BROKEN_QUOTING, 2)
            .with(RejectKind.BAD_VALUE, 3)
            .with(RejectKind.UNKNOWN_TAG, 4)
            .withTagWrongColumnCount(5);

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    @TempDir
    static Path cleanDir;

    @TempDir
    static Path badDir;

    private static GenerationReport clean;
    private static GenerationReport bad;

    @BeforeAll
    static void generate() throws IOException {
        clean = MovieLensGenerator.generate(CLEAN, cleanDir);
        bad = MovieLensGenerator.generate(CLEAN.withBadRows(BAD), badDir);
    }

    @Test
    void injectsExactlyTheRequestedCountPerFileAndKind() {
        for (final RejectKind kind : BAD.counts().keySet()) {
            assertEquals(BAD.count(kind), bad.badRows(BadRows.homeFile(kind), kind), kind.name());
        }
        assertEquals(5, bad.badRows(MovieLensFileSet.TAGS, RejectKind.WRONG_COLUMN_COUNT));
        assertEquals(BAD.total(), bad.totalBadRows());
        assertEquals(
                Set.of(
                        MovieLensFileSet.MOVIES,
                        MovieLensFileSet.RATINGS,
                        MovieLensFileSet.TAGS,
                        MovieLensFileSet.GENOME_SCORES),
                bad.badRows().keySet());
        // Bad lines are not counted as good ones.
        assertEquals(clean.goodRows(), bad.goodRows());
        assertEquals(CLEAN.ratings(), bad.goodRows(MovieLensFileSet.RATINGS));
    }

    @Test
    void everyLineIsRejectedForExactlyTheReasonTheReportGives() throws IOException {
        final Set<Integer> movieIds = new HashSet<>();
        final Map<Long, RejectKind> movies =
                classifyMovies(GeneratedFiles.lines(badDir, MovieLensFileSet.MOVIES), movieIds);
        assertEquals(expected(MovieLensFileSet.MOVIES), movies);

        final Map<Integer, Integer> goodPerUser = new HashMap<>();
        final Map<Long, RejectKind> ratings =
                classifyRatings(GeneratedFiles.lines(badDir, MovieLensFileSet.RATINGS), movieIds, goodPerUser);
        assertEquals(expected(MovieLensFileSet.RATINGS), ratings);
        for (int user = 1; user <= CLEAN.users(); user++) {
            assertTrue(goodPerUser.getOrDefault(user, 0) >= 20, "user " + user + " keeps 20 good ratings");
        }

        final Map<Long, RejectKind> tags = new HashMap<>();
        final List<String> tagLines = GeneratedFiles.lines(badDir, MovieLensFileSet.TAGS);
        for (int i = 1; i < tagLines.size(); i++) {
            final List<String> fields = GeneratedFiles.parseLine(tagLines.get(i));
            if (fields == null || fields.size() != 4) {
                tags.put(i + 1L, RejectKind.WRONG_COLUMN_COUNT);
            } else {
                assertTrue(movieIds.contains(Integer.parseInt(fields.get(1))), "tags name known movies");
            }
        }
        assertEquals(expected(MovieLensFileSet.TAGS), tags);

        final Set<String> tagIds = new HashSet<>();
        for (final String line :
                GeneratedFiles.lines(badDir, MovieLensFileSet.GENOME_TAGS).subList(1, CLEAN.genomeTags() + 1)) {
            tagIds.add(GeneratedFiles.parseLine(line).get(0));
        }
        final Map<Long, RejectKind> scores = new HashMap<>();
        final List<String> scoreLines = GeneratedFiles.lines(badDir, MovieLensFileSet.GENOME_SCORES);
        for (int i = 1; i < scoreLines.size(); i++) {
            final List<String> fields = GeneratedFiles.parseLine(scoreLines.get(i));
            assertEquals(3, fields.size());
            assertTrue(movieIds.contains(Integer.parseInt(fields.get(0))));
            final double relevance = Double.parseDouble(fields.get(2));
            assertTrue(relevance >= 0 && relevance <= 1, "valid relevance even on bad lines");
            if (!tagIds.contains(fields.get(1))) {
                scores.put(i + 1L, RejectKind.UNKNOWN_TAG);
            }
        }
        assertEquals(expected(MovieLensFileSet.GENOME_SCORES), scores);
    }

    @Test
    void removingTheInjectedLinesGivesBackTheCleanFilesByteForByte() throws IOException {
        for (final String file : MovieLensFiles.ALL) {
            final Set<Long> injected = expected(file).keySet();
            final List<String> lines = GeneratedFiles.lines(badDir, file);
            final List<String> kept = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (!injected.contains(i + 1L)) {
                    kept.add(lines.get(i));
                }
            }
            assertEquals(GeneratedFiles.lines(cleanDir, file), kept, file);
            assertEquals(lines.size(), kept.size() + injected.size(), file + ": every bad line is one line");
        }
    }

    @Test
    void badRatingLinesSitInsideTheirUsersBlockAndKeepTheFileSorted() throws IOException {
        final List<String> lines = GeneratedFiles.lines(badDir, MovieLensFileSet.RATINGS);
        final Map<Long, RejectKind> injected = expected(MovieLensFileSet.RATINGS);
        long previousKey = -1;
        for (int i = 1; i < lines.size(); i++) {
            final String[] fields = lines.get(i).split(",", -1);
            if (INTEGER.matcher(fields[0]).matches()
                    && INTEGER.matcher(fields[1]).matches()) {
                final long key = Long.parseLong(fields[0]) << 32 | Long.parseLong(fields[1]);
                assertTrue(key >= previousKey, "line " + (i + 1) + " in (userId, movieId) order");
                previousKey = key;
            }
            if (injected.containsKey(i + 1L) && INTEGER.matcher(fields[0]).matches()) {
                final String user = fields[0] + ",";
                final boolean inBlock = lines.get(i - 1).startsWith(user)
                        || (i + 1 < lines.size() && lines.get(i + 1).startsWith(user));
                assertTrue(inBlock, "bad line " + (i + 1) + " sits among its user's lines");
            }
        }
        for (final Map.Entry<Long, RejectKind> entry : injected.entrySet()) {
            if (entry.getValue() == RejectKind.DUPLICATE_PAIR) {
                final String line = lines.get((int) (entry.getKey() - 1));
                final String pair = line.substring(0, line.indexOf(',', line.indexOf(',') + 1) + 1);
                assertTrue(lines.get((int) (entry.getKey() - 2)).startsWith(pair), "a duplicate follows its original");
            }
        }
    }

    @Test
    void brokenMovieLinesAreSinglePhysicalLinesWithIdsUsedNowhereElse() throws IOException {
        final List<String> movies = GeneratedFiles.lines(badDir, MovieLensFileSet.MOVIES);
        final Set<String> brokenIds = new HashSet<>();
        for (final Map.Entry<Long, RejectKind> entry :
                expected(MovieLensFileSet.MOVIES).entrySet()) {
            final String line = movies.get((int) (entry.getKey() - 1));
            assertEquals(1, line.chars().filter(c -> c == '"').count() % 2, "an unbalanced quote: " + line);
            assertTrue(line.matches("\\d+,\".*"), "the title field opens a quote: " + line);
            brokenIds.add(line.substring(0, line.indexOf(',')));
        }
        for (final String file : List.of(MovieLensFileSet.RATINGS, MovieLensFileSet.TAGS)) {
            for (final String line : GeneratedFiles.lines(badDir, file)) {
                final String[] fields = line.split(",");
                assertFalse(fields.length > 1 && brokenIds.contains(fields[1]), file + " refers to a broken movie");
            }
        }
    }

    @Test
    void refusesBadRowsThatCannotBePlaced() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CLEAN.toBuilder()
                        .genomeTags(0)
                        .badRows(BadRows.of(RejectKind.UNKNOWN_TAG, 1))
                        .build());
        assertThrows(
                IllegalArgumentException.class,
                () -> CLEAN.toBuilder()
                        .tags(0)
                        .badRows(BadRows.none().withTagWrongColumnCount(1))
                        .build());
        assertThrows(IllegalArgumentException.class, () -> BadRows.of(RejectKind.DUPLICATE_PAIR, -1));
        assertEquals(BadRows.SUPPORTED, BadRows.eachKind(2).counts().keySet());
        assertEquals(2L * BadRows.SUPPORTED.size() + 2, BadRows.eachKind(2).total());
    }

    /** The report's injected lines of one file, by line number. */
    private static Map<Long, RejectKind> expected(final String file) {
        final Map<Long, RejectKind> lines = new HashMap<>();
        for (final InjectedBadRow row : bad.injected()) {
            if (row.file().equals(file)) {
                lines.put(row.line(), row.kind());
            }
        }
        return lines;
    }

    private static Map<Long, RejectKind> classifyMovies(final List<String> lines, final Set<Integer> goodIds) {
        final Map<Long, RejectKind> rejects = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            final List<String> fields = GeneratedFiles.parseLine(lines.get(i));
            if (fields == null) {
                rejects.put(i + 1L, RejectKind.BROKEN_QUOTING);
            } else {
                assertEquals(3, fields.size());
                goodIds.add(Integer.parseInt(fields.get(0)));
            }
        }
        return rejects;
    }

    /**
     * A reference check of ratings.csv: every rule is evaluated on its own (where the line can be
     * split at all), and a bad line must break exactly one, whatever order a loader checks them in.
     * Only good lines count as seen pairs.
     */
    private static Map<Long, RejectKind> classifyRatings(
            final List<String> lines, final Set<Integer> movieIds, final Map<Integer, Integer> goodPerUser) {
        final Map<Long, RejectKind> rejects = new HashMap<>();
        final Set<Long> pairs = new HashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            final List<String> f = GeneratedFiles.parseLine(lines.get(i));
            final Set<RejectKind> broken = EnumSet.noneOf(RejectKind.class);
            if (f == null) {
                broken.add(RejectKind.BROKEN_QUOTING);
            } else if (f.size() != 4) {
                broken.add(RejectKind.WRONG_COLUMN_COUNT);
            } else {
                final boolean ids = INTEGER.matcher(f.get(0)).matches()
                        && INTEGER.matcher(f.get(1)).matches();
                final boolean rating = NUMBER.matcher(f.get(2)).matches();
                if (!ids) {
                    broken.add(RejectKind.NON_NUMERIC_ID);
                }
                if (!rating || !INTEGER.matcher(f.get(3)).matches()) {
                    broken.add(RejectKind.BAD_VALUE);
                }
                if (rating) {
                    final double stars = Double.parseDouble(f.get(2));
                    if (stars < 0.5 || stars > 5.0) {
                        broken.add(RejectKind.RATING_OUT_OF_RANGE);
                    } else if (stars * 2 != Math.rint(stars * 2)) {
                        broken.add(RejectKind.RATING_NOT_HALF_STEP);
                    }
                }
                if (INTEGER.matcher(f.get(1)).matches() && !movieIds.contains(Integer.parseInt(f.get(1)))) {
                    broken.add(RejectKind.UNKNOWN_MOVIE);
                }
                if (ids && pairs.contains(Long.parseLong(f.get(0)) << 32 | Long.parseLong(f.get(1)))) {
                    broken.add(RejectKind.DUPLICATE_PAIR);
                }
                if (broken.isEmpty()) {
                    pairs.add(Long.parseLong(f.get(0)) << 32 | Long.parseLong(f.get(1)));
                    goodPerUser.merge(Integer.parseInt(f.get(0)), 1, Integer::sum);
                }
            }
            assertTrue(broken.size() <= 1, "line " + (i + 1) + " is bad for one reason only: " + broken);
            if (!broken.isEmpty()) {
                rejects.put(i + 1L, broken.iterator().next());
            }
        }
        return rejects;
    }
}
