"""sim.rules.gaming: gaming of result indicators and verification in the field."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import gaming

A = np.linspace(0.0, 1.0, 11)


def share(result_weight=1.0, anxiety=A, verified=0.0, g_max=0.3, g0=-1.0, k_a=3.0, k_v=4.0):
    return gaming.gaming_share(
        g_max, result_weight, g0, k_a, anxiety, k_v, np.full(np.shape(anxiety), verified)
    )


def test_gaming_share_equation():
    got = share(0.75, np.array([0.5]), 0.4)[0]
    assert got == pytest.approx(0.3 * 0.75 / (1.0 + np.exp(-(-1.0 + 1.5 - 1.6))))


def test_anxious_heads_game_more_and_verification_deters():
    assert np.all(np.diff(share()) > 0)
    assert np.all(share(verified=0.6) < share())


def test_nobody_games_results_nobody_scores():
    assert np.all(share(result_weight=0.0) == 0.0)
    assert np.allclose(share(result_weight=0.25), 0.25 * share())


@settings(max_examples=200, deadline=None)
@given(
    w=st.floats(0, 1),
    a=st.floats(0, 1),
    v=st.floats(0, 1),
    g_max=st.floats(0, 0.9),
    g0=st.floats(-10, 10),
)
def test_gaming_share_stays_below_its_maximum(w, a, v, g_max, g0):
    got = share(w, np.array([a]), v, g_max, g0)[0]
    assert 0.0 <= got <= g_max * w + 1e-15


def test_verification_grows_with_intensity_and_inspections():
    n = np.array([0.0, 0.5, 1.0, 2.0])
    p = gaming.verification_probability(0.5, n)
    assert np.allclose(p, 1.0 - np.exp(-0.5 * n))
    assert p[0] == 0.0 and np.all(np.diff(p) > 0) and np.all(p < 1.0)
    assert np.all(gaming.verification_probability(0.0, n) == 0.0)
    assert np.all(gaming.verification_probability(0.9, n)[1:] > p[1:])


def test_reports_inflate_output_and_verification_corrects_the_credit():
    out, g = np.array([10.0, 10.0]), np.array([0.0, 0.2])
    reported = gaming.reported_output(out, g)
    assert np.allclose(reported, [10.0, 12.5])
    assert np.allclose((reported - out) / reported, g)  # the share not backed by work
    credited = gaming.assessed_output(out, reported, np.array([0.4, 0.4]))
    assert np.allclose(credited, [10.0, 10.0 + 0.6 * 2.5])
    assert np.allclose(gaming.assessed_output(out, reported, np.ones(2)), out)
    assert np.allclose(gaming.assessed_output(out, reported, np.zeros(2)), reported)
