"""Item 1: pickle kwargs are code. The gateway refuses them unless the operator allowed the queue or the token;
a worker refuses serializers its config does not accept, and the task ends DEAD unread."""

from __future__ import annotations

import dataclasses
import pickle
import time
from pathlib import Path
from typing import Any

import grpc
import msgpack
import pytest

from sergeant.service.config import GatewaySettings
from sergeant.store.base import Store
from sergeant.task import Serializer, Task, TaskState, new_task_id
from sergeant.v1 import producer_pb2, task_pb2
from tests.gateway import harness
from tests.security.helpers import Stubs, bearer, tokens
from tests.worker.conftest import events, processes, queue_name, store, store_url  # noqa: F401 - fixtures
from tests.worker.conftest import gateway  # noqa: F401 - fixture
from tests.worker.harness import Processes, wait_for

PICKLE = task_pb2.SERIALIZER_PICKLE


class _Touch:
    """Unpickling this creates a file: proof that the bytes ran code."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self) -> tuple[Any, ...]:
        return open, (self.path, "w")


def _pickled(marker: Path) -> bytes:
    return pickle.dumps(_Touch(marker), protocol=5)


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
    with harness.gateway(gateway_settings) as address, grpc.insecure_channel(address) as channel:
        with pytest.raises(grpc.RpcError) as refused:
            _push(Stubs(channel), "jobs", _pickled(marker))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert not marker.exists()


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_worker_refuses_pickle_by_default(store: Store, queue_name: str, processes: Processes,  # noqa: F811
                                            tmp_path: Path) -> None:
    """A task written straight to the store (as a compromised producer with store access could) still does not run
    its code: the worker accepts msgpack only unless its config says otherwise."""
    marker = tmp_path / "ran"
    evil = Task(id=new_task_id(), queue=queue_name, kwargs=_pickled(marker), serializer=Serializer.PICKLE,
                max_attempts=3, created_at=time.time())
    store.push([evil])
    processes.child()
    wait_for(lambda: store.get(queue_name, evil.id).state is TaskState.DEAD, 60, "the pickle task to die")
    info = store.get(queue_name, evil.id)
    assert info.result is not None and info.result.error is not None
    assert info.result.error.type == "SerializerRefused", info.result.error
    assert "pickle" in info.result.error.message
    assert not marker.exists(), "the worker unpickled the kwargs: the producer's code ran"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_worker_that_accepts_pickle_decodes_it(store: Store, queue_name: str,  # noqa: F811
                                                 processes: Processes) -> None:
    processes.configure(accept_serializers=["msgpack", "pickle"])
    task = Task(id=new_task_id(), queue=queue_name, kwargs=pickle.dumps({"action": "ok"}),
                serializer=Serializer.PICKLE, created_at=time.time())
    store.push([task])
    processes.child()
    wait_for(lambda: store.get(queue_name, task.id).state is TaskState.SUCCEEDED, 60, "the pickle task to succeed")
