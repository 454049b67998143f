"""Outcomes: the public names, the statistics behind them and run summaries."""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim import outcomes
from sim.observe import gini, percentiles, township_gini, weighted_corr
from sim.outcomes import BY_NAME, NAMES, summarise
from sim.state import HOUR_KINDS, Status

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


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0.0, 100.0), min_size=1, max_size=60),
    st.floats(0.0, 50.0),
    st.floats(50.0, 100.0),
)
def test_percentiles_are_numpys_to_the_last_bit(values, low, high):
    x = np.array(values)
    assert percentiles(x, low, high) == tuple(np.percentile(x, [low, high]).tolist())
    assert np.array_equal(x, np.array(values))  # the caller's array is left alone


@pytest.mark.parametrize("n", [1, 2, 9, 10, 11, 1_000, 20_001])
@pytest.mark.parametrize("distinct", [1, 3, 50, None])
def test_percentiles_of_many_values_and_many_ties(n, distinct):
    # Hours at the weekly maximum repeat for many officials: the partial sorts must keep such
    # ties balanced and still find numpy's order statistics exactly.
    rng = np.random.default_rng(n)
    x = rng.random(n) * 60.0 if distinct is None else rng.integers(0, distinct, n) * 7.5
    for low, high in ((10.0, 90.0), (0.0, 100.0), (50.0, 50.0), (33.3, 33.4)):
        assert percentiles(x, low, high) == tuple(np.percentile(x, [low, high]).tolist())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.0, 60.0), min_size=0, max_size=40), st.integers(0, 2**32 - 1))
def test_township_gini_equals_gini_of_each_townships_masked_values(values, seed):
    x = np.array([*values, 1.0])
    rng = np.random.default_rng(seed)
    mask = rng.random(x.size) < 0.8
    heads = np.flatnonzero(np.r_[True, rng.random(x.size - 1) < 0.3])
    bounds = np.r_[heads, x.size]
    expected = [gini(x[lo:hi][mask[lo:hi]]) for lo, hi in itertools.pairwise(bounds)]
    assert township_gini(x, mask, heads).tolist() == expected


def test_township_gini_uses_only_masked_entries_of_each_township():
    values = np.array([1.0, 2.0, 3.0, 4.0, 0.0, 0.0, 0.0, 9.0, 7.0, 1.0, 2.0, 3.0, 5.0, 6.0])
    mask = np.array([True] * 8 + [True, False, False, False] + [True, False])
    heads = np.array([0, 4, 8, 12])  # the last township has two posts
    assert np.allclose(township_gini(values, mask, heads), [0.25, 0.75, 0.0, 0.0])
    drop = np.array([True, True, True, False])
    assert township_gini(values[:4], drop, heads[:1])[0] == pytest.approx(
        gini(np.array([1.0, 2.0, 3.0]))
    )


def test_correlation_over_the_masked_entries():
    a = np.array([1.0, 2.0, 3.0, 4.0])
    every = np.ones(4, dtype=bool)
    assert weighted_corr(a, 2 * a + 1, every) == pytest.approx(1.0)
    assert weighted_corr(a, -a, every) == pytest.approx(-1.0)
    assert weighted_corr(a, np.ones(4), every) == 0.0
    # A masked entry is left out: the remaining three are perfectly correlated.
    b = np.array([1.0, 2.0, 3.0, -50.0])
    assert weighted_corr(a, b, np.array([True, True, True, False])) == pytest.approx(1.0)
    assert weighted_corr(a, b, every) < 0.0


def test_summarise_takes_trailing_means_and_final_values():
    ts = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [0.0, 0.0, 10.0, 20.0]})
    got = summarise(ts, 2)
    assert got == {"x": 3.5, "y": 15.0, "x_final": 4.0, "y_final": 20.0}
    assert summarise(ts, 10)["x"] == 2.5


# ---- reporters on a model with officials on leave and posts vacant ------------------------------
# Fatigued officials who leave and quit often, come back soon and are replaced soon: within a few
# weeks every kind of post below exists at once, so a reporter averaging over the wrong officials
# gives a different number.
TURNOVER = {
    "hierarchy.preset": "classroom",
    "run.policy_start": 0,
    "burnout.initial": 0.8,
    "burnout.initial_spread": 0.1,
    "turnover.leave_threshold": 0.65,
    "turnover.leave_probability": 0.3,
    "turnover.quit_probability": 0.3,
    "turnover.leave_weeks": 2,
    "turnover.replacement_weeks": 2,
    # Errors found and punished often enough that errors and events differ by population too.
    "errors.base_rate": 0.5,
    "inspection.detection": 0.8,
    "accountability.per_error": 1.0,
}
SUBSTANTIVE = HOUR_KINDS.index("substantive")


class Run(NamedTuple):
    model: sim.GovernanceModel
    before: np.ndarray  # status of every post during the last week's work, before its turnover


def kinds_of_post(run: Run) -> dict[str, np.ndarray]:
    """Posts by status during the last week's work and status now (leave and quits happen at
    the week's end, after the work)."""
    was, now = run.before, run.model.state.staff.status
    return {
        "worked, still active": (was == Status.ACTIVE) & (now == Status.ACTIVE),
        "worked, then went on leave": (was == Status.ACTIVE) & (now == Status.LEAVE),
        "worked, then quit": (was == Status.ACTIVE) & (now == Status.VACANT),
        "on leave all week": (was == Status.LEAVE) & (now == Status.LEAVE),
        "vacant all week": (was == Status.VACANT) & (now == Status.VACANT),
        "back from leave or newly hired": (was != Status.ACTIVE) & (now == Status.ACTIVE),
    }


@pytest.fixture(scope="module")
def run() -> Run:
    """A classroom run stopped after the first week in which every kind of post exists."""
    model = sim.GovernanceModel(sim.Scenario.from_overrides(TURNOVER), rng=1)
    for _ in range(52):
        before = model.state.staff.status.copy()
        model.step()
        found = Run(model, before)
        st_ = model.state.staff
        punished = (st_.errors > 0).any() and (st_.events > 0).any()
        if punished and all(rows.any() for rows in kinds_of_post(found).values()):
            return found
    counts = {kind: int(rows.sum()) for kind, rows in kinds_of_post(found).items()}
    pytest.fail(f"no week of 52 had every kind of post and a punished error: {counts}")


@pytest.fixture(scope="module")
def model(run) -> sim.GovernanceModel:
    return run.model


def populations(run: Run) -> dict[str, np.ndarray]:
    """The officials an outcome could average over, computed from status alone."""
    now = run.model.state.staff.status
    return {
        "worked": run.before == Status.ACTIVE,
        "in post": now != Status.VACANT,
        "active now": now == Status.ACTIVE,
        "every post": np.ones(now.size, dtype=bool),
    }


def report(m, name):
    return BY_NAME[name].report(m)


def staff_means(m, rows: np.ndarray) -> dict[str, float]:
    """Each outcome that averages over officials, computed over ``rows`` only."""
    st_ = m.state.staff
    hours = st_.hours[:, rows]
    total = hours.sum(axis=0)
    formal = total - hours[SUBSTANTIVE]
    standard = m.params["work.standard_hours"]
    means = {
        "township_hours": total.mean(),
        "overtime_hours": np.maximum(total - standard, 0.0).mean(),
        "hours_pure_formalism": st_.pure[rows].mean(),
        "hours_necessary_formal": (formal - st_.pure[rows]).mean(),
        "hours_excess_substantive": np.maximum(total - st_.pure[rows] - standard, 0.0).mean(),
        "formalism_share": formal.sum() / total.sum(),
        "anxiety_township": st_.anxiety[rows].mean(),
        "errors": 100 * st_.errors[rows].mean(),
        "accountability_events": 100 * st_.events[rows].mean(),
        "competence_workload_corr": np.corrcoef(st_.competence[rows], st_.assigned[rows])[0, 1],
        "competence_accountability_corr": np.corrcoef(st_.competence[rows], st_.record[rows])[0, 1],
    }
    for k, kind in enumerate(HOUR_KINDS):
        name = {"inspections": "hours_inspection_prep"}.get(kind, f"hours_{kind}")
        means[name] = hours[k].mean()
    # Gini by the mean absolute difference, per township over ``rows``, then averaged.
    ginis = []
    for t in range(m.tree.n_townships):
        x = st_.assigned[rows & (st_.township == t)]
        ok = x.size > 1 and x.sum() > 0
        ginis.append(
            np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean()) if ok else 0
        )
    means["workload_gini"] = np.mean(ginis)
    return {name: float(value) for name, value in means.items()}


def burnout_share(m, rows: np.ndarray) -> float:
    return float((m.state.staff.fatigue[rows] > m.params["burnout.threshold"]).mean())


# Outcomes that are means over township officials (docs/ODD.md section 8: those who worked).
OVER_STAFF = (
    "anxiety_township",
    "township_hours",
    "overtime_hours",
    "hours_pure_formalism",
    "hours_necessary_formal",
    "hours_excess_substantive",
    "hours_substantive",
    "hours_meetings",
    "hours_documents",
    "hours_data",
    "hours_platforms",
    "hours_inspection_prep",
    "hours_traces",
    "formalism_share",
    "errors",
    "accountability_events",
    "workload_gini",
    "competence_workload_corr",
    "competence_accountability_corr",
)


def test_the_fixture_tells_every_population_apart(run):
    # Each outcome over the officials who worked differs from the same statistic over any other
    # population, and so does burnout over those in post: a reporter that took the wrong
    # officials could not pass the tests below.
    m, pops = run.model, populations(run)
    for name, rows in pops.items():
        for other, rows2 in pops.items():
            assert name == other or not np.array_equal(rows, rows2), (name, other)
    right = staff_means(m, pops["worked"])
    assert set(right) == set(OVER_STAFF)
    for other in ("in post", "active now", "every post"):
        wrong = staff_means(m, pops[other])
        same = [n for n in OVER_STAFF if wrong[n] == pytest.approx(right[n])]
        if other == "every post":
            # A ratio of hours summed over officials: posts without hours add nothing to it.
            same.remove("formalism_share")
        assert not same, f"these outcomes are the same over {other!r} and 'worked': {same}"
    for other in ("worked", "active now", "every post"):
        assert burnout_share(m, pops[other]) != pytest.approx(burnout_share(m, pops["in post"]))


def test_worked_records_who_was_active_during_the_week(run):
    st_ = run.model.state.staff
    assert np.array_equal(st_.worked, run.before == Status.ACTIVE)
    # Only those who worked have hours: nobody on leave or in a vacant post works.
    assert np.all(st_.hours.sum(axis=0)[~st_.worked] == 0.0)


@pytest.mark.parametrize("name", OVER_STAFF)
def test_staff_outcomes_are_means_over_the_officials_who_worked_that_week(run, name):
    expected = staff_means(run.model, populations(run)["worked"])[name]
    assert report(run.model, name) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_burnout_counts_every_official_in_post_including_those_on_leave(run):
    m = run.model
    in_post = populations(run)["in post"]
    assert report(m, "burnout") == pytest.approx(burnout_share(m, in_post), rel=1e-12)


def test_shares_and_rates_per_post_count_every_post(run):
    m = run.model
    st_, tw = m.state.staff, m.state.townships
    kinds = kinds_of_post(run)
    n_posts = st_.status.size
    assert report(m, "vacancy_share") == pytest.approx((st_.status == Status.VACANT).mean())
    assert report(m, "leave_share") == pytest.approx((st_.status == Status.LEAVE).mean())
    # A quit empties a post held during the week (its official worked, or was on leave).
    quits = ((run.before != Status.VACANT) & (st_.status == Status.VACANT)).sum()
    assert quits >= kinds["worked, then quit"].sum() > 0
    assert tw.quits.sum() == quits
    assert report(m, "turnover") == pytest.approx(100 * quits / n_posts)
    assert report(m, "backlog_hours") == pytest.approx(tw.backlog.sum() / n_posts)


def test_the_three_burdens_and_the_kinds_add_up(model):
    parts = ("hours_pure_formalism", "hours_necessary_formal", "hours_substantive")
    assert sum(report(model, n) for n in parts) == pytest.approx(report(model, "township_hours"))
    kinds = tuple(f"hours_{kind}" for kind in HOUR_KINDS)
    kinds = tuple(k.replace("hours_inspections", "hours_inspection_prep") for k in kinds)
    assert sum(report(model, n) for n in kinds) == pytest.approx(report(model, "township_hours"))
    assert 0.0 <= report(model, "hours_excess_substantive") <= report(model, "overtime_hours")
    assert report(model, "hours_necessary_formal") >= 0.0


def test_counts_per_township(model):
    tw = model.tree.units(3)
    u = model.state.units
    assert report(model, "meetings_per_township") == pytest.approx(u.received[0, tw].mean())
    assert report(model, "documents_per_township") == pytest.approx(u.received[1, tw].mean())
    assert report(model, "inspections_per_township") == pytest.approx(
        model.state.townships.inspections.mean()
    )


def test_errors_reaching_citizens_and_the_spread_of_hours(run):
    m = run.model
    st_ = m.state.staff
    worked = populations(run)["worked"]
    assert st_.detected[worked].sum() > 0  # the fixture punishes found errors
    unfound = 100 * (st_.errors[worked] - st_.detected[worked]).mean()
    assert report(m, "errors_to_citizens") == pytest.approx(unfound, rel=1e-12)
    assert report(m, "errors_to_citizens") < report(m, "errors")
    total = st_.hours[:, worked].sum(axis=0)
    cap = m.params["work.standard_hours"] + m.params["work.max_overtime"]
    assert report(m, "hours_at_cap_share") == pytest.approx((total >= cap - 1e-9).mean())
    assert report(m, "hours_p10") == pytest.approx(np.percentile(total, 10), rel=1e-12)
    assert report(m, "hours_p90") == pytest.approx(np.percentile(total, 90), rel=1e-12)
    # A mean of equal values may differ from them in the last bit (everyone at the cap, say).
    low, mean, high = (report(m, name) for name in ("hours_p10", "township_hours", "hours_p90"))
    assert low - 1e-9 <= mean <= high + 1e-9


def test_platforms_are_what_officials_check_in_on_after_the_bureau():
    def run(merge: float):
        spec = sim.Scenario.from_overrides(
            {"hierarchy.preset": "classroom", "run.policy_start": 0, "data_bureau.merge": merge}
        )
        model = sim.GovernanceModel(spec, rng=1)
        model.run_for(156)
        return model

    none, bureau = run(0.0), run(1.0)
    for m in (none, bureau):
        tw = m.state.townships
        assert report(m, "platforms_per_township") == pytest.approx(
            np.mean(tw.platforms - tw.consolidated), rel=1e-12
        )
    necessary = sim.Parameters()["platforms.necessary"]
    # Three years of a full bureau leave about the necessary platforms; none leaves them all.
    assert report(bureau, "platforms_per_township") == pytest.approx(necessary, abs=0.5)
    assert report(none, "platforms_per_township") > 3 * necessary


def test_no_levers_no_cost_and_no_quota(model):
    assert report(model, "lever_cost") == 0.0
    assert report(model, "quota_ratio") == 1.0


def test_timeseries_is_indexed_by_week(model):
    ts = outcomes.timeseries(model)
    assert ts.index.name == "week"
    assert list(ts.index) == list(range(1, model.week + 1))
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
