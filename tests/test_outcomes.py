"""Outcomes: the public names, the statistics behind them and run summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim import outcomes
from sim.outcomes import BY_NAME, NAMES, _corr, gini, summarise, within_gini
from sim.state import Status

# docs/ODD.md section 8: a public contract, never to be renamed.
CONTRACT = (
    "anxiety_province",
    "anxiety_city",
    "anxiety_county",
    "anxiety_township",
    "trust_province",
    "trust_city",
    "trust_county",
    "township_hours",
    "overtime_hours",
    "hours_pure_formalism",
    "hours_necessary_formal",
    "hours_excess_substantive",
    "formalism_share",
    "inspections_per_township",
    "meetings_per_township",
    "documents_per_township",
    "data_requests_per_township",
    "service_quality",
    "errors",
    "accountability_events",
    "burnout",
    "turnover",
    "workload_gini",
    "competence_workload_corr",
    "competence_accountability_corr",
    "quota_ratio",
    "lever_cost",
)


def test_the_contract_names_are_all_outcomes():
    assert set(CONTRACT) <= set(NAMES)
    assert len(set(NAMES)) == len(NAMES)
    assert list(outcomes.reporters()) == list(NAMES)
    for o in sim.OUTCOMES:
        assert o.name.isidentifier()
        assert o.unit and o.meaning


# ---- statistics on hand-made arrays ----------------------------------------------------------
def test_gini_on_small_examples():
    assert gini(np.array([2.0, 2.0, 2.0])) == pytest.approx(0.0)
    assert gini(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(0.75)
    assert gini(np.array([1.0, 2.0, 3.0, 4.0])) == pytest.approx(0.25)
    assert gini(np.array([5.0])) == 0.0
    assert gini(np.zeros(3)) == 0.0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0, 1000, allow_nan=False, allow_subnormal=False), min_size=2, max_size=20),
    st.floats(0.1, 10),
)
def test_gini_matches_the_mean_absolute_difference(xs, scale):
    x = np.array(xs)
    if x.sum() <= 0:
        return
    expected = np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean())
    assert gini(x) == pytest.approx(expected, abs=1e-9)
    assert gini(x * scale) == pytest.approx(gini(x), abs=1e-9)  # scale-free
    assert gini(x[::-1]) == pytest.approx(gini(x), abs=1e-9)  # order-free
    assert -1e-12 <= gini(x) <= 1.0


def test_within_gini_uses_only_masked_entries_per_row():
    values = np.array([[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 9.0], [7.0, 1.0, 2.0, 3.0]])
    mask = np.array(
        [[True, True, True, True], [True, True, True, True], [True, False, False, False]]
    )
    assert np.allclose(within_gini(values, mask), [0.25, 0.75, 0.0])
    drop = np.array([[True, True, True, False]])
    assert within_gini(values[:1], drop)[0] == pytest.approx(gini(np.array([1.0, 2.0, 3.0])))


def test_weighted_correlation():
    a = np.array([1.0, 2.0, 3.0, 4.0])
    w = np.full(4, 0.25)
    assert _corr(a, 2 * a + 1, w) == pytest.approx(1.0)
    assert _corr(a, -a, w) == pytest.approx(-1.0)
    assert _corr(a, np.ones(4), w) == 0.0
    # Zero weight removes an entry: the remaining three are perfectly correlated.
    b = np.array([1.0, 2.0, 3.0, -50.0])
    w3 = np.array([1 / 3, 1 / 3, 1 / 3, 0.0])
    assert _corr(a, b, w3) == pytest.approx(1.0)


def test_summarise_takes_trailing_means_and_final_values():
    ts = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [0.0, 0.0, 10.0, 20.0]})
    got = summarise(ts, 2)
    assert got == {"x": 3.5, "y": 15.0, "x_final": 4.0, "y_final": 20.0}
    assert summarise(ts, 10)["x"] == 2.5


# ---- reporters on a model --------------------------------------------------------------------
@pytest.fixture(scope="module")
def model():
    spec = sim.Scenario.from_overrides({"hierarchy.preset": "classroom", "run.policy_start": 0})
    m = sim.GovernanceModel(spec, rng=11)
    m.run_for(30)
    return m


def report(m, name):
    return BY_NAME[name].report(m)


def test_hours_outcomes_are_means_over_active_officials(model):
    st_ = model.state.staff
    active = st_.active
    total = st_.hours.sum(axis=0)[active]
    assert report(model, "township_hours") == pytest.approx(total.mean())
    assert report(model, "overtime_hours") == pytest.approx(np.maximum(total - 40.0, 0).mean())
    assert report(model, "hours_substantive") == pytest.approx(st_.hours[0, active].mean())
    assert report(model, "hours_pure_formalism") == pytest.approx(st_.pure[active].mean())
    assert report(model, "formalism_share") == pytest.approx(
        1 - st_.hours[0, active].sum() / total.sum()
    )


def test_the_three_burdens_and_the_kinds_add_up(model):
    parts = ("hours_pure_formalism", "hours_necessary_formal", "hours_substantive")
    assert sum(report(model, n) for n in parts) == pytest.approx(report(model, "township_hours"))
    kinds = (
        "hours_substantive",
        "hours_meetings",
        "hours_documents",
        "hours_data",
        "hours_platforms",
        "hours_inspection_prep",
        "hours_traces",
    )
    assert sum(report(model, n) for n in kinds) == pytest.approx(report(model, "township_hours"))
    assert 0.0 <= report(model, "hours_excess_substantive") <= report(model, "overtime_hours")
    assert report(model, "hours_necessary_formal") >= 0.0


def test_rates_per_100_and_shares(model):
    st_ = model.state.staff
    active = st_.active
    assert report(model, "errors") == pytest.approx(100 * st_.errors[active].mean())
    assert report(model, "accountability_events") == pytest.approx(100 * st_.events[active].mean())
    assert report(model, "burnout") == pytest.approx(
        (st_.fatigue[active] > model.params.burnout.threshold).mean()
    )
    assert report(model, "vacancy_share") == pytest.approx((st_.status == Status.VACANT).mean())
    assert report(model, "leave_share") == pytest.approx((st_.status == Status.LEAVE).mean())


def test_counts_per_township(model):
    tw = model.tree.units(3)
    u = model.state.units
    assert report(model, "meetings_per_township") == pytest.approx(u.received[0, tw].mean())
    assert report(model, "documents_per_township") == pytest.approx(u.received[1, tw].mean())
    assert report(model, "inspections_per_township") == pytest.approx(
        model.state.townships.inspections.mean()
    )


def test_no_levers_no_cost_and_no_quota(model):
    assert report(model, "lever_cost") == 0.0
    assert report(model, "quota_ratio") == 1.0


def test_timeseries_is_indexed_by_week(model):
    ts = outcomes.timeseries(model)
    assert ts.index.name == "week"
    assert list(ts.index) == list(range(1, 31))
    assert list(ts.columns) == list(NAMES)
    assert ts.iloc[-1]["township_hours"] == pytest.approx(report(model, "township_hours"))


def test_hours_are_averaged_over_the_officials_who_worked_that_week():
    # Everyone starts exhausted and goes on leave at the end of week 1, after working it.
    spec = sim.Scenario.from_overrides(
        {
            "hierarchy.preset": "classroom",
            "burnout.initial": 1.0,
            "burnout.initial_spread": 0.0,
            "burnout.recovery": 0.0,
            "turnover.leave_probability": 1.0,
            "turnover.quit_probability": 0.0,
        }
    )
    m = sim.GovernanceModel(spec, rng=1)
    m.step()
    worked = m.state.staff.hours.sum(axis=0)
    assert worked.min() > 0  # everyone worked week 1
    assert report(m, "township_hours") == pytest.approx(worked.mean())
