#!/usr/bin/env bash
# Dense linear algebra benchmark for EASE: inverts a generated SPD Gram matrix of each size with
# OpenBLAS (bundled natives through JavaCPP, in native memory), netlib LAPACK (system OpenBLAS when
# installed, its Java port otherwise: the script prints which),
# EJML's multi-threaded Cholesky and a plain-Java Cholesky, RUNS times, and prints the medians, the
# ratios to the fastest and an n^3 extrapolation to ML-20M's 13,800-20,000 items (marked as such).
#   scripts/bench-linalg.sh [SIZES] [RUNS] [IMPLEMENTATIONS]   e.g. scripts/bench-linalg.sh 2000,5000 3 openblas,lapack,ejml,java
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
bench_build
JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:--Xmx4g}" bench_run LinalgBenchmark "${1:-2000,5000}" "${2:-3}" "${3:-openblas,lapack,ejml,java}"
