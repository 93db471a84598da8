"""The original Sergeant 0.27.0 from PyPI, with its Redis connector and msgpack."""

from benchmark.systems.base import System

SYSTEM = System(
    key="sergeant-0.27", label="Sergeant 0.27.0 (original)", driver="drive_original_sergeant",
    requirements=("sergeant==0.27.0",),
    summary="push_task / push_tasks; its supervisor; tasks_per_transaction=1000; empty-pop poll 1 ms (not 1 s)",
)
