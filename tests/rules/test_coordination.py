"""sim.rules.coordination: necessary meetings and documents carry coordination."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import coordination


def test_no_cap_keeps_every_necessary_item():
    n, desired = np.array([2.0, 0.0]), np.array([5.0, 3.0])
    assert np.allclose(coordination.necessary_kept(n, desired, desired, 0.5), n)


def test_a_cap_loses_necessary_items_unless_superiors_cut_the_unnecessary_first():
    n, desired, issued = np.array([2.0]), np.array([5.0]), np.array([3.0])
    careful = coordination.necessary_kept(n, desired, issued, 1.0)[0]
    blunt = coordination.necessary_kept(n, desired, issued, 0.0)[0]
    half = coordination.necessary_kept(n, desired, issued, 0.5)[0]
    assert careful == pytest.approx(2.0)  # all necessary items fit under the cap
    assert blunt == pytest.approx(2.0 * 3.0 / 5.0)  # cut across the board
    assert half == pytest.approx((careful + blunt) / 2)
    # A cap below the necessary loses necessary items even when cut with care.
    assert coordination.necessary_kept(n, desired, np.array([1.0]), 1.0)[0] == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(
    n=st.floats(0, 50),
    extra=st.floats(0, 50),
    kept=st.floats(0, 1),
    protected=st.floats(0, 1),
)
def test_necessary_kept_never_exceeds_the_necessary_or_the_issued(n, extra, kept, protected):
    desired = n + extra
    issued = kept * desired
    got = coordination.necessary_kept(np.array([n]), np.array([desired]), np.array([issued]),
                                      protected)[0]  # fmt: skip
    assert -1e-12 <= got <= min(n, issued) + 1e-9


def test_rework_grows_with_the_coordination_lost():
    needed = np.full(4, 4.0)
    kept = np.array([4.0, 3.0, 1.0, 0.0])
    gap = coordination.coordination_gap(kept, needed)
    assert np.allclose(gap, [0.0, 0.25, 0.75, 1.0])
    assert coordination.coordination_gap(np.array([6.0]), np.array([4.0]))[0] == 0.0
    assert coordination.coordination_gap(np.zeros(1), np.zeros(1))[0] == 0.0  # none needed
    assert np.allclose(coordination.rework_share(gap, 0.3), 0.3 * gap)
