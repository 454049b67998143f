"""The scenario library in scenarios/: every file loads, describes itself and runs."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import sim
from sim.scenario import SCENARIO_DIR

LIBRARY = sorted(SCENARIO_DIR.glob("*.toml"))


def test_the_library_has_a_baseline():
    assert SCENARIO_DIR / "baseline.toml" in LIBRARY


@pytest.mark.parametrize("path", LIBRARY, ids=[p.stem for p in LIBRARY])
def test_library_scenario_loads_and_runs(path: Path):
    spec = sim.load_scenario(path)
    assert spec.name == path.stem
    assert spec.description.strip(), "every scenario says what question it answers"
    assert spec.title.strip()
    if spec.name != "baseline":
        assert spec.params.changed(), "a scenario that changes nothing duplicates the baseline"
    summary = sim.run_scenario(
        spec, seed=1, steps=4, preset="classroom", overrides={"run.policy_start": 1}
    )
    assert all(math.isfinite(v) for v in summary.values())
