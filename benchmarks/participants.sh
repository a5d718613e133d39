#!/usr/bin/env bash
# The trainers' workspace with one big course: N enrolments (default 20,000) and M module attempts (default
# 200,000) from `academy generate-participants`, plus 100 catalogue courses. With a trainer signed in (the
# course's owner), wrk measures in the same run: the catalogue as that trainer sees it (rendered on every
# request, the comparison), the participants page (first page; a later page filtered by status; a search),
# and the insight page with its charts. Then the participants CSV of the whole course and of a sixteenth of
# it, each on a fresh server, with the server's peak memory (VmHWM) after each: it must not grow with N.
# Release build, production environment, on SQLite and on a throwaway PostgreSQL cluster.
#
#   benchmarks/participants.sh [--enrolments 20000] [--attempts 200000] [--duration 10] [--connections 16] [--skip-postgres]
#
# Needs wrk, curl and, for PostgreSQL, Debian's postgresql package.
set -euo pipefail
cd "$(dirname "$0")/.."
ENROLMENTS=20000 ATTEMPTS=200000 DURATION=10 CONNECTIONS=16 POSTGRES=1
PORT=${BENCH_PORT:-8124} PGPORT=${BENCH_PG_PORT:-25434}
while [ $# -gt 0 ]; do
  case "$1" in
    --enrolments) ENROLMENTS=$2; shift 2;;
    --attempts) ATTEMPTS=$2; shift 2;;
    --duration) DURATION=$2; shift 2;;
    --connections) CONNECTIONS=$2; shift 2;;
    --skip-postgres) POSTGRES=0; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

if [ -z "${BENCH_BIN:-}" ]; then
  echo "== release build" >&2
  swift build -c release --scratch-path .build-release --product academy >&2
  BIN=$(swift build -c release --scratch-path .build-release --show-bin-path)/academy
else
  BIN=$BENCH_BIN
fi

WORK=$(mktemp -d /tmp/academy-participants-bench.XXXXXX)
chmod 755 "$WORK"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  if [ -n "$PGBIN" ] && [ -d "$WORK/pg" ]; then
    su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$WORK/pg' -m fast stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
export ACADEMY_SEED=false LOG_LEVEL=warning ACADEMY_STAFF_TWO_FACTOR=off
BASE="http://127.0.0.1:$PORT"
SLUG=benchmark-participants

start_server() {
  "$BIN" serve --env production --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 150); do curl -sf "$BASE/healthz" >/dev/null && return; sleep 0.2; done
  echo "server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1
}
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
peak_mb() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER/status"; }

# Signs the course's owner in; prints the Cookie header value.
sign_in() {
  local jar=$WORK/cookies
  rm -f "$jar"
  curl -s -c "$jar" -b "$jar" "$BASE/login" >/dev/null
  local csrf; csrf=$(awk '$6 == "academy-csrf" { print $7 }' "$jar")
  curl -s -c "$jar" -b "$jar" -o /dev/null -w "%{http_code}" --data-urlencode "email=trainer@benchmark.invalid" \
    --data-urlencode "password=benchmark-password" --data-urlencode "_csrf=$csrf" "$BASE/login" | grep -q 303 \
    || { echo "sign-in failed" >&2; exit 1; }
  # curl writes HttpOnly cookies (the session) as lines starting "#HttpOnly_".
  awk 'NF >= 7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$jar"
}

run() { # label url cookie -> a line "label rps p50 p99"
  local label=$1 url=$2 cookie=$3
  local status; status=$(curl -s -o /dev/null -w "%{http_code}" -H "Cookie: $cookie" "$url")
  [ "$status" = 200 ] || { echo "$url answered $status" >&2; exit 1; }
  wrk -t2 -c"$CONNECTIONS" -d2s -H "Cookie: $cookie" "$url" >/dev/null 2>&1
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie" "$url" | awk -v l="$label" '
    /Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /Non-2xx/ { bad = $NF }
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    END { if (bad > 0) print l ": non-2xx answers: " bad > "/dev/stderr"; printf "%s %.0f %.2f %.2f\n", l, rps, ms(p50), ms(p99) }'
}

run_suite() { # database name
  local name=$1
  echo "== $name: generating $ENROLMENTS enrolments, $ATTEMPTS attempts" >&2
  "$BIN" migrate --yes >/dev/null
  "$BIN" generate-courses --count 100 --env production >/dev/null
  /usr/bin/time -f "%e s" "$BIN" generate-participants --enrolments "$ENROLMENTS" --attempts "$ATTEMPTS" --env production >&2
  start_server
  local cookie; cookie=$(sign_in)
  local pages=$(( (ENROLMENTS + 24) / 25 ))
  {
    run catalogue "$BASE/" "$cookie"
    run participants "$BASE/trainer/courses/$SLUG/participants" "$cookie"
    run participants-filtered "$BASE/trainer/courses/$SLUG/participants?status=in-progress&page=$(( pages / 3 ))" "$cookie"
    run participants-search "$BASE/trainer/courses/$SLUG/participants?q=peeters" "$cookie"
    run insight "$BASE/trainer/courses/$SLUG/insight" "$cookie"
  } > "$WORK/$name.pages"
  stop_server
  awk -v db="$name" '
    { rps[$1] = $2; p50[$1] = $3; p99[$1] = $4; order[NR] = $1 }
    END {
      for (i = 1; i <= NR; i++) { k = order[i]
        printf "%-12s %-22s %7d req/s (%.2f of catalogue)  p50 %8.2f ms (%.1fx)  p99 %8.2f ms (%.1fx)\n", db, k, rps[k],
          rps[k] / rps["catalogue"], p50[k], p50[k] / p50["catalogue"], p99[k], p99[k] / p99["catalogue"] }
    }' "$WORK/$name.pages"

  # The CSV: a sixteenth of the course (the learners called Anna), then all of it, each on a fresh server.
  for scope in "q=anna" ""; do
    start_server
    cookie=$(sign_in)
    curl -s -H "Cookie: $cookie" "$BASE/" >/dev/null
    local before; before=$(peak_mb)
    local stats; stats=$(curl -s -H "Cookie: $cookie" -o "$WORK/list.csv" -w "%{time_total} %{size_download}" "$BASE/trainer/courses/$SLUG/participants.csv?$scope")
    local rows=$(( $(wc -l < "$WORK/list.csv") - 1 ))
    printf "%-12s csv %-8s %6d rows  %s s  %s bytes  peak memory %s MB before, %s MB after\n" "$name" "${scope:-all}" "$rows" $stats "$before" "$(peak_mb)"
    stop_server
  done
}

echo "== SQLite" >&2
export ACADEMY_DATA_DIR=$WORK/sqlite
run_suite sqlite
unset ACADEMY_DATA_DIR

if [ "$POSTGRES" = 1 ] && [ -n "$PGBIN" ]; then
  echo "== PostgreSQL" >&2
  chown postgres:postgres "$WORK"
  su postgres -s /bin/sh -c "'$PGBIN/initdb' -D '$WORK/pg' -A trust -U postgres" >/dev/null
  su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$WORK/pg' -l '$WORK/pg.log' -o \"-p $PGPORT -c listen_addresses=127.0.0.1 -k '$WORK'\" -w start" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres" ACADEMY_DATA_DIR=$WORK/pgdata
  run_suite postgres
fi
