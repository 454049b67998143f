"""Platforms are state: departments launch them when anxious and retire them rarely; the data
bureau folds surplus ones in with a lag (docs/ODD.md section 7.6). Classroom preset, levers from
week 0, common seeds."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim import outcomes
from sim.params import CATALOGUE
from sim.rules import digital

SEEDS = (1, 2, 3)
LIFE = CATALOGUE["platforms.life_weeks"].default


def test_without_launches_platforms_retire_at_their_life_rate(make_model):
    model = make_model({"platforms.launch": 0.0}, steps=52)
    count = CATALOGUE["platforms.count"].default
    assert np.allclose(model.state.townships.platforms, count * (1 - 1 / LIFE) ** 52, rtol=1e-12)


def test_each_week_follows_the_launch_rule_from_last_weeks_leaders(make_scenario):
    model = sim.GovernanceModel(make_scenario({}), rng=1)
    model.run_for(10)
    tree, u, tw = model.tree, model.state.units, model.state.townships
    before = tw.platforms.copy()
    anc = tree.township_ancestor
    pressure = sum(
        digital.launch_pressure(u.anxiety[anc[lvl]], u.restraint[anc[lvl]])
        for lvl in range(tree.bottom)
    )
    model.step()
    p = model.params
    expected = digital.platform_step(
        before, pressure / tree.bottom, p["platforms.launch"], p["platforms.life_weeks"]
    )
    assert np.allclose(tw.platforms, expected, rtol=1e-12)


def test_calmer_or_restrained_leaders_launch_fewer_platforms(outcome_means):
    base = outcome_means({}, seeds=SEEDS, steps=156, last=52)
    calm = outcome_means({"anxiety.central_pressure": 0.0}, seeds=SEEDS, steps=156, last=52)
    restrained = outcome_means({"bottom_up.weight": 1.0}, seeds=SEEDS, steps=156, last=52)
    assert calm["platforms_per_township"] < base["platforms_per_township"]
    assert restrained["platforms_per_township"] < base["platforms_per_township"]
    assert calm["hours_platforms"] < base["hours_platforms"]


def test_an_inherited_overload_of_platforms_is_retired_only_slowly(make_model):
    ts = outcomes.timeseries(make_model({"platforms.count": 20}, steps=104))
    count = ts["platforms_per_township"]
    assert count.iloc[0] > 19.5
    assert np.all(np.diff(count) < 0)
    # Two years on, more than half the surplus over the settled count is still there.
    settled = outcomes.timeseries(make_model({}, steps=104))["platforms_per_township"].iloc[-1]
    assert count.iloc[-1] - settled > 0.5 * (20 - settled)


@pytest.mark.parametrize("capacity", [0.05, 0.25])
def test_the_bureau_folds_in_at_most_its_capacity_a_week(make_scenario, capacity):
    model = sim.GovernanceModel(
        make_scenario({"data_bureau.merge": 1.0, "data_bureau.capacity": capacity}), rng=1
    )
    folded = []
    for _ in range(104):
        model.step()
        folded.append(model.state.townships.consolidated.copy())
    steps = np.diff(np.array(folded), axis=0)
    assert np.all(steps <= capacity + 1e-12)
    necessary = model.params["platforms.necessary"]
    in_use = digital.effective_platforms(
        model.state.townships.platforms, model.state.townships.consolidated
    )
    assert np.all(in_use >= necessary - 1e-9)


def test_an_order_changes_the_count_once_when_the_policy_starts(make_scenario):
    # Status quo for 10 weeks, then an order for 20 platforms: the first 10 weeks are the
    # status quo's exactly, and the count jumps by 12 in week 11 only.
    order = {"platforms.count": 20, "run.policy_start": 10}
    ordered = sim.GovernanceModel(make_scenario(order), rng=1)
    usual = sim.GovernanceModel(make_scenario({"run.policy_start": 10}), rng=1)
    ordered.run_for(10)
    usual.run_for(10)
    a, b = ordered.state.townships.platforms, usual.state.townships.platforms
    assert np.array_equal(a, b)
    before = a.copy()
    ordered.step()
    usual.step()
    jump = ordered.state.townships.platforms - usual.state.townships.platforms
    assert np.allclose(jump, 12.0 * (1 - 1 / LIFE), rtol=1e-9)
    assert np.all(ordered.state.townships.platforms > before + 11)


def test_a_clean_up_order_never_leaves_fewer_than_no_platforms():
    got = digital.ordered_platforms(np.array([3.0, 8.0]), np.array([8.0, 8.0]), 2.0)
    assert np.array_equal(got, [0.0, 2.0])
    same = digital.ordered_platforms(np.array([7.5]), np.array([8.0]), 8.0)
    assert same[0] == 7.5
