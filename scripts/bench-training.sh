#!/usr/bin/env bash
# Training benchmark: loads the ML-20M-scale MovieLens-format dataset (generated once, cached) into a
# real PostgreSQL with the app's `ingest` command, then runs the app's `train` command RUNS times
# (-Xmx2g) and prints snapshot export, snapshot read, training and evaluation times, the metrics,
# the peak heap and the peak RSS, then the medians.
#   scripts/bench-training.sh [RUNS]      (RECO_BENCH_DIR: where the dataset is cached)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
runs="${1:-3}"
bench_build
bench_dataset
bench_run TrainingBenchmark "$bench/ml20m" "$runs"
