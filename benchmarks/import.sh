#!/usr/bin/env bash
# Importing a generated SCORM 2004 package of 5,000 items and 5,000 resources (parse, validate, hash, store
# the files, write the course, version and modules) with `academy import --publish`, on SQLite and on
# PostgreSQL, against a bare XMLParser(stream:) pass over the same imsmanifest.xml in the same run
# (`academy import-benchmark parse`). Each step is its own process: the table gives wall seconds and peak
# memory (maximum resident set size from /usr/bin/time), and, to separate the fixed cost of starting the
# academy, the same import of a 6-item package. Then, per database, `academy import-benchmark phases`: in one
# process, each step of an import of the same generated package (unzip, parse, reference check, hash, store,
# database write, and a whole in-process import) against a bare XMLParser(stream:) pass, fastest of --phase-repeat
# runs. Then packages with large incompressible media (50 MB and 500 MB by default): peak memory should not grow
# with the package.
#
#   benchmarks/import.sh [--chapters 50] [--items-per-chapter 100] [--media-mb 500] [--phase-repeat 3]
#                        [--skip-postgres] [--skip-media] [--skip-phases]
#
# PostgreSQL: a throwaway database on the server BENCH_PG_URL (default postgres://postgres@127.0.0.1:55433/postgres),
# dropped afterwards. BENCH_BIN names a built `academy`; otherwise a release build is made.
set -euo pipefail
cd "$(dirname "$0")/.."
CHAPTERS=50 PER=100 MEDIA=500 POSTGRES=1 WITH_MEDIA=1 PHASES=1 PHASE_REPEAT=3
PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:55433/postgres}
while [ $# -gt 0 ]; do
  case "$1" in
    --chapters) CHAPTERS=$2; shift 2;;
    --items-per-chapter) PER=$2; shift 2;;
    --media-mb) MEDIA=$2; shift 2;;
    --skip-postgres) POSTGRES=0; shift;;
    --skip-media) WITH_MEDIA=0; shift;;
    --skip-phases) PHASES=0; shift;;
    --phase-repeat) PHASE_REPEAT=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done

if [ -z "${BENCH_BIN:-}" ]; then
  echo "== release build" >&2
  swift build -c release --scratch-path .build-release --product academy >&2
  BIN=$(swift build -c release --scratch-path .build-release --show-bin-path)/academy
else
  BIN=$BENCH_BIN
fi

WORK=$(mktemp -d /tmp/academy-import-bench.XXXXXX)
PG_DB="academy_import_bench_$$"
PG_ADMIN="psql -q -X -d $PG_URL"
cleanup() {
  if [ "$POSTGRES" = 1 ]; then $PG_ADMIN -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
export ACADEMY_SEED=false LOG_LEVEL=warning ACADEMY_STAFF_TWO_FACTOR=off

# measure LABEL command... -> "LABEL seconds peak-MB" on stdout; keeps the seconds in $LAST
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > "$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" "$WORK/out" >&2; exit 1; }
  read -r LAST kb < "$WORK/time"
  awk -v l="$label" -v s="$LAST" -v k="$kb" 'BEGIN { printf "%-44s %8.2f s %8.1f MB peak\n", l, s, k / 1024 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 0.01) }'; }

echo "== generating packages" >&2
"$BIN" import-benchmark generate --out "$WORK/large" --chapters "$CHAPTERS" --items-per-chapter "$PER" >&2
"$BIN" import-benchmark generate --out "$WORK/tiny" --chapters 2 --items-per-chapter 3 --identifier benchmark.tiny >&2
(cd "$WORK/large" && zip -qr "$WORK/large.zip" .)
(cd "$WORK/tiny" && zip -qr "$WORK/tiny.zip" .)
MANIFEST_BYTES=$(stat -c %s "$WORK/large/imsmanifest.xml")
echo "items: $((CHAPTERS * PER)), resources: $((CHAPTERS * PER)), manifest: $MANIFEST_BYTES bytes, zip: $(stat -c %s "$WORK/large.zip") bytes"

export ACADEMY_DATA_DIR=$WORK/sqlite
measure "bare XMLParser(stream:) pass (process)" "$BIN" import-benchmark parse "$WORK/large/imsmanifest.xml"
BARE=$LAST
echo "  in-process: $(cat "$WORK/out")"
BARE_IN=$(awk '{ print $4 }' "$WORK/out")

run_suite() { # name
  local name=$1
  measure "$name import, 6 items (start-up cost)" "$BIN" import "$WORK/tiny.zip" --publish
  local tiny=$LAST
  measure "$name import, $((CHAPTERS * PER)) items" "$BIN" import "$WORK/large.zip" --publish
  local large=$LAST
  echo "  $name: import / bare parse (whole processes): $(ratio "$large" "$BARE")x;" \
       "import minus start-up / bare parse in-process: $(ratio "$(awk -v a="$large" -v b="$tiny" 'BEGIN { print a - b }')" "$BARE_IN")x"
  if [ "$PHASES" = 1 ]; then
    echo "  $name: phases in one process (ms; / bare = fastest over the fastest bare pass):"
    "$BIN" import-benchmark phases --chapters "$CHAPTERS" --items-per-chapter "$PER" --repeat "$PHASE_REPEAT" \
      --work "$WORK/phases-$name" --with-import | sed 's/^/    /'
    rm -rf "$WORK/phases-$name"
  fi
}

echo "== SQLite" >&2
run_suite sqlite
unset ACADEMY_DATA_DIR

if [ "$POSTGRES" = 1 ]; then
  echo "== PostgreSQL ($PG_DB)" >&2
  $PG_ADMIN -c "CREATE DATABASE $PG_DB" >/dev/null
  export DATABASE_URL="${PG_URL%/*}/$PG_DB" ACADEMY_DATA_DIR=$WORK/pgdata
  "$BIN" migrate --yes >/dev/null 2>&1
  run_suite postgres
  unset DATABASE_URL ACADEMY_DATA_DIR
fi

if [ "$WITH_MEDIA" = 1 ]; then
  echo "== large media (SQLite)" >&2
  export ACADEMY_DATA_DIR=$WORK/media
  for mb in $((MEDIA / 10)) "$MEDIA"; do
    rm -rf "$WORK/media-pkg" "$WORK/media.zip"
    "$BIN" import-benchmark generate --out "$WORK/media-pkg" --chapters 1 --items-per-chapter 5 --media-mb "$mb" --identifier "benchmark.media.$mb" >&2
    # Video does not compress: stored, as authoring tools do.
    (cd "$WORK/media-pkg" && zip -q -0 -r "$WORK/media.zip" .)
    measure "import, $(( $(stat -c %s "$WORK/media.zip") / 1048576 )) MiB package with media" "$BIN" import "$WORK/media.zip" --publish
  done
  unset ACADEMY_DATA_DIR
fi
