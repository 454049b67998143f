"""sim.rules.assessment: process/result scoring and the tournament ranking."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import assessment


def test_process_weight_by_mode():
    assert assessment.process_weight("process", 0.25) == 1.0
    assert assessment.process_weight("result", 0.25) == 0.0
    assert assessment.process_weight("result_campaigns", 0.25) == 0.25


def test_process_score_rises_with_traces_and_saturates():
    t = np.array([0.0, 0.05, 0.15, 1.0, 10.0])
    s = assessment.process_score(t, 0.15)
    assert s[0] == 0.0
    assert np.all(np.diff(s) > 0)
    assert s[2] == pytest.approx(1 - np.exp(-1))
    assert s[-1] == pytest.approx(1.0)


def test_unit_score_equation():
    got = assessment.unit_score(np.array([0.6]), np.array([0.9]), 0.25, np.array([0.1]), 2.0)
    assert got[0] == pytest.approx(0.25 * 0.6 + 0.75 * 0.9 - 0.2)
    process_only = assessment.unit_score(np.array([0.6]), np.array([0.9]), 1.0, np.zeros(1), 2.0)
    result_only = assessment.unit_score(np.array([0.6]), np.array([0.9]), 0.0, np.zeros(1), 2.0)
    assert process_only[0] == pytest.approx(0.6) and result_only[0] == pytest.approx(0.9)


def test_rank_in_groups_on_a_small_example():
    score = np.array([3.0, 1.0, 2.0, 5.0, 4.0, 9.0])
    group = np.array([0, 0, 0, 1, 1, 2])
    rank = assessment.rank_in_groups(score, group, np.zeros(6))
    assert np.allclose(rank, [1.0, 0.0, 0.5, 1.0, 0.0, 0.5])


def test_ties_are_broken_by_the_tiebreak_not_the_index():
    score = np.array([1.0, 1.0, 1.0])
    group = np.zeros(3, dtype=int)
    a = assessment.rank_in_groups(score, group, np.array([0.9, 0.1, 0.5]))
    b = assessment.rank_in_groups(score, group, np.array([0.1, 0.9, 0.5]))
    assert np.allclose(a, [1.0, 0.0, 0.5])
    assert np.allclose(b, [0.0, 1.0, 0.5])


@st.composite
def ranked_groups(draw):
    n = draw(st.integers(1, 30))
    group = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)))
    # Scores on a coarse grid: ties happen, and distinct scores are far apart.
    score = np.array(draw(st.lists(st.integers(-40, 40), min_size=n, max_size=n))) / 4.0
    # Distinct tiebreaks at least 1/30 apart (the model draws them uniformly in [0, 1)).
    tiebreak = np.array(draw(st.permutations(range(n)))) / n
    perm = np.array(draw(st.permutations(range(n))))
    return score, group, tiebreak, perm


@settings(max_examples=200, deadline=None)
@given(ranked_groups())
def test_rank_in_groups_properties(case):
    score, group, tiebreak, perm = case
    rank = assessment.rank_in_groups(score, group, tiebreak)
    assert np.all((rank >= 0) & (rank <= 1))
    for g in np.unique(group):
        members = np.flatnonzero(group == g)
        r = rank[members]
        n = members.size
        if n == 1:
            assert r[0] == 0.5
            continue
        # 0 worst, 1 best; every position used once.
        assert np.allclose(np.sort(r), np.arange(n) / (n - 1))
        s = score[members]
        for i in range(n):
            below = np.sum(s < s[i])
            ties = np.sum(s == s[i])
            # A unit outranks all lower scores and is outranked by all higher ones.
            assert below / (n - 1) - 1e-12 <= r[i] <= (below + ties - 1) / (n - 1) + 1e-12
    # Permutation invariance: relabelling units permutes the ranks the same way.
    permuted = assessment.rank_in_groups(score[perm], group[perm], tiebreak[perm])
    assert np.allclose(permuted, rank[perm])


@settings(max_examples=100, deadline=None)
@given(ranked_groups(), st.integers(-40, 40))
def test_rank_depends_only_on_scores_within_the_group(case, shift):
    score, group, tiebreak, _ = case
    rank = assessment.rank_in_groups(score, group, tiebreak)
    others = group != group[0]
    changed = score.copy()
    changed[others] = shift / 4.0  # other groups' scores change
    again = assessment.rank_in_groups(changed, group, tiebreak)
    assert np.allclose(again[~others], rank[~others])


def test_ties_follow_the_tiebreak_at_national_group_ids():
    rng = np.random.default_rng(0)
    n = 13  # about the number of townships under one county
    for group_id in (5, 3_000, 42_000):
        for _ in range(20):
            tiebreak = rng.random(n)
            rank = assessment.rank_in_groups(np.ones(n), np.full(n, group_id), tiebreak)
            assert np.allclose(rank, np.argsort(np.argsort(tiebreak)) / (n - 1)), group_id


def _rank_by_two_sorts(score, group, tiebreak):
    # The textbook ranking: sort every unit by score (tie-break included), then stably by group.
    low, span = score.min(), np.ptp(score)
    scaled = (score - low) / span if span > 0 else np.zeros(score.size)
    by_score = np.argsort(scaled + 1e-9 * tiebreak, kind="stable")
    order = by_score[np.argsort(group[by_score], kind="stable")]
    rank = np.empty(score.size)
    for g in np.unique(group):
        members = order[group[order] == g]
        rank[members] = np.arange(members.size) / (members.size - 1) if members.size > 1 else 0.5
    return rank


@pytest.mark.parametrize("seed", range(5))
def test_rank_in_groups_equals_two_sorts_for_small_and_large_groups(seed):
    # Groups of every size, ids in any order and with gaps; above 32 members a group is sorted
    # by argsort rather than by insertion, so both paths are checked. Scores repeat often.
    rng = np.random.default_rng(seed)
    sizes = [1, 2, 3, 13, 32, 33, 200]
    ids = rng.permutation(np.arange(0, 3 * len(sizes), 3))[: len(sizes)]
    group = rng.permutation(np.repeat(ids, sizes))
    score = rng.integers(0, 6, group.size) / 5.0
    tiebreak = rng.random(group.size)
    rank = assessment.rank_in_groups(score, group, tiebreak)
    assert np.array_equal(rank, _rank_by_two_sorts(score, group, tiebreak))


def test_promotion_odds_rise_with_rank():
    r = np.linspace(0, 1, 11)
    odds = assessment.promotion_odds(r, 6.0)
    assert np.all(np.diff(odds) > 0)
    assert odds[5] == pytest.approx(0.5)
    flat = assessment.promotion_odds(r, 0.0)
    assert np.allclose(flat, 0.5)


def test_tournament_pressure_falls_with_rank_and_scales_with_intensity():
    r = np.array([0.0, 0.5, 1.0])
    p = assessment.tournament_pressure(r, 6.0, 1.0)
    assert np.all(np.diff(p) < 0)
    assert np.allclose(assessment.tournament_pressure(r, 6.0, 2.0), 2 * p)
    assert np.array_equal(assessment.tournament_pressure(r, 6.0, 0.0), np.zeros(3))


def test_preparation_costs_full_hours_under_process_assessment_and_a_share_under_results():
    assert assessment.preparation_hours(6.0, 1.0, 1.0, 0.3) == pytest.approx(6.0)
    assert assessment.preparation_hours(6.0, 1.0, 0.0, 0.3) == pytest.approx(1.8)
    assert assessment.preparation_hours(6.0, 0.5, 1.0, 0.3) == pytest.approx(3.0)


def test_observed_process_score_is_zero_without_substantive_work():
    score = assessment.observed_process_score(np.array([3.0, 0.0]), np.array([6.0, 0.0]))
    assert score.tolist() == [0.5, 0.0]
