"""Workers reach a gateway with a bearer token, over TLS, in a store namespace (key prefix)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from sergeant.service.config import Role, TokenGrant
from sergeant.store import open_store
from sergeant.store.base import Store, StoreSettings
from sergeant.task import TaskState
from sergeant.worker.exit_codes import ExitCode
from tests.worker.harness import Processes, finished, gateway_thread, push, wait_for

SQLITE_ONLY = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_a_token_without_the_consume_right_stops_the_fleet(store_url: str, store: Store, queue_name: str,
                                                           processes: Processes) -> None:
    grants = {"consumer": TokenGrant("consumer", frozenset({Role.CONSUME}), frozenset({queue_name})),
              "producer": TokenGrant("producer", frozenset({Role.PRODUCE}), frozenset({"*"}))}
    with gateway_thread(store_url, tokens=grants) as address:
        processes.env.update(SERGEANT_GATEWAY=address, SERGEANT_TOKEN="producer")
        supervisor = processes.supervisor("--workers", "2")
        assert supervisor.wait(60) == ExitCode.GATEWAY_REFUSED  # no respawn loop on a bad token
        assert "gateway.refused" in processes.logs()

        processes.env["SERGEANT_TOKEN"] = "consumer"
        (task,) = push(store, queue_name, [{"action": "ok"}])
        processes.child()
        wait_for(lambda: finished(store, queue_name, [task]), 45, "the task, with the right token")
        processes.stop_all()  # before this gateway goes


@SQLITE_ONLY
def test_tls_gateway_and_a_key_prefix(store_url: str, queue_name: str, processes: Processes,
                                      certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    prefix = f"kp{uuid.uuid4().hex[:8]}"
    namespaced = open_store(store_url, StoreSettings(key_prefix=prefix))
    try:
        with gateway_thread(store_url, tls_cert=str(cert), tls_key=str(key), key_prefix=prefix) as address:
            processes.env.update(SERGEANT_GATEWAY=address, SERGEANT_GATEWAY_CA=str(cert), SERGEANT_KEY_PREFIX=prefix)
            (task,) = push(namespaced, queue_name, [{"action": "ok"}])
            processes.child()
            wait_for(lambda: finished(namespaced, queue_name, [task]), 45, "the task over TLS")
            assert namespaced.get(queue_name, task).state is TaskState.SUCCEEDED
            processes.stop_all()  # before this gateway goes
    finally:
        namespaced.close()
