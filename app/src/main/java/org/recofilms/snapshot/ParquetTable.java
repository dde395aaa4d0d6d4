package org.recofilms.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Reads whole columns of a Parquet file into primitive arrays, one row group at a time, through parquet-mr's
 * column readers (no record materialisation). Opening checks that the file exists, is Parquet and has the
 * expected columns with the expected physical types; every failure is a {@link SnapshotException} that names
 * the file.
 *
 * <p>Columns may be required or optional (pandas writes optional ones) but must hold no nulls; extra columns are
 * ignored and never read from disk.
 */
final class ParquetTable implements AutoCloseable {

    /** A column that a file must have. */
    record Column(String name, PrimitiveTypeName type) {

        static Column int32(String name) {
            return new Column(name, PrimitiveTypeName.INT32);
        }

        static Column int64(String name) {
            return new Column(name, PrimitiveTypeName.INT64);
        }

        static Column float32(String name) {
            return new Column(name, PrimitiveTypeName.FLOAT);
        }

        static Column float64(String name) {
            return new Column(name, PrimitiveTypeName.DOUBLE);
        }
    }

    /** Upper bound on decoding threads, whatever the number of cores. */
    static final int MAX_THREADS = 4;

    /** Smaller files are decoded by the calling thread alone: they take milliseconds. */
    private static final long PARALLEL_MIN_ROWS = 1_000_000;

    private static final PrimitiveConverter IGNORE_VALUES = new PrimitiveConverter() {};

    /** Column readers want a converter per column; values are taken from the readers, never pushed into these. */
    private static final GroupConverter IGNORE_RECORDS = new GroupConverter() {
        @Override
        public Converter getConverter(int fieldIndex) {
            return IGNORE_VALUES;
        }

        @Override
        public void start() {}

        @Override
        public void end() {}
    };

    private final Path file;
    private final String what;
    private final ParquetFileReader reader;
    private final MessageType projection;
    private final ColumnDescriptor[] descriptors;
    private final long rows;

    private ParquetTable(Path file, String what, ParquetFileReader reader, MessageType projection, long rows) {
        this.file = file;
        this.what = what;
        this.reader = reader;
        this.projection = projection;
        this.descriptors = projection.getColumns().toArray(new ColumnDescriptor[0]);
        this.rows = rows;
    }

    /**
     * Opens {@code file} and checks its schema against {@code columns}.
     *
     * @param what how messages name the file ("snapshot", "item_neighbors artifact")
     */
    static ParquetTable open(Path file, String what, Column... columns) {
        if (!Files.exists(file)) {
            throw new SnapshotException(what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new SnapshotException(what + " " + file + " is not a regular file");
        }
        ParquetFileReader reader;
        try {
            if (Files.size(file) == 0) {
                throw new SnapshotException(what + " " + file + " is empty (0 bytes)");
            }
            reader = openReader(file);
        } catch (SnapshotException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SnapshotException(what + " " + file + " is not a readable Parquet file (" + describe(e) + ")", e);
        }
        try {
            MessageType projection =
                    project(file, what, reader.getFileMetaData().getSchema(), columns);
            reader.setRequestedSchema(projection);
            long rows = reader.getRecordCount();
            if (rows > Integer.MAX_VALUE - 8) {
                throw new SnapshotException(what + " " + file + " has " + rows + " rows, more than an array holds");
            }
            return new ParquetTable(file, what, reader, projection, rows);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    private static ParquetFileReader openReader(Path file) throws IOException {
        // page checksums (written by default) turn a flipped bit into an error instead of a wrong number
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .usePageChecksumVerification(true)
                .build();
        return ParquetFileReader.open(new LocalInputFile(file), options);
    }

    /** Rows in the file, from its footer. */
    long rows() {
        return rows;
    }

    /** The key-value metadata of the footer. */
    Map<String, String> metadata() {
        return reader.getFileMetaData().getKeyValueMetaData();
    }

    /**
     * Reads every row into {@code arrays}, one per column in the order given to {@link #open}: an {@code int[]}
     * for int32, {@code long[]} for int64, {@code float[]} for float, {@code double[]} for double, each at least
     * {@link #rows()} long.
     *
     * <p>Row groups are independent, so a file with several is decoded by up to {@link #MAX_THREADS} threads, each
     * with its own reader (parquet-mr's decompressors are not thread-safe) filling its own slices of the arrays.
     */
    void readInto(Object... arrays) {
        List<BlockMetaData> groups = reader.getRowGroups();
        int[] starts = new int[groups.size() + 1];
        for (int g = 0; g < groups.size(); g++) {
            starts[g + 1] = Math.toIntExact(starts[g] + groups.get(g).getRowCount());
        }
        int threads = Math.min(
                Math.min(groups.size(), MAX_THREADS), Runtime.getRuntime().availableProcessors());
        if (threads <= 1 || rows < PARALLEL_MIN_ROWS) {
            readGroups(reader, 0, 1, starts, arrays);
            return;
        }
        Throwable[] failures = new Throwable[threads];
        Thread[] helpers = new Thread[threads - 1];
        for (int t = 1; t < threads; t++) {
            int first = t;
            helpers[t - 1] = new Thread(
                    () -> {
                        try (ParquetFileReader own = openReader(file)) {
                            own.setRequestedSchema(projection);
                            readGroups(own, first, threads, starts, arrays);
                        } catch (Throwable e) {
                            failures[first] = e;
                        }
                    },
                    "parquet-read-" + t);
            helpers[t - 1].setDaemon(true);
            helpers[t - 1].start();
        }
        try {
            readGroups(reader, 0, threads, starts, arrays);
        } catch (Throwable e) {
            failures[0] = e;
        }
        boolean interrupted = false;
        for (Thread helper : helpers) {
            while (true) {
                try {
                    helper.join();
                    break;
                } catch (InterruptedException e) {
                    // the helpers finish their row group soon; wait for them so nothing writes the arrays later
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable failure : failures) {
            if (failure instanceof SnapshotException e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            } else if (failure != null) {
                throw corrupt("reading its data failed (" + failure + ")", failure);
            }
        }
    }

    /** Reads row groups {@code first}, {@code first + step}, ... into their slices of the arrays. */
    private void readGroups(ParquetFileReader source, int first, int step, int[] starts, Object[] arrays) {
        String createdBy = source.getFileMetaData().getCreatedBy();
        for (int g = first; g < starts.length - 1; g += step) {
            int offset = starts[g];
            int n = starts[g + 1] - offset;
            try {
                PageReadStore group = source.readRowGroup(g);
                if (group == null || group.getRowCount() != n) {
                    throw corrupt("row group " + g + " does not hold the " + n + " rows its footer lists");
                }
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(group, IGNORE_RECORDS, projection, createdBy);
                for (int c = 0; c < descriptors.length; c++) {
                    long values = group.getPageReader(descriptors[c]).getTotalValueCount();
                    if (values != n) {
                        throw corrupt("column '" + name(c) + "' holds " + values + " values in row group " + g + " of "
                                + n + " rows");
                    }
                    readColumn(store.getColumnReader(descriptors[c]), arrays[c], offset, n, c);
                }
            } catch (SnapshotException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw corrupt("reading row group " + g + " failed (" + e + ")", e);
            }
        }
    }

    private void readColumn(ColumnReader column, Object array, int offset, int n, int c) {
        int maxDefinition = descriptors[c].getMaxDefinitionLevel();
        int end = offset + n;
        if (array instanceof int[] values) {
            for (int r = offset; r < end; r++) {
                if (maxDefinition > 0 && column.getCurrentDefinitionLevel() < maxDefinition) {
                    throw nullValue(c, r);
                }
                values[r] = column.getInteger();
                column.consume();
            }
        } else if (array instanceof long[] values) {
            for (int r = offset; r < end; r++) {
                if (maxDefinition > 0 && column.getCurrentDefinitionLevel() < maxDefinition) {
                    throw nullValue(c, r);
                }
                values[r] = column.getLong();
                column.consume();
            }
        } else if (array instanceof float[] values) {
            for (int r = offset; r < end; r++) {
                if (maxDefinition > 0 && column.getCurrentDefinitionLevel() < maxDefinition) {
                    throw nullValue(c, r);
                }
                values[r] = column.getFloat();
                column.consume();
            }
        } else if (array instanceof double[] values) {
            for (int r = offset; r < end; r++) {
                if (maxDefinition > 0 && column.getCurrentDefinitionLevel() < maxDefinition) {
                    throw nullValue(c, r);
                }
                values[r] = column.getDouble();
                column.consume();
            }
        } else {
            throw new IllegalArgumentException("no primitive array for column " + name(c) + ": " + array);
        }
    }

    @Override
    public void close() {
        closeQuietly(reader);
    }

    private static MessageType project(Path file, String what, MessageType schema, Column... columns) {
        List<Type> fields = new ArrayList<>();
        for (Column expected : columns) {
            String problem = null;
            Type field = schema.containsField(expected.name()) ? schema.getType(expected.name()) : null;
            if (field == null) {
                problem = "has no column '" + expected.name() + "' (its columns: " + columnNames(schema) + ")";
            } else if (!field.isPrimitive()) {
                problem =
                        "has a group, not a " + typeName(expected.type()) + " column, named '" + expected.name() + "'";
            } else if (field.isRepetition(Type.Repetition.REPEATED)) {
                problem = "has a repeated column '" + expected.name() + "', expected a single "
                        + typeName(expected.type());
            } else {
                PrimitiveType primitive = field.asPrimitiveType();
                if (primitive.getPrimitiveTypeName() != expected.type()) {
                    problem = "has column '" + expected.name() + "' of type "
                            + typeName(primitive.getPrimitiveTypeName()) + ", expected "
                            + typeName(expected.type());
                } else if (!plainNumber(primitive)) {
                    problem = "has column '" + expected.name() + "' of type " + typeName(expected.type())
                            + " annotated " + primitive.getLogicalTypeAnnotation() + ", expected a plain number";
                }
            }
            if (problem != null) {
                throw new SnapshotException(what + " " + file + " " + problem);
            }
            fields.add(field);
        }
        return Types.buildMessage().addFields(fields.toArray(new Type[0])).named(schema.getName());
    }

    /** No annotation, or the signed integer annotation of the physical width (which some writers add). */
    private static boolean plainNumber(PrimitiveType type) {
        LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
        if (annotation == null) {
            return true;
        }
        int bits = type.getPrimitiveTypeName() == PrimitiveTypeName.INT32 ? 32 : 64;
        return annotation instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation integer
                && integer.isSigned()
                && integer.getBitWidth() == bits
                && (type.getPrimitiveTypeName() == PrimitiveTypeName.INT32
                        || type.getPrimitiveTypeName() == PrimitiveTypeName.INT64);
    }

    private static String typeName(PrimitiveTypeName type) {
        return switch (type) {
            case FLOAT -> "float (32-bit)";
            case DOUBLE -> "double (64-bit)";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String columnNames(MessageType schema) {
        List<String> names = new ArrayList<>();
        for (Type field : schema.getFields()) {
            names.add(field.getName());
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private String name(int c) {
        return descriptors[c].getPath()[0];
    }

    private SnapshotException nullValue(int c, int row) {
        return new SnapshotException(what + " " + file + " has a null in column '" + name(c) + "' at row " + row);
    }

    private SnapshotException corrupt(String detail) {
        return new SnapshotException(what + " " + file + " is corrupt: " + detail);
    }

    private SnapshotException corrupt(String detail, Throwable cause) {
        return new SnapshotException(what + " " + file + " is corrupt: " + detail, cause);
    }

    private static void closeQuietly(ParquetFileReader reader) {
        try {
            reader.close();
        } catch (IOException | RuntimeException e) {
            // nothing was written through it; the read's own outcome is what matters
        }
    }
}
