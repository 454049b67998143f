"""Each policy lever of docs/ODD.md section 1.6 moves its own mechanism the way the design says.

Every comparison runs the lever and the baseline at the SAME seeds (common random numbers) on the
classroom preset with the levers in force from week 0. Two kinds of checks:

* exact ones in the first week, where the cascade has drawn nothing yet and both runs see the
  same anxieties, trusts and random draws, so the lever's equation can be checked directly;
* directional ones averaged over seeds and weeks, where the lever's effect has had time to
  feed back (each was checked not to flip over several seed sets).

The scenario library is checked too: every file is a setting of levers, not a tweak of the
model's behaviour.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import sim
from sim import outcomes
from sim.hierarchy import CITY, PROVINCE, TOWNSHIP
from sim.params import CATALOGUE
from sim.rules.staffing import replacement_weeks
from sim.scenario import SCENARIO_DIR
from sim.state import Item, Status

SEEDS = (1, 2, 3)
LIBRARY = sorted(SCENARIO_DIR.glob("*.toml"))
QUOTAS = {"quota.meetings_cut": 0.4, "quota.documents_cut": 0.3, "quota.inspections_cut": 0.5}
LEADER_LEVELS = ("anxiety_province", "anxiety_city", "anxiety_county")
DEFAULT = {name: p.default for name, p in CATALOGUE.items()}


def first_week(make_model, overrides, seed=1) -> pd.Series:
    return outcomes.timeseries(make_model(overrides, seed=seed, steps=1)).iloc[0]


def below_province(model) -> slice:
    return slice(model.tree.starts[CITY], None)


def step_and_watch(make_scenario, overrides, seed, steps, watch):
    """Run a classroom model week by week, calling ``watch(model)`` after every week."""
    model = sim.GovernanceModel(make_scenario(overrides), rng=seed)
    seen = []
    for _ in range(steps):
        model.step()
        seen.append(watch(model))
    return model, seen


# ---- quota cuts and oversight (减会议 减发文 减督考, 专门监督机构) -------------------------------
@pytest.mark.parametrize(
    ("lever", "kind"),
    [
        ("quota.meetings_cut", Item.MEETINGS),
        ("quota.documents_cut", Item.DOCUMENTS),
        ("quota.inspections_cut", Item.INSPECTIONS),
    ],
)
def test_a_quota_caps_its_item_at_the_cut_level_from_the_first_week(make_model, lever, kind):
    cut = 0.4
    capped = make_model({lever: cut}, steps=1)
    free = make_model({}, steps=1)
    u, u0, rows = capped.state.units, free.state.units, below_province(capped)
    # The quota is set from what superiors wanted when the policy started, and binds at once on
    # what it counts; what is relabelled arrives beside it, never more than the cut.
    assert np.allclose(u.cap[kind, rows], (1.0 - cut) * u.desired[kind, rows])
    counted = u.received[kind, rows] - u.relabelled[kind, rows]
    assert np.allclose(counted, (1.0 - cut) * u.desired[kind, rows])
    assert np.all(u.relabelled[kind, rows] >= 0.0)
    assert np.all(u.relabelled[kind, rows] < cut * u.desired[kind, rows])
    # Every unit below the province receives fewer of this item than without the quota.
    assert np.all(u.received[kind, rows] < u0.received[kind, rows])
    # The other kinds carry no quota.
    for other in set(Item) - {kind}:
        assert np.isnan(u.cap[other]).all()


def test_quota_cuts_lower_meetings_documents_and_inspections_right_after_the_start(make_model):
    for seed in SEEDS:
        cut, none = make_model(QUOTAS, seed, 1), make_model({}, seed, 1)
        townships = cut.tree.units(TOWNSHIP)
        for kind in Item:
            received = cut.state.units.received[kind, townships]
            assert np.all(received < none.state.units.received[kind, townships]), (seed, kind)
        row = outcomes.timeseries(cut).iloc[0]
        row0 = outcomes.timeseries(none).iloc[0]
        for outcome in ("meetings_per_township", "documents_per_township"):
            assert row[outcome] < row0[outcome], (seed, outcome)
        assert row["quota_ratio"] == 1.0  # enforcement has not decayed yet


def test_quotas_drift_back_and_displace_into_data_requests_without_oversight(make_model):
    years = 3
    loose = [outcomes.timeseries(make_model(QUOTAS, seed, 52 * years)) for seed in SEEDS]
    none = [outcomes.timeseries(make_model({}, seed, 52 * years)) for seed in SEEDS]
    ratio = pd.concat(loose).groupby(level="week")["quota_ratio"].mean()
    yearly = [ratio.iloc[52 * y : 52 * (y + 1)].mean() for y in range(years)]
    # The effective cap drifts above the nominal one, more and more as the years pass.
    assert 1.0 < yearly[0] < yearly[1] < yearly[2]
    # Cut items reappear as platform data requests: more than with no quota at all.
    data = "data_requests_per_township"
    assert np.mean([ts[data].mean() for ts in loose]) > np.mean([ts[data].mean() for ts in none])
    assert all(
        (ts[data].iloc[:4] > ts0[data].iloc[:4]).all() for ts, ts0 in zip(loose, none, strict=True)
    )


def test_oversight_that_catches_everything_holds_quotas_exactly_and_stops_evasion(
    make_scenario, make_model, outcome_means
):
    # The limiting case of a body that sees every evasion: detection 1 (the default is below 1).
    held = {**QUOTAS, "oversight.strength": 1.0, "oversight.detection": 1.0}

    def watch(model):
        u = model.state.units
        return float(max(np.max(u.displaced), np.max(u.relabelled))), float(np.min(u.enforcement))

    last_year = []
    for seed in SEEDS:
        model, seen = step_and_watch(make_scenario, held, seed, 104, watch)
        last_year.append(outcomes.timeseries(model).iloc[-52:].mean())
        displaced, enforcement = np.array(seen).T
        assert np.all(displaced == 0.0)
        assert np.all(enforcement == 1.0)
        assert (outcomes.timeseries(model)["quota_ratio"] == 1.0).all()
        assert (outcomes.timeseries(model)["evasion_share"] == 0.0).all()
        # Data requests are exactly what the lines issue: nothing displaced into them.
        tree, u, tw = model.tree, model.state.units, model.state.townships
        issued = u.data_issued[tree.township_ancestor].sum(axis=0)
        assert np.allclose(tw.data_requests, issued)
        # From the first week: cut items are not displaced into data requests.
        week_1 = first_week(make_model, held, seed)["data_requests_per_township"]
        assert week_1 == first_week(make_model, {}, seed)["data_requests_per_township"]
    # Partial oversight slows the drift: between none and full.
    partial = outcome_means({**QUOTAS, "oversight.strength": 0.5}, seeds=SEEDS, steps=104, last=52)
    loose = outcome_means(QUOTAS, seeds=SEEDS, steps=104, last=52)
    assert 1.0 < partial["quota_ratio"] < loose["quota_ratio"]
    # Without oversight the cut items come back; with it they stay cut.
    full = pd.concat(last_year, axis=1).mean(axis=1)
    for outcome in ("meetings_per_township", "documents_per_township", "inspections_per_township"):
        assert full[outcome] < loose[outcome], outcome


def test_superiors_relabel_part_of_what_a_quota_cut_and_townships_work_it(make_model):
    for seed in SEEDS:
        loose = make_model(QUOTAS, seed, 1)
        u, townships = loose.state.units, loose.tree.units(TOWNSHIP)
        # Every township gets part of its cut items back under another name.
        assert np.all(u.relabelled[:, townships] > 0.0)
        row = outcomes.timeseries(loose).iloc[0]
        assert 0.0 < row["evasion_share"] < 1.0
        # The relabelled items are worked like the rest: more meeting and document hours, and,
        # since necessary items are among them, less rework from lost coordination.
        honest = make_model({**QUOTAS, "evasion.relabel": 0.0}, seed, 1)
        assert (honest.state.units.relabelled == 0.0).all()
        row0 = outcomes.timeseries(honest).iloc[0]
        assert row0["evasion_share"] == 0.0
        for kind in ("hours_meetings", "hours_documents"):  # inspections held are Poisson draws
            assert row[kind] > row0[kind], (seed, kind)
        tw, tw0 = loose.state.townships, honest.state.townships
        assert np.all(tw.rework <= tw0.rework) and np.any(tw.rework < tw0.rework)
        # Without a quota nothing is cut and nothing is relabelled.
        assert outcomes.timeseries(make_model({}, seed, 1)).iloc[0]["evasion_share"] == 0.0


def test_imperfect_oversight_deters_part_of_the_evasion_but_not_all(outcome_means):
    loose = outcome_means(QUOTAS, seeds=SEEDS, steps=52, last=26)
    watched = outcome_means({**QUOTAS, "oversight.strength": 1.0}, seeds=SEEDS, steps=52, last=26)
    assert 0.0 < watched["evasion_share"] < loose["evasion_share"]
    assert 1.0 < watched["quota_ratio"] < loose["quota_ratio"]


def test_the_oversight_only_scenario_changes_nothing_but_lever_cost_where_nothing_evades(
    make_scenario,
):
    # No quota to evade and no county pushing work down: the body finds nothing to catch.
    spec = sim.load_scenario(SCENARIO_DIR / "oversight_only.toml")
    strength, cost = spec.params["oversight.strength"], spec.params["oversight.cost_hours"]
    assert strength > 0
    honest = {"devolution.pushdown": 0.0}
    for seed in SEEDS:
        over = sim.GovernanceModel(make_scenario({**honest, **spec.overrides}), rng=seed)
        base = sim.GovernanceModel(make_scenario(honest), rng=seed)
        over.run_for(40)
        base.run_for(40)
        ts, ts0 = outcomes.timeseries(over), outcomes.timeseries(base)
        others = [c for c in ts.columns if c != "lever_cost"]
        pd.testing.assert_frame_equal(ts[others], ts0[others], check_exact=True)
        assert (ts0["lever_cost"] == 0.0).all()
        assert np.allclose(ts["lever_cost"], strength * cost)
        assert np.array_equal(over.state.staff.anxiety, base.state.staff.anxiety)


# ---- assessment mode and indicators (结果考核, 省级限权 压缩考核指标) ----------------------------
@pytest.mark.parametrize("mode", ["result", "result_campaigns"])
def test_result_assessment_lightens_inspection_preparation_by_its_equation(make_model, mode):
    f = sim.Parameters().formal
    w = 0.0 if mode == "result" else sim.Parameters().assessment.campaign_process_weight
    for seed in SEEDS:
        process = first_week(make_model, {}, seed)
        result = first_week(make_model, {"assessment.mode": mode}, seed)
        # Same inspections in week 1; each costs w + (1 - w) * result_prep_share as much.
        factor = w + (1.0 - w) * f.result_prep_share
        assert process["hours_inspection_prep"] > 0
        assert result["hours_inspection_prep"] == pytest.approx(
            factor * process["hours_inspection_prep"], rel=1e-9
        )
        assert result["hours_traces"] < process["hours_traces"]


def test_result_assessment_leaves_only_necessary_traces(make_model):
    t0 = sim.Parameters()["formal.trace_necessary"]
    for seed in SEEDS:
        result = outcomes.timeseries(make_model({"assessment.mode": "result"}, seed, 26))
        process = outcomes.timeseries(make_model({}, seed, 26))
        # Without process scoring, anxiety adds no trace-leaving: traces = t0 * substantive.
        assert np.allclose(result["hours_traces"], t0 * result["hours_substantive"])
        assert (process["hours_traces"] > t0 * process["hours_substantive"]).all()


def test_result_assessment_lowers_trace_and_preparation_hours(outcome_means):
    result = outcome_means({"assessment.mode": "result"}, seeds=SEEDS, steps=52)
    campaigns = outcome_means({"assessment.mode": "result_campaigns"}, seeds=SEEDS, steps=52)
    process = outcome_means({}, seeds=SEEDS, steps=52)
    for outcome in ("hours_traces", "hours_inspection_prep"):
        assert result[outcome] < campaigns[outcome] < process[outcome], outcome


def test_fewer_indicators_scale_preparation_by_the_elasticity(make_model):
    p = sim.Parameters()
    count = 30
    factor = (count / p["indicators.reference"]) ** p["indicators.elasticity"]
    for seed in SEEDS:
        many = first_week(make_model, {}, seed)
        few = first_week(make_model, {"indicators.count": count}, seed)
        assert few["hours_inspection_prep"] == pytest.approx(
            factor * many["hours_inspection_prep"], rel=1e-9
        )


def test_fewer_indicators_lower_preparation_and_trace_hours(outcome_means):
    many = outcome_means({}, seeds=SEEDS, steps=52)
    few = outcome_means({"indicators.count": 30}, seeds=SEEDS, steps=52)
    fewest = outcome_means({"indicators.count": 5}, seeds=SEEDS, steps=52)
    for outcome in ("hours_inspection_prep", "hours_traces"):
        assert fewest[outcome] < few[outcome] < many[outcome], outcome


# ---- fault tolerance (容错) ----------------------------------------------------------------------
def _events_and_detections(make_scenario, overrides, seed, steps):
    """Accountability events and detected errors of township officials other than heads (their
    events come from detected errors only), summed over the run."""

    def watch(model):
        st = model.state.staff
        staff = ~st.is_head
        return st.events[staff].sum(), st.detected[staff].sum()

    _, seen = step_and_watch(make_scenario, overrides, seed, steps, watch)
    events, detected = np.array(seen).sum(axis=0)
    return events, detected


def test_full_tolerance_of_honest_errors_removes_every_error_driven_event(make_scenario):
    world = {
        "accountability.honest_share": 1.0,
        "accountability.bottom_rank": 0.0,
        "accountability.per_error": 0.5,
    }

    def watch(model):
        return model.state.staff.detected.sum(), model.state.staff.events.sum()

    strict_events = 0.0
    for seed in SEEDS:
        _, strict = step_and_watch(make_scenario, world, seed, 26, watch)
        strict_events += np.array(strict).sum(axis=0)[1]
        tolerant, seen = step_and_watch(
            make_scenario, {**world, "fault_tolerance.share": 1.0}, seed, 26, watch
        )
        detected, events = np.array(seen).sum(axis=0)
        assert detected > 0  # errors are still found ...
        assert events == 0  # ... but none is punished
        assert np.all(tolerant.state.units.record == 0.0)  # leaders are not held to account
    assert strict_events > 0


def test_fault_tolerance_lowers_events_per_detected_error(make_scenario):
    world = {"accountability.per_error": 0.5}
    strict = np.zeros(2)
    tolerant = np.zeros(2)
    for seed in SEEDS:
        strict += _events_and_detections(make_scenario, world, seed, 104)
        tolerant += _events_and_detections(
            make_scenario, {**world, "fault_tolerance.share": 0.8}, seed, 104
        )
    assert strict[1] > 0 and tolerant[1] > 0
    assert tolerant[0] / tolerant[1] < strict[0] / strict[1]


def test_fault_tolerance_lowers_accountability_events_and_anxiety(outcome_means):
    strict = outcome_means({}, seeds=SEEDS, steps=104, last=52)
    tolerant = outcome_means({"fault_tolerance.share": 0.8}, seeds=SEEDS, steps=104, last=52)
    assert tolerant["accountability_events"] < strict["accountability_events"]
    assert tolerant["anxiety_township"] < strict["anxiety_township"]


# ---- bottom-up evaluation (以下考上) -------------------------------------------------------------
def test_bottom_up_evaluation_makes_superiors_restrain_themselves(make_model):
    for seed in SEEDS:
        none = make_model({}, seed=seed, steps=26)
        rated = make_model({"bottom_up.weight": 1.0}, seed=seed, steps=26)
        leaders = slice(0, none.tree.starts[TOWNSHIP])
        townships = none.tree.units(TOWNSHIP)
        assert np.all(none.state.units.restraint == 0.0)
        restraint = rated.state.units.restraint
        assert np.all((restraint[leaders] > 0.0) & (restraint[leaders] < 1.0))
        assert np.all(restraint[townships] == 0.0)  # townships have no one below to rate them


def test_bottom_up_evaluation_acts_only_through_learned_restraint(make_model):
    # Restraint starts at zero and is learned at the end of each week: week 1 is unchanged.
    for seed in SEEDS:
        none = first_week(make_model, {}, seed)
        rated = first_week(make_model, {"bottom_up.weight": 1.0}, seed)
        pd.testing.assert_series_equal(none, rated, check_exact=True)


def test_bottom_up_evaluation_lowers_meetings_and_documents_received(outcome_means):
    none = outcome_means({}, seeds=SEEDS, steps=52)
    rated = outcome_means({"bottom_up.weight": 1.0}, seeds=SEEDS, steps=52)
    for outcome in ("meetings_per_township", "documents_per_township"):
        assert rated[outcome] < none[outcome], outcome


def test_anonymous_ratings_teach_more_restraint_at_their_cost(make_model):
    signed_cost = anon_cost = None
    for seed in SEEDS:
        signed = make_model({"bottom_up.weight": 1.0}, seed=seed, steps=26)
        anon = make_model({"bottom_up.weight": 1.0, "bottom_up.anonymity": 1.0}, seed, 26)
        leaders = slice(0, signed.tree.starts[TOWNSHIP])
        # Week 1 is the same world: after it, anonymous raters report the whole burden.
        assert np.all(anon.state.units.restraint[leaders] > signed.state.units.restraint[leaders])
        signed_cost = outcomes.timeseries(signed)["lever_cost"]
        anon_cost = outcomes.timeseries(anon)["lever_cost"]
        assert (signed_cost == 0.0).all()
        assert np.allclose(anon_cost, DEFAULT["bottom_up.anonymity_cost_hours"])


def test_anonymity_without_ratings_changes_nothing_but_cost(make_model):
    base = outcomes.timeseries(make_model({}, steps=20))
    anon = outcomes.timeseries(make_model({"bottom_up.anonymity": 1.0}, steps=20))
    others = [c for c in base.columns if c != "lever_cost"]
    pd.testing.assert_frame_equal(base[others], anon[others], check_exact=True)


# ---- devolution (县级放权: 事权, 人权, 财权) -----------------------------------------------------
def test_devolving_tasks_adds_exactly_the_devolved_task_hours(make_model):
    # Nothing pushed down informally and tasks handed out equally: only formal devolution acts.
    share, plain = 0.5, {"devolution.pushdown": 0.0, "allocation.capable_bias": 0.0}
    for seed in SEEDS:
        none = make_model(plain, seed=seed, steps=1)
        dev = make_model({**plain, "devolution.tasks": share}, seed=seed, steps=1)
        hours = dev.params["devolution.task_hours"]
        extra = dev.state.townships.tasks - none.state.townships.tasks
        assert np.allclose(extra, share * hours * dev.tree.posts)


def test_devolving_tasks_raises_township_hours_and_overtime(outcome_means):
    none = outcome_means({}, seeds=SEEDS, steps=26)
    dev = outcome_means({"devolution.tasks": 1.0}, seeds=SEEDS, steps=26)
    assert dev["township_hours"] > none["township_hours"]
    assert dev["overtime_hours"] > none["overtime_hours"]


def test_personnel_authority_shortens_the_replacement_lag():
    base, speedup = DEFAULT["turnover.replacement_weeks"], DEFAULT["devolution.refill_speedup"]
    assert replacement_weeks(base, 0.0, speedup) == base
    lags = [replacement_weeks(base, a, speedup) for a in np.linspace(0, 1, 11)]
    assert all(later <= earlier for earlier, later in itertools.pairwise(lags))
    assert lags[-1] == round(base * (1 - speedup)) < base
    assert replacement_weeks(base, 1.0, 1.0) == 0


@pytest.mark.parametrize("personnel", [0.0, 0.5, 1.0])
def test_vacated_posts_wait_the_replacement_lag_of_the_personnel_authority(make_model, personnel):
    # Exhausted officials quit in the first week; their posts wait for a replacement.
    exhausted = {
        "burnout.initial": 0.98,
        "burnout.initial_spread": 0.0,
        "turnover.quit_probability": 1.0,
        "turnover.leave_probability": 0.0,
        "devolution.personnel": personnel,
    }
    model = make_model(exhausted, seed=1, steps=1)
    st, p = model.state.staff, model.params
    vacant = st.status == Status.VACANT
    assert vacant.any()
    lag = replacement_weeks(
        p["turnover.replacement_weeks"], personnel, p["devolution.refill_speedup"]
    )
    assert np.all(st.timer[vacant] == lag)


def test_temporary_hires_need_both_personnel_and_financial_authority(make_model):
    overloaded = {"devolution.tasks": 1.0}  # townships well over the standard week
    for seed in SEEDS:
        both = make_model(
            {**overloaded, "devolution.personnel": 1.0, "devolution.finance": 1.0}, seed, 26
        )
        tw, posts = both.state.townships, both.tree.posts
        assert np.all(tw.temp_staff > 0.0)
        assert np.all(tw.temp_staff <= both.params["staffing.temp_max_share"] * posts + 1e-12)
        for alone in ("devolution.personnel", "devolution.finance"):
            model = make_model({**overloaded, alone: 1.0}, seed, 26)
            assert np.all(model.state.townships.temp_staff == 0.0), alone


def test_financial_authority_costs_its_reward_budget(make_model):
    share = 0.5
    for seed in SEEDS:
        model = make_model(
            {"devolution.finance": share, "devolution.services_share": 0.0}, seed, 20
        )
        ts = outcomes.timeseries(model)
        budget = share * model.params["devolution.reward_hours"] * model.tree.posts.mean()
        # Without personnel authority there are no temporary hires, and no services are
        # bought: the reward budget is the cost.
        assert np.allclose(ts["lever_cost"], budget)


def test_financial_authority_lowers_anxiety_through_what_it_pays_for(outcome_means):
    none = outcome_means({}, seeds=SEEDS, steps=52)
    funded = outcome_means({"devolution.finance": 1.0}, seeds=SEEDS, steps=52)
    assert funded["anxiety_township"] < none["anxiety_township"]


def test_financial_authority_acts_only_through_rewards_and_services(make_model):
    # Money a township neither pays as rewards nor spends on services changes nothing but the
    # bill: no relief constant stands in for what it buys.
    unbuffered = {"effort.reward": 0.0, "devolution.services_share": 0.0}
    for seed in SEEDS:
        none = outcomes.timeseries(make_model(unbuffered, seed, 26))
        funded = outcomes.timeseries(
            make_model({**unbuffered, "devolution.finance": 1.0}, seed, 26)
        )
        others = [c for c in none.columns if c != "lever_cost"]
        pd.testing.assert_frame_equal(none[others], funded[others], check_exact=True)
        assert (funded["lever_cost"] > 0).all()


# ---- digital platforms and the data bureau (技术赋能, 数据局) ------------------------------------
@pytest.mark.parametrize("count", [0, 2, 8, 20])
def test_each_platform_costs_every_official_its_check_in_hours(make_model, count):
    # No launches: the week's platforms are the first count less the week's retirements.
    row = first_week(make_model, {"platforms.count": count, "platforms.launch": 0.0})
    in_use = count * (1.0 - 1.0 / DEFAULT["platforms.life_weeks"])
    assert row["hours_platforms"] == pytest.approx(
        in_use * DEFAULT["platforms.checkin_hours"], rel=1e-12
    )


def test_more_platforms_raise_platform_hours_and_pure_formalism(outcome_means):
    few = outcome_means({"platforms.count": 4}, seeds=SEEDS, steps=26)
    usual = outcome_means({}, seeds=SEEDS, steps=26)
    many = outcome_means({"platforms.count": 20}, seeds=SEEDS, steps=26)
    for outcome in ("hours_platforms", "hours_pure_formalism"):
        assert few[outcome] < usual[outcome] < many[outcome], outcome


@pytest.mark.parametrize("saved", [0.2, 0.5])
def test_time_saving_tools_cut_data_hours_by_the_share_saved(make_model, saved):
    for seed in SEEDS:
        none = first_week(make_model, {}, seed)
        tooled = first_week(make_model, {"platforms.time_saved": saved}, seed)
        assert tooled["data_requests_per_township"] == none["data_requests_per_township"]
        assert tooled["hours_data"] == pytest.approx((1 - saved) * none["hours_data"], rel=1e-9)


def test_time_saving_tools_lower_data_hours_over_time(outcome_means):
    none = outcome_means({}, seeds=SEEDS, steps=26)
    tooled = outcome_means({"platforms.time_saved": 0.2}, seeds=SEEDS, steps=26)
    assert tooled["hours_data"] < none["hours_data"]
    assert tooled["township_hours"] < none["township_hours"]


@pytest.mark.parametrize("merge", [0.5, 1.0])
def test_the_data_bureau_merges_requests_at_once_and_platforms_with_a_lag(make_model, merge):
    d = DEFAULT
    quiet = {"platforms.launch": 0.0}  # a fixed count, so the first week can be computed
    for seed in SEEDS:
        none = first_week(make_model, quiet, seed)
        model = make_model({**quiet, "data_bureau.merge": merge}, seed=seed, steps=1)
        bureau = outcomes.timeseries(model).iloc[0]
        kept = 1.0 - merge * d["data_bureau.duplicate_share"]
        assert bureau["data_requests_per_township"] == pytest.approx(
            kept * none["data_requests_per_township"], rel=1e-12
        )
        # Platforms: the first week folds in a lag's share of the surplus, within the capacity.
        in_use = d["platforms.count"] * (1.0 - 1.0 / d["platforms.life_weeks"])
        surplus = merge * (in_use - d["platforms.necessary"])
        folded = min(
            surplus / d["data_bureau.consolidation_weeks"], merge * d["data_bureau.capacity"]
        )
        assert np.allclose(model.state.townships.consolidated, folded, rtol=1e-12)
        assert bureau["hours_platforms"] == pytest.approx(
            (in_use - folded) * d["platforms.checkin_hours"], rel=1e-12
        )
        assert bureau["hours_platforms"] < none["hours_platforms"]
        assert bureau["lever_cost"] == pytest.approx(merge * d["data_bureau.cost_hours"])


def test_a_bureau_without_capacity_merges_requests_but_folds_no_platform(outcome_means):
    none = outcome_means({}, seeds=SEEDS, steps=26)
    idle = outcome_means(
        {"data_bureau.merge": 1.0, "data_bureau.capacity": 0.0}, seeds=SEEDS, steps=26
    )
    assert idle["data_requests_per_township"] < none["data_requests_per_township"]
    assert idle["platforms_per_township"] == pytest.approx(none["platforms_per_township"], rel=0.05)


def test_the_data_bureau_lowers_data_requests_and_platform_hours_over_time(outcome_means):
    none = outcome_means({}, seeds=SEEDS, steps=52)
    bureau = outcome_means({"data_bureau.merge": 1.0}, seeds=SEEDS, steps=52)
    for outcome in ("data_requests_per_township", "hours_data", "hours_platforms"):
        assert bureau[outcome] < none[outcome], outcome


# ---- staffing, allocation, secondment ------------------------------------------------------------
def test_workload_following_staffing_adds_paid_staff_under_overload(make_model):
    for seed in SEEDS:
        model = make_model({"staffing.follow_workload": 1.0}, seed, 52)
        tw = model.state.townships
        assert np.all(tw.added_staff > 0.0)
        ts = outcomes.timeseries(model)
        # The added staff are the whole cost of the lever, at the standard week each.
        assert ts["lever_cost"].iloc[-1] == pytest.approx(
            tw.added_staff.mean() * model.params["work.standard_hours"], rel=1e-12
        )
        assert (ts["lever_cost"].iloc[1:] > 0).all()


def test_workload_following_staffing_adds_nobody_without_overload(make_model):
    idle = {
        "staffing.follow_workload": 1.0,
        "demand.citizen_hours": 0.0,
        "demand.task_hours": 0.0,
    }
    model = make_model(idle, seed=1, steps=26)
    assert np.all(model.state.townships.added_staff == 0.0)
    assert (outcomes.timeseries(model)["lever_cost"] == 0.0).all()


def test_workload_following_staffing_lowers_township_hours(outcome_means):
    none = outcome_means({}, seeds=SEEDS, steps=52, last=26)
    follow = outcome_means({"staffing.follow_workload": 1.0}, seeds=SEEDS, steps=52, last=26)
    assert follow["township_hours"] < none["township_hours"]


def test_fair_allocation_lowers_workload_inequality(make_model, outcome_means):
    for seed in SEEDS:  # same officials, same week: a lower exponent spreads work more evenly
        fair = first_week(make_model, {"allocation.capable_bias": 1.0}, seed)
        piled = first_week(make_model, {"allocation.capable_bias": 2.0}, seed)
        assert fair["workload_gini"] < piled["workload_gini"]
    fair = outcome_means({"allocation.capable_bias": 1.0}, seeds=SEEDS, steps=26)
    piled = outcome_means({"allocation.capable_bias": 2.0}, seeds=SEEDS, steps=26)
    equal = outcome_means({"allocation.capable_bias": 0.0}, seeds=SEEDS, steps=26)
    assert equal["workload_gini"] == pytest.approx(0.0, abs=1e-12)
    assert equal["workload_gini"] < fair["workload_gini"] < piled["workload_gini"]
    # Equal work (g = 0) breaks the link between competence and work; g = 1 (equal hours)
    # still gives the competent proportionally more work, so its correlation stays high.
    assert equal["competence_workload_corr"] < fair["competence_workload_corr"] - 0.5


@pytest.mark.parametrize(("staff", "standard"), [(0.5, 40.0), (2.0, 40.0), (2.0, 35.0)])
def test_secondment_costs_exactly_the_seconded_staff_hours(make_model, staff, standard):
    world = {"work.standard_hours": standard}
    seconded = outcomes.timeseries(make_model({**world, "secondment.staff": staff}, 1, 12))
    none = outcomes.timeseries(make_model(world, 1, 12))
    assert (none["lever_cost"] == 0.0).all()
    assert np.allclose(seconded["lever_cost"], staff * standard)


def test_secondment_lowers_township_hours(outcome_means):
    none = outcome_means({}, seeds=SEEDS, steps=26)
    seconded = outcome_means({"secondment.staff": 2.0}, seeds=SEEDS, steps=26)
    assert seconded["township_hours"] < none["township_hours"]


# ---- joint enforcement (联合执法, 首接负责) ------------------------------------------------------
def test_joint_enforcement_merges_the_inspecting_lines(make_model):
    share = 0.8
    for seed in SEEDS:
        none = make_model({}, seed, 1)
        joint = make_model({"joint_enforcement.share": share}, seed, 1)
        rows = none.tree.units(CITY)  # inspected by the province only: no pre-inspections yet
        lines = none.tree.departments[PROVINCE]
        merged = lines * (1 - share) + share
        assert np.allclose(
            joint.state.units.received[Item.INSPECTIONS, rows],
            merged / lines * none.state.units.received[Item.INSPECTIONS, rows],
        )
        below = below_province(none)
        assert np.all(
            joint.state.units.received[Item.INSPECTIONS, below]
            < none.state.units.received[Item.INSPECTIONS, below]
        )
        # One window (首接负责) also cuts the overhead of handing work between offices.
        assert np.all(joint.state.townships.work < none.state.townships.work)


def test_joint_enforcement_lowers_inspections_held(outcome_means):
    none = outcome_means({}, seeds=SEEDS, steps=26)
    joint = outcome_means({"joint_enforcement.share": 0.8}, seeds=SEEDS, steps=26)
    assert joint["inspections_per_township"] < none["inspections_per_township"]
    assert joint["hours_inspection_prep"] < none["hours_inspection_prep"]


# ---- the promotion tournament (晋升锦标赛) -------------------------------------------------------
def test_a_milder_tournament_lowers_anxiety_at_every_level(outcome_means):
    usual = outcome_means({}, seeds=SEEDS, steps=104, last=52)
    mild = outcome_means({"tournament.intensity": 0.3}, seeds=SEEDS, steps=104, last=52)
    for level in (*LEADER_LEVELS, "anxiety_township"):
        assert mild[level] < usual[level], level


# ---- the scenario library: lever settings, not tweaks --------------------------------------------
@pytest.mark.parametrize("path", LIBRARY, ids=[p.stem for p in LIBRARY])
def test_library_scenarios_change_levers_only(path):
    spec = sim.load_scenario(path)
    assert spec.description.strip()
    parent = sim.load_scenario(SCENARIO_DIR / spec.bases[0]) if spec.bases else sim.Scenario("none")
    changed = {k for k in CATALOGUE if spec.params[k] != parent.params[k]}
    not_levers = sorted(k for k in changed if not CATALOGUE[k].is_lever)
    assert not not_levers, f"{path.name} changes behaviour, not levers: {not_levers}"
    assert all(CATALOGUE[k].is_lever for k in spec.overrides)
    if spec.name != "baseline":
        assert changed, f"{path.name} sets nothing its base does not already set"


def test_the_library_covers_every_lever_group():
    groups = set()
    for path in LIBRARY:
        groups |= {CATALOGUE[k].group for k in sim.load_scenario(path).overrides}
    assert groups == set(sim.params.LEVER_GROUPS)


def test_the_combination_punch_lowers_hours_and_pure_formalism(outcome_means):
    punch = dict(sim.load_scenario(SCENARIO_DIR / "combination_punch.toml").overrides)
    base = outcome_means({}, seeds=SEEDS, steps=52)
    combined = outcome_means(punch, seeds=SEEDS, steps=52)
    assert combined["township_hours"] < base["township_hours"]
    assert combined["hours_pure_formalism"] < base["hours_pure_formalism"]


def test_failure_modes_are_worse_than_their_remedies(outcome_means):
    def scenario(name):
        return dict(sim.load_scenario(SCENARIO_DIR / f"{name}.toml").overrides)

    loose = outcome_means(scenario("quota_cut_no_oversight"), seeds=SEEDS, steps=104, last=52)
    held = outcome_means(scenario("quota_cut_with_oversight"), seeds=SEEDS, steps=104, last=52)
    assert 1.0 < held["quota_ratio"] < loose["quota_ratio"]
    assert held["data_requests_per_township"] < loose["data_requests_per_township"]
    assert held["evasion_share"] < loose["evasion_share"]
    tasks = outcome_means(scenario("devolve_tasks_only"), seeds=SEEDS, steps=52)
    full = outcome_means(scenario("devolve_full"), seeds=SEEDS, steps=52)
    assert full["anxiety_township"] < tasks["anxiety_township"]
    assert full["lever_cost"] > tasks["lever_cost"] == 0.0  # the remedy is paid for
    overload = outcome_means(scenario("platform_overload"), seeds=SEEDS, steps=26)
    merged = outcome_means(
        {**scenario("platform_overload"), **scenario("data_bureau")}, seeds=SEEDS, steps=26
    )
    assert merged["hours_platforms"] < overload["hours_platforms"]
