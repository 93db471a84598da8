#!/usr/bin/env bash
# Build and test the Go client: format and vet checks, the unit tests, and the end-to-end tests against a
# live gateway: $SERGEANT_GATEWAY when set, otherwise a tests/crosslang/backend.py that the tests start
# (the auth tests always start their own, with a tokens file). Needs Go, and Python with sergeant installed.
set -euo pipefail
cd "$(dirname "$0")"

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "not gofmt-formatted: $unformatted" >&2
  exit 1
fi
go vet ./...
# staticcheck at a pinned version, fetched through the Go module proxy like any module
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
go build ./...
go test -race -count=1 -timeout 6m ./...
