#!/usr/bin/env bash
# The Go, Node and Java clients: unit tests plus end-to-end tests against one live gateway on Redis with
# Python echo workers (tests/crosslang/backend.py). Each client's auth tests start their own backend.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
source .ci/backend.sh
trap stop_backend EXIT
start_backend || exit 1
status=0
for lang in go node java; do
  echo "::: client $lang"
  if ! "clients/$lang/test.sh"; then
    echo "::: client $lang FAILED"
    status=1
  fi
done
exit $status
