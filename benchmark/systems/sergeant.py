"""Sergeant itself, twice: through the gateway (Python gRPC client) and with the worker API straight to the store."""

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
