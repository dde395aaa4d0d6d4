#!/usr/bin/env bash
# Generates MovieLens-20M-format data (the real files may not be redistributed).
#
#   scripts/generate-movielens.sh --preset demo --out data/ml-demo
#   scripts/generate-movielens.sh --preset ml20m --zip /tmp/ml-20m.zip
#   scripts/generate-movielens.sh --scale 0.1 --seed 7 --bad-rows 5 --out /tmp/ml-bad
#
# Runs the packaged app's `generate` command, which needs no database and no broker (it runs
# before Quarkus starts); pass --help for all options. JAVA_OPTS is passed to the JVM
# (e.g. JAVA_OPTS=-Xmx256m).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/app/target/quarkus-app/quarkus-run.jar"

if [[ ! -f "$jar" ]]; then
    echo "error: $jar is missing; run './mvnw -B -q -DskipTests package' in $root first" >&2
    exit 1
fi

java_bin="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
    java_bin="$JAVA_HOME/bin/java"
fi

# shellcheck disable=SC2086 # JAVA_OPTS holds several words on purpose
exec "$java_bin" ${JAVA_OPTS:-} -jar "$jar" generate "$@"
