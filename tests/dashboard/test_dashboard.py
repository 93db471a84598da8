"""The dashboard in a real headless Chromium (Debian's chromium and chromium-driver), against a real gateway.

Screenshots go to artifacts/dashboard/ (ignored by git; CI keeps them as artefacts). docs/dashboard.png, the
README's picture, is artifacts/dashboard/live-lookup.png."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from sergeant.client import Client
from sergeant.store import open_store
from sergeant.store.base import Failure, Store
from sergeant.task import EventKind, Task, TaskError, TaskEvent, new_task_id
from tests.conftest import store_url as isolated_store_url
from tests.metrics.test_metrics import scrape, value
from tests.servers import free_port, in_ci
from tests.worker.harness import Processes, gateway_thread, wait_for

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "dashboard"
TOKENS = {"admin-token": {"name": "ops", "roles": ["admin"]}, "read-token": {"name": "oncall", "roles": ["read"]},
          "push-token": {"name": "app", "roles": ["produce"]}, "work-token": {"name": "worker", "roles": ["consume"]}}

if not (CHROMIUM and CHROMEDRIVER) and not in_ci():
    pytest.skip("no chromium/chromedriver here (apt-get install chromium chromium-driver); CI requires them",
                allow_module_level=True)

from selenium import webdriver  # noqa: E402 - only where a browser is installed
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebDriver]:
    assert CHROMIUM and CHROMEDRIVER, "CI needs Debian's chromium and chromium-driver"
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download a browser or a driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


class Served(NamedTuple):
    address: str  # the gateway's gRPC address
    url: str  # its dashboard
    port: int  # ... and the dashboard's port
    store: Store
    store_url: str


@contextlib.contextmanager
def serving(tmp_path: Path, url: str = "", **overrides: Any) -> Iterator[Served]:
    """A gateway on the store at ``url`` (SQLite in ``tmp_path`` by default) with tokens, ``overrides`` of its
    settings, and its HTTP side."""
    from sergeant.service.config import load_tokens

    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps(TOKENS))
    url = url or f"sqlite:///{tmp_path / 'store.db'}"
    port = free_port()
    with gateway_thread(url, tokens=load_tokens(str(tokens)), metrics_listen=f"127.0.0.1:{port}",
                        **overrides) as address:
        store = open_store(url)
        try:
            yield Served(address, f"http://127.0.0.1:{port}", port, store, url)
        finally:
            store.close()


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path) as served:
        yield served


# Not Redis Cluster: it has Redis' events, and its store leaves sockets open when closed (a ResourceWarning, an
# error at the session's end), which these tests need not add to.
@pytest.fixture(params=["sqlite", "redis", "mongo"])
def on_every_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Served, str]]:
    """A dashboard on each kind of store (one stream per caller), and a queue of the test's own (Redis and MongoDB
    servers are shared)."""
    with serving(tmp_path, isolated_store_url(str(request.param), request, tmp_path),
                 max_watches_per_caller=1) as served:
        yield served, f"q-{uuid.uuid4().hex[:12]}"


def dead_letter(store: Store, queue: str, error: TaskError) -> Task:
    """Make a dead letter the way a worker makes one: lease the next task and fail it for good."""
    [leased] = store.lease(queue, 1, 30.0, owner="test-worker")
    store.fail(queue, [Failure(leased.id, leased.lease_id, error, retry=False)])
    return leased


def count(driver: WebDriver, queue: str, state: str) -> str:
    cells = driver.find_elements(By.CSS_SELECTOR, f'tr[data-queue="{queue}"] td[data-count="{state}"]')
    return cells[0].text if cells else ""


def wait_text(driver: WebDriver, what: str, check: object, timeout_s: float = 20.0) -> None:
    # The page redraws its tables every second: an element read in between is stale, and read again.
    WebDriverWait(driver, timeout_s, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)).until(
        check, f"timed out waiting for {what}")  # type: ignore[arg-type]


def test_dashboard_shows_queues_replays_dead_letters_looks_up_tasks(browser: WebDriver, dashboard: Served) -> None:
    address, url, _, store, _ = dashboard
    SHOTS.mkdir(parents=True, exist_ok=True)
    queue = "emails"
    with Client(address, token="push-token") as client:
        first = client.push(queue, {"to": "a@example.com"}, want_result=True)
        browser.get(f"{url}/#token=admin-token")
        wait_text(browser, "the queue's first count", lambda d: count(d, queue, "ready") == "1")

        ids = [client.push(queue, {"to": f"{n}@example.com"}) for n in range(4)]
        wait_text(browser, "the count to follow the pushes", lambda d: count(d, queue, "ready") == "5")
        assert len(ids) == 4

    leased = dead_letter(store, queue, TaskError("ValueError", "bad address"))
    wait_text(browser, "the dead count", lambda d: count(d, queue, "dead") == "1" and count(d, queue, "ready") == "4")
    browser.find_element(By.ID, "dead-queue").send_keys(queue)
    browser.find_element(By.CSS_SELECTOR, "#dead-form button").click()
    row = f'#dead tr[data-task="{leased.id}"]'
    wait_text(browser, "the dead letter's row and error",
              lambda d: "ValueError: bad address" in d.find_element(By.CSS_SELECTOR, row).text)
    browser.save_screenshot(str(SHOTS / "dead-letter.png"))
    browser.find_element(By.CSS_SELECTOR, f"{row} button.replay").click()
    wait_text(browser, "the replayed task back in its queue",
              lambda d: count(d, queue, "dead") == "0" and count(d, queue, "ready") == "5")
    assert not browser.find_elements(By.CSS_SELECTOR, row)
    assert store.counts(queue).dead == 0

    browser.find_element(By.ID, "lookup-queue").send_keys(queue)
    browser.find_element(By.ID, "lookup-id").send_keys(first)
    browser.find_element(By.CSS_SELECTOR, "#lookup button").click()
    wait_text(browser, "the task's details", lambda d: first in d.find_element(By.ID, "task").text)
    shown = browser.find_element(By.ID, "task").text
    assert '"state": "TASK_STATE_PENDING"' in shown
    assert '"to": "a@example.com"' in shown  # msgpack kwargs shown decoded
    browser.save_screenshot(str(SHOTS / "dashboard.png"))
    # The panel follows the task until it ends: a failure shows up without another click.
    [again] = [t for t in store.lease(queue, 5, 30.0, owner="test-worker") if t.id == first]
    store.fail(queue, [Failure(again.id, again.lease_id, TaskError("ValueError", "bounced"), retry=False)])
    wait_text(browser, "the looked-up task to die on screen",
              lambda d: '"state": "TASK_STATE_DEAD"' in d.find_element(By.ID, "task").text)
    assert "bounced" in browser.find_element(By.ID, "task").text
    # Purge: the button drops the dead letter for good.
    browser.find_element(By.CSS_SELECTOR, "#dead-form button").click()
    row = f'#dead tr[data-task="{first}"]'
    wait_text(browser, "the second dead letter's row", lambda d: d.find_elements(By.CSS_SELECTOR, row))
    browser.find_element(By.CSS_SELECTOR, f"{row} button.purge").click()
    wait_text(browser, "the purged letter gone", lambda d: count(d, queue, "dead") == "0"
              and not d.find_elements(By.CSS_SELECTOR, row))
    assert store.counts(queue).dead == 0 and store.dead_letters(queue) == []

    # Without a token: refused, on the page and by the API.
    browser.execute_script("sessionStorage.clear()")
    browser.get(f"{url}/")
    browser.refresh()
    wait_text(browser, "the refusal", lambda d: "refused" in d.find_element(By.ID, "status").text)
    assert not browser.find_elements(By.CSS_SELECTOR, f'tr[data-queue="{queue}"]')
    browser.save_screenshot(str(SHOTS / "refused.png"))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{url}/api/queues", timeout=10)
    refused.value.close()
    assert refused.value.code == 401


def test_read_token_may_look_but_not_replay(dashboard: Served) -> None:
    url = dashboard.url
    request = urllib.request.Request(f"{url}/api/replay", data=json.dumps({"queue": "emails", "ids": ["x"]}).encode(),
                                     headers={"Authorization": "Bearer read-token"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    refused.value.close()
    assert refused.value.code == 403
    looked = urllib.request.Request(f"{url}/api/queues", headers={"Authorization": "Bearer read-token"})
    with urllib.request.urlopen(looked, timeout=10) as reply:
        assert json.loads(reply.read()) == {"queues": []}


def watchers(served: Served) -> float:
    """Watches open on the gateway, the dashboard's task streams among them (``sergeant_watchers``)."""
    return value(scrape(served.port), "sergeant_watchers")


def progress_lines(driver: WebDriver) -> list[str]:
    """The lookup panel's progress lines, without their time of day."""
    lines = driver.find_elements(By.CSS_SELECTOR, '#task-events li[data-kind="progress"]')
    return [line.text.split(" ", 1)[1] for line in lines]


def look_up(driver: WebDriver, queue: str, task_id: str) -> None:
    for field, text in (("lookup-queue", queue), ("lookup-id", task_id)):
        driver.find_element(By.ID, field).clear()
        driver.find_element(By.ID, field).send_keys(text)
    driver.find_element(By.CSS_SELECTOR, "#lookup button").click()


def shown_state(driver: WebDriver) -> str:
    """The state in the lookup panel's answer (its first "state": the task's, before its result's)."""
    found = re.search(r'"state": "(\w+)"', driver.find_element(By.ID, "task").text)
    return found[1] if found else ""


def test_lookup_streams_a_running_tasks_progress_live(browser: WebDriver, dashboard: Served, tmp_path: Path) -> None:
    """A real supervisor's worker reports three steps; each waits for the test to see the last one on the page.

    Its screenshot live-lookup.png is the README's picture (docs/dashboard.png), hence the second queue and its
    dead letter."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    queue, gates = "reports", tmp_path / "gates"
    gates.mkdir()
    with Client(dashboard.address, token="push-token") as client:
        task_id = client.push(queue, {"month": "2026-11", "format": "pdf", "steps": 3}, want_result=True)
        for n in range(3):
            client.push("emails", {"to": f"{n}@example.com"})
    dead_letter(dashboard.store, "emails", TaskError("SMTPRecipientsRefused", "550 mailbox unavailable"))
    browser.get(f"{dashboard.url}/#token=read-token")  # the read role may follow a task
    browser.find_element(By.ID, "dead-queue").send_keys("emails")
    browser.find_element(By.CSS_SELECTOR, "#dead-form button").click()
    look_up(browser, queue, task_id)
    wait_text(browser, "the pending task", lambda d: shown_state(d) == "TASK_STATE_PENDING")
    wait_text(browser, "the page's stream to be a watch of the gateway", lambda _: watchers(dashboard) == 1)

    env = {**os.environ, "SERGEANT_STORE": dashboard.store_url, "SERGEANT_TOKEN": "work-token",
           "SERGEANT_TEST_QUEUE": queue, "SERGEANT_TEST_GATES": str(gates), "PYTHONUNBUFFERED": "1"}
    workers = Processes(env, tmp_path)
    try:
        workers.supervisor("--workers", "1", "--gateway", dashboard.address,
                           worker="tests.dashboard.workers:SteppedWorker")
        shown = []
        for step, percent in ((1, "33%"), (2, "67%"), (3, "100%")):
            shown.append(f"{percent} step {step} {{\"step\":{step}}}")
            # Live: the worker waits at this step until the page has shown it.
            wait_text(browser, f"step {step} on the page", lambda d: progress_lines(d) == shown
                      and d.find_element(By.ID, "task-progress-text").text == f"{percent} step {step}"  # noqa: B023
                      and shown_state(d) == "TASK_STATE_ACTIVE", 60.0)  # the first: a supervisor starting
            bar = browser.find_element(By.ID, "task-progress").get_attribute("value")
            assert abs(float(bar or 0) - step / 3) < 1e-6
            if step == 2:  # the tables, polled every second, caught up with the lease and the dead letter
                wait_text(browser, "the tables", lambda d: count(d, queue, "leased") == "1"
                          and count(d, "emails", "dead") == "1" and d.find_elements(By.CSS_SELECTOR, "#dead tbody tr")
                          and [c.text for c in d.find_elements(By.CSS_SELECTOR, "#workers td:nth-child(5)")] == ["1"])
                browser.save_screenshot(str(SHOTS / "live-lookup.png"))
            (gates / f"{task_id}.{step}").touch()
        wait_text(browser, "the result", lambda d: shown_state(d) == "TASK_STATE_SUCCEEDED"
                  and d.find_elements(By.CSS_SELECTOR, '#task-events li[data-kind="end"]'))
        assert '"steps": 3' in browser.find_element(By.ID, "task").text  # the result, decoded
        states = [li.text.split(" ", 1)[1] for li in
                  browser.find_elements(By.CSS_SELECTOR, '#task-events li[data-kind="state"]')]
        assert states[0] == "pending (attempt 1 of 5)" and "active (attempt 1 of 5)" in states, states
        assert states[-1] == "succeeded", states
        browser.save_screenshot(str(SHOTS / "lookup-done.png"))
        wait_text(browser, "the ended stream's watch to close", lambda _: watchers(dashboard) == 0)

        # A task still running: a second lookup replaces the first stream, and leaving the page ends it.
        with Client(dashboard.address, token="push-token") as client:
            held = client.push(queue, {"steps": 1}, want_result=True)
        look_up(browser, queue, held)
        wait_text(browser, "the held task", lambda d: held in d.find_element(By.ID, "task").text)
        look_up(browser, queue, held)  # the panel is cleared, then filled by the new stream
        wait_text(browser, "the second lookup's first state", lambda d: held in d.find_element(By.ID, "task").text)
        wait_text(browser, "one stream, the second lookup's", lambda _: watchers(dashboard) == 1)
        browser.get("about:blank")
        wait_text(browser, "the stream to end with the page", lambda _: watchers(dashboard) == 0)
        (gates / f"{held}.1").touch()
    finally:
        workers.stop_all()


def open_stream(served: Served, queue: str, task_id: str, token: str | None) -> http.client.HTTPResponse:
    """A stream that owns its connection ("Connection: close"): closing it is the client going away."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    connection.request("GET", f"/api/task/events?queue={queue}&id={task_id}", headers={
        "Connection": "close", **({"Authorization": f"Bearer {token}"} if token else {})})
    stream = connection.getresponse()
    assert stream.will_close
    return stream


def next_event(stream: http.client.HTTPResponse) -> tuple[str, dict[str, Any]]:
    fields = {}
    while (line := stream.readline().decode()) not in ("\n", ""):
        name, _, text = line.rstrip("\n").partition(": ")
        fields[name] = text
    return fields["event"], json.loads(fields["data"])


def test_task_stream_keeps_the_watch_limits_and_ends_with_its_client(on_every_store: tuple[Served, str]) -> None:
    served, queue = on_every_store
    with Client(served.address, token="push-token") as client:
        task_id = client.push(queue, {"n": 1}, want_result=True)
        with open_stream(served, queue, task_id, "read-token") as first:
            assert first.status == 200 and first.getheader("Content-Type") == "text/event-stream"
            kind, task = next_event(first)
            assert kind == "task" and task["state"] == "TASK_STATE_PENDING" and task["task"]["kwargs"] == {"n": 1}
            assert watchers(served) == 1
            refusals = {"read-token": 429, "push-token": 403, None: 401}  # one stream per caller here; no read role
            for token, status in refusals.items():
                with open_stream(served, queue, task_id, token) as refused:
                    assert refused.status == status, (token, refused.read())
            with open_stream(served, queue, new_task_id(), "admin-token") as unknown:
                assert unknown.status == 404 and json.loads(unknown.read())["code"] == "NOT_FOUND"
            assert watchers(served) == 1
        # The client went: its watch ends, though the task has not.
        wait_for(lambda: watchers(served) == 0, 20, "the closed stream's watch to end")

        with open_stream(served, queue, task_id, "read-token") as second:
            assert second.status == 200 and next_event(second)[0] == "task"
            client.cancel(queue, task_id)
            kind, task = next_event(second)
            assert kind == "task" and task["state"] == "TASK_STATE_CANCELLED"
            assert next_event(second) == ("end", {})
            assert second.read() == b""  # the stream ends with its task
        wait_for(lambda: watchers(served) == 0, 20, "the ended stream's watch to end")


def test_a_stream_open_when_the_gateway_stops_is_cut(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with contextlib.ExitStack() as streams:
        with serving(tmp_path) as served, Client(served.address, token="push-token") as client:
            task_id = client.push("reports", {"n": 1}, want_result=True)
            stream = streams.enter_context(open_stream(served, "reports", task_id, "read-token"))
            assert next_event(stream)[0] == "task"
        # Cut (the page opens it again), not waited for: the HTTP server stops at once.
        with pytest.raises(http.client.IncompleteRead):
            stream.read()
    assert "gateway.shutdown_step_timeout" not in caplog.messages


def test_task_stream_keeps_event_order_when_the_store_is_ahead(on_every_store: tuple[Served, str]) -> None:
    """A task that runs and ends at once: the reads after it started find it dead before the events say so (or
    even before the stream follows its events). The stream still tells the events in order, the end once."""
    served, queue = on_every_store
    store = served.store
    with Client(served.address, token="push-token") as client:
        task_id = client.push(queue, {"n": 1}, want_result=True)
    with open_stream(served, queue, task_id, "read-token") as stream:
        assert next_event(stream)[1]["state"] == "TASK_STATE_PENDING"
        [leased] = store.lease(queue, 1, 30.0, owner="test-worker")
        store.publish([TaskEvent(queue, task_id, EventKind.PROGRESS, time.time(), step / 3, f"step {step}")
                       for step in (1, 2, 3)])
        store.fail(queue, [Failure(task_id, leased.lease_id, TaskError("ValueError", "bad"), retry=False)])
        told = []
        while (event := next_event(stream))[0] != "end":
            told.append(event[1].get("message") or event[1]["state"].removeprefix("TASK_STATE_"))
    assert [t for t in told if t != "ACTIVE"] == ["step 1", "step 2", "step 3", "DEAD"]
