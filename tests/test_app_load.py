"""A class on one server: 30 students' browsers (Playwright contexts, each its own session) on
one ``oasim app``, each stepping its own model.

The step latency is measured in the page: from the click on Step until every chart of the page
shows the new week (the charts are drawn by the browser; the server sends the new data). First
one student alone steps ten times; then 29 more open the page, and in each round every one of
the 30 presses Step once at a random moment within a few seconds, as a class does when the
teacher says "next week" (30 steps in 3 s: 10 a second across the class). The median latency
with 30 sessions must stay within three times the single student's, measured in the same run.
Both figures are printed. The server's log must stay quiet: at most a line per session.

Here the 30 browsers run on the server's own machine, so they compete with it for the CPU; in a
classroom each runs on its student's laptop. ``benchmarks/bench_app_load.py`` runs the same
measurement on its own and prints the machine.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import signal
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS
from test_app_browser import N_CHARTS, start_app

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
)

SESSIONS = 30
ROUNDS = 4
WINDOW = 3.0  # seconds in which the class's clicks of a round fall
SINGLE_STEPS = 10
MAX_RATIO = 3.0
# Pages in background tabs of one browser must not have their timers slowed down.
LOAD_ARGS = [
    *CHROMIUM_ARGS,
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
# In the page: wait `delay` ms, click Step, and return the ms until every chart shows `week`.
STEP_JS = """
async ([delay, week]) => {
    await new Promise((resolve) => setTimeout(resolve, delay));
    const done = () => {
        const charts = [...document.querySelectorAll(".oa-chart")];
        return charts.length > 0 && charts.every((c) => c.dataset.drawn === String(week));
    };
    const drawn = new Promise((resolve) => {
        const watch = new MutationObserver(() => {
            if (done()) {
                watch.disconnect();
                resolve(performance.now());
            }
        });
        watch.observe(document.body, {
            attributes: true, attributeFilter: ["data-drawn"], subtree: true,
        });
    });
    const start = performance.now();
    document.querySelector(".oa-step").click();
    return (await drawn) - start;
}
"""
READY_JS = (
    "() => { const c = [...document.querySelectorAll('.oa-chart')]; "
    f"return c.length === {N_CHARTS} && c.every(e => e.dataset.drawn === '0'); }}"
)


def machine() -> str:
    """The CPU count and model of this machine (from /proc/cpuinfo where there is one)."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs, {model}"


def cpu_seconds(pid: int | None) -> float:
    """User and system CPU time of a process so far (Linux; 0 without a pid)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class LoadResult:
    """Step latencies (ms): one student alone, then the whole class."""

    single: list[float]
    loaded: list[float]
    sessions: int
    refused: list[str] = field(default_factory=list)
    # the server's CPU seconds per step, alone and with the class (when its pid is given)
    cpu_single: float | None = None
    cpu_loaded: float | None = None

    @property
    def single_median(self) -> float:
        return statistics.median(self.single)

    @property
    def loaded_median(self) -> float:
        return statistics.median(self.loaded)

    @property
    def ratio(self) -> float:
        return self.loaded_median / self.single_median

    @property
    def loaded_p90(self) -> float:
        return statistics.quantiles(self.loaded, n=10)[-1]

    def report(self) -> str:
        cpu = ""
        if self.cpu_single is not None and self.cpu_loaded is not None:
            cpu = (
                f"; server CPU {1000 * self.cpu_single:.1f} ms a step alone, "
                f"{1000 * self.cpu_loaded:.1f} ms with the class"
            )
        return (
            f"step latency, median: {self.single_median:.0f} ms with 1 session, "
            f"{self.loaded_median:.0f} ms with {self.sessions} sessions "
            f"(x{self.ratio:.2f}; 90th percentile {self.loaded_p90:.0f} ms){cpu}; {machine()}"
        )


async def measure_load(
    url: str,
    sessions: int = SESSIONS,
    rounds: int = ROUNDS,
    window: float = WINDOW,
    single_steps: int = SINGLE_STEPS,
    seed: int = 2025,
    server_pid: int | None = None,
) -> LoadResult:
    """The single-session and class step latencies of the app at ``url`` (see the module),
    and the server's CPU time per step when ``server_pid`` is given (Linux)."""
    from playwright.async_api import async_playwright

    rng = random.Random(seed)
    refused: list[str] = []
    weeks: dict = {}

    async def local_only(route) -> None:
        request = route.request
        if urlparse(request.url).hostname in ("127.0.0.1", "localhost"):
            await route.continue_()
        else:
            refused.append(request.url)
            await route.abort()

    async def open_session(browser):
        context = await browser.new_context(viewport={"width": 1280, "height": 720})
        await context.route("**/*", local_only)
        page = await context.new_page()
        await page.goto(url)
        await page.wait_for_function(READY_JS, timeout=120_000)
        weeks[page] = 0
        return page

    async def step(page, delay_ms: float = 0.0) -> float:
        weeks[page] += 1
        return await asyncio.wait_for(page.evaluate(STEP_JS, [delay_ms, weeks[page]]), 60)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=LOAD_ARGS)
        try:
            first = await open_session(browser)
            for _ in range(2):  # warm-up: the first step compiles and lays out the charts
                await step(first)
            cpu = cpu_seconds(server_pid)
            single = [await step(first) for _ in range(single_steps)]
            cpu_single = (cpu_seconds(server_pid) - cpu) / single_steps
            pages = [first]
            while len(pages) < sessions:  # a few at a time: a class does not arrive at once
                batch = min(6, sessions - len(pages))
                pages += await asyncio.gather(*(open_session(browser) for _ in range(batch)))
            for page in pages[1:]:
                await step(page)  # every student's first step, as the first one's
            loaded: list[float] = []
            cpu = cpu_seconds(server_pid)
            for _ in range(rounds):
                delays = [rng.uniform(0, window * 1000) for _ in pages]
                loaded += await asyncio.gather(
                    *(step(page, d) for page, d in zip(pages, delays, strict=True))
                )
            cpu_loaded = (cpu_seconds(server_pid) - cpu) / len(loaded)
        finally:
            await browser.close()
    if server_pid is None:
        cpu_single = cpu_loaded = None
    return LoadResult(single, loaded, sessions, refused, cpu_single, cpu_loaded)


def test_thirty_students_step_on_one_server_about_as_fast_as_one(tmp_path, capsys):
    log = tmp_path / "server.log"
    with start_app(log, "--lang", "zh", "--class") as server:
        result = asyncio.run(measure_load(server.url, server_pid=server.proc.pid))
        server.proc.send_signal(signal.SIGINT)
        assert server.proc.wait(timeout=30) == 0
    with capsys.disabled():
        print(f"\n{result.report()}")
    assert result.refused == []
    assert len(result.loaded) == SESSIONS * ROUNDS
    assert result.ratio <= MAX_RATIO, result.report()
    lines = log.read_text().splitlines()
    assert len(lines) <= SESSIONS, "\n".join(lines)
    assert not any("Traceback" in line or "samesite" in line.lower() for line in lines), lines
