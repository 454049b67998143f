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
    # A cv whose square underflows is no noise, not a gamma of infinite shape (NaN).
    assert np.array_equal(demand.citizen_demand(np.array([3.0]), 1e-200, rng), [3.0])


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


def test_anxious_unrestrained_leaders_push_more_platforms():
    got = digital.launch_pressure(np.array([0.2, 0.6, 0.6]), np.array([0.0, 0.0, 0.5]))
    assert np.allclose(got, [0.2, 0.6, 0.3])


def test_platforms_are_launched_with_the_pressure_and_retired_with_age():
    count = np.full(3, 8.0)
    got = digital.platform_step(count, np.array([0.0, 0.5, 1.0]), 0.08, 200.0)
    assert np.allclose(got, [8.0 - 0.04, 8.0 + 0.04 - 0.04, 8.0 + 0.08 - 0.04])
    # The count settles where launches match retirements: launch * pressure * life.
    p = np.array([0.5])
    x = np.array([0.0])
    for _ in range(5000):
        x = digital.platform_step(x, p, 0.08, 200.0)
    assert x[0] == pytest.approx(0.08 * 0.5 * 200.0, rel=1e-6)


def test_folded_platforms_retire_with_the_rest_so_the_necessary_stay_in_use():
    # Six of eight folded in; then platforms retire down to five: at most three stay folded.
    folded = digital.consolidation_step(np.array([6.0]), np.array([5.0]), 2.0, 1.0, 26.0, 0.25)
    assert folded[0] == pytest.approx(3.0)
    assert digital.effective_platforms(5.0, folded[0]) == pytest.approx(2.0)


def test_the_bureau_folds_surplus_platforms_in_with_a_lag_and_a_capacity():
    count = np.array([8.0, 8.0, 8.0, 1.0])
    zero = np.zeros(4)
    # Without a bureau nothing is folded in.
    assert np.array_equal(digital.consolidation_step(zero, count, 2.0, 0.0, 26.0, 0.25), zero)
    # With one, a 26th of the surplus a week, at most the capacity; never below the necessary.
    got = digital.consolidation_step(zero, count, 2.0, 1.0, 26.0, 0.25)
    assert np.allclose(got[:3], 6.0 / 26.0) and got[3] == 0.0
    capped = digital.consolidation_step(zero, count, 2.0, 1.0, 4.0, 0.25)
    assert np.allclose(capped[:3], 0.25)
    half = digital.consolidation_step(zero, count, 2.0, 0.5, 4.0, 0.25)
    assert np.allclose(half[:3], 0.125)  # half a bureau, half the capacity
    # Over time the folded platforms reach the whole surplus and stay there.
    c = zero.copy()
    path = []
    for _ in range(400):
        c = digital.consolidation_step(c, count, 2.0, 1.0, 26.0, 0.25)
        path.append(c[0])
    assert np.all(np.diff(path) >= 0) and path[-1] == pytest.approx(6.0, rel=1e-6)
    # When platforms are retired, what was folded in follows the smaller surplus down.
    down = digital.consolidation_step(np.full(4, 6.0), np.full(4, 5.0), 2.0, 1.0, 26.0, 0.25)
    assert np.all(down < 6.0)


def test_officials_check_in_on_the_platforms_not_folded_in():
    assert digital.effective_platforms(8.0, 0.0) == 8.0
    assert digital.effective_platforms(8.0, 6.0) == 2.0
    assert np.array_equal(
        digital.effective_platforms(np.array([8.0, 1.0]), np.array([3.0, 2.0])), [5.0, 0.0]
    )


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


def test_top_down_tasks_grow_with_the_markup_chain_and_devolved_authority():
    posts = np.array([10, 10])
    base = demand.top_down_tasks(posts, 3.0, np.array([1.0, 1.5]), np.zeros(2), 6.0)
    assert base.tolist() == [30.0, 45.0]
    devolved = demand.top_down_tasks(posts, 3.0, np.array([1.0, 1.0]), np.array([0.0, 1.0]), 6.0)
    assert devolved[1] - devolved[0] == pytest.approx(60.0)


def test_backlog_carries_what_was_not_done_less_what_lapses():
    left = demand.backlog_step(np.array([10.0, 5.0]), np.array([6.0, 8.0]), 0.5)
    assert left.tolist() == [2.0, 0.0]  # never negative when more was done than due


def test_necessary_requests_discount_duplicates_and_never_exceed_what_arrives():
    got = digital.necessary_requests(0.4, 24.0, 0.25, np.array([100.0, 1.0]))
    assert got[0] == pytest.approx(0.4 * 24 * 0.75)
    assert got[1] == 1.0


def test_extra_staff_output_is_capped_by_the_work_there_is():
    q = np.full(2, 0.8)
    out = staffing.extra_output(np.array([100.0, 10.0]), np.ones(2), 40.0, np.zeros(2), q)
    assert out.tolist() == [32.0, 10.0]


def test_extra_staff_do_a_posts_formal_work_first():
    q = np.full(3, 0.5)
    out = staffing.extra_output(np.full(3, 1e6), np.full(3, 2.0), 40.0, np.array([0, 10, 50]), q)
    assert out.tolist() == [40.0, 30.0, 0.0]


def test_newcomers_are_the_growth_of_the_pool_and_the_rotation_of_the_seconded():
    got = staffing.arrivals(np.array([3.0, 2.0, 2.0]), np.array([1.0, 2.0, 5.0]), 2.0, 52.0)
    assert got == pytest.approx([2.0 + 2 / 52, 2 / 52, 2 / 52])
    assert staffing.arrivals(np.array([0.0]), np.array([0.0]), 0.0, 52.0)[0] == 0.0


def test_newcomers_dilute_local_knowledge_which_is_then_learnt():
    # Two onboarded staff and two newcomers at half the knowledge: 0.75, then a 13th of the gap.
    k = staffing.knowledge_step(np.array([1.0]), np.array([4.0]), np.array([2.0]), 0.5, 13.0)
    assert k[0] == pytest.approx(0.75 + 0.25 / 13)
    # A new pool starts at the newcomers' knowledge and learns toward 1.
    k = np.ones(1)
    path = []
    for week in range(60):
        k = staffing.knowledge_step(
            k, np.array([2.0]), np.array([2.0 if week == 0 else 0.0]), 0.5, 13.0
        )
        path.append(k[0])
    assert path[0] == pytest.approx(0.5 + 0.5 / 13)
    assert np.all(np.diff(path) > 0) and path[-1] < 1.0 and path[-1] > 0.97
    # Nobody there: the knowledge of whoever comes next is set when they come.
    assert staffing.knowledge_step(np.array([0.3]), np.zeros(1), np.zeros(1), 0.5, 13.0)[0] == 1.0


def test_temporary_hires_need_both_personnel_and_finance_authority():
    posts = np.array([20, 20, 20])
    target = staffing.temp_hire_target(
        0.2, posts, np.array([1.0, 1.0, 0.0]), np.array([1.0, 0.5, 1.0]),
        shortfall=np.array([10.0, 10.0, 10.0]), added=np.array([2.0, 2.0, 2.0]),
    )  # fmt: skip
    assert target.tolist() == [4.0, 2.0, 0.0]  # capped at 20% of posts, halved, none
    small = staffing.temp_hire_target(
        0.2, posts[:1], np.ones(1), np.ones(1), np.array([3.0]), np.array([2.0])
    )
    assert small.tolist() == [1.0]  # only the shortfall that added posts do not meet
