#!/usr/bin/env bash
# Catalogue page throughput and latency with N published courses, against a baseline served by the same
# app in the same run: a handler behind the same middleware that answers with the bytes of a catalogue
# page rendered once. Release build, production environment, wrk on loopback.
#
#   benchmarks/catalogue.sh [--courses 500] [--duration 15] [--connections 32]
#
# Prints a Markdown table row for BENCHMARKS.md. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
COURSES=500 DURATION=15 CONNECTIONS=32 PORT=${BENCH_PORT:-8123}
while [ $# -gt 0 ]; do
  case "$1" in
    --courses) COURSES=$2; shift 2;;
    --duration) DURATION=$2; shift 2;;
    --connections) CONNECTIONS=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

echo "== release build" >&2
swift build -c release --scratch-path .build-release --product academy >&2
BIN=$(swift build -c release --scratch-path .build-release --show-bin-path)/academy

DATA=$(mktemp -d /tmp/academy-bench.XXXXXX)
export ACADEMY_DATA_DIR=$DATA ACADEMY_SEED=false LOG_LEVEL=warning ACADEMY_BENCHMARK_BASELINE=1
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT

echo "== $COURSES synthetic courses" >&2
"$BIN" generate-courses --count "$COURSES" --env production >&2
"$BIN" serve --env production --hostname 127.0.0.1 --port "$PORT" >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

CATALOGUE="http://127.0.0.1:$PORT/"
BASELINE="http://127.0.0.1:$PORT/__benchmark/baseline"
cmp <(curl -s "$CATALOGUE") <(curl -s "$BASELINE") >/dev/null || echo "note: baseline bytes differ from a fresh catalogue page (CSRF-free page, should be equal)" >&2
echo "   page size: $(curl -s "$CATALOGUE" | wc -c) bytes" >&2

run() { # url -> "rps p50_ms p99_ms"
  wrk -t2 -c"$CONNECTIONS" -d2s "$1" >/dev/null 2>&1 # warm-up
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    END { printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99) }'
}

echo "== baseline ($DURATION s, $CONNECTIONS connections)" >&2
read -r B_RPS B_P50 B_P99 < <(run "$BASELINE")
echo "== catalogue" >&2
read -r C_RPS C_P50 C_P99 < <(run "$CATALOGUE")

RATIO=$(awk -v c="$C_RPS" -v b="$B_RPS" 'BEGIN { printf "%.2f", c / b }')
TAIL=$(awk -v a="$C_P99" -v b="$C_P50" 'BEGIN { printf "%.1f", a / b }')
echo "| $(date -u +%Y-%m-%d) | $COURSES | $B_RPS | $B_P50 / $B_P99 | $C_RPS | $C_P50 / $C_P99 | $RATIO | $TAIL |"
