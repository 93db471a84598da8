"""Keyword arguments under their Sergeant 0.27 names, accepted with a warning that names the 1.x one."""

from __future__ import annotations

import functools
import time
import warnings
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_CONVERT: dict[str, Callable[[Any], Any]] = {
    # 0.27 took an absolute unix time; 1.x takes a delay from now.
    "consumable_from": lambda at: max(float(at) - time.time(), 0.0) if at else 0.0,
}


def renamed(**names: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``@renamed(task_name="queue")``: a call with ``task_name=`` warns and passes it as ``queue=``."""

    def wrap(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            for old, new in names.items():
                if old not in kwargs:
                    continue
                warnings.warn(f"{function.__name__}({old}=...) is the Sergeant 0.27 spelling: use {new}= "
                              "(see docs/migrating.md)", DeprecationWarning, stacklevel=2)
                value = kwargs.pop(old)
                kwargs[new] = _CONVERT[old](value) if old in _CONVERT else value
            return function(*args, **kwargs)

        return call

    return wrap
