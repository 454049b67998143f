"""The classroom app in a real browser: ``python -m sim app`` in a subprocess, driven by Debian's
headless Chromium through Playwright, with every request beyond localhost refused: the page must
work offline, from the assets that the ``solara-assets`` package (``app`` extra) installs into the
environment. The server's own asset proxy is pointed at a dead local address, so an asset missing
from the environment is a 404 that the tests record, instead of a quiet fetch from the internet.

Without Chromium these tests are skipped, and tests/conftest.py ends the run with a line saying so.

The tests of this module share one server, started with ``--lang zh --class``, and run in
order: the last one stops the server with Ctrl-C (SIGINT). tests/test_app_load.py reuses the
helpers (:func:`start_app`, :class:`Student`).
"""

from __future__ import annotations

import contextlib
import csv
import io
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

from sim.app.controls import scenario_library, scenario_text

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
)
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_MS = 30_000  # the first render of a page draws every chart
N_CHARTS = 5
# What Mesa's SolaraViz drew in English whatever the language: none of it may be left on the
# Chinese page (compared without case; "Time:" was its week counter, "PAGE 0" its tab).
MESA_ENGLISH = (
    "RESET",
    "STEP",
    "PLAY",
    "Play Interval",
    "Render Interval",
    "Use Threads",
    "Model Parameters",
    "Time:",
    "PAGE",
)
SIZES = ((1440, 1000), (1280, 720), (800, 1000))


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


@contextlib.contextmanager
def start_app(log: Path, *args: str):
    """``python -m sim app ARGS`` on a free port, with the environment's page assets; stderr
    goes to ``log``. Yields (url, process); kills the server if it is still running."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SOLARA_ASSETS_PROXY_CACHE_DIR"}
    # Nothing listens there: the proxy cannot quietly fill a gap in the installed assets.
    env["SOLARA_ASSETS_CDN"] = f"http://127.0.0.1:{free_port()}/npm/"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", "app", "--port", str(port), *args],
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
def app(tmp_path_factory):
    """``python -m sim app --lang zh --class`` on a free port."""
    with start_app(tmp_path_factory.mktemp("app") / "server.log", "--lang", "zh", "--class") as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def drawn(week: int) -> str:
    """A page function: every chart shows ``week``."""
    return (
        "() => { const c = [...document.querySelectorAll('.oa-chart')]; "
        f"return c.length > 0 && c.every(e => e.dataset.drawn === '{week}'); }}"
    )


class Student:
    """One browser context (its own cookies: its own session) on a page of the app, offline."""

    def __init__(self, browser, url: str, width: int = 1400, height: int = 1100, **context):
        self.context = browser.new_context(viewport={"width": width, "height": height}, **context)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.refused: list[str] = []
        self.failed: list[str] = []  # the server answers 404 for an asset it does not have
        self.errors: list[str] = []  # errors in the page's console
        self.context.route("**/*", self._local_only)
        self.page = self.context.new_page()
        self.page.on("response", self._record_failure)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.goto(url)
        self.week = 0

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

    def wait_drawn(self, week: int | None = None) -> None:
        """Until every chart shows ``week`` (default: the student's week)."""
        week = self.week if week is None else week
        self.page.wait_for_function(drawn(week))
        assert self.page.locator(".oa-chart").count() == N_CHARTS

    def step(self) -> None:
        self.page.locator(".oa-step").click()
        self.week += 1
        self.wait_drawn()

    def reset_until_shown(self, label: str, text: str, tries: int = 5) -> None:
        """Press Reset until the run on screen lists ``text``. ipywidgets holds a slider's
        later updates until the server is idle, so a Reset clicked at once can overtake them."""
        for _ in range(tries):
            self.page.get_by_role("button", name=label).click()
            try:
                self.page.get_by_text(text, exact=True).wait_for(timeout=3_000)
                self.week = 0
                return
            except Exception as err:  # playwright's TimeoutError
                if "Timeout" not in type(err).__name__:
                    raise
        pytest.fail(f"after {tries} presses of Reset the page does not show {text!r}")

    def assert_offline(self) -> None:
        assert self.refused == self.failed == [], (self.refused, self.failed)

    def close(self) -> None:
        self.context.close()


def test_the_page_works_offline_in_chinese_and_a_moved_lever_takes_effect(app, browser, tmp_path):
    student = Student(browser, app.url)
    page = student.page
    page.locator(".oa-title").get_by_text("四级政府层级中的组织焦虑").wait_for()
    student.wait_drawn(0)
    assert page.locator(".oa-chart svg").count() == N_CHARTS  # drawn by Vega in the browser
    lever = page.get_by_role("slider", name="减会议：会议削减比例")
    assert lever.get_attribute("aria-valuenow") == "0"

    lever.focus()
    lever.press("ArrowRight")
    lever.press("ArrowRight")
    assert lever.get_attribute("aria-valuenow") == "0.1"
    page.get_by_text("控件已调整：按“重置”后以新设置运行。").wait_for()
    student.reset_until_shown("重置", "减会议：会议削减比例: 0.1")  # listed under "本次运行"

    student.step()
    hours = page.locator(".oa-hours svg").inner_html()
    student.step()
    page.get_by_text("各层级组织焦虑（第 2 周）", exact=True).wait_for()  # a chart's title
    page.get_by_text("第 2 周", exact=True).wait_for()  # the week counter
    assert page.locator(".oa-hours svg").inner_html() != hours  # redrawn with week 2
    # The axis and legend texts are drawn by the browser, in Chinese.
    assert "形式主义" in page.locator(".oa-hours svg").inner_html()
    page.screenshot(path=tmp_path / "app-zh.png")
    assert (tmp_path / "app-zh.png").stat().st_size > 10_000
    student.assert_offline()
    assert student.errors == []
    student.close()


def test_each_student_steps_their_own_model_and_the_page_switches_to_english(app, browser):
    first = Student(browser, app.url)
    first.wait_drawn(0)
    first.page.get_by_role("button", name="English").click()
    first.page.get_by_text("Cut meetings (减会议)", exact=True).wait_for()
    first.page.locator(".oa-title").get_by_text("Organizational anxiety in a four-level").wait_for()
    first.step()

    second = Student(browser, app.url)  # opens at week 0 while the first is at week 1
    second.wait_drawn(0)
    second.step()
    second.step()
    first.wait_drawn(1)
    first.page.get_by_text("Week 1", exact=True).wait_for()
    second.page.get_by_text("第 2 周", exact=True).wait_for()
    # Play runs week after week until Pause.
    first.page.get_by_role("button", name="Play").click()
    first.page.wait_for_function(
        "() => [...document.querySelectorAll('.oa-chart')].every(c => +c.dataset.drawn >= 4)"
    )
    first.page.get_by_role("button", name="Pause").click()
    first.page.get_by_role("button", name="Play").wait_for()
    shown = first.page.locator(".oa-week").inner_text()
    first.page.wait_for_timeout(1000)
    assert first.page.locator(".oa-week").inner_text() == shown
    first.week = int(shown.split()[-1])
    first.wait_drawn()
    second.wait_drawn(2)  # the other student's run did not move
    for student in (first, second):
        student.assert_offline()
        student.close()


# ---- the layout: what fits where, in both languages ---------------------------------------
LAYOUT_JS = """
() => {
    const box = (el) => {
        const r = el.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    };
    const shown = (el) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none";
    };
    const CONTROLS = "button, input, select, textarea, [role=slider], .v-input, .v-btn-toggle";
    const controls = [...document.querySelectorAll(CONTROLS)].filter(shown).map((el) => ({
        what: (el.getAttribute("aria-label") || el.innerText || el.className || el.tagName)
            .toString().slice(0, 40),
        ...box(el),
    }));
    const charts = [...document.querySelectorAll(".oa-chart")].filter(shown).map(box);
    // What the user sees at the middle of each chart that is in the window: the chart itself,
    // not a sidebar, a drawer or a badge over it.
    const covered = [...document.querySelectorAll(".oa-chart")].filter(shown).filter((el) => {
        const r = el.getBoundingClientRect();
        const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
        if (y < 0 || y >= innerHeight || x < 0 || x >= innerWidth) return false;
        const top = document.elementFromPoint(x, y);
        return !(top && el.contains(top));
    }).length;
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const parent = node.parentElement;
        if (!parent || ["SCRIPT", "STYLE", "TEMPLATE"].includes(parent.tagName)) continue;
        if (!shown(parent) && parent.tagName.toLowerCase() !== "text") continue;
        if (node.textContent.trim()) texts.push(node.textContent.trim());
    }
    const side = document.querySelector(".oa-side");
    return {
        controls, charts, covered, texts,
        width: innerWidth, height: innerHeight,
        scrollWidth: document.documentElement.scrollWidth,
        side: side ? side.getBoundingClientRect().width : null,
    };
}
"""


def overlap(a: dict, b: dict) -> float:
    """The area two boxes share."""
    w = min(a["right"], b["right"]) - max(a["left"], b["left"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(w, 0) * max(h, 0)


def assert_in_view(page, selector: str) -> None:
    """The element is inside the window and is what a click at its middle reaches."""
    found = page.evaluate(
        """(sel) => {
            const el = document.querySelector(sel);
            const r = el.getBoundingClientRect();
            const top = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
            return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                    reachable: !!top && el.contains(top), w: innerWidth, h: innerHeight};
        }""",
        selector,
    )
    assert found["left"] >= 0 and found["top"] >= 0, (selector, found)
    assert found["right"] <= found["w"] and found["bottom"] <= found["h"], (selector, found)
    assert found["reachable"], (selector, found)


def assert_laid_out(page, lang: str) -> dict:
    """No control overlaps a chart, nothing covers a chart, nothing spills sideways, and in
    Chinese no English label of Mesa's is left."""
    layout = page.evaluate(LAYOUT_JS)
    assert len(layout["charts"]) >= 1
    for chart in layout["charts"]:
        for control in layout["controls"]:
            assert overlap(chart, control) == 0, (control, chart)
    assert layout["covered"] == 0
    assert layout["scrollWidth"] <= layout["width"]  # no sideways scrolling
    text = "\n".join(layout["texts"])
    assert "runs on Solara" not in text  # Solara's badge, over the page's corner
    if lang == "zh":
        left = [word for word in MESA_ENGLISH if word.lower() in text.lower()]
        assert left == [], left
    return layout


def longest_description(lang: str) -> str:
    """The title of the scenario with the longest description in ``lang``."""
    library = scenario_library()
    name = max(library, key=lambda n: len(scenario_text(library[n], lang)[1]))
    return scenario_text(library[name], lang)[0]


def pick_scenario(page, title: str) -> None:
    page.locator(".oa-setup .v-select").click()
    page.get_by_role("option", name=title, exact=True).click()
    page.locator(".oa-setup .v-select__selection").filter(has_text=title).wait_for()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_page_fits_the_window(app, browser, width, height, lang, tmp_path):
    student = Student(browser, app.url, width, height)
    page = student.page
    student.wait_drawn(0)
    labels = {"zh": ("重置", "播放", "单步"), "en": ("Reset", "Play", "Step")}[lang]
    if lang == "en":
        page.get_by_role("button", name="English").click()
        page.get_by_text("Week 0", exact=True).wait_for()
    # The run controls, by their names in the language, in the window without scrolling.
    for name, selector in zip(labels, (".oa-reset", ".oa-play", ".oa-step"), strict=True):
        assert page.locator(selector).inner_text().strip() == name
        assert_in_view(page, selector)
    student.step()
    layout = assert_laid_out(page, lang)
    wide = width > 959
    if wide:  # the setup column beside the charts, of its own width
        assert layout["side"] == pytest.approx(360, abs=1)
        side_right = page.locator(".oa-side").bounding_box()
        assert all(c["left"] >= side_right["x"] + side_right["width"] for c in layout["charts"])
    else:  # stacked: the setup above the charts, the levers below them, all full width
        setup = page.locator(".oa-setup").bounding_box()
        levers = page.locator(".oa-controls").bounding_box()
        first = min(c["top"] for c in layout["charts"])
        last = max(c["bottom"] for c in layout["charts"])
        assert setup["y"] + setup["height"] <= first and last <= levers["y"]
        assert all(c["right"] - c["left"] > width * 0.8 for c in layout["charts"])

    # A scenario with a long description keeps the column's width.
    pick_scenario(page, longest_description(lang))
    page.wait_for_function(drawn(0))
    student.week = 0
    after = assert_laid_out(page, lang)
    assert after["side"] == layout["side"]
    # Scrolled to the end, the run controls are still in view.
    page.evaluate(
        "() => { for (const el of [document.querySelector('.oa-main'), "
        "document.scrollingElement]) el.scrollTop = el.scrollHeight; }"
    )
    for selector in (".oa-reset", ".oa-play", ".oa-step"):
        assert_in_view(page, selector)
    student.step()
    page.screenshot(path=tmp_path / f"app-{lang}-{width}.png")
    student.assert_offline()
    student.close()


def test_the_page_stacks_on_a_tablet(app, browser):
    tablet = Student(browser, app.url, 768, 1024, is_mobile=True, has_touch=True)
    tablet.wait_drawn(0)
    assert_in_view(tablet.page, ".oa-step")
    tablet.page.locator(".oa-step").tap()
    tablet.week = 1
    tablet.wait_drawn()
    assert_laid_out(tablet.page, "zh")
    tablet.close()


# ---- the class dashboard ------------------------------------------------------------------------
def test_the_class_dashboard_shows_each_group_live_and_exports_csv(app, browser, tmp_path):
    teacher = Student(browser, app.url + "class", 1280, 720)
    teacher.page.locator(".oa-title").get_by_text("课堂看板").wait_for()
    before = teacher.page.locator(".oa-entry").count()

    red = Student(browser, app.url)
    red.wait_drawn(0)
    red.page.locator(".oa-submit").click()  # no group name yet
    red.page.get_by_text("请先填写小组名称。").wait_for()
    red.page.get_by_label("小组名称").fill("红队")
    red.page.locator(".oa-submit").click()
    red.page.get_by_text("请先至少运行一周（单步或播放）。").wait_for()
    red.step()
    red.step()
    red.page.locator(".oa-submit").click()
    red.page.get_by_text(f"已提交，编号 {before + 1}（第 2 周）。").wait_for()

    blue = Student(browser, app.url)
    blue.wait_drawn(0)
    pick_scenario(blue.page, scenario_text(scenario_library()["combination_punch"], "zh")[0])
    blue.page.wait_for_function(drawn(0))
    for _ in range(3):
        blue.step()
    blue.page.get_by_label("小组名称").fill("Blue team")
    blue.page.locator(".oa-submit").click()
    blue.page.get_by_text(f"已提交，编号 {before + 2}（第 3 周）。").wait_for()

    # The teacher's page, open all along, shows both as they arrive.
    page = teacher.page
    rows = page.locator(".oa-entry")
    rows.nth(before + 1).wait_for()
    assert rows.count() == before + 2
    red_row, blue_row = rows.nth(before).inner_text(), rows.nth(before + 1).inner_text()
    assert "红队" in red_row and "基线" in red_row
    assert "Blue team" in blue_row and "减会议：会议削减比例: 0.4" in blue_row
    page.wait_for_function(
        f"() => document.querySelector('.oa-scatter .oa-chart').dataset.drawn === '{before + 2}'"
    )
    scatter = page.locator(".oa-scatter svg").inner_html()
    assert "Blue team" in scatter and "红队" in scatter  # the dots' labels, drawn client-side
    assert_in_view(page, ".oa-bar .v-btn")  # the export
    assert_laid_out(page, "zh")

    with page.expect_download() as download:
        page.get_by_role("button", name="导出 CSV").click()
    path = tmp_path / "class.csv"
    download.value.save_as(path)
    table = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    mine = table[before:]
    assert [r["group"] for r in mine] == ["红队", "Blue team"]
    assert [r["scenario"] for r in mine] == ["baseline", "combination_punch"]
    assert [int(r["week"]) for r in mine] == [2, 3]
    assert float(mine[1]["quota.meetings_cut"]) == 0.4
    punch = mine[1]
    assert float(punch["hours_pure_formalism"]) < float(punch["status_quo_hours_pure_formalism"])
    for student in (teacher, red, blue):
        student.assert_offline()
        student.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_dashboard_fits_the_window(app, browser, width, height, lang):
    teacher = Student(browser, app.url + "class", width, height)
    page = teacher.page
    page.locator(".oa-title").get_by_text("课堂看板").wait_for()
    if lang == "en":
        page.get_by_role("button", name="English").click()
        page.locator(".oa-title").get_by_text("Class dashboard").wait_for()
    export = {"zh": "导出 CSV", "en": "Export CSV"}[lang]
    page.get_by_role("button", name=export).wait_for()
    page.wait_for_function(
        "() => { const c = document.querySelector('.oa-scatter .oa-chart'); "
        "return c && c.dataset.drawn !== '-1'; }"
    )
    assert_in_view(page, ".oa-bar .v-btn")  # the export
    assert_laid_out(page, lang)
    teacher.assert_offline()
    teacher.close()


def test_ctrl_c_stops_the_server_cleanly(app):
    app.proc.send_signal(signal.SIGINT)
    assert app.proc.wait(timeout=30) == 0
    output = app.proc.stdout.read()
    assert f"serving the classroom page at {app.url}" in output
    assert f"the class dashboard is at {app.url}class" in output
    assert "oasim app: stopped" in output
    log = app.log.read_text()
    assert "Could not load URL" not in log, log  # the proxy's word for an asset it lacks
    assert "Traceback" not in log, log
    assert "oasim app: warning" not in log, log  # it found every asset it checks for
    assert "samesite" not in log.lower(), log  # the cookie fallback on plain http, expected
    assert len(log.splitlines()) <= 2, log
