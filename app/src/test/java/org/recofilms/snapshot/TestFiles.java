package org.recofilms.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/** Test data and files: random ratings, Parquet files of any schema, footers. */
final class TestFiles {

    private TestFiles() {}

    /** Random rows, including the extremes of every type. */
    static SnapshotRatings randomRatings(int rows, long randomSeed) {
        SplittableRandom random = new SplittableRandom(randomSeed);
        int[] users = new int[rows];
        int[] movies = new int[rows];
        float[] ratings = new float[rows];
        long[] times = new long[rows];
        for (int r = 0; r < rows; r++) {
            users[r] = 1 + r / 50 + random.nextInt(3);
            movies[r] = 1 + random.nextInt(200_000);
            ratings[r] = (1 + random.nextInt(10)) / 2.0f;
            times[r] = 789_652_009L + random.nextLong(700_000_000L);
        }
        if (rows >= 4) {
            users[0] = Integer.MIN_VALUE;
            users[1] = Integer.MAX_VALUE;
            movies[2] = -1;
            movies[3] = 0;
            ratings[1] = Float.MIN_VALUE;
            ratings[2] = -0.0f;
            ratings[3] = Float.MAX_VALUE;
            times[0] = Long.MIN_VALUE;
            times[1] = Long.MAX_VALUE;
            times[2] = 0;
        }
        return new SnapshotRatings(users, movies, ratings, times);
    }

    /** The footer of a Parquet file. */
    static ParquetMetadata footer(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getFooter();
        }
    }

    /**
     * Writes a Parquet file of any flat schema: each row holds one value per field (Integer, Long, Float, Double
     * or String), null for a missing optional value.
     */
    static Path writeFile(Path target, MessageType schema, List<Object[]> rows) {
        ParquetOutput.write(target, "test file", schema, Map.of(), Set.of(), Codec.SNAPPY, writer -> {
            ObjectRow row = new ObjectRow(schema);
            for (Object[] values : rows) {
                row.values = values;
                writer.write(row);
            }
            return rows.size();
        });
        return target;
    }

    private static final class ObjectRow implements ParquetOutput.Row {
        private final MessageType schema;
        Object[] values;

        ObjectRow(MessageType schema) {
            this.schema = schema;
        }

        @Override
        public void writeTo(RecordConsumer consumer) {
            for (int i = 0; i < values.length; i++) {
                Object value = values[i];
                if (value == null) {
                    continue;
                }
                String name = schema.getFieldName(i);
                consumer.startField(name, i);
                if (value instanceof Integer v) {
                    consumer.addInteger(v);
                } else if (value instanceof Long v) {
                    consumer.addLong(v);
                } else if (value instanceof Float v) {
                    consumer.addFloat(v);
                } else if (value instanceof Double v) {
                    consumer.addDouble(v);
                } else {
                    consumer.addBinary(Binary.fromString(value.toString()));
                }
                consumer.endField(name, i);
            }
        }
    }
}
