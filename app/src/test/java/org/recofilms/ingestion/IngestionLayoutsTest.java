package org.recofilms.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.ingestion.generator.MovieLensRelease;
import org.recofilms.local.RealServicesResource;
import org.recofilms.local.TestDatabase;

/**
 * Every MovieLens release layout, generated small and ingested into the real PostgreSQL, loads the
 * rows that the ML-20M CSV files of the same generated data load, changed only where the release
 * cannot hold them (whole stars and Latin-1 in ml-100k and ml-1m, no IMAX there, no tags, links or
 * genome where the release has none).
 */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(IngestionLayoutsTest.AnySizeOfData.class)
class IngestionLayoutsTest {

    /** Other test classes leave datasets of other sizes: the row-count check must not stop this one. */
    public static class AnySizeOfData implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reco.ingestion.row-count-tolerance", "1000");
        }
    }

    @Inject
    IngestionService ingestion;

    @Inject
    AgroalDataSource dataSource;

    @TempDir
    Path tmp;

    private static final GeneratorConfig CONFIG = GeneratorConfig.demo().toBuilder()
            .randomSeed(1515)
            .users(150)
            .movies(600)
            .ratings(12_000)
            .tags(500)
            .genomeMovies(60)
            .genomeTags(20)
            .build();

    /** What the live tables hold, as sorted text rows (counts for links and the genome). */
    record Tables(List<String> movies, List<String> ratings, List<String> tags, long links, long genome) {}

    private Tables read() throws SQLException {
        return new Tables(
                rows("SELECT \"movieId\" || '|' || title || '|' || genres FROM raw.raw_movies ORDER BY \"movieId\""),
                rows("SELECT \"userId\" || ',' || \"movieId\" || ',' || rating || ',' || \"timestamp\""
                        + " FROM raw.raw_ratings ORDER BY \"userId\", \"movieId\""),
                rows("SELECT \"userId\" || ',' || \"movieId\" || ',' || tag || ',' || \"timestamp\""
                        + " FROM raw.raw_tags ORDER BY 1"),
                TestDatabase.count(dataSource, "SELECT count(*) FROM raw.raw_links"),
                TestDatabase.count(dataSource, "SELECT count(*) FROM raw.raw_genome_scores")
                        + TestDatabase.count(dataSource, "SELECT count(*) FROM raw.raw_genome_tags"));
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The CSV rows as {@code release} holds them. */
    private static Tables expected(Tables csv, MovieLensRelease release) {
        List<String> movies = csv.movies().stream()
                .map(row -> {
                    String[] f = row.split("\\|", 3);
                    String title = release.latin1()
                            ? new String(f[1].getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1)
                            : f[1];
                    String genres = f[2];
                    if (!release.hasImax()) {
                        genres = Arrays.stream(genres.split("\\|"))
                                .filter(g -> !g.equals("IMAX"))
                                .collect(Collectors.joining("|"));
                        genres = genres.isEmpty() ? MovieLensGenreNames.NO_GENRES : genres;
                    }
                    return f[0] + "|" + title + "|" + genres;
                })
                .toList();
        List<String> ratings = csv.ratings().stream()
                .map(row -> {
                    if (!release.wholeStars()) {
                        return row;
                    }
                    String[] f = row.split(",");
                    return f[0] + "," + f[1] + "," + (int) Math.ceil(Double.parseDouble(f[2])) + "," + f[3];
                })
                .toList();
        boolean csvLayout = release.layout() == MovieLensLayout.CSV;
        return new Tables(
                movies,
                ratings,
                csvLayout || release == MovieLensRelease.ML_10M ? csv.tags() : List.of(),
                csvLayout ? csv.links() : 0,
                release.hasGenome() ? csv.genome() : 0);
    }

    private IngestionResult ingest(Path source) {
        return ingestion.ingest(UUID.randomUUID(), source.toString(), LoadProgress.NONE);
    }

    @Test
    void everyReleaseLoadsTheRowsOfTheSameDataAsMl20mCsv() throws Exception {
        MovieLensGenerator.generate(CONFIG, tmp.resolve("csv"));
        IngestionResult first = ingest(tmp.resolve("csv"));
        assertEquals(IngestionResult.Status.SUCCESS, first.status(), first.error());
        Tables csv = read();
        assertEquals(CONFIG.ratings(), csv.ratings().size());
        assertTrue(csv.ratings().stream().anyMatch(r -> r.split(",")[2].endsWith(".5")), "half stars to round");
        assertTrue(csv.movies().stream().anyMatch(m -> m.contains("IMAX")), "IMAX movies to drop the genre of");
        assertTrue(
                csv.movies().stream().anyMatch(m -> m.chars().anyMatch(ch -> ch > 0x7F && ch <= 0xFF)),
                "Latin-1 titles");

        // consecutive sources always differ, so that no run is a no-op of the previous one
        List<Object[]> sources = List.of(
                new Object[] {MovieLensRelease.ML_100K, false},
                new Object[] {MovieLensRelease.ML_25M, true},
                new Object[] {MovieLensRelease.ML_1M, true},
                new Object[] {MovieLensRelease.ML_32M, false},
                new Object[] {MovieLensRelease.ML_10M, true},
                new Object[] {MovieLensRelease.ML_LATEST_SMALL, true},
                new Object[] {MovieLensRelease.ML_100K, true},
                new Object[] {MovieLensRelease.ML_LATEST, false},
                new Object[] {MovieLensRelease.ML_10M, false},
                new Object[] {MovieLensRelease.ML_20M, true});
        for (Object[] source : sources) {
            MovieLensRelease release = (MovieLensRelease) source[0];
            boolean zip = (Boolean) source[1];
            String name = release.label() + (zip ? "-zip" : "-dir");
            Path path = zip ? tmp.resolve(name + ".zip") : tmp.resolve(name);
            if (zip) {
                MovieLensGenerator.generateZip(CONFIG, path, release);
            } else {
                MovieLensGenerator.generate(CONFIG, path, release);
            }
            IngestionResult result = ingest(path);
            assertEquals(IngestionResult.Status.SUCCESS, result.status(), name + ": " + result.error());
            assertFalse(result.noOp(), name + " loaded, not a no-op");
            assertEquals(Map.of(), result.rejected(), name + ": nothing rejected");
            Tables want = expected(csv, release);
            Tables got = read();
            assertEquals(want.movies(), got.movies(), name + " movies");
            assertEquals(want.ratings(), got.ratings(), name + " ratings");
            assertEquals(want.tags(), got.tags(), name + " tags");
            assertEquals(want.links(), got.links(), name + " links");
            assertEquals(want.genome(), got.genome(), name + " genome");
        }
    }

    @Test
    void aSourceWithoutMovieLensFilesFailsSayingWhatItExpected() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("nothing"));
        Files.writeString(dir.resolve("README.txt"), "not a MovieLens release");
        IngestionResult result = ingest(dir);
        assertEquals(IngestionResult.Status.FAILED, result.status());
        assertTrue(result.error().contains("no MovieLens files"), result.error());
        assertTrue(result.error().contains("u.data"), result.error());
        assertTrue(result.error().contains("ratings.dat"), result.error());
    }
}
