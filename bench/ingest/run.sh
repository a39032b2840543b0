#!/usr/bin/env bash
# Ingestion benchmark: sustained requests/s with durable acknowledgement (a 2xx only after the DuckDB
# commit), with group commit (default) and without it (one commit per request), side by side in one
# run, load generator in a separate JVM. Usage: ./pond bench ingest [--seconds N] [--concurrency N]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/jdk.sh"
pond_find_jdk
SECONDS_RUN=10
CONCURRENCY=64
PORT=${POND_BENCH_PORT:-18180}
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
JAR="$ROOT/server/target/pond.jar"
[ -f "$JAR" ] || (cd "$ROOT" && ./pond build)
KEY=bench_ingest_write_key_0001
JAVA="$JAVA_HOME/bin/java"

run_pond() { # $1 = label, rest = extra args; prints the load generator's figures
  local label=$1; shift
  local dir="$ROOT/server/target/bench-ingest-$label"
  rm -rf "$dir"; mkdir -p "$dir"
  POND_DATA_DIR="$dir" POND_WRITE_KEY=$KEY "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" start --port "$PORT" "$@" >"$dir/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 240); do
    curl -sf "http://localhost:$PORT/actuator/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
  local single batched
  single=$("$JAVA" "$ROOT/bench/ingest/IngestLoad.java" "http://localhost:$PORT/v1/batch" $KEY "$SECONDS_RUN" "$CONCURRENCY" 1)
  batched=$("$JAVA" "$ROOT/bench/ingest/IngestLoad.java" "http://localhost:$PORT/v1/batch" $KEY "$SECONDS_RUN" "$CONCURRENCY" 100)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$label single-event: $single"
  echo "$label batched-100:  $batched"
}

echo "== Pond ingestion, $SECONDS_RUN s per run, $CONCURRENCY concurrent clients, $(nproc) cores"
A=$(run_pond group-commit)
echo "$A"
B=$(run_pond one-commit-per-request --pond.ingest.group-commit.max-requests=1)
echo "$B"
rate() { echo "$1" | grep "$2" | sed -E 's/.*requests\/s=([0-9]+).*/\1/'; }
gs=$(rate "$A" single); os=$(rate "$B" single); gb=$(rate "$A" batched); ob=$(rate "$B" batched)
awk -v gs="$gs" -v os="$os" -v gb="$gb" -v ob="$ob" 'BEGIN {
  printf "ratio group-commit / one-commit-per-request: single-event %.2fx, batched %.2fx\n", gs / (os > 0 ? os : 1), gb / (ob > 0 ? ob : 1) }'
