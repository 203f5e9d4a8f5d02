#!/usr/bin/env bash
# Smoke test of `npm start` in embedded mode: no DATABASE_URL, fresh DATA_DIR.
# Checks the SPA, docs, spec and health within 60 s; that stopping leaves no PostgreSQL
# process behind; and that a second start reuses the data (no new initdb).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${SMOKE_PORT:-3210}"
# A fresh data dir inside the checkout, like the default .data (SMOKE_DATA_DIR to override).
DATA_DIR="${SMOKE_DATA_DIR:-$(pwd)/.data/smoke-$$}"
rm -rf "$DATA_DIR"; mkdir -p "$DATA_DIR"
LOG1="$DATA_DIR/start1.log"; LOG2="$DATA_DIR/start2.log"
export PORT DATA_DIR EMBEDDED_PG_PORT="${SMOKE_PG_PORT:-54391}" LOG_LEVEL=info
unset DATABASE_URL

start() { # $1 = log file; starts like a user would (the build already ran above)
  setsid npm start >"$1" 2>&1 &
  echo $!
}
wait_healthy() { # $1 = log
  local deadline=$((SECONDS + ${2:-60}))
  until curl -fsS "http://127.0.0.1:$PORT/api/health" -o "$DATA_DIR/health.json" 2>/dev/null; do
    if (( SECONDS > deadline )); then echo "not healthy in time"; tail -50 "$1"; return 1; fi
    sleep 1
  done
}
stop() { # $1 = pid (session leader)
  kill -INT -- "-$1" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$1" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$1" 2>/dev/null; then echo "app did not stop"; return 1; fi
}
pg_left() { pgrep -f "postgres.*-D $DATA_DIR/pg" || pgrep -f "postgres -D $DATA_DIR/pg" || true; }

npm run build >/dev/null
echo "== first start (fresh data dir $DATA_DIR)"
PID=$(start "$LOG1")
T0=$SECONDS
wait_healthy "$LOG1" 60
echo "healthy after $((SECONDS - T0)) s: $(cat "$DATA_DIR/health.json")"
grep -q '"database":{"status":"up"}' "$DATA_DIR/health.json"
grep -q '"storage":{"status":"up"}' "$DATA_DIR/health.json"
grep -q '"jobs":{"status":"up"}' "$DATA_DIR/health.json"
curl -fsS "http://127.0.0.1:$PORT/" | grep -q '<div id="root">' && echo "/ serves the SPA"
curl -fsS "http://127.0.0.1:$PORT/some/client/route" -H 'accept: text/html' | grep -q '<div id="root">' && echo "history fallback ok"
curl -fsS "http://127.0.0.1:$PORT/api/docs" | grep -qi 'swagger' && echo "/api/docs ok"
curl -fsS "http://127.0.0.1:$PORT/api/openapi.json" | grep -q '"openapi":"3' && echo "/api/openapi.json ok"
grep -q 'Initialising embedded PostgreSQL' "$LOG1" || { echo "expected a fresh cluster"; exit 1; }
stop "$PID"
sleep 1
if [ -n "$(pg_left)" ]; then echo "PostgreSQL still running after stop:"; ps aux | grep postgres; exit 1; fi
echo "stopped; no PostgreSQL process left"

echo "== second start (reuses data)"
PID=$(start "$LOG2")
wait_healthy "$LOG2" 60
if grep -q 'Initialising embedded PostgreSQL' "$LOG2"; then echo "second start re-initialised the cluster"; exit 1; fi
stop "$PID"
sleep 1
[ -z "$(pg_left)" ] || { echo "PostgreSQL left after second stop"; exit 1; }
echo "second start reused the data; stopped cleanly"

# With DATABASE_URL the same command uses that server and migrates it (SMOKE_DATABASE_URL:
# a server where we may create a scratch database, e.g. the machine's PostgreSQL in CI).
if [ -n "${SMOKE_DATABASE_URL:-}" ]; then
  echo "== start with DATABASE_URL (external server)"
  SCRATCH="lm_smoke_$$"
  psql "$SMOKE_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $SCRATCH" -c "CREATE DATABASE $SCRATCH"
  EXTERNAL_URL="$(node -e 'const u=new URL(process.argv[1]); u.pathname="/"+process.argv[2]; console.log(u.toString())' "$SMOKE_DATABASE_URL" "$SCRATCH")"
  PID=$(DATABASE_URL="$EXTERNAL_URL" start "$DATA_DIR/start3.log")
  wait_healthy "$DATA_DIR/start3.log" 60
  migrated=$(psql "$EXTERNAL_URL" -Atc "SELECT count(*) FROM typeorm_migrations")
  [ "$migrated" -ge 1 ] || { echo "external database was not migrated"; exit 1; }
  if grep -q 'Embedded PostgreSQL' "$DATA_DIR/start3.log"; then echo "embedded server started despite DATABASE_URL"; exit 1; fi
  stop "$PID"
  psql "$SMOKE_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $SCRATCH WITH (FORCE)"
  echo "DATABASE_URL: used the external server and applied $migrated migration(s)"
fi
rm -rf "$DATA_DIR"
echo "smoke: OK"
