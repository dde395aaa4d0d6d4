#!/bin/sh
# Creates every topic of kafka/topics.conf on a running broker; safe to run again.
#
#   kafka/create-topics.sh <bootstrap-server> [<topics-file>]
#
# KAFKA_TOPICS_BIN  kafka-topics.sh to call (default /opt/kafka/bin/kafka-topics.sh, as in the
#                   apache/kafka image)
# WAIT_SECONDS      how long to wait for the broker to answer (default 60)
# DRY_RUN=1         print the commands instead of running them
set -eu

if [ $# -lt 1 ] || [ -z "$1" ]; then
  echo "usage: $0 <bootstrap-server> [<topics-file>]" >&2
  exit 2
fi
bootstrap=$1
topics_file=${2:-$(dirname "$0")/topics.conf}
topics_bin=${KAFKA_TOPICS_BIN:-/opt/kafka/bin/kafka-topics.sh}
wait_seconds=${WAIT_SECONDS:-60}
dry_run=${DRY_RUN:-0}

if [ ! -r "$topics_file" ]; then
  echo "create-topics: cannot read $topics_file" >&2
  exit 1
fi

run() {
  if [ "$dry_run" = 1 ]; then
    echo "$*"
  else
    "$@"
  fi
}

# Check every line before touching the broker, so a typo creates nothing.
line_no=0
count=0
while IFS= read -r line || [ -n "$line" ]; do
  line_no=$((line_no + 1))
  line=${line%%#*}
  set -f
  # shellcheck disable=SC2086
  set -- $line
  set +f
  [ $# -eq 0 ] && continue
  if [ $# -lt 3 ]; then
    echo "create-topics: $topics_file:$line_no: expected <topic> <partitions> <replication-factor>" >&2
    exit 1
  fi
  case $2 in '' | *[!0-9]* | 0) echo "create-topics: $topics_file:$line_no: bad partition count '$2'" >&2; exit 1 ;; esac
  case $3 in '' | *[!0-9]* | 0) echo "create-topics: $topics_file:$line_no: bad replication factor '$3'" >&2; exit 1 ;; esac
  shift 3
  for config in "$@"; do
    case $config in ?*=?*) ;; *) echo "create-topics: $topics_file:$line_no: bad config '$config' (want key=value)" >&2; exit 1 ;; esac
  done
  count=$((count + 1))
done < "$topics_file"

if [ "$count" -eq 0 ]; then
  echo "create-topics: no topic in $topics_file" >&2
  exit 1
fi

if [ "$dry_run" != 1 ]; then
  waited=0
  until "$topics_bin" --bootstrap-server "$bootstrap" --list > /dev/null 2>&1; do
    if [ "$waited" -ge "$wait_seconds" ]; then
      echo "create-topics: no broker answered at $bootstrap after ${wait_seconds}s" >&2
      exit 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
fi

while IFS= read -r line || [ -n "$line" ]; do
  line=${line%%#*}
  set -f
  # shellcheck disable=SC2086
  set -- $line
  set +f
  [ $# -eq 0 ] && continue
  topic=$1 partitions=$2 replication=$3
  shift 3
  # Rebuild the argument list in place: the topic's configs become --config pairs.
  for config in "$@"; do
    set -- "$@" --config "$config"
    shift
  done
  run "$topics_bin" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$replication" "$@"
done < "$topics_file"

[ "$dry_run" = 1 ] || echo "create-topics: $count topics ready on $bootstrap"
