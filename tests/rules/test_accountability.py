"""sim.rules.accountability: events from detected errors and bottom ranks; fault tolerance."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules import accountability as acc


def test_forgiven_share_is_fault_tolerance_times_honest_share():
    assert acc.forgiven_share(0.0, 0.7) == 0.0
    assert acc.forgiven_share(1.0, 0.7) == pytest.approx(0.7)
    assert acc.forgiven_share(0.5, 0.7) == pytest.approx(0.35)


def test_fault_tolerance_lowers_accountability_probability():
    d = np.array([1.0, 3.0])
    strict = acc.error_event_probability(d, 0.1, acc.forgiven_share(0.0, 0.7))
    tolerant = acc.error_event_probability(d, 0.1, acc.forgiven_share(1.0, 0.7))
    assert np.all(tolerant < strict)
    lead_strict = acc.leader_event_probability(d, 0.01, 0.0)
    lead_tolerant = acc.leader_event_probability(d, 0.01, 0.7)
    assert np.all(lead_tolerant < lead_strict)
    exp_strict = acc.expected_events_per_year(np.array([0.5]), np.array([0.1]), 0.1, 0.0)
    exp_tolerant = acc.expected_events_per_year(np.array([0.5]), np.array([0.1]), 0.1, 0.7)
    assert exp_tolerant[0] < exp_strict[0]


def test_error_event_probability_equation_and_direction():
    d = np.array([0.0, 1.0, 2.0, 5.0])
    p = acc.error_event_probability(d, 0.1, 0.0)
    assert p[0] == 0.0
    assert p[1] == pytest.approx(0.1)
    assert p[2] == pytest.approx(1 - 0.9**2)
    assert np.all(np.diff(p) > 0)
    assert acc.error_event_probability(np.array([2.0]), 0.1, 0.5)[0] == pytest.approx(1 - 0.95**2)


def test_leader_event_probability_equation():
    got = acc.leader_event_probability(np.array([0.0, 10.0]), 0.01, 0.5)
    assert got[0] == 0.0
    assert got[1] == pytest.approx(1 - np.exp(-0.05))


def test_bottom_ranked_units_get_the_bottom_rank_probability():
    rank = np.array([0.0, 0.1, 0.25, 0.5, 1.0])
    p = acc.bottom_rank_probability(rank, 0.2, 0.005, 1.0)
    assert np.array_equal(p, [0.005, 0.005, 0.0, 0.0, 0.0])
    doubled = acc.bottom_rank_probability(rank, 0.2, 0.005, 2.0)
    assert np.allclose(doubled, 2 * p)
    assert np.array_equal(acc.bottom_rank_probability(rank, 0.2, 0.005, 0.0), np.zeros(5))
    assert acc.bottom_rank_probability(rank, 0.2, 0.6, 3.0)[0] == 1.0  # a probability


def test_combine_is_the_probability_of_either():
    got = acc.combine(np.array([0.0, 0.5, 1.0]), np.array([0.3, 0.5, 0.2]))
    assert np.allclose(got, [0.3, 0.75, 1.0])


def test_expected_events_per_year_equation():
    got = acc.expected_events_per_year(np.array([0.5]), np.array([0.2]), 0.1, 0.25)
    assert got[0] == pytest.approx(52 * 0.5 * 0.2 * 0.1 * 0.75)


def test_record_decays_and_counts_events():
    rec = acc.record_step(np.array([1.0, 1.0]), np.array([0.0, 1.0]), 0.1)
    assert np.allclose(rec, [0.9, 1.9])
