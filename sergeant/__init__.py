"""Sergeant: a fast, safe task queue with a gRPC gateway."""

from __future__ import annotations

import importlib
from types import ModuleType

__version__ = "1.0.0a1"

# Loaded on first use, so that a producer or the gateway does not import the worker runtime:
# ``import sergeant`` then ``sergeant.worker.Worker`` works as it did in 0.27, and ``sergeant.config``
# holds 0.27's config names (deprecated).
_LAZY = {"worker": "sergeant.worker", "config": "sergeant.worker.compat"}


def __getattr__(name: str) -> ModuleType:
    if name not in _LAZY:
        raise AttributeError(f"module 'sergeant' has no attribute {name!r}")
    module = importlib.import_module(_LAZY[name])
    globals()[name] = module
    return module
