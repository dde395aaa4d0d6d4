#!/usr/bin/env bash
# Ingestion benchmark: generates an ML-20M-scale MovieLens-format dataset once (cached), then loads
# it into a real PostgreSQL (fsync on, as the launcher runs it) with the packaged app's `ingest`
# command and prints rows/s per file, the time of each phase, the total wall time and the app's
# peak RSS.
#   scripts/bench-ingestion.sh [RUNS] [--compare-fsync-off] [--preset=tiny|demo|ml20m]
#     --compare-fsync-off: each run also loads into a PostgreSQL with fsync, synchronous_commit and
#       full_page_writes off, and the medians of both and their ratio are printed
#     --preset: a smaller generated dataset (to check the script; figures come from ml20m)
#   RECO_BENCH_DIR: where the datasets are cached
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
runs=1
preset=ml20m
extra=()
for arg in "$@"; do
  case "$arg" in
    --compare-fsync-off) extra+=(--compare-fsync-off) ;;
    --preset=*) preset="${arg#--preset=}" ;;
    [0-9]*) runs="$arg" ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
bench_build
bench_dataset "$preset"
du -sh "$bench/$preset"
bench_run IngestionBenchmark "$bench/$preset" "$runs" "${extra[@]}"
