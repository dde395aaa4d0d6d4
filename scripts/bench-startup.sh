#!/usr/bin/env bash
# Start-to-ready benchmark (issue 16): builds a bare Quarkus REST app (scripts/bare-quarkus, same Quarkus
# version, not part of the main build) and the packaged app, then starts the bare app 5 times (start to its
# first 200) and the app in role api on the ML-20M-scale model and user histories 5 times (start to /ready
# 200), and prints the medians, their ratio and the RSS once ready.
# The ML-20M-scale dataset is the serving benchmark's (generated once into $RECO_BENCH_DIR/ml20m); the database
# with it and a promoted model is kept in $RECO_BENCH_DIR/startup-postgres (prepared once: ingest, train
# --promote), the api's data directory (snapshot, local copy of the histories) in $RECO_BENCH_DIR/startup-data.
#   scripts/bench-startup.sh [STARTS]
# RECO_BENCH_APPCDS=1 also builds Quarkus's AppCDS archive and times 5 more api starts with it;
# RECO_BENCH_API_VARIANT=K=V,... times 5 more api starts with these environment variables (e.g.
# QUARKUS_FLYWAY_MIGRATE_AT_START=false); RECO_BENCH_JAVA_OPTS adds JVM options to every api start (a profile).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
starts="${1:-5}"
./mvnw -B -q -f scripts/bare-quarkus/pom.xml -DskipTests package
bare="$PWD/scripts/bare-quarkus/target/quarkus-app"
appcds=false
[ "${RECO_BENCH_APPCDS:-0}" = 1 ] && appcds=true
rm -f app/target/quarkus-app/app-cds.jsa
bench_build -Dquarkus.package.jar.appcds.enabled=$appcds
bench_dataset
bench_run StartupBenchmark "$bench/ml20m" "$bench" "$bare" "$starts"
