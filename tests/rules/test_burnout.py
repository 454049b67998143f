"""sim.rules.burnout: strain, fatigue accumulation and recovery, leave and quitting."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import burnout


def test_strain_equation():
    s = burnout.strain(np.array([60.0, 30.0]), 40.0, np.array([0.5, 0.5]), 0.2, 0.3, 0.3)
    assert np.allclose(s, [0.5 + 0.15 - 0.06, -0.25 + 0.15 - 0.06])


def test_strain_rises_with_hours_and_anxiety_and_falls_with_resources():
    h = burnout.strain(np.array([40.0, 50.0]), 40.0, np.zeros(2), 0.0, 0.3, 0.3)
    a = burnout.strain(np.full(2, 40.0), 40.0, np.array([0.2, 0.8]), 0.0, 0.3, 0.3)
    r = burnout.strain(np.full(2, 40.0), 40.0, np.zeros(2), np.array([0.0, 0.5]), 0.3, 0.3)
    assert h[1] > h[0] and a[1] > a[0] and r[1] < r[0]


def test_strain_above_zero_raises_fatigue_and_slack_lowers_it():
    b = np.full(3, 0.5)
    strained = burnout.fatigue_step(b, np.array([1.0, 1.0, 1.0]), 0.075, 0.03)
    slack = burnout.fatigue_step(b, np.array([-0.5, -0.5, -0.5]), 0.075, 0.03)
    assert np.all(strained > b)
    assert np.all(slack < b)


def test_fatigue_rises_monotonically_with_strain():
    s = np.linspace(-1, 2, 13)
    new = burnout.fatigue_step(np.full(13, 0.4), s, 0.075, 0.03)
    assert np.all(np.diff(new) >= 0)
    assert np.all(np.diff(new[s > 0]) > 0)
    assert np.all(np.diff(new[s < 0]) > 0)  # more slack, more recovery


def test_fatigue_step_equation():
    got = burnout.fatigue_step(np.array([0.4, 0.4]), np.array([0.5, -0.5]), 0.1, 0.05)
    assert np.allclose(got, [0.4 + 0.1 * 0.5 * 0.6 - 0.05 * 0.4, 0.4 - 0.05 * 1.5 * 0.4])


@settings(max_examples=200, deadline=None)
@given(
    b=st.floats(0, 1),
    s=st.floats(-10, 10),
    gain=st.floats(0, 1),
    recovery=st.floats(0, 1),
)
def test_fatigue_stays_in_the_unit_interval(b, s, gain, recovery):
    new = burnout.fatigue_step(np.array([b]), np.array([s]), gain, recovery)[0]
    assert 0.0 <= new <= 1.0


def test_quit_probability_is_zero_below_threshold_and_rises_to_the_maximum():
    b = np.array([0.0, 0.59, 0.6, 0.65, 0.7, 0.9])
    p = burnout.quit_probability(b, 0.6, 0.7, 0.01)
    assert np.array_equal(p[:3], [0.0, 0.0, 0.0])
    assert p[3] == pytest.approx(0.005)
    assert p[4] == pytest.approx(0.01)
    assert p[5] == pytest.approx(0.01)  # constant beyond the leave threshold


def test_leave_only_above_the_leave_threshold():
    p = burnout.leave_probability(np.array([0.5, 0.9, 0.95]), 0.9, 0.05)
    assert np.array_equal(p, [0.0, 0.0, 0.05])


def test_overload_is_the_share_of_hours_beyond_the_standard_week():
    got = burnout.overload(np.array([30.0, 40.0, 60.0]), 40.0)
    assert got.tolist() == [0.0, 0.0, 0.5]
