"""sim.rules.trust: asymmetric trust (falls faster on bad news than it rises on good)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import trust


@pytest.mark.parametrize("t0", [0.3, 0.5, 0.7])
@pytest.mark.parametrize("news", [0.2, 0.5, 1.0])
def test_trust_falls_faster_on_bad_news_than_it_rises_on_equally_strong_good_news(t0, news):
    # Measured from T = 0.5 the two moves face the same room; elsewhere compare rates per room.
    t = np.array([t0])
    up = trust.trust_step(t, np.array([news]), np.array([0.0]), 0.03, 2.0)[0] - t0
    down = t0 - trust.trust_step(t, np.array([0.0]), np.array([news]), 0.03, 2.0)[0]
    assert up > 0 and down > 0
    assert down / t0 > up / (1 - t0)
    assert down / t0 == pytest.approx(2.0 * up / (1 - t0))


def test_no_asymmetry_with_asymmetry_one():
    t = np.array([0.5])
    up = trust.trust_step(t, np.array([0.4]), np.array([0.0]), 0.05, 1.0)[0] - 0.5
    down = 0.5 - trust.trust_step(t, np.array([0.0]), np.array([0.4]), 0.05, 1.0)[0]
    assert up == pytest.approx(down)


def test_bad_news_dampens_good_news():
    t = np.full(2, 0.5)
    new = trust.trust_step(t, np.array([0.8, 0.8]), np.array([0.0, 0.5]), 0.05, 2.0)
    assert new[1] < new[0]


def test_bad_news_rises_with_detected_errors_and_saturates():
    d = np.array([0.0, 0.05, 0.1, 1.0, 100.0])
    bad = trust.bad_news(d, 0.1)
    assert bad[0] == 0.0
    assert np.all(np.diff(bad) > 0)
    assert bad[2] == pytest.approx(1 - np.exp(-1))
    assert bad[-1] == pytest.approx(1.0)


def test_trust_step_equation():
    got = trust.trust_step(np.array([0.6]), np.array([0.5]), np.array([0.2]), 0.1, 2.0)[0]
    assert got == pytest.approx(0.6 + 0.1 * 0.4 * 0.5 * 0.8 - 2.0 * 0.1 * 0.6 * 0.2)


@settings(max_examples=200, deadline=None)
@given(
    t=st.floats(0, 1),
    good=st.floats(-5, 5),
    bad=st.floats(0, 1),
    gain=st.floats(0, 1),
    asym=st.floats(1, 10),
)
def test_trust_stays_in_the_unit_interval(t, good, bad, gain, asym):
    new = trust.trust_step(np.array([t]), np.array([good]), np.array([bad]), gain, asym)[0]
    assert 0.0 <= new <= 1.0
