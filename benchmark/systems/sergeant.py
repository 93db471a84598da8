"""Sergeant itself: through the gateway (Python gRPC client), with the worker API straight to the store, and the
same with a result kept for every task."""

from benchmark.systems.base import System

GATEWAY = System(
    key="sergeant-gateway", label="Sergeant · gateway", driver="drive_sergeant", mode="gateway", peer=False,
    breakdown=True,
    summary="Client.push / push_many / submit().result() through `sergeant serve`; workers under `sergeant supervise`",
)
WORKER_API = System(
    key="sergeant-worker", label="Sergeant · worker API", driver="drive_sergeant", mode="direct", peer=False,
    summary="Worker.push_task / push_tasks straight to Redis; Worker consume (lease batch 1000, process executor)",
)
WITH_RESULTS = System(
    key="sergeant-results", label="Sergeant · results on", driver="drive_sergeant", mode="results", peer=False,
    summary="as the worker API row, every task pushed with want_result (its result stored, its state followed)",
)
