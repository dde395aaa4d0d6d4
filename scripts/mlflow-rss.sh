#!/usr/bin/env bash
# The resident memory of the embedded MLflow server's process tree, measured twice: as MLflow 3
# starts by default (job execution on) and as the launcher and the tests start it
# (MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false). Each time it starts `mlflow server` with the
# launcher's arguments on a fresh sqlite store, waits for /health and a settling delay, then sums
# VmRSS over the server and all its descendants (from /proc) and lists them.
#   scripts/mlflow-rss.sh [SETTLE_SECONDS]   (default 20; the MLflow virtualenv must exist: the
#   launcher or the tests make it in ~/.cache/reco-films/mlflow-VERSION)
set -euo pipefail
cd "$(dirname "$0")/.."
settle="${1:-20}"
version="$(sed -n 's/.*String VERSION = "\(.*\)";/\1/p' launcher/src/main/java/org/recofilms/launcher/LocalMlflow.java)"
mlflow="$HOME/.cache/reco-films/mlflow-$version/bin/mlflow"
[ -x "$mlflow" ] || { echo "no MLflow $version virtualenv at $mlflow" >&2; exit 1; }

# the pids of $1 and of all its descendants
tree() {
  local pids="$1" frontier="$1" next
  while [ -n "$frontier" ]; do
    next=""
    for p in $frontier; do
      for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do next="$next $c"; done
    done
    pids="$pids$next"
    frontier="${next# }"
  done
  echo "$pids"
}

measure() {
  local label="$1" job_execution="$2" work port pid total=0 count=0
  work="$(mktemp -d)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p "$work/artifacts"
  local envs=(MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true)
  [ "$job_execution" = default ] || envs+=(MLFLOW_SERVER_ENABLE_JOB_EXECUTION="$job_execution")
  env "${envs[@]}" setsid "$mlflow" server --backend-store-uri "sqlite:///$work/mlflow.db" \
    --serve-artifacts --artifacts-destination "$work/artifacts" \
    --host 127.0.0.1 --port "$port" --workers 1 >"$work/mlflow.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$port/health" >/dev/null || { tail "$work/mlflow.log"; kill -- -"$pid"; exit 1; }
  sleep "$settle"
  echo "$label:"
  for p in $(tree "$pid"); do
    local kb
    kb="$(awk '/^VmRSS:/ {print $2}' /proc/"$p"/status 2>/dev/null || true)"
    [ -n "$kb" ] || continue
    total=$((total + kb))
    count=$((count + 1))
    printf '  %7d %6d MB  %s\n' "$p" $((kb / 1024)) "$(tr '\0' ' ' </proc/"$p"/cmdline | cut -c1-100)"
  done
  printf '  %d processes, %d MB RSS in all\n' "$count" $((total / 1024))
  kill -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}

measure "MLflow $version as started by default (job execution on)" default
measure "MLflow $version as the launcher starts it (MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false)" false
