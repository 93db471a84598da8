# Start a real redis-server and a SecantusDB (MongoDB wire protocol) on free ports for the whole CI run.
# Sourced by .ci/run; exports SERGEANT_TEST_REDIS_URL and SERGEANT_TEST_MONGO_URL for the tests.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_port() {  # wait_port PORT SECONDS
  for _ in $(seq 1 $(( $2 * 10 ))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

start_servers() {
  CI_STATE=$(mktemp -d)
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$CI_STATE/redis.pid" --logfile "$CI_STATE/redis.log" || return 1
  wait_port "$REDIS_PORT" 20 || return 1
  export SERGEANT_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  MONGO_PORT=$(free_port)
  .venv/bin/secantusd-py --host 127.0.0.1 --port "$MONGO_PORT" --storage-path "$CI_STATE/secantus" \
    --log-level ERROR >"$CI_STATE/secantus.log" 2>&1 &
  MONGO_PID=$!
  wait_port "$MONGO_PORT" 60 || return 1
  export SERGEANT_TEST_MONGO_URL="mongodb://127.0.0.1:$MONGO_PORT/?directConnection=true"
  echo "redis on $REDIS_PORT, SecantusDB on $MONGO_PORT"
}

stop_servers() {
  [ -n "${REDIS_PORT:-}" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  [ -n "${MONGO_PID:-}" ] && kill "$MONGO_PID" 2>/dev/null && wait "$MONGO_PID" 2>/dev/null
  [ -n "${CI_STATE:-}" ] && rm -rf "$CI_STATE"
  return 0
}
