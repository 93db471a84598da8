#!/usr/bin/env bash
# Build the Node client and run its unit tests and end-to-end tests (node --test).
#
# The e2e suite uses the gateway at $SERGEANT_GATEWAY when set (it needs echo workers on queue
# `echo`, as tests/crosslang/backend.py runs them); without it, it starts backend.py itself. The auth
# tests always start their own backend.py with a tokens file, and the TLS test its own gateway.
# Needs only the npm registry (for the first `npm ci`). Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The package as it ships (dist/, which the ESM entry point wraps), then one compile of the package with its declarations, the tests and the bench, into build/
# (`npm run build` makes the published dist/ from the same sources).
npm run --silent build
rm -rf build
node_modules/.bin/tsc -p tsconfig.test.json

# One run, so one summary: unit tests first, then the e2e files (each file runs in its own process).
node --test --test-reporter=spec --test-concurrency=1 \
  build/test/unit/*.test.js build/test/e2e/*.test.js
