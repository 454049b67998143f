"""sim.rules.demand, sim.rules.digital and sim.rules.staffing."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules import demand, digital, staffing


# ---- demand ---------------------------------------------------------------------------------
def test_size_factors_have_mean_one_and_the_given_spread(rng):
    assert np.array_equal(demand.size_factors(5, 0.0, rng), np.ones(5))
    x = demand.size_factors(200_000, 0.3, rng)
    assert np.all(x > 0)
    assert x.mean() == pytest.approx(1.0, abs=0.01)
    assert x.std() / x.mean() == pytest.approx(0.3, abs=0.01)


def test_citizen_demand_is_positive_around_its_mean(rng):
    mean = np.full(200_000, 20.0)
    d = demand.citizen_demand(mean, 0.15, rng)
    assert np.all(d > 0)
    assert d.mean() == pytest.approx(20.0, rel=0.01)
    assert d.std() / d.mean() == pytest.approx(0.15, rel=0.03)
    exact = demand.citizen_demand(np.array([3.0, 4.0]), 0.0, rng)
    assert np.array_equal(exact, [3.0, 4.0])


def test_joint_enforcement_removes_handoff_overhead():
    w = np.array([10.0, 20.0])
    assert np.allclose(demand.handoff_load(w, 0.1, 0.0), w * 1.1)
    assert np.allclose(demand.handoff_load(w, 0.1, 1.0), w)
    assert np.all(demand.handoff_load(w, 0.1, 0.5) < demand.handoff_load(w, 0.1, 0.0))


# ---- digital --------------------------------------------------------------------------------
def test_data_bureau_merge_reduces_requests():
    r = np.array([10.0, 20.0])
    assert np.array_equal(digital.merged_requests(r, 0.55, 0.0), r)
    merged = digital.merged_requests(r, 0.55, 1.0)
    assert np.allclose(merged, r * 0.45)
    assert np.all(digital.merged_requests(r, 0.55, 0.5) > merged)


def test_data_bureau_merge_reduces_platforms_down_to_the_necessary():
    assert digital.effective_platforms(8, 2, 0.0) == 8
    assert digital.effective_platforms(8, 2, 1.0) == 2
    assert digital.effective_platforms(8, 2, 0.5) == 5
    assert digital.effective_platforms(1, 2, 1.0) == 1  # never adds platforms


def test_necessary_platform_share():
    assert digital.necessary_platform_share(8, 2) == pytest.approx(0.25)
    assert digital.necessary_platform_share(2, 2) == 1.0
    assert digital.necessary_platform_share(1, 2) == 1.0
    assert digital.necessary_platform_share(0, 2) == 1.0


# ---- staffing -------------------------------------------------------------------------------
def test_shortfall_counts_missing_officials_beyond_tolerance():
    got = staffing.shortfall_staff(np.array([400.0, 176.0, 100.0]), np.full(3, 4.0), 40.0, 0.1)
    assert np.allclose(got, [400 / 44 - 4, 0.0, 0.0])


def test_follow_is_a_first_order_lag():
    assert np.allclose(staffing.follow(np.array([0.0]), np.array([10.0]), 5.0), [2.0])
    assert np.allclose(staffing.follow(np.array([0.0]), np.array([10.0]), 0.5), [10.0])


def test_personnel_authority_shortens_the_replacement_lag():
    assert staffing.replacement_weeks(26, 0.0, 0.75) == 26
    assert staffing.replacement_weeks(26, 1.0, 0.75) == round(26 * 0.25)
    assert staffing.replacement_weeks(26, 0.5, 0.75) < 26
    assert isinstance(staffing.replacement_weeks(26, 0.5, 0.75), int)
