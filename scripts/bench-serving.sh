#!/usr/bin/env bash
# Serving benchmark: loads the ML-20M-scale MovieLens-format dataset (generated once, cached) into a
# real PostgreSQL, trains and promotes a model with the packaged app, starts the app (JVM mode) and
# times it to /ready, then drives /recommend and /movies/{id}/similar over every user and movie with
# h2load at fixed rates (p50/p90/p99, errors) and wrk (maximum throughput). Needs wrk and h2load
# (Debian packages wrk and nghttp2-client).
# The database with the dataset and the promoted model is kept in $RECO_BENCH_DIR/serving-postgres and
# reused; RECO_BENCH_FRESH=1 prepares it again.
#   scripts/bench-serving.sh [SECONDS_PER_STEP] [RATES]   e.g. scripts/bench-serving.sh 20 500,1000,2000
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
rates="${2:-500,1000,2000}"
bench="${RECO_BENCH_DIR:-$HOME/.cache/reco-films/bench}"
for tool in wrk h2load; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y wrk nghttp2-client" >&2; exit 1; }
done
# RECO_BENCH_APPCDS=1 also builds the AppCDS archive and measures start-to-ready with it
appcds=false
[ "${RECO_BENCH_APPCDS:-0}" = 1 ] && appcds=true
rm -f app/target/quarkus-app/app-cds.jsa
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -Dquarkus.package.jar.appcds.enabled=$appcds package \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cd app  # the app module: its classes, test classes and target/quarkus-app
if [ ! -f "$bench/ml20m/ratings.csv" ]; then
  echo "generating the ML-20M-scale dataset into $bench/ml20m (once)"
  java -jar target/quarkus-app/quarkus-run.jar generate --preset ml20m --out "$bench/ml20m"
fi
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.recofilms.bench.ServingBenchmark "$bench/ml20m" "$bench" "$seconds" "$rates"
