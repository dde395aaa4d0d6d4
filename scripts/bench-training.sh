#!/usr/bin/env bash
# Training benchmark: loads an ML-20M-shaped MovieLens-format dataset (ML-20M scale, or scaled by
# SCALE; generated once, cached) into a real PostgreSQL with the app's `ingest` command, then runs the
# app's `train --family=F` command RUNS times per family (-Xmx2g) and prints snapshot export, snapshot
# read, training and evaluation times, both protocols' metrics, the peak heap and the peak RSS, then
# the medians.
#   scripts/bench-training.sh [RUNS] [FAMILIES] [SCALE]   e.g. scripts/bench-training.sh 3 itemknn,ease 0.25
#   (RECO_BENCH_DIR: where the datasets are cached)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
runs="${1:-3}"
families="${2:-itemknn}"
scale="${3:-1.0}"
bench_build
bench_scaled_dataset "$scale"
bench_run TrainingBenchmark "$data" "$runs" "$families"
