package org.recofilms.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes Parquet files of this package: row by row from a reused mutable cursor (no object per row),
 * into a temporary file beside the target that is synced and moved into place atomically, so a reader
 * (or DVC) sees either the old file or the complete new one.
 */
final class ParquetOutput {

    /**
     * Rows per row group. A fixed count (rather than parquet-mr's 128 MB estimate) makes the layout, and
     * with it the bytes, depend on the data alone, bounds the writer's buffers (about 10 MB of compressed
     * pages for ratings), and gives a 20M-row snapshot ten row groups that readers decode in parallel.
     */
    static final int ROWS_PER_ROW_GROUP = 2_000_000;

    /** Encoded bytes per data page before compression: parquet-mr's default, a good size for zstd and snappy. */
    static final int PAGE_SIZE = 1 << 20;

    /**
     * parquet-mr also cuts a page every 20,000 rows by default, for fine-grained column indexes that no reader
     * of these files uses; larger pages compress better and decode with less per-page work.
     */
    static final int PAGE_ROW_COUNT_LIMIT = 1 << 20;

    private ParquetOutput() {}

    /** A mutable cursor over the rows to write; {@link #writeTo} sends the current row's fields. */
    interface Row {
        void writeTo(RecordConsumer consumer);
    }

    /** Writes a whole file into the temporary path and returns its row count. */
    @FunctionalInterface
    interface FileBody {
        long writeTo(ParquetWriter<Row> writer) throws Exception;
    }

    /**
     * Writes {@code target} atomically: {@code body} fills a temporary file beside it, which is then synced,
     * hashed and moved over the target. On any failure the temporary file is deleted and the target is left
     * as it was.
     *
     * @param what how messages name the file ("snapshot", "item_neighbors artifact")
     * @param metadata key-value pairs for the footer
     * @param dictionaryColumns columns with few distinct values, dictionary-encoded; the others use the Parquet 2
     *     defaults, delta encoding for integers and plain for floating point
     */
    static SnapshotInfo write(
            Path target,
            String what,
            MessageType schema,
            Map<String, String> metadata,
            Set<String> dictionaryColumns,
            Codec codec,
            FileBody body) {
        return write(target, what, schema, metadata, dictionaryColumns, codec, ROWS_PER_ROW_GROUP, body);
    }

    /** {@link #write(Path, String, MessageType, Map, Set, Codec, FileBody)} with another row group size. */
    static SnapshotInfo write(
            Path target,
            String what,
            MessageType schema,
            Map<String, String> metadata,
            Set<String> dictionaryColumns,
            Codec codec,
            int rowsPerRowGroup,
            FileBody body) {
        long start = System.nanoTime();
        Path absolute = target.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(absolute.getParent());
            // not Files.createTempFile, whose owner-only permissions the file would keep after the move; the
            // writer creates this name exclusively, with the process's usual permissions
            tmp = absolute.resolveSibling("." + absolute.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            long rows;
            DigestingOutputFile file = new DigestingOutputFile(new LocalOutputFile(tmp));
            try (ParquetWriter<Row> writer = new RowWriterBuilder(file, schema, metadata)
                    .withConf(new PlainParquetConfiguration())
                    .withWriteMode(ParquetFileWriter.Mode.CREATE)
                    .withCompressionCodec(codec.parquetName())
                    .withRowGroupRowCountLimit(rowsPerRowGroup)
                    .withRowGroupSize(Long.MAX_VALUE)
                    .withPageSize(PAGE_SIZE)
                    .withPageRowCountLimit(PAGE_ROW_COUNT_LIMIT)
                    .withWriterVersion(WriterVersion.PARQUET_2_0)
                    .withDictionaryEncoding(false)
                    .withValidation(false)
                    .dictionaryFor(dictionaryColumns)
                    .build()) {
                rows = body.writeTo(writer);
            }
            // synced before the rename, so that after a crash the name never points at unwritten blocks
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            String md5 = file.md5();
            long bytes = Files.size(tmp);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return new SnapshotInfo(absolute, rows, md5, bytes, Duration.ofNanos(System.nanoTime() - start));
        } catch (SnapshotException e) {
            throw e;
        } catch (Exception e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.toString();
            throw new SnapshotException("could not write " + what + " " + absolute + ": " + reason, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the write already failed; a leftover dot-file is harmless and its name says what it is
                }
            }
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /**
     * The temporary file, with the md5 of every byte written to it. Parquet writes a file once, front to back,
     * without seeking, so this is the file's md5 without reading the file again after the write (for a 20M-row
     * snapshot, 100 MB less to read and hash after the last row).
     */
    private static final class DigestingOutputFile implements OutputFile {

        private final LocalOutputFile file;
        private final MessageDigest digest = newMd5();

        DigestingOutputFile(LocalOutputFile file) {
            this.file = file;
        }

        String md5() {
            return HexFormat.of().formatHex(digest.digest());
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            return digesting(file.create(blockSizeHint));
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            return digesting(file.createOrOverwrite(blockSizeHint));
        }

        @Override
        public boolean supportsBlockSize() {
            return file.supportsBlockSize();
        }

        @Override
        public long defaultBlockSize() {
            return file.defaultBlockSize();
        }

        @Override
        public String getPath() {
            return file.getPath();
        }

        private PositionOutputStream digesting(PositionOutputStream out) {
            return new PositionOutputStream() {
                @Override
                public long getPos() throws IOException {
                    return out.getPos();
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    digest.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    digest.update(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }
    }

    private static final class RowWriterBuilder extends ParquetWriter.Builder<Row, RowWriterBuilder> {

        private final MessageType schema;
        private final Map<String, String> metadata;

        RowWriterBuilder(OutputFile file, MessageType schema, Map<String, String> metadata) {
            super(file);
            this.schema = schema;
            this.metadata = metadata;
        }

        @Override
        protected RowWriterBuilder self() {
            return this;
        }

        RowWriterBuilder dictionaryFor(Set<String> columns) {
            for (String column : columns) {
                withDictionaryEncoding(column, true);
            }
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(schema, metadata);
        }

        @Override
        @SuppressWarnings("deprecation")
        protected WriteSupport<Row> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(schema, metadata);
        }
    }

    private static final class RowWriteSupport extends WriteSupport<Row> {

        private final MessageType schema;
        private final Map<String, String> metadata;
        private RecordConsumer consumer;

        RowWriteSupport(MessageType schema, Map<String, String> metadata) {
            this.schema = schema;
            this.metadata = metadata;
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, metadata);
        }

        @Override
        @SuppressWarnings("deprecation")
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, metadata);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Row row) {
            consumer.startMessage();
            row.writeTo(consumer);
            consumer.endMessage();
        }
    }
}
