"""sim.rules.cascade: target markup ratchet (层层加码), issuing and relaying formal work."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules import cascade


def test_markup_ratchets_up_faster_than_it_falls():
    m = np.array([0.3, 0.3])
    # Targets 0.6 * A: 0.5 (gap +0.2) and 0.1 (gap -0.2), equally far from the current markup.
    a = np.array([0.5 / 0.6, 0.1 / 0.6])
    new = cascade.markup_step(m, a, 0.6, up=0.2, down=0.05)
    rise, fall = new[0] - 0.3, 0.3 - new[1]
    assert rise > 0 and fall > 0
    assert rise > fall
    assert rise == pytest.approx(0.2 * 0.2)
    assert fall == pytest.approx(0.05 * 0.2)


def test_markup_moves_toward_escalation_times_anxiety():
    m = np.zeros(1)
    for _ in range(500):
        m = cascade.markup_step(m, np.array([0.5]), 0.6, 0.2, 0.05)
    assert m[0] == pytest.approx(0.3)


def test_issued_items_rise_with_anxiety_and_fall_with_restraint():
    a = np.array([0.0, 0.5, 1.0])
    got = cascade.issued_items(8, 0.25, a, 1.0, np.zeros(3))
    assert got[0] == pytest.approx(8 * 0.25)  # a calm unit issues what is needed
    assert np.all(np.diff(got) > 0)
    assert np.allclose(got, 8 * 0.25 * (1 + a))
    damped = cascade.issued_items(8, 0.25, a, 1.0, np.full(3, 0.5))
    assert np.all(damped[1:] < got[1:])
    full = cascade.issued_items(8, 0.25, a, 1.0, np.ones(3))
    assert np.allclose(full, 8 * 0.25)


def test_more_lines_issue_more():
    a = np.array([0.4])
    assert cascade.issued_items(10, 0.25, a, 1.0, 0.0) > cascade.issued_items(5, 0.25, a, 1.0, 0.0)


def test_relay_share_rises_with_anxiety_within_the_unit_interval():
    a = np.array([0.0, 0.5, 1.0])
    got = cascade.relay_share(a, 0.3, 0.5, np.zeros(3))
    assert np.allclose(got, [0.3, 0.55, 0.8])
    capped = cascade.relay_share(a, 0.8, 1.0, np.zeros(3))
    assert np.all(capped <= 1.0) and capped[-1] == 1.0
    assert np.allclose(cascade.relay_share(a, 0.3, 0.5, np.ones(3)), 0.3)


def test_markup_compounds_down_the_chain():
    chain = cascade.compounded_markup(1.0, np.array([0.2]))
    chain = cascade.compounded_markup(chain, np.array([0.3]))
    assert chain[0] == pytest.approx(1.2 * 1.3)  # each level marks up what it received


def test_items_sent_are_own_items_plus_the_relayed_share():
    sent = cascade.items_sent(np.array([2.0, 2.0]), np.array([0.0, 0.5]), np.array([4.0, 4.0]))
    assert sent.tolist() == [2.0, 4.0]


def test_necessary_items_ignore_anxiety_and_stay_below_what_anxious_leaders_send():
    calm = cascade.necessary_items(8, 0.25, 0.3, np.array([1.0]))
    assert calm[0] == pytest.approx(8 * 0.25 + 0.3 * 1.0)
    anxious_own = cascade.issued_items(8, 0.25, np.array([0.9]), 1.0, np.array([0.0]))
    relay = cascade.relay_share(np.array([0.9]), 0.3, 0.5, np.array([0.0]))
    assert cascade.items_sent(anxious_own, relay, np.array([1.0]))[0] > calm[0]
