"""Item 1: pickle kwargs are code. The gateway refuses them unless the operator allowed the queue or the token;
a worker refuses serializers its config does not accept, and the task ends DEAD unread."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import Any

import grpc
import msgpack
import pytest

from sergeant.service.config import GatewaySettings
from sergeant.store.base import Store
from sergeant.v1 import producer_pb2, task_pb2
from tests.gateway import harness
from tests.security.helpers import Stubs, bearer, tokens

PICKLE = task_pb2.SERIALIZER_PICKLE


class Touch:
    """Unpickling this creates a file: proof that the bytes ran code."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self) -> tuple[Any, ...]:
        return open, (self.path, "w")


def pickled(marker: Path) -> bytes:
    return pickle.dumps(Touch(marker), protocol=5)


def _push(stubs: Stubs, queue: str, kwargs: bytes, token: str | None = None) -> Any:
    task = task_pb2.Task(queue=queue, kwargs=kwargs, serializer=PICKLE)
    return stubs.producer.Push(producer_pb2.PushRequest(tasks=[task]), metadata=bearer(token) if token else None)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_gateway_refuses_pickle_unless_allowed(gateway_settings: GatewaySettings, tmp_path: Path,
                                                   direct: Store) -> None:
    grants = tokens(tmp_path, {
        "plain": {"name": "api", "roles": ["produce"], "queues": ["jobs", "legacy"]},
        "trusted": {"name": "batch", "roles": ["produce"], "queues": ["jobs"], "pickle": True},
    })
    settings = dataclasses.replace(gateway_settings, tokens=grants, pickle_queues=frozenset({"legacy"}))
    kwargs = pickle.dumps({"n": 1})
    with harness.gateway(settings) as address, grpc.insecure_channel(address) as channel:
        stubs = Stubs(channel)
        with pytest.raises(grpc.RpcError) as refused:
            _push(stubs, "jobs", kwargs, "plain")
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "pickle" in (refused.value.details() or "")
        assert direct.counts("jobs").ready == 0
        assert _push(stubs, "legacy", kwargs, "plain").tasks[0].created  # the operator opened this queue
        assert _push(stubs, "jobs", kwargs, "trusted").tasks[0].created  # ... and trusted this token
        # msgpack needs no permission
        msgpack_task = task_pb2.Task(queue="jobs", kwargs=msgpack.packb({"n": 1}))
        stubs.producer.Push(producer_pb2.PushRequest(tasks=[msgpack_task]), metadata=bearer("plain"))
    assert direct.counts("jobs").ready == 2 and direct.counts("legacy").ready == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_without_auth_pickle_needs_an_open_queue(gateway_settings: GatewaySettings, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    with harness.gateway(gateway_settings) as address, grpc.insecure_channel(address) as channel, \
            pytest.raises(grpc.RpcError) as refused:
        _push(Stubs(channel), "jobs", pickled(marker))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert not marker.exists()
