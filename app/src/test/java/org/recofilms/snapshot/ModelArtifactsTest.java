package org.recofilms.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelArtifactsTest {

    @TempDir
    Path dir;

    /** Random neighbour lists of 0 to {@code maxNeighbors} entries; about one movie in five has none. */
    static NeighborArrays randomNeighbors(int movies, int maxNeighbors, long randomSeed) {
        SplittableRandom random = new SplittableRandom(randomSeed);
        int[] movieIds = new int[movies];
        int[] offsets = new int[movies + 1];
        int id = random.nextInt(5) - 2;
        for (int i = 0; i < movies; i++) {
            movieIds[i] = id;
            id += 1 + random.nextInt(10);
            int count = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(maxNeighbors);
            offsets[i + 1] = offsets[i] + count;
        }
        int[] neighborIds = new int[offsets[movies]];
        float[] similarities = new float[offsets[movies]];
        for (int p = 0; p < neighborIds.length; p++) {
            neighborIds[p] = movieIds[random.nextInt(movies)];
            similarities[p] = (float) random.nextDouble();
        }
        return new NeighborArrays(movieIds, offsets, neighborIds, similarities);
    }

    static PopularityArrays randomPopularity(int movies, long randomSeed) {
        SplittableRandom random = new SplittableRandom(randomSeed);
        PopularityArrays p =
                new PopularityArrays(new int[movies], new int[movies], new float[movies], new double[movies]);
        for (int i = 0; i < movies; i++) {
            p.movieIds()[i] = random.nextInt(1, 200_000);
            p.nRatings()[i] = random.nextInt(1, 70_000);
            p.meanRatings()[i] = (float) (0.5 + 4.5 * random.nextDouble());
            p.bayesScores()[i] = 0.5 + 4.5 * random.nextDouble();
        }
        return p;
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void neighboursRoundTripWithEmptyLists(Codec codec) {
        NeighborArrays neighbors = randomNeighbors(3_000, 20, 1);
        Path file = dir.resolve(ModelArtifacts.NEIGHBORS_FILE);

        SnapshotInfo info = ModelArtifacts.writeNeighbors(file, neighbors, codec);

        assertEquals(neighbors.pairs(), info.rows());
        assertEquals(neighbors, ModelArtifacts.readNeighbors(file));
    }

    @Test
    void emptyListsAtBothEndsAndNoListsAtAllRoundTrip() {
        int[] offsets = {0, 0, 2, 3, 3};
        float[] similarities = {0.9f, 0.1f, 1.0f};
        NeighborArrays edges = new NeighborArrays(new int[] {3, 5, 8, 13}, offsets, new int[] {8, 3, 5}, similarities);
        NeighborArrays none = new NeighborArrays(new int[] {1, 2}, new int[] {0, 0, 0}, new int[0], new float[0]);
        NeighborArrays empty = new NeighborArrays(new int[0], new int[] {0}, new int[0], new float[0]);

        for (NeighborArrays neighbors : List.of(edges, none, empty)) {
            Path file = dir.resolve(neighbors.size() + "-" + ModelArtifacts.NEIGHBORS_FILE);
            ModelArtifacts.writeNeighbors(file, neighbors);
            assertEquals(neighbors, ModelArtifacts.readNeighbors(file), neighbors.toString());
        }
    }

    @Test
    void moviesWithoutNeighboursAreListedInTheFooterOnlyWhenThereAreAny() throws IOException {
        Path lonely = dir.resolve("lonely.parquet");
        Path full = dir.resolve("full.parquet");
        ModelArtifacts.writeNeighbors(
                lonely,
                new NeighborArrays(new int[] {3, 5, 8}, new int[] {0, 0, 1, 1}, new int[] {8}, new float[] {0.5f}));
        ModelArtifacts.writeNeighbors(
                full, new NeighborArrays(new int[] {3, 5}, new int[] {0, 1, 2}, new int[] {5, 3}, new float[] {1, 1}));

        assertEquals(
                "3,8",
                TestFiles.footer(lonely)
                        .getFileMetaData()
                        .getKeyValueMetaData()
                        .get(ModelArtifacts.MOVIES_WITHOUT_NEIGHBORS_KEY));
        assertFalse(TestFiles.footer(full)
                .getFileMetaData()
                .getKeyValueMetaData()
                .containsKey(ModelArtifacts.MOVIES_WITHOUT_NEIGHBORS_KEY));
    }

    @Test
    void neighbourFileHasTheSeedColumns() throws IOException {
        Path file = dir.resolve(ModelArtifacts.NEIGHBORS_FILE);
        ModelArtifacts.writeNeighbors(file, randomNeighbors(100, 5, 2));

        MessageType schema = TestFiles.footer(file).getFileMetaData().getSchema();

        assertColumns(
                schema,
                List.of("movieId", "neighborMovieId", "similarity"),
                List.of(PrimitiveTypeName.INT32, PrimitiveTypeName.INT32, PrimitiveTypeName.FLOAT));
        assertEquals(ModelArtifacts.NEIGHBORS_SCHEMA, schema);
    }

    @Test
    void popularityFileHasTheSeedColumns() throws IOException {
        Path file = dir.resolve(ModelArtifacts.POPULARITY_FILE);
        ModelArtifacts.writePopularity(file, randomPopularity(100, 2));

        MessageType schema = TestFiles.footer(file).getFileMetaData().getSchema();

        assertColumns(
                schema,
                List.of("movieId", "n_ratings", "mean_rating", "bayes_score"),
                List.of(
                        PrimitiveTypeName.INT32,
                        PrimitiveTypeName.INT32,
                        PrimitiveTypeName.FLOAT,
                        PrimitiveTypeName.DOUBLE));
        assertEquals(ModelArtifacts.POPULARITY_SCHEMA, schema);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void popularityRoundTripsInFileOrder(Codec codec) {
        PopularityArrays popularity = randomPopularity(27_278, 3);
        popularity.meanRatings()[0] = Float.NaN;
        popularity.bayesScores()[1] = Double.MIN_VALUE;
        popularity.nRatings()[2] = Integer.MAX_VALUE;
        Path file = dir.resolve(ModelArtifacts.POPULARITY_FILE);

        SnapshotInfo info = ModelArtifacts.writePopularity(file, popularity, codec);

        assertEquals(27_278, info.rows());
        assertEquals(popularity, ModelArtifacts.readPopularity(file));
    }

    @Test
    void equalModelsGiveEqualBytes() throws IOException {
        NeighborArrays neighbors = randomNeighbors(2_000, 20, 4);
        PopularityArrays popularity = randomPopularity(2_000, 4);

        SnapshotInfo n1 = ModelArtifacts.writeNeighbors(dir.resolve("a/n.parquet"), neighbors);
        SnapshotInfo n2 = ModelArtifacts.writeNeighbors(dir.resolve("b/n.parquet"), neighbors);
        SnapshotInfo p1 = ModelArtifacts.writePopularity(dir.resolve("a/p.parquet"), popularity);
        SnapshotInfo p2 = ModelArtifacts.writePopularity(dir.resolve("b/p.parquet"), popularity);

        assertArrayEquals(Files.readAllBytes(n1.path()), Files.readAllBytes(n2.path()));
        assertArrayEquals(Files.readAllBytes(p1.path()), Files.readAllBytes(p2.path()));
        assertEquals(n1.md5(), n2.md5());
        assertEquals(p1.md5(), org.recofilms.platform.DvcHash.md5(p2.path()));
    }

    @Test
    void rowsInAnyOrderAreGroupedByMovieKeepingListOrder() {
        MessageType schema = ModelArtifacts.NEIGHBORS_SCHEMA;
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {20, 1, 0.9f});
        rows.add(new Object[] {10, 20, 0.8f});
        rows.add(new Object[] {20, 10, 0.7f});
        rows.add(new Object[] {10, 30, 0.6f});
        rows.add(new Object[] {-5, 10, 0.5f});
        Path file = TestFiles.writeFile(dir.resolve("shuffled.parquet"), schema, rows);

        NeighborArrays read = ModelArtifacts.readNeighbors(file);

        int[] movieIds = {-5, 10, 20};
        int[] offsets = {0, 1, 3, 5};
        int[] neighborIds = {10, 20, 30, 1, 10};
        float[] similarities = {0.5f, 0.8f, 0.6f, 0.9f, 0.7f};
        assertEquals(new NeighborArrays(movieIds, offsets, neighborIds, similarities), read);
    }

    @Test
    void garbageBytesAreNotAnArtifact() throws IOException {
        Path file = dir.resolve(ModelArtifacts.NEIGHBORS_FILE);
        byte[] garbage = new byte[4096];
        new SplittableRandom(9).nextBytes(garbage);
        Files.write(file, garbage);

        SnapshotException neighbors = assertThrows(SnapshotException.class, () -> ModelArtifacts.readNeighbors(file));
        SnapshotException popularity = assertThrows(SnapshotException.class, () -> ModelArtifacts.readPopularity(file));

        assertTrue(
                neighbors
                        .getMessage()
                        .startsWith("item_neighbors artifact " + file + " is not a readable Parquet file"),
                neighbors.getMessage());
        assertTrue(
                popularity
                        .getMessage()
                        .startsWith("movie_popularity artifact " + file + " is not a readable Parquet file"),
                popularity.getMessage());
    }

    @Test
    void parquetWithOtherColumnsIsRejectedWithTheMissingColumn() {
        Path popularity = dir.resolve(ModelArtifacts.POPULARITY_FILE);
        ModelArtifacts.writePopularity(popularity, randomPopularity(10, 5));
        Path neighbors = dir.resolve(ModelArtifacts.NEIGHBORS_FILE);
        ModelArtifacts.writeNeighbors(neighbors, randomNeighbors(10, 3, 5));

        SnapshotException swapped =
                assertThrows(SnapshotException.class, () -> ModelArtifacts.readNeighbors(popularity));
        SnapshotException swappedBack =
                assertThrows(SnapshotException.class, () -> ModelArtifacts.readPopularity(neighbors));

        assertEquals(
                "item_neighbors artifact " + popularity + " has no column 'neighborMovieId' (its columns: movieId,"
                        + " n_ratings, mean_rating, bayes_score)",
                swapped.getMessage());
        assertEquals(
                "movie_popularity artifact " + neighbors + " has no column 'n_ratings' (its columns: movieId,"
                        + " neighborMovieId, similarity)",
                swappedBack.getMessage());
    }

    @Test
    void doubleSimilarityIsTheWrongType() {
        MessageType schema = Types.buildMessage()
                .required(PrimitiveTypeName.INT32)
                .named("movieId")
                .required(PrimitiveTypeName.INT32)
                .named("neighborMovieId")
                .required(PrimitiveTypeName.DOUBLE)
                .named("similarity")
                .named("item_neighbors");
        Path file = TestFiles.writeFile(dir.resolve("n.parquet"), schema, List.<Object[]>of(new Object[] {1, 2, 0.5}));

        SnapshotException e = assertThrows(SnapshotException.class, () -> ModelArtifacts.readNeighbors(file));

        assertEquals(
                "item_neighbors artifact " + file + " has column 'similarity' of type double (64-bit), expected float"
                        + " (32-bit)",
                e.getMessage());
    }

    @Test
    void missingAndEmptyArtifactsAreNamed() throws IOException {
        Path missing = dir.resolve("gone.parquet");
        Path empty = Files.createFile(dir.resolve("empty.parquet"));

        assertEquals(
                "movie_popularity artifact " + missing + " does not exist",
                assertThrows(SnapshotException.class, () -> ModelArtifacts.readPopularity(missing))
                        .getMessage());
        assertEquals(
                "item_neighbors artifact " + empty + " is empty (0 bytes)",
                assertThrows(SnapshotException.class, () -> ModelArtifacts.readNeighbors(empty))
                        .getMessage());
    }

    @Test
    void neighbourArraysMustBeConsistent() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new NeighborArrays(new int[] {2, 1}, new int[] {0, 0, 0}, new int[0], new float[0]));
        assertThrows(
                IllegalArgumentException.class,
                () -> new NeighborArrays(new int[] {1, 2}, new int[] {0, 2, 1}, new int[1], new float[1]));
        assertThrows(
                IllegalArgumentException.class,
                () -> new NeighborArrays(new int[] {1}, new int[] {0, 1}, new int[1], new float[2]));
        assertThrows(
                IllegalArgumentException.class,
                () -> new PopularityArrays(new int[1], new int[1], new float[1], new double[0]));
    }

    private static void assertColumns(MessageType schema, List<String> names, List<PrimitiveTypeName> types) {
        assertEquals(names, schema.getFields().stream().map(Type::getName).toList());
        assertEquals(
                types,
                schema.getFields().stream()
                        .map(f -> f.asPrimitiveType().getPrimitiveTypeName())
                        .toList());
        for (Type field : schema.getFields()) {
            assertTrue(field.isRepetition(Type.Repetition.REQUIRED), field + " is required");
            assertNull(field.getLogicalTypeAnnotation(), field + " has no logical type");
        }
    }
}
