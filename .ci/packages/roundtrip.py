"""The Python app of .ci/packages.sh: round-trips every value through a live gateway and a Python echo worker,
from a venv that has only the sergeant-queue-client wheel installed."""

import datetime
import importlib.util
import os
import sys

from sergeant.client import Client

UTC = datetime.UTC
VALUES = {
    "text": "nul \x00 and emoji 😀",
    "min_i64": -(2**63),
    "max_i64": 2**63 - 1,
    "two_63": 2**63,
    "max_u64": 2**64 - 1,
    "floats": [0.1, -2.5e-300, 1e300, 0.0],
    "bytes": bytes(range(256)),
    "nested": {"empty_map": {}, "empty_list": [], "deep": {"list": [1, {"x": [None, True, False]}]}},
    "before_1970": datetime.datetime(1969, 7, 20, 20, 17, 40, 123456, tzinfo=UTC),
    "micros": datetime.datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
    "null": None,
}

for server_only in ("redis", "pymongo", "psutil"):  # the light client brings none of the server's dependencies
    assert importlib.util.find_spec(server_only) is None, f"{server_only} is installed with the client"

with Client(os.environ["SERGEANT_GATEWAY"]) as client:
    result = client.submit("echo", VALUES).result(timeout=60)
    assert result == {"echo": VALUES, "keys": len(VALUES)}, result
    ids = client.push_many("echo", [{"n": n, "bytes": VALUES["bytes"]} for n in range(3)], want_results=True)
    done = {e.task_id: e.result for e in client.watch("echo", ids, timeout_s=60) if e.kind == "succeeded"}
    assert [done[i]["echo"]["n"] for i in ids] == [0, 1, 2], done
print("python: 2 passed, 0 failed")
sys.exit(0)
