#!/usr/bin/env bash
# Push throughput of every client against one live gateway on Redis, in one run:
# tasks/s pushed in batches of 1,000 and one by one.  benchmark/clients.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
log=$(mktemp)
python tests/crosslang/backend.py --workers 1 >"$log" 2>&1 &
backend=$!
trap 'kill $backend 2>/dev/null; wait $backend 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 300); do grep -q '^READY ' "$log" && break; sleep 0.2; done
address=$(sed -n 's/^READY //p' "$log" | head -1)
python - "$address" "$n" <<'PY'
import json, sys, time
from sergeant.client import Client
address, n = sys.argv[1], int(sys.argv[2])
with Client(address) as client:
    batch = [{"i": i, "s": "x" * 32} for i in range(1000)]
    client.push_many("bench-python", batch)
    started = time.perf_counter()
    for _ in range(n // 1000):
        client.push_many("bench-python", batch)
    batched = n // 1000 * 1000 / (time.perf_counter() - started)
    singles = min(n, 2000)
    started = time.perf_counter()
    for i in range(singles):
        client.push("bench-python", {"i": i, "s": "x" * 32})
    single = singles / (time.perf_counter() - started)
print(json.dumps({"language": "python", "batched_per_s": round(batched), "single_per_s": round(single)}))
PY
(cd clients/go && go run ./bench "$address" "$n")
(cd clients/node && npm run --silent bench -- "$address" "$n")
clients/java/bench/run.sh "$address" "$n"
