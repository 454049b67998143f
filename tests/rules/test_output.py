"""sim.rules.output: Yerkes-Dodson productivity and the error rate."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import output

A = np.linspace(0, 1, 101)


def test_yerkes_dodson_peaks_at_the_optimum_and_equals_one_there():
    yd = output.yerkes_dodson(A, 0.35, 0.3, 0.6)
    assert A[np.argmax(yd)] == pytest.approx(0.35)
    assert output.yerkes_dodson(np.array([0.35]), 0.35, 0.3, 0.6)[0] == pytest.approx(1.0)
    below, above = A < 0.35, A > 0.35
    assert np.all(np.diff(yd[below]) > 0)  # a little pressure helps
    assert np.all(np.diff(yd[above]) < 0)  # much pressure hurts


def test_yerkes_dodson_is_symmetric_and_equation_holds():
    a = np.array([0.1, 0.6])
    yd = output.yerkes_dodson(a, 0.35, 0.3, 0.6)
    assert yd[0] == pytest.approx(yd[1])
    assert yd[0] == pytest.approx(0.6 + 0.4 * np.exp(-(0.25**2) / (2 * 0.09)))


@settings(max_examples=100, deadline=None)
@given(
    a=st.floats(0, 1),
    optimum=st.floats(0, 1),
    width=st.floats(0.02, 2),
    floor=st.floats(0, 1),
)
def test_yerkes_dodson_stays_between_floor_and_one(a, optimum, width, floor):
    yd = output.yerkes_dodson(np.array([a]), optimum, width, floor)[0]
    assert floor - 1e-12 <= yd <= 1.0 + 1e-12


def test_productivity_equation_and_directions():
    c = np.array([1.0, 2.0])
    got = output.productivity(c, np.array([0.8, 0.8]), np.array([0.5, 0.5]), 0.2, 0.1, 0.2)
    assert np.allclose(got, c * 0.8 * 0.9 * 0.9 / 0.8)
    tired = output.productivity(c, np.ones(2), np.ones(2), 0.2, 0.0, 0.0)
    rested = output.productivity(c, np.ones(2), np.zeros(2), 0.2, 0.0, 0.0)
    assert np.all(tired < rested)
    controlled = output.productivity(c, np.ones(2), np.zeros(2), 0.2, 0.1, 0.0)
    assert np.all(controlled < rested)
    tooled = output.productivity(c, np.ones(2), np.zeros(2), 0.2, 0.0, 0.3)
    assert np.all(tooled > rested)


def test_more_hours_beyond_standard_raise_the_error_rate():
    h = np.array([40.0, 50.0, 60.0, 70.0])
    rate = output.error_rate(h, 40.0, 0.02, 1.0, np.zeros(4), 1.0)
    assert np.all(np.diff(rate) > 0)
    # Overload adds more than proportional errors: errors per hour rise beyond the standard.
    per_hour = rate / h
    assert np.all(np.diff(per_hour) > 0)
    flat = output.error_rate(h, 40.0, 0.02, 0.0, np.zeros(4), 1.0)
    assert np.allclose(flat / h, flat[0] / h[0])


def test_more_fatigue_raises_errors():
    b = np.array([0.0, 0.3, 0.6, 1.0])
    rate = output.error_rate(np.full(4, 45.0), 40.0, 0.02, 1.0, b, 1.0)
    assert np.all(np.diff(rate) > 0)


def test_error_rate_equation():
    rate = output.error_rate(np.array([60.0]), 40.0, 0.02, 2.0, np.array([0.5]), 1.0)
    assert rate[0] == pytest.approx(0.02 * 1.5 * (1 + 2.0 * 0.5 + 1.0 * 0.5))
    assert output.error_rate(np.array([40.0]), 40.0, 0.02, 5.0, np.array([0.0]), 5.0)[
        0
    ] == pytest.approx(0.02)


def test_errors_that_reach_citizens_undo_service():
    work, done = np.array([100.0, 100.0, 0.0]), np.array([90.0, 90.0, 0.0])
    clean = output.delivered_service(done, np.zeros(3), 20.0, work)
    harmed = output.delivered_service(done, np.array([0.0, 1.5, 0.0]), 20.0, work)
    assert np.allclose(clean, [0.9, 0.9, 1.0])  # 1 where there is no work
    assert harmed[1] == pytest.approx((90.0 - 30.0) / 100.0)
    assert harmed[0] == clean[0]
