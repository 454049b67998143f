"""GovernanceModel: mechanisms and levers on short classroom runs.

Each test compares runs that differ in one parameter. Where noise could flip a comparison the
test averages over several seeds and many weeks; where the first week is deterministic given the
seed (the cascade draws nothing) it compares that week exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim import outcomes
from sim.model import status_quo
from sim.state import INSPECTIONS, MEETINGS

LEVELS = ("anxiety_province", "anxiety_city", "anxiety_county", "anxiety_township")


def first_week(make_model, overrides, seed=1):
    return outcomes.timeseries(make_model(overrides, seed=seed, steps=1)).iloc[0]


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


# ---- mechanisms --------------------------------------------------------------------------------
def test_result_mode_lowers_trace_hours(outcome_means):
    process = outcome_means({}, steps=26)
    result = outcome_means({"assessment.mode": "result"}, steps=26)
    campaigns = outcome_means({"assessment.mode": "result_campaigns"}, steps=26)
    assert result["hours_traces"] < campaigns["hours_traces"] < process["hours_traces"]
    assert result["hours_inspection_prep"] < process["hours_inspection_prep"]


def test_result_mode_lowers_trace_hours_in_the_first_week_of_every_seed(make_model):
    for seed in range(1, 6):
        process = first_week(make_model, {}, seed)
        result = first_week(make_model, {"assessment.mode": "result"}, seed)
        assert result["hours_traces"] < process["hours_traces"]


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


def test_tournament_intensity_raises_anxiety(outcome_means):
    none = outcome_means({"tournament.intensity": 0.0}, steps=52)
    strong = outcome_means({"tournament.intensity": 3.0}, steps=52)
    for level in LEVELS:
        assert strong[level] > none[level], level


def test_lower_trust_raises_planned_inspections(make_model):
    trusting = make_model({"trust.initial": 0.95}, steps=1)
    wary = make_model({"trust.initial": 0.2}, steps=1)
    below = slice(trusting.tree.starts[1], None)
    planned_t = trusting.state.units.received[INSPECTIONS, below]
    planned_w = wary.state.units.received[INSPECTIONS, below]
    assert np.all(planned_w > planned_t)


def test_fair_allocation_lowers_workload_inequality(outcome_means):
    default = outcome_means({}, steps=26)
    fair = outcome_means({"allocation.capable_bias": 1.0}, steps=26)
    equal = outcome_means({"allocation.capable_bias": 0.0}, steps=26)
    assert fair["workload_gini"] < default["workload_gini"]
    assert equal["workload_gini"] < fair["workload_gini"]
    assert equal["workload_gini"] == pytest.approx(0.0, abs=1e-12)
    # Equal work (g = 0) breaks the link between competence and work; g = 1 (equal hours)
    # still gives the competent proportionally more work, so its correlation stays high.
    assert equal["competence_workload_corr"] < default["competence_workload_corr"] - 0.5


def test_quota_cut_lowers_meetings_right_after_the_policy_starts(make_model):
    start = {"run.policy_start": 4}
    cut = outcomes.timeseries(make_model({**start, "quota.meetings_cut": 0.5}, steps=5))
    none = outcomes.timeseries(make_model(start, steps=5))
    assert cut["meetings_per_township"].iloc[3] == none["meetings_per_township"].iloc[3]
    assert cut["meetings_per_township"].iloc[4] < none["meetings_per_township"].iloc[4]


@pytest.mark.parametrize(
    ("lever", "outcome"),
    [
        ("quota.meetings_cut", "meetings_per_township"),
        ("quota.documents_cut", "documents_per_township"),
    ],
)
def test_each_quota_cuts_its_own_item(make_model, lever, outcome):
    cut = first_week(make_model, {lever: 0.5})
    none = first_week(make_model, {})
    assert cut[outcome] < none[outcome]


def test_inspection_quota_cuts_planned_inspections(make_model):
    cut = make_model({"quota.inspections_cut": 0.5}, steps=1)
    none = make_model({}, steps=1)
    twu = cut.tree.units(3)
    assert np.all(
        cut.state.units.received[INSPECTIONS, twu] < none.state.units.received[INSPECTIONS, twu]
    )


def test_quota_rebounds_without_oversight_and_holds_with_it(make_model):
    cut = {"quota.inspections_cut": 0.5, "quota.meetings_cut": 0.5}
    loose = outcomes.timeseries(make_model(cut, steps=156))
    held = outcomes.timeseries(make_model({**cut, "oversight.strength": 1.0}, steps=156))
    assert (held["quota_ratio"] == 1.0).all()
    assert loose["quota_ratio"].iloc[-1] > 1.05
    assert loose["quota_ratio"].iloc[-52:].mean() > loose["quota_ratio"].iloc[:52].mean()
    assert (
        loose["meetings_per_township"].iloc[-52:].mean()
        > held["meetings_per_township"].iloc[-52:].mean()
    )


def test_no_quota_means_quota_ratio_one(make_model):
    ts = outcomes.timeseries(make_model({"oversight.strength": 0.0}, steps=20))
    assert (ts["quota_ratio"] == 1.0).all()


def test_cut_items_are_displaced_into_data_requests_unless_overseen(make_model):
    cut = {"quota.meetings_cut": 0.5, "quota.documents_cut": 0.5}
    none = first_week(make_model, {})
    loose = first_week(make_model, cut)
    held = first_week(make_model, {**cut, "oversight.strength": 1.0})
    assert loose["data_requests_per_township"] > held["data_requests_per_township"]
    assert held["data_requests_per_township"] == none["data_requests_per_township"]


def test_oversight_alone_costs_but_changes_nothing_else(make_model):
    base = outcomes.timeseries(make_model({}, steps=20))
    over = outcomes.timeseries(make_model({"oversight.strength": 1.0}, steps=20))
    others = [c for c in base.columns if c != "lever_cost"]
    pd.testing.assert_frame_equal(base[others], over[others])
    assert (over["lever_cost"] > base["lever_cost"]).all()


def test_data_bureau_merges_requests_and_platforms(make_model):
    none = first_week(make_model, {})
    merged = first_week(make_model, {"data_bureau.merge": 1.0})
    assert merged["data_requests_per_township"] < none["data_requests_per_township"]
    assert merged["hours_platforms"] < none["hours_platforms"]
    assert merged["lever_cost"] > none["lever_cost"]


def test_joint_enforcement_cuts_inspections_and_handoffs(make_model):
    none = make_model({}, steps=1)
    joint = make_model({"joint_enforcement.share": 1.0}, steps=1)
    below = slice(none.tree.starts[1], None)
    assert np.all(
        joint.state.units.received[INSPECTIONS, below]
        < none.state.units.received[INSPECTIONS, below]
    )
    assert np.all(joint.state.townships.work < none.state.townships.work)


def test_fewer_indicators_mean_less_preparation_and_fewer_traces(outcome_means):
    many = outcome_means({}, steps=26)
    few = outcome_means({"indicators.count": 10}, steps=26)
    assert few["hours_inspection_prep"] < many["hours_inspection_prep"]
    assert few["hours_traces"] < many["hours_traces"]


def test_more_platforms_mean_more_pure_formalism(make_model):
    few = first_week(make_model, {"platforms.count": 2})
    many = first_week(make_model, {"platforms.count": 20})
    assert many["hours_platforms"] > few["hours_platforms"]
    assert many["hours_pure_formalism"] > few["hours_pure_formalism"]


def test_devolving_tasks_alone_adds_burden(outcome_means):
    none = outcome_means({}, steps=26)
    tasks = outcome_means({"devolution.tasks": 1.0}, steps=26)
    assert tasks["township_hours"] > none["township_hours"]
    assert tasks["overtime_hours"] > none["overtime_hours"]


def test_devolving_people_and_money_with_tasks_lowers_anxiety_and_costs(outcome_means):
    tasks = outcome_means({"devolution.tasks": 1.0}, steps=52)
    full = outcome_means(
        {"devolution.tasks": 1.0, "devolution.personnel": 1.0, "devolution.finance": 1.0},
        steps=52,
    )
    assert full["anxiety_township"] < tasks["anxiety_township"]
    assert full["lever_cost"] > tasks["lever_cost"] == 0.0


def test_secondment_and_time_saving_lower_hours(outcome_means):
    none = outcome_means({}, steps=26)
    seconded = outcome_means({"secondment.staff": 2.0}, steps=26)
    tooled = outcome_means({"platforms.time_saved": 0.5}, steps=26)
    assert seconded["township_hours"] < none["township_hours"]
    assert tooled["township_hours"] < none["township_hours"]


def test_fault_tolerance_lowers_accountability_events(outcome_means):
    harsh = {"accountability.per_error": 1.0, "inspection.detection": 0.6}
    strict = outcome_means(harsh, steps=26)
    tolerant = outcome_means({**harsh, "fault_tolerance.share": 1.0}, steps=26)
    assert tolerant["accountability_events"] < strict["accountability_events"]


def test_bottom_up_evaluation_restrains_superiors(make_model):
    none = make_model({}, steps=52)
    rated = make_model({"bottom_up.weight": 1.0}, steps=52)
    leaders = slice(0, none.tree.starts[3])
    assert np.all(none.state.units.restraint[leaders] == 0.0)
    assert np.all(rated.state.units.restraint[leaders] > 0.0)
    assert rated.state.units.received[MEETINGS].sum() < none.state.units.received[MEETINGS].sum()


def test_workload_following_staffing_adds_staff_and_lowers_hours(outcome_means):
    none = outcome_means({}, steps=52, last=26)
    follow = outcome_means({"staffing.follow_workload": 1.0}, steps=52, last=26)
    assert follow["lever_cost"] > 0.0
    assert follow["township_hours"] < none["township_hours"]


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
