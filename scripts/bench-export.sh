#!/usr/bin/env bash
# Snapshot export benchmark (issue 16): the ML-20M-scale generated dataset (generated once, cached) is
# ingested once with the app's `ingest` command into a real PostgreSQL kept in
# $RECO_BENCH_DIR/export-postgres; then RUNS times each, alternating, psql's own binary COPY of the
# export's statement into /dev/null and the app's snapshot export (RatingsSnapshot.export, the
# training pipeline's call) to Parquet; prints the medians, their ratio, rows/s and the file size.
# Needs psql (Debian package postgresql-client).
#   scripts/bench-export.sh [RUNS] [CODEC]   e.g. scripts/bench-export.sh 5 zstd
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
runs="${1:-5}"
codec="${2:-zstd}"
command -v psql >/dev/null || { echo "psql is missing: apt-get install -y postgresql-client" >&2; exit 1; }
bench_build
bench_dataset
bench_run ExportBenchmark "$bench/ml20m" "$bench" "$runs" "$codec"
