package org.recofilms.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's snapshot (user_id, movie_id, rating; no timestamp) is read as a snapshot with timestamps 0. */
class RatingsSnapshotSeedTest {

    @TempDir
    Path dir;

    /** As pandas with pyarrow writes a DataFrame of int64 ids and float64 ratings: optional columns. */
    private static final MessageType PANDAS = Types.buildMessage()
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.intType(64, true))
            .named("user_id")
            .optional(PrimitiveTypeName.INT64)
            .named("movie_id")
            .optional(PrimitiveTypeName.DOUBLE)
            .named("rating")
            .named("schema");

    @Test
    void readsTheSeedsThreeColumnsWithInt64IdsAndDoubleRatings() {
        Path file = TestFiles.writeFile(
                dir.resolve("seed.parquet"),
                PANDAS,
                List.of(
                        new Object[] {1L, 31L, 2.5},
                        new Object[] {1L, 1029L, 3.0},
                        new Object[] {7L, 31L, 5.0},
                        new Object[] {2_147_483_647L, 1L, 0.5}));

        SnapshotRatings ratings = RatingsSnapshot.read(file);

        assertArrayEquals(new int[] {1, 1, 7, 2_147_483_647}, ratings.userId());
        assertArrayEquals(new int[] {31, 1029, 31, 1}, ratings.movieId());
        assertArrayEquals(new float[] {2.5f, 3.0f, 5.0f, 0.5f}, ratings.rating());
        assertArrayEquals(new long[4], ratings.timestamp());
    }

    @Test
    void readsThreeColumnsNamedAsThisProjectNamesThem() {
        MessageType schema = Types.buildMessage()
                .required(PrimitiveTypeName.INT32)
                .named("userId")
                .required(PrimitiveTypeName.INT32)
                .named("movieId")
                .required(PrimitiveTypeName.FLOAT)
                .named("rating")
                .named("training_set");
        Path file = TestFiles.writeFile(
                dir.resolve("three.parquet"),
                schema,
                List.<Object[]>of(new Object[] {3, 4, 4.5f}, new Object[] {3, 9, 1.0f}));

        SnapshotRatings ratings = RatingsSnapshot.read(file);

        assertArrayEquals(new int[] {3, 3}, ratings.userId());
        assertArrayEquals(new int[] {4, 9}, ratings.movieId());
        assertArrayEquals(new float[] {4.5f, 1.0f}, ratings.rating());
        assertArrayEquals(new long[2], ratings.timestamp());
    }

    @Test
    void anIdBeyond32BitsOrANullIsRefused() {
        Path big = TestFiles.writeFile(
                dir.resolve("big.parquet"),
                PANDAS,
                List.<Object[]>of(new Object[] {1L, 2L, 3.0}, new Object[] {1L, 4_000_000_000L, 3.0}));
        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(big));
        assertTrue(e.getMessage().contains("movie_id 4000000000 at row 1"), e.getMessage());

        Path withNull = TestFiles.writeFile(
                dir.resolve("null.parquet"), PANDAS, List.<Object[]>of(new Object[] {1L, 2L, null}));
        assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(withNull));
    }

    @Test
    void aFileWithNeitherLayoutStillSaysWhichColumnIsMissing() {
        MessageType schema = Types.buildMessage()
                .optional(PrimitiveTypeName.INT64)
                .named("user_id")
                .optional(PrimitiveTypeName.DOUBLE)
                .named("rating")
                .named("schema");
        Path file = TestFiles.writeFile(dir.resolve("two.parquet"), schema, List.<Object[]>of(new Object[] {1L, 3.0}));
        SnapshotException e = assertThrows(SnapshotException.class, () -> RatingsSnapshot.read(file));
        assertTrue(e.getMessage().contains("has no column 'userId'"), e.getMessage());
    }
}
