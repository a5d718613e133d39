#!/usr/bin/env bash
# Streaming N accreditation records (default 1,000,000) as CSV, CSV for Excel and NDJSON with `academy export
# accreditation` and through GET /api/v1/accreditation-records (curl to a file, the server in production
# mode), from SQLite and from PostgreSQL, against each database's own bulk export of the same rows in the
# same run: the sqlite3 shell's CSV output and PostgreSQL's COPY ... TO STDOUT. Reports rows per second and
# peak memory (maximum resident set size; for the API the server's VmHWM after the request), and the memory
# growth between an export of N/10 and of N records, which should stay flat. Then signed Open Badges
# (ob3-ndjson) for the first OB3_RECORDS records (default 20,000) through the API.
#
#   benchmarks/export.sh [--records 1000000] [--ob3-records 20000] [--skip-postgres]
#
# Needs sqlite3 and, for PostgreSQL, Debian's postgresql package (as .ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=1000000 POSTGRES=1 PGPORT=${BENCH_PG_PORT:-25433} PORT=${BENCH_PORT:-8124} OB3_RECORDS=20000 SERVER=
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS=$2; shift 2;;
    --ob3-records) OB3_RECORDS=$2; shift 2;;
    --skip-postgres) POSTGRES=0; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
TENTH=$((RECORDS / 10))

if [ -z "${BENCH_BIN:-}" ]; then
  echo "== release build" >&2
  swift build -c release --scratch-path .build-release --product academy >&2
  BIN=$(swift build -c release --scratch-path .build-release --show-bin-path)/academy
else
  BIN=$BENCH_BIN
fi

WORK=$(mktemp -d /tmp/academy-export-bench.XXXXXX)
chmod 755 "$WORK"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
cleanup() {
  stop_server
  if [ -n "$PGBIN" ] && [ -d "$WORK/pg" ]; then
    su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$WORK/pg' -m fast stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
export ACADEMY_SEED=false LOG_LEVEL=warning ACADEMY_STAFF_TWO_FACTOR=off

# measure LABEL ROWS command... -> prints "LABEL rows seconds rows/s peak-MB"
measure() {
  local label=$1 rows=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > "$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  read -r seconds kb < "$WORK/time"
  local lines; lines=$(wc -l < "$WORK/out")
  awk -v l="$label" -v r="$rows" -v s="$seconds" -v k="$kb" -v n="$lines" \
    'BEGIN { printf "%-34s %9d rows %7.2f s %10.0f rows/s %7.1f MB peak (%d lines)\n", l, r, s, r / (s > 0 ? s : 0.01), k / 1024, n }'
}

start_server() {
  "$BIN" serve --env production --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.2; done
  echo "server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1
}
stop_server() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=; fi
}

# measure_api LABEL ROWS QUERY -> as measure, for GET /api/v1/accreditation-records?QUERY with the partner token
measure_api() {
  local label=$1 rows=$2 query=$3
  local start end code
  start=$(date +%s.%N)
  code=$(curl -s -o "$WORK/out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/accreditation-records?$query")
  end=$(date +%s.%N)
  [ "$code" = 200 ] || { echo "$label: HTTP $code" >&2; head -c 500 "$WORK/out" >&2; exit 1; }
  local kb; kb=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER/status")
  local lines; lines=$(wc -l < "$WORK/out")
  awk -v l="$label" -v r="$rows" -v s="$(echo "$end - $start" | bc)" -v k="$kb" -v n="$lines" \
    'BEGIN { printf "%-34s %9d rows %7.2f s %10.0f rows/s %7.1f MB peak (%d lines)\n", l, r, s, r / (s > 0 ? s : 0.01), k / 1024, n }'
}

COLUMNS_SQL="registration_number, learner_name, profession, organiser_number, activity_number, body, course_title, completed_on, points, unit, rubric, kind, supersedes_id, verification_code, id, export_seq"

run_suite() { # name, then the environment is set: generate, export, baseline
  local name=$1 baseline=$2
  "$BIN" generate-records --count "$TENTH" >/dev/null 2>&1
  measure "$name academy csv (N/10)" "$TENTH" "$BIN" export accreditation --partner benchmark --format csv
  "$BIN" generate-records --count $((RECORDS - TENTH)) >/dev/null 2>&1
  measure "$name academy csv" "$RECORDS" "$BIN" export accreditation --partner benchmark --format csv
  measure "$name academy csv-excel" "$RECORDS" "$BIN" export accreditation --partner benchmark --format csv-excel
  measure "$name academy ndjson" "$RECORDS" "$BIN" export accreditation --partner benchmark --format ndjson
  measure "$name baseline ($baseline)" "$RECORDS" "${BASELINE[@]}"
  TOKEN=$("$BIN" partner token-create benchmark --label benchmark 2>/dev/null | tail -n 1)
  start_server
  measure_api "$name api csv (N/10)" "$TENTH" "format=csv&limit=$TENTH"
  measure_api "$name api csv" "$RECORDS" "format=csv"
  measure_api "$name api csv-excel" "$RECORDS" "format=csv-excel"
  measure_api "$name api ndjson" "$RECORDS" "format=ndjson"
  measure_api "$name api ob3-ndjson" "$OB3_RECORDS" "format=ob3-ndjson&limit=$OB3_RECORDS"
  measure_api "$name api ob3-ndjson (again)" "$OB3_RECORDS" "format=ob3-ndjson&limit=$OB3_RECORDS"
  stop_server
}

echo "== SQLite, $RECORDS records" >&2
export ACADEMY_DATA_DIR=$WORK/sqlite
"$BIN" migrate --yes >/dev/null 2>&1 || true
BASELINE=(sqlite3 -csv "$WORK/sqlite/academy.sqlite" "SELECT $COLUMNS_SQL FROM accreditation_records WHERE body = 'riziv-inami' ORDER BY export_xid, export_seq")
run_suite sqlite "sqlite3 -csv"
unset ACADEMY_DATA_DIR

if [ "$POSTGRES" = 1 ] && [ -n "$PGBIN" ]; then
  echo "== PostgreSQL, $RECORDS records" >&2
  chown postgres:postgres "$WORK"
  su postgres -s /bin/sh -c "'$PGBIN/initdb' -D '$WORK/pg' -A trust -U postgres" >/dev/null
  su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$WORK/pg' -l '$WORK/pg.log' -o \"-p $PGPORT -c listen_addresses=127.0.0.1 -k '$WORK'\" -w start" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
  export ACADEMY_DATA_DIR=$WORK/pgdata
  "$BIN" migrate --yes >/dev/null
  BASELINE=(psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -c "COPY (SELECT $COLUMNS_SQL FROM accreditation_records WHERE body = 'riziv-inami' ORDER BY export_xid, export_seq) TO STDOUT WITH CSV")
  run_suite postgres "COPY TO STDOUT"
fi
