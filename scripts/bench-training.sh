#!/usr/bin/env bash
# Training benchmark: loads the ML-20M-scale MovieLens-format dataset (generated once, cached) into a
# real PostgreSQL with the app's `ingest` command, then runs the app's `train` command RUNS times
# (-Xmx2g) and prints snapshot export, snapshot read, training and evaluation times, the metrics,
# the peak heap and the peak RSS, then the medians.
#   scripts/bench-training.sh [RUNS]      (RECO_BENCH_DIR: where the dataset is cached)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
bench="${RECO_BENCH_DIR:-$HOME/.cache/reco-films/bench}"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true package \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cd app  # the app module: its classes, test classes and target/quarkus-app
if [ ! -f "$bench/ml20m/ratings.csv" ]; then
  echo "generating the ML-20M-scale dataset into $bench/ml20m (once)"
  java -jar target/quarkus-app/quarkus-run.jar generate --preset ml20m --out "$bench/ml20m"
fi
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.recofilms.bench.TrainingBenchmark "$bench/ml20m" "$runs"
