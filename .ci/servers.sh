# Start a real redis-server and a SecantusDB (MongoDB wire protocol) on free ports for the whole CI run.
# Sourced by .ci/run; exports SERGEANT_TEST_REDIS_URL and SERGEANT_TEST_MONGO_URL for the tests.
# start_cluster: a Redis Cluster of 3 masters and 3 replicas; exports SERGEANT_TEST_REDIS_CLUSTER_URL.

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
  start_cluster
}

cluster_port() {  # a free port whose cluster bus port (+10000) is free too
  python3 -c 'import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    if p + 10000 < 65536:
        try:
            socket.socket().bind(("127.0.0.1", p + 10000)); print(p); break
        except OSError: pass'
}

start_cluster() {
  CLUSTER_PORTS=()
  local nodes=() port
  for _ in 1 2 3 4 5 6; do
    port=$(cluster_port)
    mkdir -p "$CI_STATE/cluster-$port"
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
      --dir "$CI_STATE/cluster-$port" --logfile "$CI_STATE/cluster-$port/redis.log" || return 1
    CLUSTER_PORTS+=("$port")
    nodes+=("127.0.0.1:$port")
  done
  for port in "${CLUSTER_PORTS[@]}"; do wait_port "$port" 20 || return 1; done
  timeout 60 redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$CI_STATE/cluster.log" \
    || return 1
  for _ in $(seq 1 600); do  # up to 60 s: every node sees every slot served
    local ok=0
    for port in "${CLUSTER_PORTS[@]}"; do
      redis-cli -p "$port" cluster info | grep -q "cluster_state:ok" && ok=$((ok + 1))
    done
    if [ "$ok" -eq 6 ]; then
      export SERGEANT_TEST_REDIS_CLUSTER_URL="redis+cluster://$(IFS=,; echo "${nodes[*]}")"
      echo "redis cluster on ${CLUSTER_PORTS[*]}"
      return 0
    fi
    sleep 0.1
  done
  return 1
}

stop_servers() {
  for port in "${CLUSTER_PORTS[@]:-}"; do
    [ -n "$port" ] && redis-cli -p "$port" shutdown nosave >/dev/null 2>&1
  done
  [ -n "${REDIS_PORT:-}" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  [ -n "${MONGO_PID:-}" ] && kill "$MONGO_PID" 2>/dev/null && wait "$MONGO_PID" 2>/dev/null
  [ -n "${CI_STATE:-}" ] && rm -rf "$CI_STATE"
  return 0
}
