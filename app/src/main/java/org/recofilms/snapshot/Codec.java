package org.recofilms.snapshot;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** Compression of the Parquet files this package writes. */
public enum Codec {
    /**
     * Zstandard (level 3), the default: slightly smaller files (87 MB for 20M synthetic ML-20M-shaped ratings, 91
     * MB with Snappy).
     */
    ZSTD(CompressionCodecName.ZSTD),
    /** Snappy, what pandas writes by default: slightly larger files, writes about 20% faster. */
    SNAPPY(CompressionCodecName.SNAPPY);

    private final CompressionCodecName parquetName;

    Codec(CompressionCodecName parquetName) {
        this.parquetName = parquetName;
    }

    CompressionCodecName parquetName() {
        return parquetName;
    }
}
