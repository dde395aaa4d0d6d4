#!/usr/bin/env bash
# Soak test: runs the platform (real PostgreSQL, broker, packaged app) for N minutes under mixed
# traffic while it injects faults (broker paused and killed, PostgreSQL paused, app killed and
# restarted), then prints requests, errors by kind, ratings accepted and found stored, lost ratings
# and runs left non-final; exits 1 when a rating is lost or a run is left non-final.
#   scripts/soak.sh [--minutes=N]   (default 10; RECO_SOAK_DIR: its work folder, default a new temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
minutes=10
for arg in "$@"; do
  case "$arg" in
    --minutes=*) minutes="${arg#--minutes=}" ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
work="${RECO_SOAK_DIR:-$(mktemp -d -t reco-soak.XXXXXX)}"
bench_build
echo "soak for $minutes minute(s) in $work (the app's log: $work/app.log)"
bench_run Soak "$work" "$minutes"
