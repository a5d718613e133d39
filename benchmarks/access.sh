#!/usr/bin/env bash
# What access rules cost: the catalogue page and the catalogue API for a signed-in learner with memberships in
# 3 care boards, over 1,000 published courses of which 600 carry nested rules with prerequisites, against the
# same 1,000 courses without rules, in the same run (two data folders, one server at a time, same binary).
# Release build, production environment, SQLite, wrk on loopback. Also counts the SQL statements one request
# runs in each catalogue (from the server's debug log), to show evaluation makes no query per course.
#
#   benchmarks/access.sh [--courses 1000] [--ruled 600] [--duration 10] [--connections 16]
#
# Prints Markdown table rows for BENCHMARKS.md. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
COURSES=1000 RULED=600 DURATION=10 CONNECTIONS=16 PORT=${BENCH_PORT:-8124}
while [ $# -gt 0 ]; do
  case "$1" in
    --courses) COURSES=$2; shift 2;;
    --ruled) RULED=$2; shift 2;;
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
  BIN=$BENCH_BIN   # an academy binary built elsewhere (release), e.g. with another --scratch-path
fi

WORK=$(mktemp -d /tmp/academy-access-bench.XXXXXX)
export ACADEMY_SEED=false LOG_LEVEL=warning
SERVER=""
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/no-courses"
printf 'email,board,role,cluster,valid_from,valid_until\nbench@example.be,ZR-HERKENRODE,member,care,2024-01-01,\nbench@example.be,ZR-ANTWERPEN-CENTRUM,member,welfare,2024-01-01,\nbench@example.be,ZR-GENT,chair,care,2024-01-01,\n' >"$WORK/members.csv"

prepare() { # name nested-rules
  local data="$WORK/$1"
  mkdir -p "$data"
  echo "== $1: $COURSES courses, $2 with nested rules" >&2
  ACADEMY_DATA_DIR=$data "$BIN" seed --directory "$WORK/no-courses" --env production >/dev/null
  ACADEMY_DATA_DIR=$data "$BIN" generate-courses --count "$COURSES" --nested-rules "$2" --env production >&2
  echo "meting-van-de-toegangsregels-2026" | ACADEMY_DATA_DIR=$data "$BIN" user create --email bench@example.be \
    --name "Bench Learner" --role learner --password-stdin --env production >/dev/null
  ACADEMY_DATA_DIR=$data "$BIN" members import "$WORK/members.csv" --env production >/dev/null
}

start_server() { # name [extra environment assignments...]
  local data="$WORK/$1"; shift
  env ACADEMY_DATA_DIR="$data" "$@" "$BIN" serve --env production --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.2; done
  echo "server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1
}
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }

sign_in() { # prints the Cookie header value of a signed-in session
  local jar="$WORK/cookies"; rm -f "$jar"
  curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/login" >/dev/null
  local token; token=$(awk '$6 == "academy-csrf" { print $7 }' "$jar")
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "email=bench@example.be" \
    --data-urlencode "password=meting-van-de-toegangsregels-2026" --data-urlencode "_csrf=$token" "http://127.0.0.1:$PORT/login"
  awk '$6 ~ /^academy-/ { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$jar"
}

run() { # url cookie -> "rps p50_ms p99_ms"
  wrk -t2 -c"$CONNECTIONS" -d2s -H "Cookie: $2" "$1" >/dev/null 2>&1 # warm-up
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $2" "$1" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    END { if (bad > 0) print "non-2xx answers: " bad > "/dev/stderr"; printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99) }'
}

PAGE="http://127.0.0.1:$PORT/"
API="http://127.0.0.1:$PORT/api/v1/courses"

prepare plain 0
prepare rules "$RULED"

declare -A R
measure() { # name [extra environment...] ; fills R[name.page], R[name.api], R[name.render]
  local name=$1; shift
  start_server "$name" "$@"
  local cookie; cookie=$(sign_in)
  grep -q 'action="/logout"' <<<"$(curl -s -H "Cookie: $cookie" "$PAGE")" || { echo "signing in failed ($name)" >&2; exit 1; }
  echo "   $name: page $(curl -s -H "Cookie: $cookie" "$PAGE" | wc -c) bytes, API total $(curl -s -H "Cookie: $cookie" "$API" | grep -o '"total":[0-9]*')" >&2
  echo "== $name: catalogue page ($DURATION s, $CONNECTIONS connections)" >&2
  R[$name.page]=$(run "$PAGE" "$cookie")
  echo "== $name: catalogue API" >&2
  R[$name.api]=$(run "$API" "$cookie")
  stop_server
  start_server "$name" ACADEMY_PAGE_CACHE=off "$@"
  cookie=$(sign_in)
  echo "== $name: catalogue page rendered on every request (ACADEMY_PAGE_CACHE=off)" >&2
  R[$name.render]=$(run "$PAGE" "$cookie")
  stop_server
}

queries() { # name -> SQL statements logged for one signed-in catalogue request
  start_server "$1" LOG_LEVEL=debug ACADEMY_PAGE_CACHE=off
  local cookie; cookie=$(sign_in)
  curl -s -H "Cookie: $cookie" "$PAGE" >/dev/null   # the first request builds the index and the directory
  local before; before=$(grep -ci 'select\|insert\|update' "$WORK/server.log" || true)
  curl -s -H "Cookie: $cookie" "$PAGE" >/dev/null
  local after; after=$(grep -ci 'select\|insert\|update' "$WORK/server.log" || true)
  stop_server
  echo $((after - before))
}

measure plain
measure rules
Q_PLAIN=$(queries plain)
Q_RULES=$(queries rules)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { # label key
  read -r P_RPS P_P50 P_P99 <<<"${R[plain.$2]}"
  read -r X_RPS X_P50 X_P99 <<<"${R[rules.$2]}"
  echo "| $(date -u +%Y-%m-%d) | $1 | $COURSES / $RULED | $CONNECTIONS | $P_RPS | $P_P50 / $P_P99 | $X_RPS | $X_P50 / $X_P99 | $(ratio "$X_RPS" "$P_RPS") |"
}
row "catalogue page" page
row "catalogue API" api
row "page rendered every request" render
echo "SQL statements per signed-in catalogue request (page cache off): no rules $Q_PLAIN, with rules $Q_RULES"
