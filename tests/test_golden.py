"""The golden oracle: every recorded run, recomputed, gives the recorded numbers.

tests/golden/ holds the summaries and full weekly time series of the baseline and 13 library
scenarios, seeds 1-3, on the classroom and region presets, recorded by tools/record_golden.py
(see tests/golden/README.md). A change that is meant to leave the model's behaviour alone (a
refactor, a faster engine) must pass this test unchanged; a change of behaviour re-records the
files on purpose, and says why.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"

# The largest relative difference |new - old| / max(|new|, |old|) allowed in any number.
# 0.0 means bit-for-bit (NaN equals NaN). A refactor that cannot avoid reordering floating-point
# sums may set it to 1e-12, and must then say so, and why, in its commit message. Note that a
# relative tolerance never forgives an exact zero that became 1e-17: that is a difference.
#
# The model's state is reproduced bit for bit (the compiled phases add in numpy's order). The
# outcomes are observed by compiled code that sums means in index order, where numpy's dot
# products and pairwise sums grouped the terms otherwise: they differ by a few units in the
# last place (largest seen 2e-15), hence 1e-12.
RTOL = 1e-12

MANIFEST = json.loads((GOLDEN / "manifest.json").read_text(encoding="utf-8"))
CASES = list(dict.fromkeys((run["preset"], run["scenario"]) for run in MANIFEST["runs"]))


@functools.cache
def _summaries() -> dict:
    return json.loads((GOLDEN / "summaries.json").read_text(encoding="utf-8"))


@functools.cache
def _timeseries(preset: str) -> pd.DataFrame:
    return pd.read_parquet(GOLDEN / f"timeseries-{preset}.parquet")


def relative_difference(new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """|new - old| / max(|new|, |old|) elementwise: 0 where equal (NaN and NaN are equal,
    so are equal infinities), inf where only one is NaN."""
    new, old = np.asarray(new, dtype=np.float64), np.asarray(old, dtype=np.float64)
    same = (new == old) | (np.isnan(new) & np.isnan(old))
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.abs(new - old) / np.maximum(np.abs(new), np.abs(old))
    return np.where(same, 0.0, np.where(np.isnan(rel), np.inf, rel))


def _differs(new: np.ndarray, old: np.ndarray) -> bool:
    if RTOL == 0.0:
        return not np.array_equal(new, old, equal_nan=True)
    return bool((relative_difference(new, old) > RTOL).any())


def _report(name: str, new: np.ndarray, old: np.ndarray, weeks: np.ndarray | None) -> str:
    rel = relative_difference(new, old)
    i = int(np.argmax(rel))
    where = f" in week {weeks[i]}" if weeks is not None else ""
    first = f", first in week {weeks[np.argmax(rel > RTOL)]}" if weeks is not None else ""
    return (
        f"{name}: largest relative difference {rel[i]:.3g}{where} "
        f"(recorded {float(old[i])!r}, now {float(new[i])!r}); "
        f"{int((rel > RTOL).sum())} of {rel.size} values differ{first}"
    )


def compare_timeseries(new: pd.DataFrame, old: pd.DataFrame) -> list[str]:
    """Problems with ``new`` against the recorded weekly outcomes ``old`` (index: week).

    Outcomes may be added (the outcome names are an add-only contract), never lost.
    """
    weeks = old.index.to_numpy()
    if not np.array_equal(new.index.to_numpy(), weeks):
        return [f"weeks {new.index[0]}..{new.index[-1]}, recorded {weeks[0]}..{weeks[-1]}"]
    problems = []
    for name in old.columns:
        if name not in new.columns:
            problems.append(f"{name}: outcome missing")
            continue
        a, b = new[name].to_numpy(np.float64), old[name].to_numpy(np.float64)
        if _differs(a, b):
            problems.append(_report(name, a, b, weeks))
    return problems


def compare_summary(new: dict[str, float], old: dict[str, float]) -> list[str]:
    """Problems with the run summary ``new`` against the recorded one ``old``."""
    problems = []
    for name, value in old.items():
        if name not in new:
            problems.append(f"summary {name}: missing")
            continue
        a, b = np.array([new[name]], dtype=np.float64), np.array([value], dtype=np.float64)
        if _differs(a, b):
            problems.append(_report(f"summary {name}", a, b, None))
    return problems


def compare_parameters(new: dict, old: dict) -> list[str]:
    """Recorded parameter values that the scenario no longer has: the inputs changed, so a
    difference in outputs would say nothing about the model."""
    return [
        f"parameter {name}: recorded {value!r}, now {new.get(name, '(absent)')!r}"
        for name, value in old.items()
        if name not in new or new[name] != value
    ]


@pytest.mark.parametrize(("preset", "scenario"), CASES, ids=[f"{p}-{s}" for p, s in CASES])
def test_golden(preset: str, scenario: str):
    recorded = MANIFEST["scenarios"][scenario]
    path = ROOT / recorded["path"]
    params = compare_parameters(sim.load_scenario(path).params.to_dict(), recorded["parameters"])
    assert not params, f"{recorded['path']} changed since it was recorded:\n" + "\n".join(params)

    frame = _timeseries(preset)
    problems = []
    for run in MANIFEST["runs"]:
        if (run["preset"], run["scenario"]) != (preset, scenario):
            continue
        seed = run["seed"]
        result = sim.simulate(
            path, seed=seed, preset=preset, steps=None if run["default_horizon"] else run["steps"]
        )
        assert result.steps == run["steps"], "the default horizon (run.steps) changed"
        old = frame[(frame["scenario"] == scenario) & (frame["seed"] == seed)]
        old = old.drop(columns=["scenario", "seed"]).set_index("week")
        found = compare_timeseries(result.timeseries, old)
        found += compare_summary(result.summary, _summaries()[preset][scenario][str(seed)])
        problems += [f"seed {seed}, {run['steps']} weeks: {p}" for p in found]
    assert not problems, (
        f"{preset} {scenario} differs from tests/golden (RTOL = {RTOL}):\n" + "\n".join(problems)
    )


def test_comparison_is_exact_and_names_the_difference():
    # The oracle is only as good as its comparison: anything beyond RTOL must count (one ulp
    # where RTOL is 0), NaN must equal NaN.
    old = pd.DataFrame({"x": [1.0, np.nan, 0.0], "y": [2.0, 3.0, 4.0]}, index=[1, 2, 3])
    assert compare_timeseries(old.copy(), old) == []
    nudged = old.copy()
    nudged.loc[3, "y"] = np.nextafter(4.0, 5.0) if RTOL == 0.0 else 4.0 * (1.0 + 10 * RTOL)
    (problem,) = compare_timeseries(nudged, old)
    assert problem.startswith("y: largest relative difference") and "week 3" in problem
    assert compare_timeseries(old[["y"]], old) == ["x: outcome missing"]
    assert compare_summary({"a": np.nan}, {"a": np.nan}) == []
    assert compare_summary({"a": 0.0}, {"a": np.nan})
    assert relative_difference(np.array([np.inf, 1.0]), np.array([np.inf, np.nan])).tolist() == [
        0.0,
        np.inf,
    ]
