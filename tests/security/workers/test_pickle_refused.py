"""Item 1, the worker's side: it refuses serializers its config does not accept; the task ends DEAD unread."""

from __future__ import annotations

import pickle
import time
from pathlib import Path

import pytest

from sergeant.store.base import Store
from sergeant.task import Serializer, Task, TaskState, new_task_id
from tests.security.test_pickle import pickled
from tests.worker.harness import Processes, wait_for


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_worker_refuses_pickle_by_default(store: Store, queue_name: str, processes: Processes,
                                            tmp_path: Path) -> None:
    """A task written straight to the store (as a compromised producer with store access could) still does not run
    its code: the worker accepts msgpack only unless its config says otherwise."""
    marker = tmp_path / "ran"
    evil = Task(id=new_task_id(), queue=queue_name, kwargs=pickled(marker), serializer=Serializer.PICKLE,
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
def test_a_worker_that_accepts_pickle_decodes_it(store: Store, queue_name: str,
                                                 processes: Processes) -> None:
    processes.configure(accept_serializers=["msgpack", "pickle"])
    task = Task(id=new_task_id(), queue=queue_name, kwargs=pickle.dumps({"action": "ok"}),
                serializer=Serializer.PICKLE, created_at=time.time(), want_result=True)
    store.push([task])
    processes.child()
    wait_for(lambda: store.get(queue_name, task.id).state is TaskState.SUCCEEDED, 60, "the pickle task to succeed")
