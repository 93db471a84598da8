# Sourced by .ci/clients.sh and .ci/packages.sh: start_backend runs tests/crosslang/backend.py (redis-server, a
# gateway and Python echo workers on queue `echo`) and exports SERGEANT_GATEWAY once it serves; stop_backend ends it.
# Needs the repository's .venv on PATH.

start_backend() {
  backend_log=$(mktemp)
  python tests/crosslang/backend.py >"$backend_log" 2>&1 &
  backend_pid=$!
  for _ in $(seq 1 300); do
    grep -q '^READY ' "$backend_log" && break
    kill -0 "$backend_pid" 2>/dev/null || { cat "$backend_log"; return 1; }
    sleep 0.2
  done
  SERGEANT_GATEWAY=$(sed -n 's/^READY //p' "$backend_log" | head -1)
  [ -n "$SERGEANT_GATEWAY" ] || { echo "the backend never became ready"; cat "$backend_log"; return 1; }
  export SERGEANT_GATEWAY
  echo "backend ready at $SERGEANT_GATEWAY"
}

stop_backend() {
  if [ -n "${backend_pid:-}" ]; then
    kill "$backend_pid" 2>/dev/null
    wait "$backend_pid" 2>/dev/null
  fi
  rm -f "${backend_log:-}"
}
