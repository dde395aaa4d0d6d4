#!/usr/bin/env bash
# Runs reco-films on the embedded default: a real PostgreSQL, a real Kafka broker and (when Python
# can provide it) a real MLflow server, all started on this machine, then the app on them and (when a
# prometheus binary is on PATH) a real Prometheus scraping it with the rules of prometheus/, each
# watched by the launcher (launcher/, plain Java; no test code on any classpath).
# On first start it generates a demo dataset in the MovieLens format, runs the daily pipeline on it
# and serves the model it promoted (--source=movielens uses the real MovieLens 20M download).
# Needs only Java 17; Maven comes through ./mvnw. Ctrl-C stops everything. Options: --help.
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true package
exec java -jar launcher/target/reco-films-launcher.jar "$@"
