#!/usr/bin/env bash
# Tuning benchmark (TuningBenchmark): ML-20M-shaped generated ratings scaled by SCALE (generated once,
# cached), ingested into a real PostgreSQL; the seed's item-kNN trained and promoted as the champion;
# then `tune` of FAMILY with TRIALS trials on the validation users, the best trained on all the data
# and promoted only on a significant paired gain. Prints the trials, both models' test NDCG@100 with
# standard errors and the promotion decision. More arguments go to `tune` (e.g. --space l2=50:2000:log).
#   scripts/bench-tuning.sh [SCALE] [FAMILY] [TRIALS] [TUNE OPTIONS...]   e.g. scripts/bench-tuning.sh 0.25 ease 6
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
scale="${1:-0.25}"
family="${2:-ease}"
trials="${3:-6}"
shift $(($# < 3 ? $# : 3))
bench_build
bench_scaled_dataset "$scale"
bench_run TuningBenchmark "$data" "$family" "$trials" "$@"
