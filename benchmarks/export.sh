#!/usr/bin/env bash
# Streaming N accreditation records (default 1,000,000) as CSV and NDJSON with `academy export
# accreditation`, from SQLite and from PostgreSQL, against each database's own bulk export of the same
# rows in the same run: the sqlite3 shell's CSV output and PostgreSQL's COPY ... TO STDOUT. Reports rows
# per second and peak memory (maximum resident set size), and the memory growth between an export of
# N/10 and of N records, which should stay flat.
#
#   benchmarks/export.sh [--records 1000000] [--skip-postgres]
#
# Needs sqlite3 and, for PostgreSQL, Debian's postgresql package (as .ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=1000000 POSTGRES=1 PGPORT=${BENCH_PG_PORT:-25433}
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS=$2; shift 2;;
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

COLUMNS_SQL="registration_number, learner_name, profession, organiser_number, activity_number, body, course_title, completed_on, points, unit, rubric, kind, supersedes_id, verification_code, id, export_seq"

run_suite() { # name, then the environment is set: generate, export, baseline
  local name=$1 baseline=$2
  "$BIN" generate-records --count "$TENTH" >/dev/null 2>&1
  measure "$name academy csv (N/10)" "$TENTH" "$BIN" export accreditation --partner benchmark --format csv
  "$BIN" generate-records --count $((RECORDS - TENTH)) >/dev/null 2>&1
  measure "$name academy csv" "$RECORDS" "$BIN" export accreditation --partner benchmark --format csv
  measure "$name academy ndjson" "$RECORDS" "$BIN" export accreditation --partner benchmark --format ndjson
  measure "$name baseline ($baseline)" "$RECORDS" "${BASELINE[@]}"
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
