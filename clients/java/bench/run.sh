#!/usr/bin/env bash
# Push throughput of the Java client: bench/run.sh ADDRESS [N] [--token T]
# Prints one JSON line: {"language": "java", "batched_per_s": ..., "single_per_s": ...}
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -Dstyle.color=never compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
    -Dmdep.includeScope=runtime 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2
exec java -cp "target/classes:$(cat target/classpath.txt)" bench/Throughput.java "$@"
