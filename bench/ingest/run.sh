#!/usr/bin/env bash
# Ingestion benchmark: sustained events/s with durable acknowledgement (a 2xx only after the commit),
# single-event and batched (100 per request) requests, Pond side by side with a minimal baseline
# (bench/ingest/Baseline.java: a bare JDK HTTP server that parses the same JSON and appends to a file
# under the same group-commit rule), load generator in a separate JVM over loopback.
# Usage: ./pond bench ingest [--size N] [--seconds N] [--concurrency N]
#   --size N        events per measurement (default 200000; single-event requests send N/4)
#   --seconds N     the most a measurement runs, after a 2 s warm-up (default 20)
#   --concurrency N concurrent client connections (default 64)
#   --warmup N      seconds of unmeasured load on each server first, for the JIT (default 30)
#   --with-consumers  keep Pond's event-log consumers (identity resolution) running during the run
# Prints the figures, then the ratios Pond / baseline on the last line.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/jdk.sh"
pond_find_jdk
SIZE=200000
MAX_SECONDS=20
CONCURRENCY=64
WARMUP=30
CONSUMERS=false
PORT=${POND_BENCH_PORT:-18180}
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE=$2; shift 2 ;;
    --seconds) MAX_SECONDS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --with-consumers) CONSUMERS=true; shift ;;
    --port) PORT=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
JAR="${POND_JAR:-$ROOT/server/target/pond.jar}"
[ -f "$JAR" ] || (cd "$ROOT" && ./pond build)
KEY=bench_ingest_write_key_0001
JAVA="$JAVA_HOME/bin/java"
WORK="$ROOT/server/target/bench-ingest"
rm -rf "$WORK"; mkdir -p "$WORK/lib"

# the baseline parses with the same Jackson as Pond: take the jars from Pond's jar
unzip -q -j -o "$JAR" 'BOOT-INF/lib/jackson-core-3*.jar' 'BOOT-INF/lib/jackson-databind-3*.jar' \
  'BOOT-INF/lib/jackson-annotations-*.jar' -d "$WORK/lib"
CP=$(ls "$WORK"/lib/*.jar | tr '\n' ':')

await() { # $1 = health URL, $2 = pid
  for _ in $(seq 1 480); do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "the server died; see $WORK" >&2; exit 1; }
    sleep 0.5
  done
  echo "the server did not start; see $WORK" >&2; exit 1
}

load() { # $1 = events per request; the events of one measurement
  local n=$SIZE
  [ "$1" = 1 ] && n=$((SIZE / 4))
  "$JAVA" "$ROOT/bench/ingest/IngestLoad.java" "http://127.0.0.1:$PORT/v1/batch" $KEY "$n" "$MAX_SECONDS" "$CONCURRENCY" "$1"
}

cpu_ms() { # CPU time (user + system) of process $1 so far, in ms
  awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}

# The server's CPU time per 1,000 acknowledged events: unlike the rates, barely skewed by other load.
per_k() { # $1 = figures line, $2 = CPU ms the server used for it (warm-up included, as is acknowledged=)
  echo "$1" | awk -v cpu="$2" '{ n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^acknowledged=/) { split($i, kv, "="); n = kv[2] }
    printf "%s server_cpu_ms_per_1000_events=%.1f", $0, (n > 0 ? cpu * 1000 / n : 0) }'
}

measure() { # $1 = label, $2 = pid; prints two lines
  local single batched c0 c1 c2
  "$JAVA" "$ROOT/bench/ingest/IngestLoad.java" "http://127.0.0.1:$PORT/v1/batch" $KEY 100000000 "$WARMUP" "$CONCURRENCY" 10 >/dev/null
  c0=$(cpu_ms "$2")
  single=$(load 1)
  c1=$(cpu_ms "$2")
  batched=$(load 100)
  c2=$(cpu_ms "$2")
  local t0=$SECONDS
  kill "$2"; wait "$2" 2>/dev/null || true
  echo "$1 single-event: $(per_k "$single" $((c1 - c0)))"
  echo "$1 batched-100:  $(per_k "$batched" $((c2 - c1)))"
  # Pond's graceful stop first loads what the log file holds into DuckDB (at most 30 s): how far the
  # analytics copy was behind the acknowledgements
  echo "$1 stopped in $((SECONDS - t0)) s"
}

echo "== ingestion, up to $SIZE events and $MAX_SECONDS s per measurement, $CONCURRENCY clients, consumers $CONSUMERS, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$WORK/pond"
# The log's consumers (identity resolution) are off unless --with-consumers: they work after the
# acknowledgement, on their own thread, and the baseline has nothing like them. The per-key rate
# limit (200,000 events/s by default) is lifted: the baseline has none, and a 429 is not a stored event.
POND_DATA_DIR="$WORK/pond" POND_WRITE_KEY=$KEY "$JAVA" --enable-native-access=ALL-UNNAMED ${POND_JAVA_OPTS:-} -jar "$JAR" \
  start --port "$PORT" --pond.ingest.consumers.enabled=$CONSUMERS \
  --pond.ingest.rate-limit.events-per-second=1000000000 --pond.ingest.rate-limit.burst=1000000000 >"$WORK/pond/server.log" 2>&1 &
pid=$!
await "http://127.0.0.1:$PORT/actuator/health" $pid
A=$(measure pond $pid)
echo "$A"

"$JAVA" -cp "$CP" "$ROOT/bench/ingest/Baseline.java" "$PORT" "$WORK/baseline.jsonl" $KEY >"$WORK/baseline.log" 2>&1 &
pid=$!
await "http://127.0.0.1:$PORT/health" $pid
B=$(measure baseline $pid)
echo "$B"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

field() { echo "$1" | grep "$2" | sed -E "s#.*$3=([0-9]+).*#\1#"; }
ps=$(field "$A" single requests/s); bs=$(field "$B" single requests/s)
pb=$(field "$A" batched events/s); bb=$(field "$B" batched events/s)
awk -v ps="$ps" -v bs="$bs" -v pb="$pb" -v bb="$bb" 'BEGIN {
  printf "pond/baseline: single-event %d/%d req/s = %.2fx, batched %d/%d events/s = %.2fx\n",
    ps, bs, ps / (bs > 0 ? bs : 1), pb, bb, pb / (bb > 0 ? bb : 1) }'
