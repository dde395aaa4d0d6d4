#!/usr/bin/env bash
# Ingestion benchmark: generates an ML-20M-scale MovieLens-format dataset once (cached), then loads
# it into a real PostgreSQL with the packaged app's `ingest` command and prints rows/s per file,
# the time of each phase, the total wall time and the app's peak RSS.
#   scripts/bench-ingestion.sh [RUNS]      (RECO_BENCH_DIR: where the dataset is cached)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
runs="${1:-1}"
bench_build
bench_dataset
du -sh "$bench/ml20m"
bench_run IngestionBenchmark "$bench/ml20m" "$runs"
