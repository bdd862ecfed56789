#!/usr/bin/env bash
# A real Neo4j 5 (community) for Repograph's tests, built from Maven Central artifacts; no Docker.
# Usage: scripts/neo4j-test-server.sh start|stop|status
#   start   builds neo4j-test-server/ if needed, starts it in the background with Bolt on 127.0.0.1
#           (7687 if free, else a free port), waits until it answers and prints NEO4J_URI,
#           NEO4J_USERNAME, NEO4J_PASSWORD (also written to .cache/neo4j-test-server/env).
#           With NEO4J_URI already set, it only echoes the configured server.
#   stop    stops the server and waits for it to exit.
#   status  prints the connection lines and exits 0 if it runs, exits 1 if not.
# Env: NEO4J_TEST_PASSWORD (default repograph-test), NEO4J_TEST_HEAP (default 1g),
#      NEO4J_TEST_START_TIMEOUT seconds (default 120),
#      NEO4J_TEST_JAVA_OPTS (default "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"),
#      NEO4J_TEST_STATE_DIR (default .cache/neo4j-test-server: its database, log, pid and env
#      files; another folder runs a second, separate server, as `npm run bench` does).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT="$ROOT/neo4j-test-server"
STATE="${NEO4J_TEST_STATE_DIR:-$ROOT/.cache/neo4j-test-server}"
PID_FILE="$STATE/pid"
LOG_FILE="$STATE/server.log"
ENV_FILE="$STATE/env"
BUILD_STAMP="$PROJECT/target/.repograph-built"
PASSWORD="${NEO4J_TEST_PASSWORD:-repograph-test}"
HEAP="${NEO4J_TEST_HEAP:-1g}"
START_TIMEOUT="${NEO4J_TEST_START_TIMEOUT:-120}"
# C1 only: on a 2-core machine the C2 compiler spends ~10 CPU-seconds over the first few parses,
# taken from the parse workers, before its faster code pays off; C1 code is ready in seconds.
# SerialGC: no GC threads competing with the workers. For a long-lived server that sees many
# runs, NEO4J_TEST_JAVA_OPTS=-XX:+UseSerialGC gives full tiered compilation.
JAVA_OPTS="${NEO4J_TEST_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
MAIN_CLASS="org.repograph.testserver.Neo4jTestServer"

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  # A recycled pid belongs to some other program: only ours counts.
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "$MAIN_CLASS" || return 1
  echo "$pid"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  if ! port_in_use 7687; then echo 7687; return; fi
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

print_env() {
  cat "$ENV_FILE"
}

build() {
  local stale=0
  [[ -f "$BUILD_STAMP" ]] || stale=1
  if [[ $stale -eq 0 ]] && [[ -n "$(find "$PROJECT/pom.xml" "$PROJECT/src" -newer "$BUILD_STAMP" -print -quit)" ]]; then stale=1; fi
  if [[ $stale -eq 1 ]]; then
    echo "neo4j-test-server: building the launcher with Maven (the first build downloads Neo4j, ~120 MB)..." >&2
    (cd "$PROJECT" && mvn -q -B package -DskipTests) >&2
    touch "$BUILD_STAMP"
  fi
}

start() {
  if [[ -n "${NEO4J_URI:-}" ]]; then
    echo "NEO4J_URI=$NEO4J_URI"
    echo "NEO4J_USERNAME=${NEO4J_USERNAME:-neo4j}"
    echo "NEO4J_PASSWORD=${NEO4J_PASSWORD:-}"
    return 0
  fi
  mkdir -p "$STATE"
  # Test files run in parallel and may all ask for the server at once: one starts it.
  exec 9> "$STATE/lock"
  flock 9
  if running_pid > /dev/null && [[ -f "$ENV_FILE" ]]; then
    print_env
    return 0
  fi
  build
  local port started pid
  port="$(free_port)"
  started="$(date +%s)"
  : > "$LOG_FILE"
  # setsid: the server outlives the shell or test runner that started it. 9>&-: it must not
  # inherit the lock, or every later `start` would wait on it forever.
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  nohup setsid java "-Xmx$HEAP" -Xms256m $JAVA_OPTS \
    -cp "$PROJECT/target/classes:$PROJECT/target/lib/*" "$MAIN_CLASS" "$STATE/home" "$port" "$PASSWORD" \
    >> "$LOG_FILE" 2>&1 < /dev/null 9>&- &
  pid=$!
  echo "$pid" > "$PID_FILE"
  while ! grep -q "REPOGRAPH_NEO4J_READY" "$LOG_FILE"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "neo4j-test-server: the server exited while starting; log tail ($LOG_FILE):" >&2
      tail -n 40 "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      return 1
    fi
    if (( $(date +%s) - started > START_TIMEOUT )); then
      echo "neo4j-test-server: no Bolt answer on 127.0.0.1:$port after ${START_TIMEOUT}s; log tail ($LOG_FILE):" >&2
      tail -n 40 "$LOG_FILE" >&2
      stop >&2 || true
      return 1
    fi
    sleep 0.5
  done
  port_in_use "$port" || { echo "neo4j-test-server: ready but port $port does not answer" >&2; return 1; }
  printf 'NEO4J_URI=bolt://127.0.0.1:%s\nNEO4J_USERNAME=neo4j\nNEO4J_PASSWORD=%s\n' "$port" "$PASSWORD" > "$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  echo "neo4j-test-server: started in $(( $(date +%s) - started ))s (pid $pid, log $LOG_FILE)" >&2
  print_env
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE" "$ENV_FILE"
    echo "neo4j-test-server: not running" >&2
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "neo4j-test-server: pid $pid did not stop within 60s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$ENV_FILE"
  echo "neo4j-test-server: stopped" >&2
}

status() {
  if running_pid > /dev/null && [[ -f "$ENV_FILE" ]]; then
    print_env
    return 0
  fi
  echo "neo4j-test-server: not running" >&2
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
