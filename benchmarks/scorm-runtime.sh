#!/usr/bin/env bash
# SCORM runtime commits from N concurrent learners (default 200), each posting numbered batches
# (lesson_location, suspend_data, score, commit) for its own SCO attempt, against a baseline in the same
# run: a handler of the same app, behind the same middleware and session, that writes the same batch into
# the same attempt row without the runtime (no data model checks, no row lock, no completion).
# Release build, `--env production`, wrk on loopback; SQLite, and PostgreSQL unless --skip-postgres.
#
#   benchmarks/scorm-runtime.sh [--learners 200] [--duration 15] [--skip-postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
LEARNERS=200 DURATION=15 POSTGRES=1 PORT=${BENCH_PORT:-8124} PGPORT=${BENCH_PG_PORT:-25434}
while [ $# -gt 0 ]; do
  case "$1" in
    --learners) LEARNERS=$2; shift 2;;
    --duration) DURATION=$2; shift 2;;
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
WORK=$(mktemp -d /tmp/academy-runtime-bench.XXXXXX)
chmod 755 "$WORK"
SERVER="" PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  if [ -n "$PGBIN" ] && [ -d "$WORK/pg" ]; then su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$WORK/pg' -m fast stop" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
export ACADEMY_SEED=false LOG_LEVEL=warning ACADEMY_BENCHMARK_BASELINE=1 ACADEMY_STAFF_TWO_FACTOR=off
BASE="http://127.0.0.1:$PORT"

run_suite() { # name
  local name=$1
  "$BIN" import Tests/AppTests/Fixtures/Runtime/scorm12 --publish --env production >"$WORK/import.out" 2>&1 || { cat "$WORK/import.out" >&2; exit 1; }
  local slug; slug=$(awk 'NF == 2 { print $1 }' "$WORK/import.out" | tail -n 1)
  env "$BIN" serve --env production --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
  # Register, enrol and open the SCO's runtime session for every learner; write their cookies for wrk.
  python3 - "$BASE" "$slug" sco-12 "$LEARNERS" "$WORK/learners.lua" <<'PY'
import http.cookiejar, json, sys, urllib.parse, urllib.request
base, slug, module, count, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
rows = []
for n in range(count):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/register").read()
    csrf = next(c.value for c in jar if c.name == "academy-csrf")
    def post(path, fields):
        fields["_csrf"] = csrf
        opener.open(base + path, urllib.parse.urlencode(fields).encode()).read()
    post("/register", {"name": f"Leerling {n}", "email": f"leerling{n}@bench.invalid", "password": "een lang wachtwoord om te testen",
                       "profession": "gp", "registrationNumber": ""})
    post(f"/courses/{slug}/enrol", {})
    start = json.loads(opener.open(f"{base}/learn/{slug}/{module}/runtime").read())
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    rows.append('{cookie="%s", csrf="%s", attempt=%d, session=%d}' % (cookie, csrf, start["attempt"], start["session"]))
open(out, "w").write("return {\n" + ",\n".join(rows) + "\n}\n")
PY
  cat > "$WORK/commit.lua" <<LUA
local learners = dofile("$WORK/learners.lua")
local threads, counter = {}, 0
function setup(thread) thread:set("index", counter); counter = counter + 1; table.insert(threads, thread) end
function init(args)
  mine, sequence, turn = {}, {}, 0
  for i, learner in ipairs(learners) do if (i - 1) % $((2)) == index then table.insert(mine, learner) end end
end
function request()
  turn = turn % #mine + 1
  local learner = mine[turn]
  sequence[turn] = (sequence[turn] or 0) + 1
  local s = sequence[turn]
  local init = s == 1 and '"initialize":true,' or ''
  local body = string.format('{"sequence":%d,"attempt":%d,"session":%d,%s"calls":[{"element":"cmi.core.lesson_location","value":"page-%d"},{"element":"cmi.suspend_data","value":"stap %d van de oefening; antwoorden a,b,c"},{"element":"cmi.core.score.raw","value":"%d"}],"commit":true}',
    s, learner.attempt, learner.session, init, s % 40, s, s % 100)
  local headers = {["Content-Type"] = "application/json", ["Cookie"] = learner.cookie, ["X-CSRF-Token"] = learner.csrf}
  return wrk.format("POST", PATHPREFIX, headers, body)
end
function response(status, headers, body)
  if status >= 400 then
    failures = (failures or 0) + 1
    if status ~= lastStatus then lastStatus = status; lastBody = string.sub(body or "", 1, 160) end
  end
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local failed = thread:get("failures")
    if failed and failed > 0 then
      io.stderr:write(string.format("  %d refused; last %s: %s\n", failed, tostring(thread:get("lastStatus")), tostring(thread:get("lastBody"))))
    end
  end
end
LUA
  sed "s#PATHPREFIX#\"/learn/$slug/sco-12/runtime\"#" "$WORK/commit.lua" > "$WORK/runtime.lua"
  sed "s#PATHPREFIX#\"/__benchmark/bare-commit/sco-12\"#" "$WORK/commit.lua" > "$WORK/bare.lua"
  measure() { # label script
    wrk -t2 -c"$LEARNERS" -d"${DURATION}s" --latency -s "$2" "$BASE" | awk -v l="$1" '
      /Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /Non-2xx/ { bad = $NF }
      END { printf "%-28s %9.0f commits/s  p50 %s  p99 %s  non-2xx %s\n", l, rps, p50, p99, (bad == "" ? 0 : bad) }'
  }
  # The runtime first: the baseline's bare writes overwrite the attempt's stored state.
  measure "$name runtime commit" "$WORK/runtime.lua"
  measure "$name bare write (baseline)" "$WORK/bare.lua"
  grep -iE "error|warning" "$WORK/server.log" | sort | uniq -c | sort -rn | head -5 >&2 || true
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

echo "== SQLite, $LEARNERS learners" >&2
export ACADEMY_DATA_DIR=$WORK/sqlite
run_suite sqlite
if [ "$POSTGRES" = 1 ] && [ -n "$PGBIN" ]; then
  echo "== PostgreSQL, $LEARNERS learners" >&2
  chown postgres:postgres "$WORK"
  su postgres -s /bin/sh -c "'$PGBIN/initdb' -D '$WORK/pg' -A trust -U postgres" >/dev/null
  su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$WORK/pg' -l '$WORK/pg.log' -o \"-p $PGPORT -c listen_addresses=127.0.0.1 -k '$WORK' -c max_connections=300\" -w start" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres" ACADEMY_DATA_DIR=$WORK/pgdata
  "$BIN" migrate --yes >/dev/null
  run_suite postgres
fi
