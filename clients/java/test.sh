#!/usr/bin/env bash
# Build the Java client and run its tests: unit tests (pure, plus an in-process fake gateway and a local TLS
# server) and the end-to-end tests against a live gateway with Python echo workers.
#   SERGEANT_GATEWAY=host:port  use that gateway (else the tests start `python tests/crosslang/backend.py`);
#                               the auth tests always start their own backend.py with a tokens file
#   SERGEANT_PYTHON             the python that runs backend.py (default: python)
#   extra arguments go to Maven, e.g. ./test.sh -DexcludedGroups=e2e (unit tests only), -Dtest=MsgpackTest, -o
set -euo pipefail
cd "$(dirname "$0")"
# Quiet Maven, but keep Surefire's per-class lines and its "Tests run: N, Failures: ..." summary.
mvn -B -q -ntp -Dstyle.color=never -Dorg.slf4j.simpleLogger.log.org.apache.maven.plugin.surefire=info \
    test "$@" 2>&1 | sed -u -e 's/\x1b\[[0-9;]*m//g' -e '/^\[INFO\] *$/d'
