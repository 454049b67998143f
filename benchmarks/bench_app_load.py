"""Benchmark: the classroom app with a whole class on one server.

    python benchmarks/bench_app_load.py                  # 30 students, clicks spread over 3 s
    python benchmarks/bench_app_load.py --window 0       # all 30 click at the same instant
    python benchmarks/bench_app_load.py --sessions 8 --rounds 6

Starts ``oasim app --class`` on a free port and drives it with Debian's headless Chromium
(Playwright): one student steps alone, then the class opens the page and, round after round,
every student presses Step once at a random moment within ``--window`` seconds. It prints the
median step latency (click to every chart drawn with the new week, measured in the page) with
one session and with all of them, their ratio, the server's CPU time per step and the machine.
The measurement is tests/test_app_load.py's, which asserts the ratio (at most 3 with 30
sessions and a 3-second window).

The browsers run on the server's machine and compete with it for the CPU; in a classroom each
runs on its student's laptop, so the figures here are an upper bound for the server.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM  # noqa: E402  (tests/ holds the shared measurement)
from test_app_browser import start_app  # noqa: E402
from test_app_load import (  # noqa: E402
    ROUNDS,
    SESSIONS,
    SINGLE_STEPS,
    WINDOW,
    machine,
    measure_load,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--window", type=float, default=WINDOW, help="seconds (default: 3)")
    parser.add_argument("--single-steps", type=int, default=SINGLE_STEPS)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        with start_app(log, "--lang", "zh", "--class") as server:
            result = asyncio.run(
                measure_load(
                    server.url,
                    sessions=args.sessions,
                    rounds=args.rounds,
                    window=args.window,
                    single_steps=args.single_steps,
                    server_pid=server.proc.pid,
                )
            )
            server.proc.send_signal(signal.SIGINT)
            server.proc.wait(timeout=30)
        lines = log.read_text().splitlines()
    print(f"machine: {machine()}")
    print(
        f"{args.sessions} sessions, {args.rounds} rounds, clicks of a round within "
        f"{args.window:g} s"
    )
    print(f"median step latency, 1 session:   {result.single_median:7.1f} ms")
    print(f"median step latency, {args.sessions} sessions: {result.loaded_median:7.1f} ms")
    print(f"ratio: {result.ratio:.2f} (90th percentile {result.loaded_p90:.0f} ms)")
    print(
        f"server CPU a step: {1000 * result.cpu_single:.1f} ms alone, "
        f"{1000 * result.cpu_loaded:.1f} ms with the class"
    )
    print(f"server log: {len(lines)} lines for {args.sessions} sessions")
    for line in lines:
        print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
