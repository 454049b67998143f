"""The classroom app in a real browser: ``python -m sim app`` in a subprocess, driven by Debian's
headless Chromium through Playwright, with every request beyond localhost refused: the page must
work offline, from the assets that the ``solara-assets`` package (``app`` extra) installs into the
environment. The server's own asset proxy is pointed at a dead local address, so an asset missing
from the environment is a 404 that the tests record, instead of a quiet fetch from the internet.

Without Chromium these tests are skipped, and tests/conftest.py ends the run with a line saying so.

The tests of this module share one server, started with ``--lang zh``, and run in order: the
last one stops the server with Ctrl-C (SIGINT).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
)
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_MS = 30_000  # the first render of a page draws every chart


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"oasim app exited with status {proc.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"oasim app did not answer at {url} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """``python -m sim app --lang zh`` on a free port, with the environment's page assets."""
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "SOLARA_ASSETS_PROXY_CACHE_DIR"}
    # Nothing listens there: the proxy cannot quietly fill a gap in the installed assets.
    env["SOLARA_ASSETS_CDN"] = f"http://127.0.0.1:{free_port()}/npm/"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", "app", "--port", str(port), "--lang", "zh"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
            cwd=ROOT,
        )
    server = SimpleNamespace(url=f"http://127.0.0.1:{port}/", proc=proc, log=log)
    try:
        wait_until_up(server.url, proc)
        yield server
    finally:
        if proc.poll() is None:  # a test failed before stopping it
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Student:
    """One browser context (its own cookies: its own session) on the app, offline."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1100})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.refused: list[str] = []
        self.failed: list[str] = []  # the server answers 404 for an asset it does not have
        self.context.route("**/*", self._local_only)
        self.page = self.context.new_page()
        self.page.on("response", self._record_failure)
        self.page.goto(url)
        self.expect_time(0)

    def _local_only(self, route) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("blob:", "data:")):
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def _record_failure(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def expect_time(self, week: int) -> None:
        self.page.get_by_text(f"Time: {week}.0", exact=True).wait_for()

    def step(self, to_week: int) -> None:
        self.page.get_by_role("button", name="Step").click()
        self.expect_time(to_week)

    def reset_until_shown(self, text: str, tries: int = 5) -> None:
        """Press Reset until the run on screen lists ``text``. ipywidgets holds a slider's
        later updates until the server is idle, so a Reset clicked at once can overtake them."""
        for _ in range(tries):
            self.page.get_by_role("button", name="Reset").click()
            try:
                self.page.get_by_text(text, exact=True).wait_for(timeout=3_000)
                return
            except Exception as err:  # playwright's TimeoutError
                if "Timeout" not in type(err).__name__:
                    raise
        pytest.fail(f"after {tries} presses of Reset the page does not show {text!r}")

    def chart_sources(self) -> list[str]:
        images = self.page.locator("img[src^='blob:']")
        images.first.wait_for()
        return [img.get_attribute("src") for img in images.all()]

    def close(self) -> None:
        self.context.close()


def test_the_page_works_offline_in_chinese_and_a_moved_lever_takes_effect(app, browser, tmp_path):
    student = Student(browser, app.url)
    page = student.page
    page.get_by_text("四级政府层级中的组织焦虑").wait_for()
    lever = page.get_by_role("slider", name="减会议：会议削减比例")
    assert lever.get_attribute("aria-valuenow") == "0"

    lever.focus()
    lever.press("ArrowRight")
    lever.press("ArrowRight")
    assert lever.get_attribute("aria-valuenow") == "0.1"
    student.reset_until_shown("减会议：会议削减比例: 0.1")  # listed under "本次运行"

    before = student.chart_sources()
    assert len(before) == 5
    student.step(1)
    student.step(2)
    page.get_by_text("各层级组织焦虑（第 2 周）", exact=True).wait_for()  # a chart's title
    after = student.chart_sources()
    assert all(a != b for a, b in zip(after, before, strict=True))  # every chart redrawn
    page.screenshot(path=tmp_path / "app-zh.png")
    assert (tmp_path / "app-zh.png").stat().st_size > 10_000
    assert student.refused == student.failed == []
    student.close()


def test_each_student_steps_their_own_model_and_the_page_switches_to_english(app, browser):
    first = Student(browser, app.url)
    first.page.get_by_role("button", name="English").click()
    first.page.get_by_text("Cut meetings (减会议)", exact=True).wait_for()
    first.page.get_by_text("Organizational anxiety in a four-level hierarchy").wait_for()
    first.step(1)

    second = Student(browser, app.url)  # opens at week 0 while the first is at week 1
    second.step(1)
    second.step(2)
    first.expect_time(1)
    assert first.refused == second.refused == first.failed == second.failed == []
    first.close()
    second.close()


def test_ctrl_c_stops_the_server_cleanly(app):
    app.proc.send_signal(signal.SIGINT)
    assert app.proc.wait(timeout=30) == 0
    output = app.proc.stdout.read()
    assert f"serving the classroom page at {app.url}" in output
    assert "oasim app: stopped" in output
    log = app.log.read_text()
    assert "Could not load URL" not in log, log  # the proxy's word for an asset it lacks
    assert "Traceback" not in log, log
    assert "oasim app: warning" not in log, log  # it found every asset it checks for
