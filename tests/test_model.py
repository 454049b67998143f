"""GovernanceModel: the schedule and the mechanisms of the world on short classroom runs.

The policy levers have their tests in test_levers.py. Each test here compares runs that differ
in one parameter. Where noise could flip a comparison the test averages over several seeds and
many weeks; where the first week is deterministic given the seed (the cascade draws nothing) it
compares that week exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import sim
from sim import outcomes
from sim.model import status_quo
from sim.state import Item

LEVELS = ("anxiety_province", "anxiety_city", "anxiety_county", "anxiety_township")


# ---- the schedule and the policy switch ------------------------------------------------------
def test_levers_take_effect_only_from_policy_start(make_model):
    levers = {
        "run.policy_start": 6,
        "quota.meetings_cut": 0.5,
        "assessment.mode": "result",
        "data_bureau.merge": 1.0,
        "allocation.capable_bias": 0.0,
    }
    with_levers = outcomes.timeseries(make_model(levers, seed=4, steps=12))
    without = outcomes.timeseries(make_model({"run.policy_start": 6}, seed=4, steps=12))
    pd.testing.assert_frame_equal(with_levers.iloc[:6], without.iloc[:6])
    later = ["meetings_per_township", "hours_traces", "data_requests_per_township"]
    assert (with_levers.iloc[6][later] < without.iloc[6][later]).all()


def test_active_params_switch_at_policy_start(make_scenario):
    model = sim.GovernanceModel(
        make_scenario({"run.policy_start": 2, "quota.meetings_cut": 0.5, "anxiety.base": 0.2}),
        rng=1,
    )
    seen = []
    for _ in range(4):
        model.step()
        seen.append(model.active_params["quota.meetings_cut"])
        assert model.active_params["anxiety.base"] == 0.2  # the world is not a lever
    assert seen == [0.0, 0.0, 0.5, 0.5]
    assert model.week == 4


def test_status_quo_resets_levers_and_keeps_the_world():
    p = sim.Parameters(
        {"quota.meetings_cut": 0.5, "assessment.mode": "result", "anxiety.base": 0.2}
    )
    assert status_quo(p).changed() == {"anxiety.base": 0.2}


def test_model_accepts_a_path_a_scenario_or_nothing(root):
    from_path = sim.GovernanceModel(root / "scenarios" / "baseline.toml", rng=1, preset="classroom")
    assert from_path.spec.name == "baseline"
    assert from_path.tree.n_staff == 48
    default = sim.GovernanceModel(rng=1, preset="classroom")
    assert default.params.changed() == {"hierarchy.preset": "classroom"}


def test_datacollector_records_every_outcome_every_week(make_model):
    ts = outcomes.timeseries(make_model(steps=5))
    assert list(ts.columns) == [o.name for o in sim.OUTCOMES]
    assert list(ts.index) == [1, 2, 3, 4, 5]


def test_the_array_recorder_and_the_datacollector_record_the_same_numbers():
    # Sweeps record into an array; the interactive model uses Mesa's DataCollector.
    frames = []
    for datacollector in (True, False):
        model = sim.GovernanceModel(
            "scenarios/combination_punch.toml",
            rng=3,
            preset="classroom",
            datacollector=datacollector,
        )
        model.run_for(110)  # past the policy start, so the levers' outcomes move too
        frames.append(outcomes.timeseries(model))
        assert (model.recorder is None) == datacollector
    pd.testing.assert_frame_equal(frames[0], frames[1], check_exact=True)


# ---- mechanisms --------------------------------------------------------------------------------
def test_central_pressure_raises_anxiety_at_every_level(outcome_means):
    calm = outcome_means({"anxiety.central_pressure": 0.0}, steps=104, last=52)
    tense = outcome_means({"anxiety.central_pressure": 1.0}, steps=104, last=52)
    for level in LEVELS:
        assert tense[level] > calm[level], level


def test_anxiety_flows_down_from_the_province(make_model):
    # One week, same seed: only the provinces' superior (the centre) differs.
    calm = make_model({"anxiety.central_pressure": 0.0}, steps=1)
    tense = make_model({"anxiety.central_pressure": 1.0}, steps=1)
    u0, u1 = calm.state.units.anxiety, tense.state.units.anxiety
    provinces = calm.tree.units(0)
    assert np.all(u1[provinces] > u0[provinces])
    # Below the province nothing has been transmitted yet after one week.
    assert np.array_equal(u1[calm.tree.units(1)], u0[calm.tree.units(1)])


def test_lower_trust_raises_planned_inspections(make_model):
    trusting = make_model({"trust.initial": 0.95}, steps=1)
    wary = make_model({"trust.initial": 0.2}, steps=1)
    below = slice(trusting.tree.starts[1], None)
    planned_t = trusting.state.units.received[Item.INSPECTIONS, below]
    planned_w = wary.state.units.received[Item.INSPECTIONS, below]
    assert np.all(planned_w > planned_t)


def test_no_quota_means_quota_ratio_one(make_model):
    ts = outcomes.timeseries(make_model({"oversight.strength": 0.0}, steps=20))
    assert (ts["quota_ratio"] == 1.0).all()


def test_detected_errors_lower_trust(outcome_means):
    lenient = outcome_means({"inspection.detection": 0.0}, steps=26)
    searching = outcome_means({"inspection.detection": 0.8}, steps=26)
    for level in ("trust_province", "trust_city", "trust_county"):
        assert searching[level] < lenient[level], level


def test_the_region_preset_runs(root):
    model = sim.GovernanceModel(root / "scenarios" / "baseline.toml", rng=1, preset="region")
    model.run_for(3)
    assert model.tree.n_staff == 960
    row = outcomes.timeseries(model).iloc[-1]
    assert np.isfinite(row.to_numpy()).all()
    assert 40.0 < row["township_hours"] <= 70.0
