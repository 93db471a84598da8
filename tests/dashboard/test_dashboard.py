"""The dashboard in a real headless Chromium (Debian's chromium and chromium-driver), against a real gateway.

Screenshots go to artifacts/dashboard/ (ignored by git; CI keeps them as artefacts)."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sergeant.client import Client
from sergeant.store import open_store
from sergeant.store.base import Failure, Store
from sergeant.task import TaskError
from tests.servers import free_port, in_ci
from tests.worker.harness import gateway_thread

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "dashboard"
TOKENS = {"admin-token": {"name": "ops", "roles": ["admin"]}, "read-token": {"name": "oncall", "roles": ["read"]},
          "push-token": {"name": "app", "roles": ["produce"]}}

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


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[tuple[str, str, Store]]:
    """A gateway with tokens and its HTTP side; yields (gRPC address, dashboard URL, its store)."""
    from sergeant.service.config import load_tokens

    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps(TOKENS))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    port = free_port()
    with gateway_thread(url, tokens=load_tokens(str(tokens)), metrics_listen=f"127.0.0.1:{port}") as address:
        store = open_store(url)
        try:
            yield address, f"http://127.0.0.1:{port}", store
        finally:
            store.close()


def count(driver: WebDriver, queue: str, state: str) -> str:
    cells = driver.find_elements(By.CSS_SELECTOR, f'tr[data-queue="{queue}"] td[data-count="{state}"]')
    return cells[0].text if cells else ""


def wait_text(driver: WebDriver, what: str, check: object) -> None:
    # The page redraws its tables every second: an element read in between is stale, and read again.
    WebDriverWait(driver, 20, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)).until(
        check, f"timed out waiting for {what}")  # type: ignore[arg-type]


def test_dashboard_shows_queues_replays_dead_letters_looks_up_tasks(browser: WebDriver,
                                                                     dashboard: tuple[str, str, Store]) -> None:
    address, url, store = dashboard
    SHOTS.mkdir(parents=True, exist_ok=True)
    queue = "emails"
    with Client(address, token="push-token") as client:
        first = client.push(queue, {"to": "a@example.com"}, want_result=True)
        browser.get(f"{url}/#token=admin-token")
        wait_text(browser, "the queue's first count", lambda d: count(d, queue, "ready") == "1")

        ids = [client.push(queue, {"to": f"{n}@example.com"}) for n in range(4)]
        wait_text(browser, "the count to follow the pushes", lambda d: count(d, queue, "ready") == "5")
        assert len(ids) == 4

    # A dead letter, made the way a worker makes one: lease the task and fail it for good.
    [leased] = store.lease(queue, 1, 30.0, owner="test-worker")
    store.fail(queue, [Failure(leased.id, leased.lease_id, TaskError("ValueError", "bad address"), retry=False)])
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


def test_read_token_may_look_but_not_replay(dashboard: tuple[str, str, Store]) -> None:
    _, url, _ = dashboard
    request = urllib.request.Request(f"{url}/api/replay", data=json.dumps({"queue": "emails", "ids": ["x"]}).encode(),
                                     headers={"Authorization": "Bearer read-token"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    refused.value.close()
    assert refused.value.code == 403
    looked = urllib.request.Request(f"{url}/api/queues", headers={"Authorization": "Bearer read-token"})
    with urllib.request.urlopen(looked, timeout=10) as reply:
        assert json.loads(reply.read()) == {"queues": []}
