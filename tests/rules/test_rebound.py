"""sim.rules.rebound: quota caps, enforcement drift and displacement (反弹回潮)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules import rebound

NOMINAL = np.array([2.0, 2.0, 2.0, 2.0])
DESIRED = np.array([4.0, 4.0, 4.0, 1.0])


def test_effective_cap_equals_nominal_with_full_enforcement():
    got = rebound.effective_cap(NOMINAL, DESIRED, np.ones(4))
    assert np.array_equal(got, NOMINAL)


def test_effective_cap_drifts_toward_desired_as_enforcement_decays():
    e = np.array([1.0, 0.5, 0.0, 0.0])
    got = rebound.effective_cap(NOMINAL, DESIRED, e)
    assert np.allclose(got, [2.0, 3.0, 4.0, 2.0])  # never below the cap (desired 1 < cap 2)
    path = [
        rebound.effective_cap(NOMINAL[:1], DESIRED[:1], np.array([x]))[0] for x in (1, 0.7, 0.3)
    ]
    assert np.all(np.diff(path) > 0)


def test_no_quota_means_no_cap():
    got = rebound.effective_cap(np.array([np.inf, 2.0]), np.array([3.0, 3.0]), np.array([0.5, 0.5]))
    assert got[0] == np.inf
    assert got[1] == pytest.approx(2.5)


def test_oversight_catches_with_its_strength_times_its_detection():
    assert rebound.caught(1.0, 0.7) == pytest.approx(0.7)
    assert rebound.caught(0.5, 0.7) == pytest.approx(0.35)
    assert rebound.caught(0.0, 1.0) == 0.0


def test_enforcement_does_not_decay_when_every_evasion_is_caught():
    e = np.array([1.0, 0.8])
    got = rebound.enforcement_step(e, np.array([0.9, 0.9]), 40.0, 1.0)
    assert np.array_equal(got, e)


def test_enforcement_decays_faster_with_more_anxiety_and_less_chance_of_being_caught():
    e = np.ones(3)
    by_anxiety = rebound.enforcement_step(e, np.array([0.0, 0.4, 0.8]), 40.0, 0.0)
    assert by_anxiety[0] == 1.0
    assert np.all(np.diff(by_anxiety) < 0)
    assert by_anxiety[1] == pytest.approx(1 - 0.4 / 40)
    half = rebound.enforcement_step(e[:1], np.array([0.8]), 40.0, 0.5)
    assert by_anxiety[2] < half[0] < 1.0


def test_enforcement_stays_in_the_unit_interval():
    e = rebound.enforcement_step(np.ones(2), np.array([1.0, 1.0]), 1.0, 0.0)
    assert np.all((e >= 0) & (e <= 1))


def test_displaced_requests_vanish_only_when_every_evasion_is_caught():
    cut = np.array([0.0, 1.0, 3.0])
    assert np.array_equal(rebound.displaced_requests(cut, 0.6, 1.0), np.zeros(3))
    assert np.allclose(rebound.displaced_requests(cut, 0.6, 0.0), 0.6 * cut)
    assert np.allclose(rebound.displaced_requests(cut, 0.6, 0.5), 0.3 * cut)


# ---- relabelling (改头换面) -------------------------------------------------------------------
def test_anxious_unrestrained_superiors_relabel_more_of_what_a_quota_cut():
    anxiety = np.array([0.0, 0.3, 0.6, 0.6])
    restraint = np.array([0.0, 0.0, 0.0, 0.5])
    got = rebound.relabel_share(anxiety, restraint, 0.5, 0.0)
    assert np.allclose(got, [0.0, 0.15, 0.3, 0.15])
    assert got[2] > got[1] > got[0] and got[3] < got[2]


def test_the_chance_of_being_caught_deters_relabelling():
    anxiety, restraint = np.full(3, 0.8), np.zeros(3)
    shares = [rebound.relabel_share(anxiety, restraint, 0.5, p)[0] for p in (0.0, 0.35, 0.7, 1.0)]
    assert np.all(np.diff(shares) < 0)
    assert shares[-1] == 0.0
    assert shares[1] == pytest.approx(0.5 * 0.8 * 0.65)


def test_relabelled_share_never_exceeds_the_whole_cut():
    got = rebound.relabel_share(np.ones(2), np.zeros(2), 5.0, 0.0)
    assert np.all(got == 1.0)


def test_relabelled_items_are_a_share_of_the_cut_added_back():
    issued = np.array([[2.0, 3.0], [6.0, 6.0]])
    desired = np.array([[4.0, 3.0], [10.0, 6.0]])
    share = np.array([0.25, 0.5])
    got = rebound.with_relabelled(issued, desired, share)
    assert np.allclose(got, [[2.5, 3.0], [7.0, 6.0]])
    assert np.all((got >= issued) & (got <= desired))
    assert np.array_equal(rebound.with_relabelled(issued, desired, np.zeros(2)), issued)
    assert np.array_equal(rebound.with_relabelled(issued, desired, np.ones(2)), desired)


def test_a_quota_is_set_from_the_level_reached_when_the_campaign_starts():
    cap = rebound.quota_from_level(0.5, np.array([4.0, 0.0]))
    assert cap.tolist() == [2.0, 0.0]
    assert rebound.quota_from_level(0.0, np.array([3.0]))[0] == 3.0


# ---- refilled slack (隐形负担) ------------------------------------------------------------------
def test_freed_hours_count_the_items_a_quota_kept_out_at_their_hours():
    desired = np.array([[5.0, 4.0], [10.0, 10.0], [1.0, 2.0]])
    received = np.array([[3.0, 4.0], [6.0, 10.0], [0.5, 2.0]])
    per_item = np.array([0.8, 0.25, 2.5])
    freed = rebound.freed_hours(desired, received, per_item)
    assert np.allclose(freed, [2.0 * 0.8 + 4.0 * 0.25 + 0.5 * 2.5, 0.0])


def test_anxious_unrestrained_superiors_refill_more_of_the_freed_hours():
    freed = np.full(3, 4.0)
    target = rebound.refill_target(freed, np.array([0.2, 0.6, 0.6]), np.array([0.0, 0.0, 0.5]), 0.5)
    assert np.allclose(target, [0.5 * 0.2 * 4.0, 0.5 * 0.6 * 4.0, 0.5 * 0.6 * 0.5 * 4.0])
    assert target[1] > target[0] and target[2] < target[1]
    assert np.all(rebound.refill_target(np.zeros(3), np.ones(3), np.zeros(3), 0.5) == 0.0)


def test_refilled_work_builds_up_toward_its_target():
    hidden, target = np.zeros(1), np.array([2.0])
    path = []
    for _ in range(60):
        hidden = rebound.refill_step(hidden, target, 13.0)
        path.append(hidden[0])
    assert np.all(np.diff(path) > 0) and path[-1] < 2.0
    assert path[12] == pytest.approx(2.0 * (1 - (1 - 1 / 13) ** 13))
    assert path[-1] == pytest.approx(2.0, rel=0.02)
