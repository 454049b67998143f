"""sim.rules.devolution: what counties push down and what townships do with authority; and
the county's hand-out of tasks (sim.rules.work), the extra staff's climate (sim.rules.staffing)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules import devolution, staffing, work


def test_anxious_unrestrained_counties_push_more_down():
    a = np.zeros(3)
    got = devolution.pushdown_target(a, 0.4, np.array([0.0, 0.5, 1.0]), np.zeros(3), 0.0)
    assert got == pytest.approx([0.0, 0.2, 0.4])
    restrained = devolution.pushdown_target(a, 0.4, np.ones(3), np.full(3, 0.5), 0.0)
    watched = devolution.pushdown_target(a, 0.4, np.ones(3), np.zeros(3), 0.5)
    assert restrained == pytest.approx(0.2) and watched == pytest.approx(0.2)


def test_formal_devolution_is_the_floor_and_nothing_exceeds_all_of_it():
    authority = np.array([0.0, 0.5, 1.0])
    got = devolution.pushdown_target(authority, 1.0, np.ones(3), np.zeros(3), 0.0)
    assert np.all(got >= authority) and np.all(got <= 1.0)
    assert got[2] == 1.0


def test_task_authority_removes_handoffs():
    got = devolution.handoff_overhead(0.1, np.array([0.0, 0.5, 1.0]), 0.5)
    assert got == pytest.approx([0.1, 0.075, 0.05])


def test_personnel_authority_keeps_capable_officials_only():
    q = np.full(4, 0.01)
    competence = np.array([0.5, 0.99, 1.0, 2.0])
    got = devolution.quit_retention(q, competence, np.ones(4), 0.5)
    assert got == pytest.approx([0.01, 0.01, 0.005, 0.005])
    assert devolution.quit_retention(q, competence, np.zeros(4), 0.5) == pytest.approx(q)


def test_patronage_lowers_the_competence_of_own_hires():
    c = np.array([1.0, 2.0])
    assert devolution.hired_competence(c, np.array([1.0, 0.0]), 0.1) == pytest.approx([0.9, 2.0])


def test_services_cover_what_staff_do_not_up_to_the_budget():
    posts = np.full(3, 10.0)
    got = devolution.services_target(
        np.array([1.0, 1.0, 0.0]), 0.2, posts, np.array([1.0, 5.0, 5.0]), np.array([0.5, 0.0, 0.0])
    )
    assert got == pytest.approx([0.5, 2.0, 0.0])


def test_contractors_do_at_most_the_work_there_is():
    got = devolution.services_output(np.array([100.0, 10.0]), np.array([1.0, 1.0]), 40.0, 0.6)
    assert got == pytest.approx([24.0, 10.0])


def test_counties_give_more_to_townships_that_score_better_and_keep_their_total():
    score = np.array([0.4, 0.8, 0.6, 0.6])
    county = np.array([0, 0, 1, 1])
    mean = np.array([0.6, 0.6])[county]
    w = work.task_weights(score, mean, 1.5)
    assert w[1] > w[0] and w[2] == w[3] == pytest.approx(1.0)
    assert np.allclose(work.task_weights(score, mean, 0.0), 1.0)  # fair: equal hand-out
    tasks = np.array([10.0, 10.0, 5.0, 7.0])
    total = np.array([20.0, 12.0])[county]
    weighted = np.array([(tasks[:2] * w[:2]).sum(), (tasks[2:] * w[2:]).sum()])[county]
    got = work.county_allocation(tasks, w, total, weighted)
    assert got[:2].sum() == pytest.approx(20.0) and got[2:].sum() == pytest.approx(12.0)
    assert got[1] > got[0]


def test_no_score_yet_equal_weights_and_negative_scores_get_nothing_extra():
    assert work.task_weights(np.zeros(2), np.zeros(2), 1.5) == pytest.approx([1.0, 1.0])
    w = work.task_weights(np.array([-0.2, 0.4]), np.array([0.2, 0.2]), 1.5)
    assert w[0] == 0.0 and w[1] > 1.0


def test_extra_staff_share_the_townships_fatigue():
    got = staffing.climate(np.array([1.0, 0.8]), np.array([0.0, 0.5]), 0.4)
    assert got == pytest.approx([1.0, 0.8 * 0.8])
