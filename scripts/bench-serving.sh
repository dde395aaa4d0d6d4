#!/usr/bin/env bash
# Serving benchmark: loads the ML-20M-scale MovieLens-format dataset (generated once, cached) into a
# real PostgreSQL, trains and promotes a model with the packaged app, starts the app (JVM mode) and
# times it to /ready, then drives /recommend and /movies/{id}/similar over every user and movie with
# h2load at fixed rates (p50/p90/p99, errors) and wrk (maximum throughput). Needs wrk and h2load
# (Debian packages wrk and nghttp2-client).
# The database with the dataset and the promoted model is kept in $RECO_BENCH_DIR/serving-postgres and
# reused; RECO_BENCH_FRESH=1 prepares it again.
#   scripts/bench-serving.sh [SECONDS_PER_STEP] [RATES]   e.g. scripts/bench-serving.sh 20 500,1000,2000
# RECO_BENCH_FAMILIES=itemknn,rp3beta,ease,ials then trains, promotes and serves each family in turn
# and measures /recommend at the same rates (the production model from before is promoted back);
# RECO_BENCH_FAMILIES_ONLY=1 skips the start times and the default model's load steps;
# RECO_BENCH_REUSE_VERSIONS=1 serves the latest registered version of each family instead of training one.
# RECO_BENCH_MAX_ONLY=1 measures only the maximum throughputs and their ratio (no start times, no fixed rates);
# RECO_BENCH_JAVA_OPTS adds JVM options to the app's starts (e.g. a JFR recording).
# RECO_BENCH_PROXY=1 then starts two api instances behind nginx (the project's nginx/nginx.conf, its upstream
# pointed at them; Debian package nginx) and measures through it: answers against one instance's own, /recommend
# at 1000 req/s, the maximum throughputs, how the requests were shared, each instance's start and memory.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
seconds="${1:-20}"
rates="${2:-500,1000,2000}"
for tool in wrk h2load; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y wrk nghttp2-client" >&2; exit 1; }
done
# RECO_BENCH_APPCDS=1 also builds the AppCDS archive and measures start-to-ready with it
appcds=false
[ "${RECO_BENCH_APPCDS:-0}" = 1 ] && appcds=true
rm -f app/target/quarkus-app/app-cds.jsa
bench_build -Dquarkus.package.jar.appcds.enabled=$appcds
bench_dataset
bench_run ServingBenchmark "$bench/ml20m" "$bench" "$seconds" "$rates"
