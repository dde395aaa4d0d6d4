package org.recofilms.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.generator.BadRows;
import org.recofilms.ingestion.generator.GenerationReport;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealServicesResource;
import org.recofilms.local.TestDatabase;

/** Ingestion against the real PostgreSQL, on generated MovieLens-format data. */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
class IngestionServiceTest {

    @Inject
    IngestionService ingestion;

    @Inject
    AgroalDataSource dataSource;

    @TempDir
    Path tmp;

    /**
     * Each test starts as a first load: the classes before this one (IngestionLayoutsTest, say) leave
     * datasets of other sizes, and the row-count check compares with the last successful run, which
     * these tests make themselves.
     */
    @BeforeEach
    void forgetEarlierSuccessfulRuns() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st =
                        c.prepareStatement("DELETE FROM raw.ingestion_run_log WHERE status = 'SUCCESS'")) {
            st.executeUpdate();
        }
    }

    /** A few thousand ratings over enough movies that a handful of bad lines stays under 1%. */
    private static GeneratorConfig small(long randomSeed) {
        return GeneratorConfig.demo().toBuilder()
                .randomSeed(randomSeed)
                .users(200)
                .movies(800)
                .ratings(20_000)
                .tags(600)
                .genomeMovies(100)
                .genomeTags(30)
                .build();
    }

    private GenerationReport generate(GeneratorConfig config, String name) throws IOException {
        return MovieLensGenerator.generate(config, tmp.resolve(name));
    }

    private IngestionResult ingest(String dir) {
        return ingestion.ingest(UUID.randomUUID(), tmp.resolve(dir).toString(), LoadProgress.NONE);
    }

    private long count(String sql) throws SQLException {
        return TestDatabase.count(dataSource, sql);
    }

    /** A fingerprint of the live ratings: changes when any row does. */
    private long ratingsFingerprint() throws SQLException {
        return count(
                "SELECT count(*) * 1000003 + coalesce(sum(\"userId\"::bigint * 31 + \"movieId\" + (rating * 2)::int), 0)"
                        + " FROM raw.raw_ratings");
    }

    @Test
    void rejectsAreCountedExactlyByKindAndTheRestIsLoaded() throws Exception {
        GenerationReport report = generate(small(101).withBadRows(BadRows.eachKind(3)), "bad");
        IngestionResult result = ingest("bad");

        assertEquals(IngestionResult.Status.SUCCESS, result.status(), result.error());
        for (String file : MovieLensFileSet.ALL) {
            for (RejectKind kind : RejectKind.values()) {
                assertEquals(report.badRows(file, kind), result.rejected(file, kind), file + " " + kind);
            }
        }
        assertEquals(report.goodRows(MovieLensFileSet.RATINGS), count("SELECT count(*) FROM raw.raw_ratings"));
        assertEquals(report.goodRows(MovieLensFileSet.MOVIES), count("SELECT count(*) FROM raw.raw_movies"));
        assertEquals(report.goodRows(MovieLensFileSet.TAGS), count("SELECT count(*) FROM raw.raw_tags"));
        assertEquals(
                report.goodRows(MovieLensFileSet.GENOME_SCORES), count("SELECT count(*) FROM raw.raw_genome_scores"));
        assertEquals(
                report.totalBadRows(),
                count("SELECT count(*) FROM raw.ingestion_rejects WHERE run_id = '" + result.runId() + "'"),
                "every rejected line kept with its file and line number");
        assertEquals(
                0,
                count("SELECT count(*) FROM raw.ingestion_rejects WHERE run_id = '" + result.runId()
                        + "' AND line_number < 2"));
        assertEquals(
                report.goodRows(MovieLensFileSet.RATINGS),
                count("SELECT count(*) FROM raw.current_ratings" + " WHERE \"userId\" < 900000"),
                "the views were recreated over the new tables");
        assertTrue(result.datasetMd5().endsWith(".dir"));
        String pointer = Files.readString(ingestion.pointerFile());
        assertTrue(pointer.contains("md5: " + result.datasetMd5()), pointer);
        assertTrue(pointer.contains("path: test-data/raw"), pointer);
    }

    @Test
    void qualityChecksAreLoggedAndTheRunLogHasCountsPerTable() throws Exception {
        generate(small(102), "clean");
        IngestionResult result = ingest("clean");
        assertEquals(IngestionResult.Status.SUCCESS, result.status(), result.error());
        List<String> names = result.checks().stream().map(QualityCheck::name).toList();
        assertTrue(
                names.containsAll(List.of(
                        "ratings_in_range_not_null",
                        "user_id_not_null",
                        "movie_id_not_null",
                        "rated_movies_exist",
                        "no_duplicate_user_movie_timestamp",
                        "row_counts_vs_previous",
                        "timestamps_in_range",
                        "genres_parse")),
                names.toString());
        assertEquals(
                names.size(),
                count("SELECT count(*) FROM raw.quality_checks_log WHERE run_id = '" + result.runId() + "'"));
        assertEquals(
                0,
                count("SELECT count(*) FROM raw.quality_checks_log WHERE run_id = '" + result.runId()
                        + "' AND status = 'FAIL'"));
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT status, rows_total ->> 'raw_ratings', duration_seconds,"
                                + " finished_at IS NOT NULL, dataset_md5 FROM raw.ingestion_run_log WHERE run_id = ?")) {
            ps.setObject(1, result.runId());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("SUCCESS", rs.getString(1));
                assertEquals(count("SELECT count(*) FROM raw.raw_ratings"), Long.parseLong(rs.getString(2)));
                assertTrue(rs.getDouble(3) > 0);
                assertTrue(rs.getBoolean(4));
                assertEquals(result.datasetMd5(), rs.getString(5));
            }
        }
    }

    @Test
    void reIngestingUnchangedFilesIsARecordedNoOp() throws Exception {
        generate(small(103), "same");
        IngestionResult first = ingest("same");
        assertEquals(IngestionResult.Status.SUCCESS, first.status(), first.error());
        long before = ratingsFingerprint();

        IngestionResult again = ingest("same");
        assertEquals(IngestionResult.Status.SUCCESS, again.status());
        assertTrue(again.noOp(), "unchanged checksums: nothing to load");
        assertEquals(first.datasetMd5(), again.datasetMd5());
        assertEquals(before, ratingsFingerprint(), "no row duplicated or changed");
        assertEquals(
                1,
                count("SELECT count(*) FROM raw.ingestion_run_log WHERE no_op AND run_id = '" + again.runId() + "'"));
    }

    @Test
    void aFailureHalfwayLeavesThePreviousDataInPlace() throws Exception {
        generate(small(104), "before");
        generate(small(105), "after");
        assertEquals(IngestionResult.Status.SUCCESS, ingest("before").status());
        long before = ratingsFingerprint();
        long movies = count("SELECT count(*) FROM raw.raw_movies");

        IngestionResult failed =
                ingestion.ingest(UUID.randomUUID(), tmp.resolve("after").toString(), new LoadProgress() {
                    @Override
                    public void fileStaged(String file, long rows, long rejected) {
                        if (file.equals(MovieLensFileSet.RATINGS)) {
                            throw new IllegalStateException("forced failure after staging " + file);
                        }
                    }
                });

        assertEquals(IngestionResult.Status.FAILED, failed.status());
        assertTrue(failed.error().contains("forced failure"), failed.error());
        assertEquals(before, ratingsFingerprint(), "the live ratings are the previous ones");
        assertEquals(movies, count("SELECT count(*) FROM raw.raw_movies"));
        assertEquals(0, count("SELECT count(*) FROM pg_namespace WHERE nspname = 'raw_stage'"), "staging dropped");
        assertEquals(
                1,
                count("SELECT count(*) FROM raw.ingestion_run_log WHERE status = 'FAILED' AND run_id = '"
                        + failed.runId() + "'"));
    }

    @Test
    void aFailingBlockingCheckIsReportedAndNothingIsSwapped() throws Exception {
        generate(small(106), "full");
        generate(small(107).toBuilder().ratings(4_000).users(150).build(), "shrunk");
        assertEquals(IngestionResult.Status.SUCCESS, ingest("full").status());
        long before = ratingsFingerprint();

        IngestionResult result = ingest("shrunk");

        assertEquals(IngestionResult.Status.FAILED, result.status());
        assertTrue(result.error().contains("row_counts_vs_previous"), result.error());
        assertEquals(before, ratingsFingerprint());
        assertEquals(
                1,
                count("SELECT count(*) FROM raw.quality_checks_log WHERE run_id = '" + result.runId()
                        + "' AND check_name = 'row_counts_vs_previous' AND status = 'FAIL' AND blocking"));
    }

    @Test
    void duplicatesInAFileNotGroupedByUserAreFoundBySql() throws Exception {
        generate(small(114), "ungrouped");
        Path ratings = tmp.resolve("ungrouped").resolve(MovieLensFileSet.RATINGS);
        List<String> lines = Files.readAllLines(ratings);
        String firstRating = lines.get(1);
        Files.writeString(ratings, firstRating + "\n", java.nio.file.StandardOpenOption.APPEND);

        IngestionResult result = ingest("ungrouped");

        assertEquals(IngestionResult.Status.SUCCESS, result.status(), result.error());
        assertEquals(1, result.rejected(MovieLensFileSet.RATINGS, RejectKind.DUPLICATE_PAIR));
        assertEquals(lines.size() - 1, count("SELECT count(*) FROM raw.raw_ratings"));
        assertEquals(
                1,
                count("SELECT count(*) FROM raw.ingestion_rejects WHERE run_id = '" + result.runId()
                        + "' AND kind = 'DUPLICATE_PAIR' AND line_number < 0"),
                "found by SQL: line unknown");
    }

    @Test
    void tooManyRejectsFailTheRun() throws Exception {
        generate(small(108).withBadRows(BadRows.of(RejectKind.RATING_NOT_HALF_STEP, 400)), "noisy");
        IngestionResult result = ingest("noisy");
        assertEquals(IngestionResult.Status.FAILED, result.status());
        assertTrue(result.error().contains("too many rejected lines in ratings.csv"), result.error());
        assertTrue(result.error().contains("RATING_NOT_HALF_STEP"), result.error());
    }

    @Test
    void nonPositiveMovieIdsAreRejectsNotAFailedRun() throws Exception {
        generate(small(115).withBadRows(BadRows.none()), "negative");
        Path movies = tmp.resolve("negative").resolve(MovieLensFileSet.MOVIES);
        long good = Files.readAllLines(movies).size() - 1;
        Files.writeString(
                movies, "-5,Some Movie (2000),Comedy\n0,Zero (2000),Drama\n", java.nio.file.StandardOpenOption.APPEND);

        IngestionResult result = ingest("negative");

        assertEquals(IngestionResult.Status.SUCCESS, result.status(), result.error());
        assertEquals(2, result.rejected(MovieLensFileSet.MOVIES, RejectKind.NON_POSITIVE_ID));
        assertEquals(good, count("SELECT count(*) FROM raw.raw_movies"));
    }

    @Test
    void aZipSourceIsExtractedAndLoaded() throws Exception {
        GenerationReport report = MovieLensGenerator.generateZip(small(109), tmp.resolve("ml.zip"));
        IngestionResult result =
                ingestion.ingest(UUID.randomUUID(), tmp.resolve("ml.zip").toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.SUCCESS, result.status(), result.error());
        assertEquals(report.goodRows(MovieLensFileSet.RATINGS), count("SELECT count(*) FROM raw.raw_ratings"));
    }

    @Test
    void brokenSourcesFailWithAClearMessageAndLoseNothing() throws Exception {
        generate(small(110), "good");
        assertEquals(IngestionResult.Status.SUCCESS, ingest("good").status());
        long before = ratingsFingerprint();

        generate(small(111), "header");
        Path ratings = tmp.resolve("header").resolve(MovieLensFileSet.RATINGS);
        List<String> lines = Files.readAllLines(ratings);
        lines.set(0, "user,movie,rating,timestamp");
        Files.write(ratings, lines);
        IngestionResult wrongHeader = ingest("header");
        assertEquals(IngestionResult.Status.FAILED, wrongHeader.status());
        assertTrue(wrongHeader.error().startsWith("wrong header in ratings.csv"), wrongHeader.error());

        generate(small(112), "missing");
        Files.delete(tmp.resolve("missing").resolve(MovieLensFileSet.MOVIES));
        IngestionResult missing = ingest("missing");
        assertEquals(IngestionResult.Status.FAILED, missing.status());
        assertTrue(missing.error().contains("required file missing"), missing.error());

        Path corrupt = tmp.resolve("corrupt.zip");
        Files.write(corrupt, "PK\u0003\u0004 this is not a zip".getBytes());
        IngestionResult badZip = ingestion.ingest(UUID.randomUUID(), corrupt.toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.FAILED, badZip.status());
        assertTrue(badZip.error().contains("corrupt zip"), badZip.error());

        assertEquals(before, ratingsFingerprint(), "none of them touched the live data");
    }

    @Test
    void progressIsReportedPerFile() throws Exception {
        generate(small(113), "progress");
        Map<String, Long> staged = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> phases = new java.util.concurrent.CopyOnWriteArrayList<>();
        IngestionResult result =
                ingestion.ingest(UUID.randomUUID(), tmp.resolve("progress").toString(), new LoadProgress() {
                    @Override
                    public void fileStaged(String file, long rows, long rejected) {
                        staged.put(file, rows);
                    }

                    @Override
                    public void phase(String phase) {
                        phases.add(phase);
                    }
                });
        assertNull(result.error());
        assertEquals(6, staged.size());
        assertEquals(List.of("source", "staging", "indexes", "checks", "swap"), phases);
        assertFalse(result.noOp());
        String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
        for (String name : List.of(
                "reco_ingestion_rows_total{file=\"ratings.csv\"",
                "reco_ingestion_progress",
                "reco_ingestion_rows_per_second",
                "reco_ingestion_duration_seconds_count{status=\"success\"",
                "reco_ingestion_last_success")) {
            assertTrue(metrics.contains(name), name + " missing from /q/metrics");
        }
    }
}
