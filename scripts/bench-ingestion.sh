#!/usr/bin/env bash
# Ingestion benchmark: generates an ML-20M-scale MovieLens-format dataset once (cached), then loads
# it into a real PostgreSQL with the packaged app's `ingest` command and prints rows/s per file,
# the time of each phase, the total wall time and the app's peak RSS.
#   scripts/bench-ingestion.sh [RUNS]      (RECO_BENCH_DIR: where the dataset is cached)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1}"
bench="${RECO_BENCH_DIR:-$HOME/.cache/reco-films/bench}"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true package \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cd app  # the app module: its classes, test classes and target/quarkus-app
if [ ! -f "$bench/ml20m/ratings.csv" ]; then
  echo "generating the ML-20M-scale dataset into $bench/ml20m (once)"
  java -jar target/quarkus-app/quarkus-run.jar generate --preset ml20m --out "$bench/ml20m"
fi
du -sh "$bench/ml20m"
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.recofilms.bench.IngestionBenchmark "$bench/ml20m" "$runs"
