"""The event hub: a submitted task that ends before it is followed still gets its STARTED and PROGRESS events, in
order."""

from __future__ import annotations

import asyncio

import msgpack

from sergeant.service.config import GatewaySettings
from sergeant.service.events import EventHub
from sergeant.service.rpc import Gateway
from sergeant.store.base import Ack, Store
from sergeant.task import EventKind, TaskEvent
from tests.conformance.helpers import make_task


async def events_of_a_task_that_ends_before_it_is_followed(store: Store) -> list[EventKind]:
    """Subscribe, then push, run and finish the task (STARTED, PROGRESS, SUCCEEDED) before until_done starts:
    the race a fast worker wins against a Submit between its ACCEPTED event and its first read."""
    gateway = Gateway(GatewaySettings(), store)
    hub = EventHub(gateway)
    task = make_task("q", want_result=True)
    try:
        async with hub.watching("q", [task.id], progress=True) as watcher:
            store.push([task])
            [leased] = store.lease("q", 1, 30, owner="test/1/a")
            store.publish([TaskEvent("q", task.id, EventKind.PROGRESS, 1.0, 0.5, "half")])
            store.ack("q", [Ack(task.id, leased.lease_id, msgpack.packb(42))])
            async with asyncio.timeout(10):
                while len(watcher) < 3:  # the feed has delivered all three
                    await asyncio.sleep(0.01)
            return [event.kind async for event, _ in hub.until_done("q", watcher, {task.id}, pushed_after=True)]
    finally:
        hub.close()
        gateway.shutdown()


def test_a_task_that_ended_before_it_was_followed_keeps_its_events_in_order(store: Store) -> None:
    kinds = asyncio.run(events_of_a_task_that_ends_before_it_is_followed(store))
    assert kinds == [EventKind.STARTED, EventKind.PROGRESS, EventKind.SUCCEEDED]
