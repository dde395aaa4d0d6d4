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
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RatingsSnapshotTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Codec.class)
    void roundTripKeepsEveryRowInOrder(Codec codec) {
        SnapshotRatings ratings = TestFiles.randomRatings(30_000, 7);
        Path file = dir.resolve("data/training_set.parquet");

        SnapshotInfo info = RatingsSnapshot.write(file, ratings, codec);

        assertEquals(file.toAbsolutePath(), info.path());
        assertEquals(30_000, info.rows());
        assertEquals(ratings, RatingsSnapshot.read(file));
    }

    @Test
    void manyRowGroupsAreReadInParallelIntoTheRightSlices() throws IOException {
        // 1.3M rows in row groups of 100k: above the parallel threshold, with a short last group
        SnapshotRatings ratings = TestFiles.randomRatings(1_300_007, 11);
        Path file = dir.resolve("training_set.parquet");

        RatingsSnapshot.write(file, ratings, Codec.ZSTD, 100_000);

        assertEquals(14, TestFiles.footer(file).getBlocks().size());
        assertEquals(ratings, RatingsSnapshot.read(file));
    }

    @Test
    void fileHasExactlyTheSnapshotSchema() throws IOException {
        Path file = dir.resolve("training_set.parquet");
        RatingsSnapshot.write(file, TestFiles.randomRatings(1_000, 3), Codec.ZSTD);

        ParquetMetadata footer = TestFiles.footer(file);
        MessageType schema = footer.getFileMetaData().getSchema();
        assertEquals(
                List.of("userId", "movieId", "rating", "timestamp"),
                schema.getFields().stream().map(Type::getName).toList());
        assertEquals(
                List.of(
                        PrimitiveTypeName.INT32,
                        PrimitiveTypeName.INT32,
                        PrimitiveTypeName.FLOAT,
                        PrimitiveTypeName.INT64),
                schema.getFields().stream()
                        .map(f -> f.asPrimitiveType().getPrimitiveTypeName())
                        .toList());
        for (Type field : schema.getFields()) {
            assertTrue(field.isRepetition(Type.Repetition.REQUIRED), field + " is required");
            assertNull(field.getLogicalTypeAnnotation(), field + " has no logical type");
        }
        assertEquals(RatingsSnapshot.SCHEMA, schema);
        assertTrue(footer.getFileMetaData().getCreatedBy().startsWith("parquet-mr"));
        assertEquals(1_000, footer.getBlocks().get(0).getRowCount());
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void columnsUseTheChosenCodecAndEncodings(Codec codec) throws IOException {
        Path file = dir.resolve("training_set.parquet");
        RatingsSnapshot.write(file, TestFiles.randomRatings(5_000, 5), codec);

        BlockMetaData group = TestFiles.footer(file).getBlocks().get(0);
        for (ColumnChunkMetaData column : group.getColumns()) {
            assertEquals(CompressionCodecName.valueOf(codec.name()), column.getCodec(), column.getPath() + " codec");
        }
        Map<String, Set<Encoding>> encodings = new java.util.HashMap<>();
        group.getColumns().forEach(c -> encodings.put(c.getPath().toDotString(), c.getEncodings()));
        assertTrue(encodings.get("userId").contains(Encoding.DELTA_BINARY_PACKED), encodings.toString());
        assertTrue(encodings.get("timestamp").contains(Encoding.DELTA_BINARY_PACKED), encodings.toString());
        assertTrue(encodings.get("rating").contains(Encoding.RLE_DICTIONARY), encodings.toString());
    }

    @Test
    void equalInputGivesEqualBytesAndTheMd5OfThoseBytes() throws Exception {
        SnapshotRatings ratings = TestFiles.randomRatings(20_000, 13);
        Path first = dir.resolve("a/training_set.parquet");
        Path second = dir.resolve("b/training_set.parquet");

        SnapshotInfo a = RatingsSnapshot.write(first, ratings, Codec.ZSTD);
        SnapshotInfo b = RatingsSnapshot.write(second, ratings, Codec.ZSTD);

        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        assertEquals(a.md5(), b.md5());
        byte[] bytes = Files.readAllBytes(first);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)), a.md5());
        assertEquals(bytes.length, a.bytes());
    }

    @Test
    void missingFileIsABadSnapshot() {
        Path file = dir.resolve("nowhere/training_set.parquet");

        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));

        assertEquals("snapshot " + file + " does not exist", e.getMessage());
    }

    @Test
    void emptyFileIsABadSnapshot() throws IOException {
        Path file = Files.createFile(dir.resolve("training_set.parquet"));

        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));

        assertEquals("snapshot " + file + " is empty (0 bytes)", e.getMessage());
    }

    @Test
    void snapshotWithoutRowsIsABadSnapshot() {
        Path file = dir.resolve("training_set.parquet");
        RatingsSnapshot.write(file, TestFiles.randomRatings(0, 1), Codec.ZSTD);

        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));

        assertEquals("snapshot " + file + " has no rows", e.getMessage());
    }

    @Test
    void garbageIsNotParquet() throws IOException {
        Path file = dir.resolve("training_set.parquet");
        Files.write(file, "userId,movieId,rating,timestamp\n1,2,3.5,1112486027\n".getBytes());

        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));

        assertTrue(e.getMessage().startsWith("snapshot " + file + " is not a readable Parquet file ("), e.getMessage());
    }

    @Test
    void truncatedFileIsNotReadable() throws IOException {
        Path file = dir.resolve("training_set.parquet");
        RatingsSnapshot.write(file, TestFiles.randomRatings(10_000, 2), Codec.ZSTD);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));

        assertTrue(e.getMessage().contains("is not a readable Parquet file"), e.getMessage());
    }

    @Test
    void damagedDataPageFailsItsChecksum() throws IOException {
        Path file = dir.resolve("training_set.parquet");
        RatingsSnapshot.write(file, TestFiles.randomRatings(50_000, 2), Codec.ZSTD);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 4] ^= 0x5a; // inside the column data, far from the footer
        Files.write(file, bytes);

        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));

        assertTrue(e.getMessage().startsWith("snapshot " + file + " is corrupt: "), e.getMessage());
    }

    @Test
    void missingColumnIsNamed() {
        MessageType schema = Types.buildMessage()
                .required(PrimitiveTypeName.INT32)
                .named("userId")
                .required(PrimitiveTypeName.INT32)
                .named("movieId")
                .required(PrimitiveTypeName.INT64)
                .named("timestamp")
                .named("ratings");
        Path file = TestFiles.writeFile(
                dir.resolve("training_set.parquet"), schema, List.<Object[]>of(new Object[] {1, 2, 3L}));

        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));

        assertEquals(
                "snapshot " + file + " has no column 'rating' (its columns: userId, movieId, timestamp)",
                e.getMessage());
    }

    @Test
    void wrongTypeIsNamed() {
        // what pandas writes for a float64 rating column
        MessageType schema = Types.buildMessage()
                .required(PrimitiveTypeName.INT32)
                .named("userId")
                .required(PrimitiveTypeName.INT32)
                .named("movieId")
                .required(PrimitiveTypeName.DOUBLE)
                .named("rating")
                .required(PrimitiveTypeName.INT64)
                .named("timestamp")
                .named("ratings");
        Path file = TestFiles.writeFile(
                dir.resolve("training_set.parquet"), schema, List.<Object[]>of(new Object[] {1, 2, 3.5, 4L}));

        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));

        assertEquals(
                "snapshot " + file + " has column 'rating' of type double (64-bit), expected float (32-bit)",
                e.getMessage());
    }

    @Test
    void annotatedIntegerOfAnotherKindIsRejected() {
        MessageType schema = Types.buildMessage()
                .required(PrimitiveTypeName.INT32)
                .as(org.apache.parquet.schema.LogicalTypeAnnotation.dateType())
                .named("userId")
                .required(PrimitiveTypeName.INT32)
                .named("movieId")
                .required(PrimitiveTypeName.FLOAT)
                .named("rating")
                .required(PrimitiveTypeName.INT64)
                .named("timestamp")
                .named("ratings");
        Path file = TestFiles.writeFile(
                dir.resolve("training_set.parquet"), schema, List.<Object[]>of(new Object[] {1, 2, 3.5f, 4L}));

        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));

        assertTrue(e.getMessage().contains("column 'userId' of type int32 annotated DATE"), e.getMessage());
    }

    @Test
    void optionalColumnsWithoutNullsAndExtraColumnsAreAccepted() {
        // the shape pandas gives: nullable columns, signed-int annotations, an index column
        MessageType schema = Types.buildMessage()
                .optional(PrimitiveTypeName.INT64)
                .named("__index_level_0__")
                .optional(PrimitiveTypeName.INT32)
                .as(org.apache.parquet.schema.LogicalTypeAnnotation.intType(32, true))
                .named("userId")
                .optional(PrimitiveTypeName.INT32)
                .named("movieId")
                .optional(PrimitiveTypeName.FLOAT)
                .named("rating")
                .optional(PrimitiveTypeName.INT64)
                .named("timestamp")
                .named("schema");
        Path file = TestFiles.writeFile(
                dir.resolve("training_set.parquet"),
                schema,
                List.of(new Object[] {0L, 1, 10, 4.5f, 100L}, new Object[] {1L, 2, 20, 1.0f, 200L}));

        SnapshotRatings read = RatingsSnapshot.read(file);

        assertEquals(
                new SnapshotRatings(
                        new int[] {1, 2}, new int[] {10, 20}, new float[] {4.5f, 1.0f}, new long[] {100L, 200L}),
                read);
    }

    @Test
    void nullIsABadSnapshot() {
        MessageType schema = Types.buildMessage()
                .required(PrimitiveTypeName.INT32)
                .named("userId")
                .required(PrimitiveTypeName.INT32)
                .named("movieId")
                .optional(PrimitiveTypeName.FLOAT)
                .named("rating")
                .required(PrimitiveTypeName.INT64)
                .named("timestamp")
                .named("ratings");
        Path file = TestFiles.writeFile(
                dir.resolve("training_set.parquet"),
                schema,
                List.of(new Object[] {1, 2, 3.5f, 4L}, new Object[] {1, 3, null, 5L}));

        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));

        assertEquals("snapshot " + file + " has a null in column 'rating' at row 1", e.getMessage());
    }

    @Test
    void failedWriteLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("training_set.parquet");
        SnapshotRatings previous = TestFiles.randomRatings(100, 1);
        SnapshotInfo before = RatingsSnapshot.write(file, previous, Codec.ZSTD);

        SnapshotException e = assertThrows(
                SnapshotException.class,
                () -> ParquetOutput.write(
                        file, "snapshot", RatingsSnapshot.SCHEMA, Map.of(), Set.of(), Codec.ZSTD, writer -> {
                            throw new IOException("disk full");
                        }));

        assertEquals("could not write snapshot " + file.toAbsolutePath() + ": disk full", e.getMessage());
        assertEquals(before.md5(), org.recofilms.platform.DvcHash.md5(file));
        assertEquals(previous, RatingsSnapshot.read(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void copyStatementCastsTheFirstFourColumns() {
        String copy = RatingsSnapshot.copyStatement("SELECT a, b, c, d FROM t ;; ");

        assertEquals(
                "COPY (SELECT q.c1::int4, q.c2::int4, q.c3::float4, q.c4::int8 FROM (SELECT a, b, c, d FROM t\n)"
                        + " AS q(c1, c2, c3, c4)) TO STDOUT (FORMAT binary)",
                copy);
        assertThrows(IllegalArgumentException.class, () -> RatingsSnapshot.copyStatement(" ; "));
    }

    @Test
    void readerRejectsColumnsOfDifferentLengths() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new SnapshotRatings(new int[2], new int[2], new float[1], new long[2]));
        assertFalse(new SnapshotRatings(new int[1], new int[1], new float[1], new long[1])
                .equals(new SnapshotRatings(new int[] {1}, new int[1], new float[1], new long[1])));
    }
}
