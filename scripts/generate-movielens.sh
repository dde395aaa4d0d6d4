#!/usr/bin/env bash
# Generates MovieLens-20M-format data (the real files may not be redistributed).
#
#   scripts/generate-movielens.sh --preset demo --out data/ml-demo
#   scripts/generate-movielens.sh --preset ml20m --zip /tmp/ml-20m.zip
#   scripts/generate-movielens.sh --scale 0.1 --seed 7 --bad-rows 5 --out /tmp/ml-bad
#
# Runs org.recofilms.ingestion.generator.GenerateMovieLens from the compiled classes; pass --help
# for all options. JAVA_OPTS is passed to the JVM (e.g. JAVA_OPTS=-Xmx256m).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classes="$root/app/target/classes"
main_class="org.recofilms.ingestion.generator.GenerateMovieLens"

if [[ ! -f "$classes/${main_class//.//}.class" ]]; then
    echo "error: $classes has no compiled generator; run './mvnw -q compile' in $root first" >&2
    exit 1
fi

java_bin="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
    java_bin="$JAVA_HOME/bin/java"
fi

# shellcheck disable=SC2086 # JAVA_OPTS holds several words on purpose
exec "$java_bin" ${JAVA_OPTS:-} -cp "$classes" "$main_class" "$@"
