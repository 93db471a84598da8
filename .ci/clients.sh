#!/usr/bin/env bash
# The Go, Node and Java clients: unit tests plus end-to-end tests against one live gateway on Redis with
# Python echo workers (tests/crosslang/backend.py). Each client's auth tests start their own backend.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
log=$(mktemp)
python tests/crosslang/backend.py >"$log" 2>&1 &
backend=$!
trap 'kill $backend 2>/dev/null; wait $backend 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 300); do
  grep -q '^READY ' "$log" && break
  kill -0 $backend 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
SERGEANT_GATEWAY=$(sed -n 's/^READY //p' "$log" | head -1)
[ -n "$SERGEANT_GATEWAY" ] || { echo "the backend never became ready"; cat "$log"; exit 1; }
export SERGEANT_GATEWAY
echo "backend ready at $SERGEANT_GATEWAY"
status=0
for lang in go node java; do
  echo "::: client $lang"
  if ! "clients/$lang/test.sh"; then
    echo "::: client $lang FAILED"
    status=1
  fi
done
exit $status
