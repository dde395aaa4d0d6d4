package org.recofilms.snapshot;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A Parquet file this package has written.
 *
 * @param path where the file now is (moved into place atomically)
 * @param rows rows in the file
 * @param md5 lower-case hex md5 of the file's bytes: the version {@code dvc add} records for a single file
 * @param bytes file size
 * @param elapsed time from the start of the query or write to the file being in place
 */
public record SnapshotInfo(Path path, long rows, String md5, long bytes, Duration elapsed) {}
