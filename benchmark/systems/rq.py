"""RQ with SimpleWorker (no fork per job)."""

from benchmark.systems.base import System

SYSTEM = System(
    key="rq", label="RQ (SimpleWorker)", driver="drive_rq", requirements=("rq==3.0.0",),
    summary="enqueue / enqueue_many; P `rq worker -w SimpleWorker` processes; results kept (default)",
)
