"""Running the model as a function: determinism, summaries, overrides."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import sim
from sim import outcomes
from sim.outcomes import NAMES


def test_same_seed_same_timeseries():
    a = sim.simulate(seed=5, steps=20, preset="classroom")
    b = sim.simulate(seed=5, steps=20, preset="classroom")
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    assert a.summary == b.summary


def test_different_seeds_differ():
    a = sim.simulate(seed=5, steps=20, preset="classroom").timeseries
    b = sim.simulate(seed=6, steps=20, preset="classroom").timeseries
    assert not a.equals(b)
    assert (a["township_hours"] != b["township_hours"]).any()


def test_a_seeded_generator_is_as_good_as_a_seed(classroom):
    import numpy as np

    m1 = sim.GovernanceModel(classroom, rng=np.random.default_rng(3))
    m2 = sim.GovernanceModel(classroom, rng=np.random.default_rng(3))
    m1.run_for(5)
    m2.run_for(5)
    assert np.array_equal(m1.state.staff.hours, m2.state.staff.hours)


def test_simulate_returns_the_run_and_its_model():
    result = sim.simulate(seed=2, steps=8, preset="classroom")
    assert result.steps == 8 and result.seed == 2
    assert len(result.timeseries) == 8
    assert list(result.timeseries.columns) == list(NAMES)
    assert result.model.week == 8
    assert result.scenario.params.hierarchy.preset == "classroom"


def test_run_scenario_returns_floats_for_every_outcome_and_its_final_value(root):
    summary = sim.run_scenario(
        root / "scenarios" / "baseline.toml", seed=1, steps=10, preset="classroom"
    )
    assert set(summary) == set(NAMES) | {f"{n}_final" for n in NAMES}
    for key, value in summary.items():
        assert isinstance(value, float), key
        assert math.isfinite(value), key


def test_summary_is_the_trailing_window_mean():
    result = sim.simulate(seed=1, steps=12, preset="classroom", overrides={"run.summary_weeks": 4})
    ts = result.timeseries
    assert result.summary["township_hours"] == pytest.approx(ts["township_hours"].iloc[-4:].mean())
    assert result.summary["township_hours_final"] == ts["township_hours"].iloc[-1]


def test_steps_default_to_run_steps():
    result = sim.simulate(seed=1, preset="classroom", overrides={"run.steps": 7})
    assert result.steps == 7
    assert len(result.timeseries) == 7


def test_overrides_are_applied_and_validated():
    result = sim.simulate(
        seed=1, steps=3, preset="classroom", overrides={"assessment.mode": "result"}
    )
    assert result.scenario.params["assessment.mode"] == "result"
    with pytest.raises(sim.ScenarioError):
        sim.simulate(seed=1, steps=3, preset="classroom", overrides={"assessment.mod": "x"})


def test_steps_must_be_within_the_catalogue_limit():
    for steps in (0, 5201):
        with pytest.raises(ValueError, match=r"steps must be in \[1, 5200\]"):
            sim.simulate(seed=1, steps=steps, preset="classroom")


def test_a_run_without_agent_objects_gives_the_same_results_as_the_mesa_model():
    # simulate() skips the Mesa agents and the DataCollector; neither may change a number.
    result = sim.simulate("combination_punch", seed=5, steps=110, preset="classroom")
    assert len(result.model.agents) == 0
    model = sim.GovernanceModel("combination_punch", rng=5, preset="classroom")
    model.run_for(110)
    assert len(model.agents) > 0
    pd.testing.assert_frame_equal(result.timeseries, outcomes.timeseries(model), check_exact=True)
