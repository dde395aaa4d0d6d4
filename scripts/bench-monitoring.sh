#!/usr/bin/env bash
# Monitoring benchmark: loads the ML-20M-scale MovieLens-format dataset (generated once, cached) into
# a real PostgreSQL with the app's `ingest` command, then times the app's `monitor --backfill` (every
# day, month and year of the history) and `monitor --day=2015-03-30` RUNS times each; prints each
# phase, the job's time, the app's and the busiest PostgreSQL backend's peak RSS, then the medians.
#   scripts/bench-monitoring.sh [RUNS]      (RECO_BENCH_DIR: where the dataset is cached)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
runs="${1:-3}"
bench_build
bench_dataset
bench_run MonitoringBenchmark "$bench/ml20m" "$runs"
