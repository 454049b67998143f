"""Benchmark: where a compiled week's time goes, phase by phase.

    python benchmarks/bench_phases.py                    # classroom, region, national
    python benchmarks/bench_phases.py region             # one preset

Each phase of ``sim.phases.run_week`` (and the observation of the outcomes) runs many times in a
compiled loop of its own, on the state a few weeks into a baseline run, so the figures hold no
Python call overhead: microseconds per week, and nanoseconds per official-week. On small
presets they show the fixed cost of a phase (its many small array operations), on ``national``
its cost per official; compare them with ``bench_floor.py``. The loop changes the state as the
phase would, so the numbers are timings, not a run of the model. The first run after an edit of
the model compiles every phase on its own (a few minutes).
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np

import sim
from sim import phases
from sim.groups import rows_sum
from sim.observe import observe

PRESETS = ("classroom", "region", "national")


@numba.njit
def _cascade(p, k, tree, u, tw, st, rng, n):
    for _ in range(n):
        phases.cascade_down(p, tree, u, tw)


@numba.njit
def _work(p, k, tree, u, tw, st, rng, n):
    for _ in range(n):
        phases.do_work(p, k, tree, u, tw, st, rng)


@numba.njit
def _assess(p, k, tree, u, tw, st, rng, n):
    traces, completion = np.full(tree.n_staff, 0.3), np.ones(tree.n_staff)
    for _ in range(n):
        phases.assess(p, k, tree, u, tw, st, rng, traces, completion)


@numba.njit
def _account(p, k, tree, u, tw, st, rng, n):
    detected_below = np.zeros(tree.n_units)
    for _ in range(n):
        phases.account(p, k, tree, u, st, rng, detected_below)


@numba.njit
def _update(p, k, tree, u, tw, st, rng, n):
    detected_below, error_rate = np.zeros(tree.n_units), np.full(tree.n_staff, 0.2)
    for _ in range(n):
        phases.update(p, k, tree, u, tw, st, error_rate, detected_below)


@numba.njit
def _turnover(p, k, tree, u, tw, st, rng, n):
    for _ in range(n):
        phases.turnover(p, k, tree, tw, st, rng)


@numba.njit
def _staffing(p, k, tree, u, tw, st, rng, n):
    for _ in range(n):
        phases.staff_and_enforce(p, tree, u, tw, st)


@numba.njit
def _observe(p, k, tree, u, tw, st, rng, n):
    for _ in range(n):
        observe(p, tree, u, tw, st)


@numba.njit
def _week(p, k, tree, u, tw, st, rng, n):
    for _ in range(n):
        phases.run_week(p, k, tree, u, tw, st, rng)
        observe(p, tree, u, tw, st)


LOOPS = (
    ("cascade", _cascade),
    ("work", _work),
    ("assess", _assess),
    ("account", _account),
    ("update", _update),
    ("turnover", _turnover),
    ("staffing", _staffing),
    ("observe", _observe),
    ("whole week", _week),
)


def measure(preset: str, repeats: int = 5) -> None:
    model = sim.GovernanceModel(rng=1, preset=preset, datacollector=False, agents=False)
    model.run_for(4)
    p, k = model._compiled[id(model.params)]
    args = (p, k, model._tree, *model.state, model.rng)
    tree = model._tree
    officials = tree.starts[tree.bottom] + tree.n_staff
    weeks = max(3, 200_000 // officials)  # about a tenth of a second a phase
    rows_sum(model.state.staff.hours)  # compiled before timing
    print(f"{preset}: {officials:,} officials, {weeks} weeks a timing, best of {repeats}")
    for name, loop in LOOPS:
        loop(*args, 1)  # compile, or load the cache
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            loop(*args, weeks)
            best = min(best, (time.perf_counter() - start) / weeks)
        print(f"  {name:<11}{best * 1e6:>11.1f} us/week{best / officials * 1e9:>9.1f} ns/official")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("presets", nargs="*", choices=PRESETS, default=list(PRESETS))
    for preset in parser.parse_args().presets:
        measure(preset)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
