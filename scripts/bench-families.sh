#!/usr/bin/env bash
# Training time, peak memory and full-ranking metrics per model family on ML-20M-shaped generated
# ratings scaled by SCALE (FamilyBenchmark): RUNS runs of each family, medians printed.
#   scripts/bench-families.sh [SCALE] [RUNS] [FAMILIES]   e.g. scripts/bench-families.sh 1.0 3 itemknn,rp3beta,ease,ials
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
bench_build
java ${JAVA_OPTS:--Xmx6g} -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.recofilms.training.FamilyBenchmark "${1:-1.0}" "${2:-3}" "${3:-itemknn,rp3beta,ease,ials}"
