"""sim.rules.costs: what the levers spend, in standard staff-hours per township and week."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules import costs


def cost(n=1, **levers) -> np.ndarray:
    """``lever_cost`` for ``n`` townships of 20 posts with one inspection each, every lever off
    unless given by the name of its argument."""
    zero, one = np.zeros(n), np.ones(n)
    args = {
        "temp_staff": zero,
        "added_staff": zero,
        "seconded": 0.0,
        "standard_hours": 40.0,
        "oversight": 0.0,
        "oversight_hours": 30.0,
        "merge": 0.0,
        "bureau_hours": 20.0,
        "finance": zero,
        "reward_hours": 2.0,
        "posts": np.full(n, 20.0),
        "verification": 0.0,
        "inspections": one,
        "verification_hours": 6.0,
        "anonymity": 0.0,
        "anonymity_hours": 1.5,
        "services": zero,
        "service_price": 1.25,
    }
    unknown = set(levers) - set(args)
    assert not unknown, unknown
    args.update(levers)
    return costs.lever_cost(**args)


def test_no_lever_costs_nothing():
    assert cost(3).tolist() == [0.0, 0.0, 0.0]


def test_each_lever_adds_its_own_cost():
    one = np.ones(1)
    staff = cost(temp_staff=one, added_staff=2 * one, seconded=1.0)
    assert staff[0] == pytest.approx(4 * 40.0)
    bodies = cost(oversight=1.0, merge=0.5, finance=one)
    assert bodies[0] == pytest.approx(30.0 + 10.0 + 2.0 * 20)


def test_verification_costs_inspectors_time():
    n = np.array([1.0, 2.0])
    assert np.allclose(cost(2, verification=0.5, inspections=n), [3.0, 6.0])
    assert np.allclose(cost(2, verification=0.0, inspections=n), 0.0)


def test_anonymous_ratings_cost_their_running_budget():
    assert np.allclose(cost(2, anonymity=1.0), 1.5)
    assert np.allclose(cost(2, anonymity=0.5), 0.75)


def test_bought_services_cost_their_price_per_contracted_week():
    assert np.allclose(cost(2, services=np.array([0.0, 2.0])), [0.0, 2 * 1.25 * 40.0])
    assert np.allclose(cost(1, services=np.ones(1), service_price=0.0), 0.0)
