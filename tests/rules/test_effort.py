"""sim.rules.effort: diligent or perfunctory work, from incentives, monitoring, anxiety and
fatigue."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import effort


def pull(
    motivation=1.0, stake=0.0, sanction=0.0, k_s=20.0, anxiety=0.0, fatigue=0.0, k_b=2.0, reward=0.0
):
    return effort.diligence(motivation, stake, reward, sanction, k_s, anxiety, fatigue, k_b)


def test_diligence_equation():
    d = pull(1.0, 0.5, 0.01, 20.0, 0.5, 0.2, 2.0, reward=0.3)
    assert d == pytest.approx(1.0 / (1.0 + np.exp(-(1.0 + 0.5 + 0.3 + 20.0 * 1.5 * 0.01 - 0.4))))


def test_monitoring_stakes_and_motivation_raise_diligence_fatigue_lowers_it():
    base = pull()
    assert pull(sanction=0.02) > base  # deterrence (Becker)
    assert pull(stake=0.5) > base  # the tournament raises effort
    assert pull(motivation=2.0) > base
    assert pull(reward=0.5) > base  # performance pay from a reward budget (财权)
    assert pull(fatigue=0.8) < base  # coping by cutting corners
    # Anxiety magnifies a sanction's weight, and has no pull of its own without one.
    s = 0.02
    assert pull(sanction=s, anxiety=0.9) > pull(sanction=s)
    assert pull(anxiety=0.9) == pytest.approx(base)


@settings(max_examples=200, deadline=None)
@given(
    m=st.floats(-10, 10),
    stake=st.floats(0, 5),
    sanction=st.floats(0, 1),
    anxiety=st.floats(0, 1),
    fatigue=st.floats(0, 1),
)
def test_diligence_is_a_share(m, stake, sanction, anxiety, fatigue):
    d = pull(m, stake, sanction, 20.0, anxiety, fatigue)
    assert 0.0 <= d <= 1.0


def test_expected_sanction_needs_detection_and_accountability_and_fault_tolerance_forgives():
    det = np.array([0.0, 0.3, 0.6])
    s = effort.expected_sanction(det, 0.1, 0.0)
    assert np.allclose(s, det * 0.1)
    assert np.all(np.diff(s) > 0)
    assert np.all(effort.expected_sanction(det, 0.0, 0.0) == 0.0)
    assert np.allclose(effort.expected_sanction(det, 0.1, 0.5), s / 2)
    assert np.all(effort.expected_sanction(det, 0.1, 1.0) == 0.0)


def test_the_head_has_the_largest_tournament_stake():
    assert effort.tournament_stake(1.5, 1.0, True, 0.2) == pytest.approx(1.5)
    assert effort.tournament_stake(1.5, 1.0, False, 0.2) == pytest.approx(0.3)
    assert effort.tournament_stake(0.0, 1.0, True, 0.2) == 0.0


def test_perfunctory_work_produces_less_and_errs_more():
    d = np.linspace(0, 1, 11)
    out = effort.effective_output(d, 0.6)
    err = effort.error_multiplier(d, 2.0)
    assert out[0] == pytest.approx(0.6) and out[-1] == pytest.approx(1.0)
    assert err[0] == pytest.approx(2.0) and err[-1] == pytest.approx(1.0)
    assert np.all(np.diff(out) > 0) and np.all(np.diff(err) < 0)
