"""Temporary, added and seconded staff learn the locality and do a post's formal work
(docs/ODD.md section 7.15). Classroom preset, levers from week 0, common seeds."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.params import CATALOGUE

SEEDS = (1, 2, 3)
SECONDED = {"secondment.staff": 2.0}


def test_nobody_extra_nothing_to_learn(make_model):
    tw = make_model({}, steps=26).state.townships
    assert np.all(tw.extra_staff == 0.0) and np.all(tw.extra_knowledge == 1.0)


def test_seconded_staff_learn_the_locality_but_rotation_keeps_them_below_full(make_scenario):
    model = sim.GovernanceModel(make_scenario(SECONDED), rng=1)
    path = []
    for _ in range(156):
        model.step()
        path.append(model.state.townships.extra_knowledge.mean())
    k0 = CATALOGUE["staffing.newcomer_knowledge"].default
    weeks = CATALOGUE["staffing.onboarding_weeks"].default
    # All arrive in week 1 (the whole pool is new), then learn; each week a few rotate in.
    assert path[0] == pytest.approx(k0 + (1 - k0) / weeks, rel=1e-12)
    assert np.all(np.diff(path[:52]) > 0)
    assert 0.8 < path[-1] < 1.0


def test_slower_onboarding_makes_secondment_save_less(outcome_means):
    quick = outcome_means(SECONDED, seeds=SEEDS, steps=52)
    slow = outcome_means({**SECONDED, "staffing.onboarding_weeks": 52.0}, seeds=SEEDS, steps=52)
    none = outcome_means({}, seeds=SEEDS, steps=52)
    assert quick["township_hours"] < slow["township_hours"] < none["township_hours"]


def test_more_formal_work_leaves_extra_staff_less_time_for_cases(outcome_means):
    # Twenty platforms instead of eight: the seconded check in too, so they take less of the
    # township's substantive work and what they save is smaller.
    few = outcome_means(SECONDED, seeds=SEEDS, steps=26)
    few0 = outcome_means({}, seeds=SEEDS, steps=26)
    many = outcome_means({**SECONDED, "platforms.count": 20}, seeds=SEEDS, steps=26)
    many0 = outcome_means({"platforms.count": 20}, seeds=SEEDS, steps=26)
    saved_few = few0["hours_substantive"] - few["hours_substantive"]
    saved_many = many0["hours_substantive"] - many["hours_substantive"]
    assert saved_many < saved_few
