package org.recofilms.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;

/**
 * The training snapshot, {@code data/training_set.parquet}: the rating rows a training run reads instead of the
 * live tables, so that a run is reproducible from its snapshot (and its md5).
 *
 * <p>Schema, all columns required and without logical annotations: {@code userId} int32, {@code movieId} int32,
 * {@code rating} float (32-bit), {@code timestamp} int64 (seconds since the epoch, which no Parquet timestamp
 * unit expresses).
 */
public final class RatingsSnapshot {

    /** Where the snapshot lives, relative to the project directory. */
    public static final String DEFAULT_PATH = "data/training_set.parquet";

    /**
     * The live ratings (MovieLens rows merged with feedback) in the order of MovieLens's ratings.csv. The order
     * makes the file a function of the data: equal ratings give equal bytes and an equal md5, and the seed
     * protocol's split, which is defined over row positions, does not depend on how the server happened to scan
     * the tables. It costs a server-side sort (about twice the export time of an unordered query); pass a query
     * without ORDER BY when that matters more.
     */
    public static final String DEFAULT_QUERY = "SELECT \"userId\", \"movieId\", rating, \"timestamp\""
            + " FROM raw.current_ratings ORDER BY \"userId\", \"movieId\"";

    /** The snapshot's schema. */
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.INT32)
            .named("userId")
            .required(PrimitiveTypeName.INT32)
            .named("movieId")
            .required(PrimitiveTypeName.FLOAT)
            .named("rating")
            .required(PrimitiveTypeName.INT64)
            .named("timestamp")
            .named("training_set");

    private static final ParquetTable.Column[] COLUMNS = {
        ParquetTable.Column.int32("userId"),
        ParquetTable.Column.int32("movieId"),
        ParquetTable.Column.float32("rating"),
        ParquetTable.Column.int64("timestamp")
    };

    /**
     * Ten distinct ratings: dictionary ids of 4 bits. The other columns are delta-encoded, which suits ids sorted
     * or clustered by user and timestamps rising within a user better than a dictionary that overflows.
     */
    private static final Set<String> DICTIONARY_COLUMNS = Set.of("rating");

    private RatingsSnapshot() {}

    /** {@link #export(Connection, String, Path, Codec, SnapshotProgress)} of {@link #DEFAULT_QUERY} with zstd. */
    public static SnapshotInfo export(Connection connection, Path target, SnapshotProgress progress) {
        return export(connection, DEFAULT_QUERY, target, Codec.ZSTD, progress);
    }

    /**
     * Streams the rows of {@code query} from PostgreSQL into a new snapshot at {@code target}, in the query's order
     * and without holding them in memory (the writer buffers one row group of compressed pages, about 10 MB). The
     * rows come through {@code COPY (query) TO STDOUT (FORMAT binary)}: one consistent read of the database, in
     * the server's binary format, decoded in place (the whole export measured 20 to 30% faster than a JDBC cursor
     * that only reads the values).
     *
     * <p>The query's first four columns are taken as userId, movieId, rating and timestamp, in that order, and cast
     * to int4, int4, float4 and int8 by the server (a value out of range fails the export); a null fails the
     * export. The query is code or configuration, never user input: it is embedded in the COPY statement as is.
     * The connection's autocommit setting is left as it is; inside an open transaction the COPY is one more
     * statement of it (and a failure aborts it, as any failed statement does).
     *
     * <p>The file is written beside the target and moved over it only when complete: on any failure (SQL error,
     * full disk, interruption) the previous snapshot, if any, is untouched and a {@link SnapshotException} says
     * why.
     *
     * @param connection a pgjdbc connection (or a pool's wrapper that unwraps to {@link PGConnection})
     * @param progress told every {@link SnapshotProgress#intervalMillis()} and once at the end
     */
    public static SnapshotInfo export(
            Connection connection, String query, Path target, Codec codec, SnapshotProgress progress) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(progress, "progress");
        String copy = copyStatement(query);
        PGConnection postgres;
        try {
            postgres = connection.unwrap(PGConnection.class);
        } catch (SQLException e) {
            throw new SnapshotException("the snapshot export needs a PostgreSQL JDBC connection: " + e.getMessage(), e);
        }
        return ParquetOutput.write(target, "snapshot", SCHEMA, Map.of(), DICTIONARY_COLUMNS, codec, writer -> {
            Progress report = new Progress(progress);
            RatingRow row = new RatingRow();
            try (PGCopyInputStream in = new PGCopyInputStream(postgres, copy)) {
                BinaryCopyReader rows = new BinaryCopyReader(in);
                while (rows.next()) {
                    row.userId = rows.userId;
                    row.movieId = rows.movieId;
                    row.rating = rows.rating;
                    row.timestamp = rows.timestamp;
                    writer.write(row);
                    report.row();
                }
            }
            return report.finish();
        });
    }

    /** One rating row of a {@link #stream} read. */
    @FunctionalInterface
    public interface RowSink {
        void row(int userId, int movieId, float rating, long timestamp);
    }

    /**
     * Streams the rows of {@code query} (userId, movieId, rating, timestamp, cast as {@link #export} does) from
     * PostgreSQL through a binary COPY to {@code sink}, in the query's order, holding none of them. Returns the
     * number of rows.
     */
    public static long stream(Connection connection, String query, RowSink sink) {
        Objects.requireNonNull(sink, "sink");
        String copy = copyStatement(query);
        try {
            PGConnection postgres = connection.unwrap(PGConnection.class);
            long rows = 0;
            try (PGCopyInputStream in = new PGCopyInputStream(postgres, copy)) {
                BinaryCopyReader reader = new BinaryCopyReader(in);
                while (reader.next()) {
                    sink.row(reader.userId, reader.movieId, reader.rating, reader.timestamp);
                    rows++;
                }
            }
            return rows;
        } catch (SQLException | IOException e) {
            throw new SnapshotException("reading the ratings through COPY failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes rows held in memory as a snapshot, atomically as {@link #export} does: for tests, benchmarks and data
     * that does not come from the database.
     */
    public static SnapshotInfo write(Path target, SnapshotRatings ratings, Codec codec) {
        return write(target, ratings, codec, ParquetOutput.ROWS_PER_ROW_GROUP);
    }

    /** {@link #write(Path, SnapshotRatings, Codec)} with smaller row groups, for tests of multi-group files. */
    static SnapshotInfo write(Path target, SnapshotRatings ratings, Codec codec, int rowsPerRowGroup) {
        Objects.requireNonNull(ratings, "ratings");
        Objects.requireNonNull(codec, "codec");
        return ParquetOutput.write(
                target, "snapshot", SCHEMA, Map.of(), DICTIONARY_COLUMNS, codec, rowsPerRowGroup, writer -> {
                    int[] users = ratings.userId();
                    int[] movies = ratings.movieId();
                    float[] values = ratings.rating();
                    long[] times = ratings.timestamp();
                    RatingRow row = new RatingRow();
                    for (int r = 0; r < users.length; r++) {
                        row.userId = users[r];
                        row.movieId = movies[r];
                        row.rating = values[r];
                        row.timestamp = times[r];
                        writer.write(row);
                    }
                    return users.length;
                });
    }

    /**
     * Reads a snapshot into primitive arrays, in file order.
     *
     * <p>A snapshot written by the seed (user_id, movie_id, rating; no timestamp) is read too, with
     * timestamp 0 on every row.
     *
     * @throws SnapshotException when the file is missing, empty, not Parquet, corrupt, lacks one of the four columns
     *     or has one of another type, holds a null, or has no rows: every case in which a training run must not
     *     go on
     */
    public static SnapshotRatings read(Path file) {
        Optional<MessageType> schema = peekSchema(file);
        if (schema.isPresent() && !schema.get().containsField("timestamp")) {
            Optional<SnapshotRatings> seed = readSeedLayout(file, schema.get());
            if (seed.isPresent()) {
                return seed.get();
            }
        }
        try (ParquetTable table = ParquetTable.open(file, "snapshot", COLUMNS)) {
            int rows = (int) table.rows();
            if (rows == 0) {
                throw new SnapshotException("snapshot " + file + " has no rows");
            }
            SnapshotRatings ratings =
                    new SnapshotRatings(new int[rows], new int[rows], new float[rows], new long[rows]);
            table.readInto(ratings.userId(), ratings.movieId(), ratings.rating(), ratings.timestamp());
            return ratings;
        }
    }

    /** The file's schema from its footer; empty when it cannot be read (the normal path then says why). */
    private static Optional<MessageType> peekSchema(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                return Optional.empty();
            }
            try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
                return Optional.of(reader.getFileMetaData().getSchema());
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first of {@code names} that {@code schema} has as a primitive column. */
    private static Optional<PrimitiveType> column(MessageType schema, String... names) {
        for (String name : names) {
            if (schema.containsField(name) && schema.getType(name).isPrimitive()) {
                return Optional.of(schema.getType(name).asPrimitiveType());
            }
        }
        return Optional.empty();
    }

    /**
     * The seed's snapshot: three columns, {@code user_id}, {@code movie_id} and {@code rating} (or this
     * project's {@code userId}, {@code movieId}), ids int32 or int64 (as pandas writes them), the rating
     * float or double, and no timestamp: every row then gets timestamp 0. Empty when the file is not of
     * that shape (the four-column path then reports what is wrong).
     */
    private static Optional<SnapshotRatings> readSeedLayout(Path file, MessageType schema) {
        Optional<PrimitiveType> user = column(schema, "user_id", "userId");
        Optional<PrimitiveType> movie = column(schema, "movie_id", "movieId");
        Optional<PrimitiveType> rating = column(schema, "rating");
        if (user.isEmpty() || movie.isEmpty() || rating.isEmpty()) {
            return Optional.empty();
        }
        ParquetTable.Column[] columns = {idColumn(user.get()), idColumn(movie.get()), ratingColumn(rating.get())};
        if (columns[0] == null || columns[1] == null || columns[2] == null) {
            return Optional.empty();
        }
        try (ParquetTable table = ParquetTable.open(file, "snapshot", columns)) {
            int rows = (int) table.rows();
            if (rows == 0) {
                throw new SnapshotException("snapshot " + file + " has no rows");
            }
            Object users = array(columns[0], rows);
            Object movies = array(columns[1], rows);
            Object ratings = array(columns[2], rows);
            table.readInto(users, movies, ratings);
            return Optional.of(new SnapshotRatings(
                    ints(file, columns[0].name(), users),
                    ints(file, columns[1].name(), movies),
                    floats(ratings),
                    new long[rows]));
        }
    }

    private static ParquetTable.Column idColumn(PrimitiveType type) {
        return switch (type.getPrimitiveTypeName()) {
            case INT32 -> ParquetTable.Column.int32(type.getName());
            case INT64 -> ParquetTable.Column.int64(type.getName());
            default -> null;
        };
    }

    private static ParquetTable.Column ratingColumn(PrimitiveType type) {
        return switch (type.getPrimitiveTypeName()) {
            case FLOAT -> ParquetTable.Column.float32(type.getName());
            case DOUBLE -> ParquetTable.Column.float64(type.getName());
            default -> null;
        };
    }

    private static Object array(ParquetTable.Column column, int rows) {
        return switch (column.type()) {
            case INT32 -> new int[rows];
            case INT64 -> new long[rows];
            case FLOAT -> new float[rows];
            default -> new double[rows];
        };
    }

    private static int[] ints(Path file, String name, Object values) {
        if (values instanceof int[] ints) {
            return ints;
        }
        long[] longs = (long[]) values;
        int[] out = new int[longs.length];
        for (int r = 0; r < longs.length; r++) {
            if (longs[r] < Integer.MIN_VALUE || longs[r] > Integer.MAX_VALUE) {
                throw new SnapshotException(
                        "snapshot " + file + " has " + name + " " + longs[r] + " at row " + r + ", beyond 32 bits");
            }
            out[r] = (int) longs[r];
        }
        return out;
    }

    private static float[] floats(Object values) {
        if (values instanceof float[] floats) {
            return floats;
        }
        double[] doubles = (double[]) values;
        float[] out = new float[doubles.length];
        for (int r = 0; r < doubles.length; r++) {
            out[r] = (float) doubles[r];
        }
        return out;
    }

    /**
     * The statement {@link #export} and {@link #stream} run for {@code query}: its first four columns, cast to
     * int4, int4, float4 and int8, out as binary COPY (public for the benchmark that runs the same COPY with psql).
     */
    public static String copyStatement(String query) {
        String select = Objects.requireNonNull(query, "query").strip();
        while (select.endsWith(";")) {
            select = select.substring(0, select.length() - 1).strip();
        }
        if (select.isEmpty()) {
            throw new IllegalArgumentException("the snapshot query is empty");
        }
        // The alias list names the first four columns whatever the query calls them; the casts fix their types
        // so that the binary rows have the one layout BinaryCopyReader decodes.
        return "COPY (SELECT q.c1::int4, q.c2::int4, q.c3::float4, q.c4::int8 FROM (" + select
                + "\n) AS q(c1, c2, c3, c4)) TO STDOUT (FORMAT binary)";
    }

    /** The row being written; one instance is reused for every row. */
    private static final class RatingRow implements ParquetOutput.Row {
        int userId;
        int movieId;
        float rating;
        long timestamp;

        @Override
        public void writeTo(RecordConsumer consumer) {
            consumer.startField("userId", 0);
            consumer.addInteger(userId);
            consumer.endField("userId", 0);
            consumer.startField("movieId", 1);
            consumer.addInteger(movieId);
            consumer.endField("movieId", 1);
            consumer.startField("rating", 2);
            consumer.addFloat(rating);
            consumer.endField("rating", 2);
            consumer.startField("timestamp", 3);
            consumer.addLong(timestamp);
            consumer.endField("timestamp", 3);
        }
    }

    /** Counts rows and tells the listener every interval; checks for interruption at the same pace. */
    private static final class Progress {
        private final SnapshotProgress listener;
        private final long start = System.nanoTime();
        private final long intervalNanos;
        private long nextReport;
        private long rows;

        Progress(SnapshotProgress listener) {
            this.listener = listener;
            this.intervalNanos = Math.max(1, listener.intervalMillis()) * 1_000_000L;
            this.nextReport = start + intervalNanos;
        }

        void row() {
            rows++;
            if ((rows & 0x3fff) == 0) {
                long now = System.nanoTime();
                if (Thread.currentThread().isInterrupted()) {
                    throw new SnapshotException("the snapshot export was interrupted after " + rows + " rows");
                }
                if (now >= nextReport) {
                    listener.onProgress(rows, rate(now));
                    nextReport = now + intervalNanos;
                }
            }
        }

        long finish() {
            listener.onProgress(rows, rate(System.nanoTime()));
            return rows;
        }

        private double rate(long now) {
            return rows / Math.max(1e-9, (now - start) / 1e9);
        }
    }
}
