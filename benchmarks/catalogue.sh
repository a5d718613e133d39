#!/usr/bin/env bash
# Catalogue page throughput and latency with N published courses, against a baseline served by the same
# app in the same run: a handler behind the same middleware that answers with the bytes of a catalogue
# page rendered once. Release build, production environment, wrk on loopback. Measures the catalogue as an
# anonymous visitor, as a signed-in learner (with his session cookie), and rendered on every request.
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

if [ -z "${BENCH_BIN:-}" ]; then
  echo "== release build" >&2
  swift build -c release --scratch-path .build-release --product academy >&2
  BIN=$(swift build -c release --scratch-path .build-release --show-bin-path)/academy
else
  BIN=$BENCH_BIN   # an academy binary built elsewhere (release), e.g. from another worktree
fi

DATA=$(mktemp -d /tmp/academy-bench.XXXXXX)
export ACADEMY_DATA_DIR=$DATA ACADEMY_SEED=false LOG_LEVEL=warning ACADEMY_BENCHMARK_BASELINE=1
SERVER=""
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT

echo "== $COURSES synthetic courses" >&2
"$BIN" generate-courses --count "$COURSES" --env production >&2
echo "meting-van-de-catalogus-2026" | "$BIN" user create --email bench@example.be --name "Bench Learner" --role learner \
  --password-stdin --env production >&2
start_server() { # extra environment assignments...
  env "$@" "$BIN" serve --env production --hostname 127.0.0.1 --port "$PORT" >"$DATA/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.2; done
  echo "server did not start:" >&2; cat "$DATA/server.log" >&2; exit 1
}
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }

sign_in() { # prints the Cookie header value of a signed-in session
  local jar="$DATA/cookies"
  curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/login" >/dev/null
  local token; token=$(awk '$6 == "academy-csrf" { print $7 }' "$jar")
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "email=bench@example.be" \
    --data-urlencode "password=meting-van-de-catalogus-2026" --data-urlencode "_csrf=$token" "http://127.0.0.1:$PORT/login"
  awk '$6 ~ /^academy-/ { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$jar"
}

run() { # url [cookie] -> "rps p50_ms p99_ms"
  local header=()
  [ -n "${2:-}" ] && header=(-H "Cookie: $2")
  wrk -t2 -c"$CONNECTIONS" -d2s "${header[@]}" "$1" >/dev/null 2>&1 # warm-up
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${header[@]}" "$1" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    END { if (bad > 0) print "non-2xx answers: " bad > "/dev/stderr"; printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99) }'
}

CATALOGUE="http://127.0.0.1:$PORT/"
BASELINE="http://127.0.0.1:$PORT/__benchmark/baseline"

start_server
echo "   page size: $(curl -s "$CATALOGUE" | wc -c) bytes" >&2
cmp <(curl -s "$CATALOGUE") <(curl -s "$BASELINE") >/dev/null || echo "note: baseline bytes differ from the catalogue page" >&2
echo "== baseline ($DURATION s, $CONNECTIONS connections)" >&2
read -r B_RPS B_P50 B_P99 < <(run "$BASELINE")
echo "== catalogue, anonymous (page kept after the first request)" >&2
read -r C_RPS C_P50 C_P99 < <(run "$CATALOGUE")
COOKIE=$(sign_in)
grep -q 'action="/logout"' <<<"$(curl -s -H "Cookie: $COOKIE" "$CATALOGUE")" || { echo "signing in failed" >&2; exit 1; }
echo "== catalogue, signed-in learner (page shared by people with the same access facts)" >&2
read -r S_RPS S_P50 S_P99 < <(run "$CATALOGUE" "$COOKIE")
stop_server

start_server ACADEMY_PAGE_CACHE=off
echo "== catalogue rendered on every request (ACADEMY_PAGE_CACHE=off)" >&2
read -r R_RPS R_P50 R_P99 < <(run "$CATALOGUE")
stop_server

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "| $(date -u +%Y-%m-%d) | $COURSES | $CONNECTIONS | $B_RPS | $B_P50 / $B_P99 | $C_RPS ($(ratio "$C_RPS" "$B_RPS")) | $C_P50 / $C_P99 ($(ratio "$C_P99" "$C_P50")x) | $S_RPS ($(ratio "$S_RPS" "$B_RPS")) | $S_P50 / $S_P99 ($(ratio "$S_P99" "$S_P50")x) | $R_RPS ($(ratio "$R_RPS" "$B_RPS")) | $R_P50 / $R_P99 ($(ratio "$R_P99" "$R_P50")x) |"
