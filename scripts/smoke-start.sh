#!/usr/bin/env bash
# Smoke test of `npm start` in embedded mode: no DATABASE_URL, fresh DATA_DIR.
# Checks the SPA, docs, spec and health within 60 s; that stopping leaves no PostgreSQL
# process behind; that a second start reuses the data (no new initdb) and the build (nothing
# rebuilt, healthy within 10 s); and, as root, the same from a private (0700) directory, where
# the cluster lives under /var/lib and DATA_DIR/pg links to it, and a whole fresh clone in a
# private directory (npm ci && npm start).
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
pg_left() { # the server runs on the real path of DATA_DIR/pg (a symlink in the private-dir fallback)
  local real; real="$(readlink -f "$DATA_DIR/pg" 2>/dev/null || echo "$DATA_DIR/pg")"
  pgrep -f "postgres.*-D $real( |\$)" || pgrep -f "postgres.*-D $DATA_DIR/pg( |\$)" || true
}
no_rebuild() { # $1 = log: npm start found every build current
  if grep -E '^build: .*(npm run|built in)' "$1"; then echo "npm start rebuilt although nothing changed"; return 1; fi
  grep -c '^build: .* is up to date' "$1" | grep -qx 3 || { echo "expected 3 up-to-date build targets"; grep '^build:' "$1"; return 1; }
}

npm run build >/dev/null  # records what it built: npm start below must not build again
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
no_rebuild "$LOG1"
stop "$PID"
sleep 1
if [ -n "$(pg_left)" ]; then echo "PostgreSQL still running after stop:"; ps aux | grep postgres; exit 1; fi
echo "stopped; no PostgreSQL process left"

echo "== second start (reuses data and build)"
PID=$(start "$LOG2")
T0=$SECONDS
wait_healthy "$LOG2" 60
echo "healthy after $((SECONDS - T0)) s"
(( SECONDS - T0 <= 10 )) || { echo "second start took more than 10 s"; exit 1; }
if grep -q 'Initialising embedded PostgreSQL' "$LOG2"; then echo "second start re-initialised the cluster"; exit 1; fi
no_rebuild "$LOG2"
stop "$PID"
sleep 1
[ -z "$(pg_left)" ] || { echo "PostgreSQL left after second stop"; exit 1; }
echo "second start reused the data and the build; stopped cleanly"

if [ "$(id -u)" = 0 ]; then
  # Issue 9: a root checkout in a private directory (a clone under /root). The postgres user
  # cannot enter it, so the cluster must live elsewhere and initdb/pg_ctl get its real path.
  echo "== as root, DATA_DIR in a private (0700) directory: first start and restart"
  CHECKOUT_DATA_DIR="$DATA_DIR"
  PRIVATE="$(mktemp -d)"; chmod 700 "$PRIVATE"
  DATA_DIR="$PRIVATE/.data"
  for run in 1 2; do
    PID=$(start "$CHECKOUT_DATA_DIR/private$run.log")
    wait_healthy "$CHECKOUT_DATA_DIR/private$run.log" 60
    [ -L "$DATA_DIR/pg" ] || { echo "expected $DATA_DIR/pg to link to a cluster outside the private directory"; exit 1; }
    if [ $run = 2 ] && grep -q 'Initialising embedded PostgreSQL' "$CHECKOUT_DATA_DIR/private$run.log"; then echo "restart re-initialised the cluster"; exit 1; fi
    stop "$PID"
    sleep 1
    [ -z "$(pg_left)" ] || { echo "PostgreSQL left after stop"; exit 1; }
  done
  rm -rf "$(readlink -f "$DATA_DIR/pg")" "$PRIVATE"
  DATA_DIR="$CHECKOUT_DATA_DIR"
  echo "private directory: healthy, restarted on the same cluster, stopped cleanly"

  # The whole checkout private, as a newcomer's `git clone` under /root: `npm ci && npm start`
  # there with the default DATA_DIR. The postgres user can reach neither the data nor the
  # binaries in node_modules, so both must be used from outside the checkout.
  echo "== as root, a fresh clone in a private (0700) directory: npm ci && npm start"
  PRIVATE_CHECKOUT="$(mktemp -d)"; chmod 700 "$PRIVATE_CHECKOUT"
  git clone -q "$(pwd)" "$PRIVATE_CHECKOUT/app"
  LOG4="$CHECKOUT_DATA_DIR/private-checkout.log"
  (cd "$PRIVATE_CHECKOUT/app" && npm ci --no-audit --no-fund --prefer-offline >"$LOG4" 2>&1)
  # Only the server goes to the background (a backgrounded `cd && …` would keep $(…) open).
  PID=$(cd "$PRIVATE_CHECKOUT/app" && { env -u DATA_DIR setsid npm start >>"$LOG4" 2>&1 & echo $!; })
  wait_healthy "$LOG4" 180
  cluster="$(readlink -f "$PRIVATE_CHECKOUT/app/.data/pg")"
  case "$cluster" in "$PRIVATE_CHECKOUT"/*) echo "the cluster is inside the private checkout: $cluster"; exit 1 ;; esac
  server_binary="$(pgrep -a -f -- "-D $cluster( |\$)" | awk '{print $2}' | head -1)"
  case "$server_binary" in
    "$PRIVATE_CHECKOUT"/*|"") echo "PostgreSQL does not run from outside the private checkout: '$server_binary'"; exit 1 ;;
  esac
  stop "$PID"
  sleep 1
  if pgrep -f -- "-D $cluster( |\$)" >/dev/null; then echo "PostgreSQL left after stop"; exit 1; fi
  rm -rf "$cluster" "$PRIVATE_CHECKOUT"
  echo "private checkout: npm ci && npm start healthy (PostgreSQL from $server_binary), stopped cleanly"
fi

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
