package org.recofilms.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recofilms.ingestion.IngestionResult;
import org.recofilms.ingestion.IngestionService;
import org.recofilms.ingestion.LoadProgress;
import org.recofilms.ingestion.generator.GeneratorConfig;
import org.recofilms.ingestion.generator.MovieLensGenerator;
import org.recofilms.local.RealServicesResource;
import org.recofilms.local.TestDatabase;
import org.recofilms.platform.DvcHash;
import org.recofilms.snapshot.FactorBundle;
import org.recofilms.snapshot.ModelArtifacts;
import org.recofilms.snapshot.RatingsSnapshot;
import org.recofilms.snapshot.ServingBundle;

/** Training against the real PostgreSQL, on generated data ingested by the real ingestion. */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
@TestProfile(TrainingServiceTest.AnySizeOfData.class)
class TrainingServiceTest {

    /** Other test classes leave datasets of other sizes: the row-count check must not stop this one. */
    public static class AnySizeOfData implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reco.ingestion.row-count-tolerance", "1000");
        }
    }

    @Inject
    TrainingService training;

    @Inject
    IngestionService ingestion;

    @Inject
    AgroalDataSource dataSource;

    @TempDir
    Path tmp;

    @BeforeEach
    void ingestGeneratedData() throws Exception {
        GeneratorConfig config = GeneratorConfig.demo().toBuilder()
                .randomSeed(4242)
                .ratings(60_000)
                .users(400)
                .movies(900)
                .build();
        MovieLensGenerator.generate(config, tmp.resolve("ml"));
        IngestionResult result =
                ingestion.ingest(UUID.randomUUID(), tmp.resolve("ml").toString(), LoadProgress.NONE);
        assertEquals(IngestionResult.Status.SUCCESS, result.status(), result.error());
    }

    private long count(String sql) throws SQLException {
        return TestDatabase.count(dataSource, sql);
    }

    private long neighborsFingerprint() throws SQLException {
        return count("SELECT count(*) * 1000003 + coalesce(sum(\"movieId\"::bigint * 31 + \"neighborMovieId\" * rank"
                + " + (similarity * 1e6)::bigint), 0) FROM raw.item_neighbors");
    }

    @Test
    void trainsEvaluatesWritesArtifactsAndRefreshesTheTables() throws Exception {
        TrainingResult result = training.train(UUID.randomUUID());

        assertEquals(TrainingResult.Status.SUCCESS, result.status(), result.error());
        for (String metric : List.of(
                "precision_10",
                "recall_10",
                "ndcg_10",
                "full_recall_20",
                "full_recall_20_truncated",
                "full_recall_50_truncated",
                "full_ndcg_100",
                "full_coverage_20",
                "popularity_full_ndcg_100")) {
            assertNotNull(result.metrics().get(metric), metric + " missing: " + result.metrics());
        }
        assertTrue(result.metrics().get("ndcg_10") > 0, "the model finds held-out movies");
        assertTrue(
                result.metrics().get("full_ndcg_100") > result.metrics().get("popularity_full_ndcg_100"),
                "item-kNN beats popularity on data with taste structure: " + result.metrics());

        assertEquals(result.neighborPairs(), count("SELECT count(*) FROM raw.item_neighbors"));
        assertEquals(
                count("SELECT count(DISTINCT \"movieId\") FROM raw.current_ratings"),
                count("SELECT count(*) FROM raw.movie_popularity"),
                "popularity over every rated movie");
        assertEquals(0, count("SELECT count(*) FROM raw.item_neighbors WHERE \"movieId\" = \"neighborMovieId\""));
        assertEquals(count("SELECT count(*) FROM raw.current_ratings"), result.snapshotRows());
        assertEquals(DvcHash.md5(training.snapshotFile()), result.snapshotMd5());
        String pointer = Files.readString(training.snapshotFile().resolveSibling("training_set.parquet.dvc"));
        assertTrue(
                pointer.contains("md5: " + result.snapshotMd5()) && pointer.contains("path: training_set.parquet"),
                pointer);

        Path dir = result.artifactDir();
        assertEquals(
                result.neighborPairs(),
                ModelArtifacts.readNeighbors(dir.resolve(ModelArtifacts.NEIGHBORS_FILE))
                        .pairs());
        assertEquals(
                count("SELECT count(*) FROM raw.movie_popularity"),
                ModelArtifacts.readPopularity(dir.resolve(ModelArtifacts.POPULARITY_FILE))
                        .size());
        assertTrue(Files.readString(dir.resolve("model.json")).contains("\"k_neighbors\" : 20"));
        // the full-ranking test users' per-user metrics, for a paired promotion: the logged means and standard
        // errors are theirs
        var perUser = org.recofilms.training.evaluation.UserMetricsFile.read(
                dir.resolve(org.recofilms.training.evaluation.UserMetricsFile.FILE));
        assertEquals(result.metrics().get("full_users"), perUser.users(), 0.0);
        assertTrue(perUser.users() >= 60, "the 20% floor of about 400 users: " + perUser.users());
        var ndcg = perUser.estimate(org.recofilms.training.evaluation.FullRankingMetrics.Metric.NDCG_100);
        assertEquals(result.metrics().get("full_ndcg_100"), ndcg.mean(), 1e-12);
        assertEquals(result.metrics().get("full_ndcg_100_se"), ndcg.standardError(), 1e-12);
        assertTrue(ndcg.standardError() > 0 && ndcg.standardError() < 0.05, "se " + ndcg.standardError());

        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT status, (metrics ->> 'ndcg_10')::float8, snapshot_md5,"
                                + " snapshot_rows, params ->> 'min_ratings' FROM raw.training_run_log WHERE run_id = ?")) {
            ps.setObject(1, result.runId());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("SUCCESS", rs.getString(1));
                assertEquals(result.metrics().get("ndcg_10"), rs.getDouble(2), 1e-12);
                assertEquals(result.snapshotMd5(), rs.getString(3));
                assertEquals(result.snapshotRows(), rs.getLong(4));
                assertEquals("50", rs.getString(5));
            }
        }
        String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
        for (String name : List.of(
                "reco_training_progress",
                "reco_training_last_success",
                "reco_training_duration_seconds_count{status=\"success\"")) {
            assertTrue(metrics.contains(name), name + " missing from /q/metrics");
        }
    }

    @Test
    void everyFamilyReportsTheSameMetricsAndOnlyItemItemFamiliesRefreshTheNeighbourTable() throws Exception {
        TrainingResult knn = training.train(UUID.randomUUID());
        assertEquals(TrainingResult.Status.SUCCESS, knn.status(), knn.error());
        assertEquals("itemknn", knn.params().get("family"));

        TrainingResult rp3 = training.train(
                UUID.randomUUID(),
                Optional.empty(),
                new ModelSpec.Rp3Beta(Rp3BetaParams.defaults().withTopK(50)),
                TrainingListener.NONE);
        assertEquals(TrainingResult.Status.SUCCESS, rp3.status(), rp3.error());
        assertEquals(knn.metrics().keySet(), rp3.metrics().keySet(), "promotion compares like with like");
        assertTrue(rp3.metrics().get("ndcg_10") > 0 && rp3.metrics().get("full_ndcg_100") > 0, rp3.metrics()::toString);
        assertEquals(rp3.neighborPairs(), count("SELECT count(*) FROM raw.item_neighbors"));
        assertTrue(Files.readString(rp3.artifactDir().resolve("model.json")).contains("\"family\" : \"rp3beta\""));
        long rp3Neighbors = neighborsFingerprint();

        TrainingResult ials = training.train(
                UUID.randomUUID(),
                Optional.empty(),
                new ModelSpec.Ials(IalsParams.defaults().withFactors(8).withIterations(3)),
                TrainingListener.NONE);
        assertEquals(TrainingResult.Status.SUCCESS, ials.status(), ials.error());
        assertEquals(knn.metrics().keySet(), ials.metrics().keySet());
        assertTrue(ials.metrics().get("ndcg_10") > 0, ials.metrics()::toString);
        assertEquals(rp3Neighbors, neighborsFingerprint(), "an iALS run leaves raw.item_neighbors as it was");
        Path dir = ials.artifactDir();
        assertFalse(Files.exists(dir.resolve(ModelArtifacts.NEIGHBORS_FILE)));
        FactorBundle.Factors factors = FactorBundle.read(dir.resolve(FactorBundle.FILE));
        assertEquals(8, factors.factors());
        assertEquals(ials.movies(), factors.movieIds().length);
        assertEquals(
                0,
                ServingBundle.read(dir.resolve(ServingBundle.FILE)).neighbors().pairs());
        assertEquals(
                count("SELECT count(*) FROM raw.movie_popularity"),
                ServingBundle.read(dir.resolve(ServingBundle.FILE)).popularity().size());
        double share = ials.metrics().get("catalogue_share");
        assertTrue(share > knn.metrics().get("catalogue_share"), "iALS keeps every movie, item-kNN those with 50");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT params ->> 'family', params ->> 'factors' FROM raw.training_run_log WHERE run_id = ?")) {
            ps.setObject(1, ials.runId());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("ials", rs.getString(1));
                assertEquals("8", rs.getString(2));
            }
        }
    }

    @Test
    void aRunIsReproducibleFromItsSnapshot() throws Exception {
        TrainingResult first = training.train(UUID.randomUUID());
        assertEquals(TrainingResult.Status.SUCCESS, first.status(), first.error());
        long neighbors = neighborsFingerprint();
        Path kept = Files.copy(training.snapshotFile(), tmp.resolve("kept.parquet"));

        // the live data changes, the snapshot does not
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO raw.feedback_ratings (\"userId\", \"movieId\", rating, \"timestamp\")"
                    + " SELECT 990000 + \"userId\", \"movieId\", 5.0, 1400000000 FROM raw.current_ratings LIMIT 500");
        }
        try {
            TrainingResult again = training.train(UUID.randomUUID(), Optional.of(kept), training.params());
            assertEquals(TrainingResult.Status.SUCCESS, again.status(), again.error());
            assertEquals(first.snapshotMd5(), again.snapshotMd5());
            assertEquals(first.metrics().get("ndcg_10"), again.metrics().get("ndcg_10"));
            assertEquals(neighbors, neighborsFingerprint(), "same snapshot, same neighbours");
        } finally {
            try (Connection c = dataSource.getConnection();
                    Statement st = c.createStatement()) {
                st.execute("DELETE FROM raw.feedback_ratings WHERE \"userId\" >= 990000");
            }
        }
    }

    @Test
    void aBadSnapshotFailsClearlyAndLeavesTheModelTablesAlone() throws Exception {
        TrainingResult good = training.train(UUID.randomUUID());
        assertEquals(TrainingResult.Status.SUCCESS, good.status(), good.error());
        long neighbors = neighborsFingerprint();

        Path garbage = Files.writeString(tmp.resolve("garbage.parquet"), "not a parquet file at all");
        TrainingResult corrupt = training.train(UUID.randomUUID(), Optional.of(garbage), training.params());
        assertEquals(TrainingResult.Status.FAILED, corrupt.status());
        assertTrue(corrupt.error().contains("garbage.parquet"), corrupt.error());

        TrainingResult missing =
                training.train(UUID.randomUUID(), Optional.of(tmp.resolve("nope.parquet")), training.params());
        assertEquals(TrainingResult.Status.FAILED, missing.status());
        assertTrue(missing.error().contains("not found"), missing.error());

        Path empty = tmp.resolve("empty.parquet");
        RatingsSnapshot.write(
                empty,
                new org.recofilms.snapshot.SnapshotRatings(new int[0], new int[0], new float[0], new long[0]),
                org.recofilms.snapshot.Codec.ZSTD);
        TrainingResult none = training.train(UUID.randomUUID(), Optional.of(empty), training.params());
        assertEquals(TrainingResult.Status.FAILED, none.status());
        assertTrue(none.error().contains("no rows") || none.error().contains("no ratings"), none.error());

        assertEquals(neighbors, neighborsFingerprint(), "the tables still hold the last good model");
        assertEquals(
                3,
                count("SELECT count(*) FROM raw.training_run_log WHERE status = 'FAILED' AND run_id IN ('"
                        + corrupt.runId() + "', '" + missing.runId() + "', '" + none.runId() + "')"));
    }
}
