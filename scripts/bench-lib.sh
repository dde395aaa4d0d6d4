# Sourced by the scripts/bench-*.sh benchmarks, from the repository root: what they share.
#   RECO_BENCH_DIR: where the ML-20M-scale dataset is cached
bench="${RECO_BENCH_DIR:-$HOME/.cache/reco-films/bench}"

# Packages the app (with any extra Maven arguments) and writes the test classpath the benchmark
# classes run on, then moves into the app module: its classes, test classes and target/quarkus-app.
bench_build() {
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true "$@" package \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
  cd app
}

# Generates a MovieLens-format dataset of the preset $1 (default ml20m: ML-20M scale) into
# $bench/$1 with the packaged app, once.
bench_dataset() {
  local preset="${1:-ml20m}"
  if [ ! -f "$bench/$preset/ratings.csv" ]; then
    echo "generating the $preset dataset into $bench/$preset (once)"
    java -jar target/quarkus-app/quarkus-run.jar generate --preset "$preset" --out "$bench/$preset"
  fi
}

# Sets $data to an ML-20M-shaped dataset at scale $1 (1.0: the ml20m preset), generated once into
# $bench/ml20m-x$1 with the packaged app.
bench_scaled_dataset() {
  local scale="$1"
  if [ "$scale" = 1.0 ] || [ "$scale" = 1 ]; then
    bench_dataset
    data="$bench/ml20m"
    return
  fi
  data="$bench/ml20m-x$scale"
  if [ ! -f "$data/ratings.csv" ]; then
    echo "generating the ML-20M-shaped dataset at scale $scale into $data (once)"
    java -jar target/quarkus-app/quarkus-run.jar generate --scale "$scale" --out "$data"
  fi
}

# Runs the benchmark class org.recofilms.bench.$1 with the remaining arguments.
bench_run() {
  local class="$1"
  shift
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    "org.recofilms.bench.$class" "$@"
}
