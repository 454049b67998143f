"""sim.rules.costs: what the levers spend, in standard staff-hours per township and week."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules import costs


def test_no_lever_costs_nothing():
    zero = np.zeros(3)
    got = costs.lever_cost(
        zero, zero, 0.0, 40.0, 0.0, 30.0, 0.0, 20.0, zero, 2.0, np.full(3, 20), 0.0, zero, 6.0
    )
    assert got.tolist() == [0.0, 0.0, 0.0]


def test_each_lever_adds_its_own_cost():
    one = np.ones(1)
    staff = costs.lever_cost(
        one, 2 * one, 1.0, 40.0, 0.0, 30.0, 0.0, 20.0, 0 * one, 2.0, one * 20, 0.0, one, 6.0
    )
    assert staff[0] == pytest.approx(4 * 40.0)
    bodies = costs.lever_cost(
        0 * one, 0 * one, 0.0, 40.0, 1.0, 30.0, 0.5, 20.0, one, 2.0, one * 20, 0.0, one, 6.0
    )
    assert bodies[0] == pytest.approx(30.0 + 10.0 + 2.0 * 20)


def test_verification_costs_inspectors_time():
    n = np.array([1.0, 2.0])
    zero = np.zeros(2)

    def cost(intensity):
        return costs.lever_cost(
            zero, zero, 0.0, 40.0, 0.0, 30.0, 0.0, 20.0, zero, 2.0, n, intensity, n, 6.0
        )

    assert np.allclose(cost(0.5), [3.0, 6.0])
    assert np.all(cost(0.0) == 0.0)
