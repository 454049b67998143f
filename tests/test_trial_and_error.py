"""Fault tolerance frees trial and error: townships learn better practices, officials who try
make more honest errors (docs/ODD.md section 7.10). Classroom preset, levers from week 0."""

from __future__ import annotations

import numpy as np

from sim.state import Hours


def test_without_tolerance_nothing_is_tried_or_learnt(make_model):
    model = make_model({}, steps=26)
    assert np.all(model.state.townships.practice == 1.0)


def test_tolerance_teaches_townships_better_practices_over_time(make_model):
    tolerant = {"fault_tolerance.share": 0.8}
    early = make_model(tolerant, steps=13).state.townships.practice
    late = make_model(tolerant, steps=52).state.townships.practice
    gain = 1.0 + make_model(tolerant, steps=1).params["fault_tolerance.trial_gain"]
    assert np.all(early > 1.0)
    assert np.all(late > early)
    assert np.all(late < gain)


def test_trials_cost_errors(outcome_means):
    tolerant = {"fault_tolerance.share": 0.8}
    careful = outcome_means({**tolerant, "fault_tolerance.trial_errors": 0.0}, steps=26)
    trying = outcome_means({**tolerant, "fault_tolerance.trial_errors": 2.0}, steps=26)
    assert trying["errors"] > careful["errors"]


def test_practices_learnt_save_hours_for_the_same_work(make_model):
    # First week, same draws: only the learning differs, so the same work takes fewer hours.
    tolerant = {"fault_tolerance.share": 0.8}
    learning = make_model(tolerant, steps=1)
    no_learning = make_model({**tolerant, "fault_tolerance.trial_rate": 0.0}, steps=1)
    assert np.all(learning.state.townships.practice > no_learning.state.townships.practice)
    h1 = learning.state.staff.hours[Hours.SUBSTANTIVE]
    h0 = no_learning.state.staff.hours[Hours.SUBSTANTIVE]
    assert np.all(h1 <= h0 + 1e-12)
    assert np.any(h1 < h0)
    out1, out0 = learning.state.townships.output, no_learning.state.townships.output
    assert np.all(out1 >= out0 - 1e-9)
