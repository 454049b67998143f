"""sim.experiments.stats checked against scipy and textbook definitions on known data."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats as sps

from sim.experiments.stats import (
    cohens_d_av,
    holm,
    mean_ci,
    paired_difference,
    replicates_for_half_width,
    replicates_to_exclude_zero,
)

X = np.array([3.1, 2.4, 5.0, 4.2, 3.3, 2.9, 4.8, 3.6])
R = np.array([2.9, 2.6, 4.1, 3.9, 3.0, 2.2, 4.4, 3.5])


def t_interval(x, level):
    x = np.asarray(x, dtype=float)
    return sps.t.interval(level, len(x) - 1, loc=x.mean(), scale=sps.sem(x))


# ---- mean_ci -------------------------------------------------------------------------------------
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_mean_ci_is_scipys_t_interval(level):
    m, lo, hi = mean_ci(X, level)
    assert m == pytest.approx(X.mean())
    assert (lo, hi) == pytest.approx(t_interval(X, level), rel=1e-12)


def test_mean_ci_widens_with_the_level_and_narrows_with_more_data(rng):
    x = rng.normal(size=20)
    widths = [np.ptp(mean_ci(x, level)[1:]) for level in (0.8, 0.9, 0.95, 0.99)]
    assert all(a < b for a, b in itertools.pairwise(widths))
    more = np.concatenate([x, x])  # same spread, twice the replicates
    assert np.ptp(mean_ci(more)[1:]) < np.ptp(mean_ci(x)[1:])


def test_mean_ci_of_a_constant_sample_has_zero_width():
    assert mean_ci(np.full(5, 2.5)) == (2.5, 2.5, 2.5)


# ---- paired_difference ---------------------------------------------------------------------------
@pytest.mark.parametrize("level", [0.9, 0.95])
def test_paired_difference_is_scipys_paired_t_test(level):
    diff, lo, hi, p = paired_difference(X, R, level)
    res = sps.ttest_rel(X, R)
    ci = res.confidence_interval(level)
    assert diff == pytest.approx((X - R).mean())
    assert (lo, hi) == pytest.approx((ci.low, ci.high), rel=1e-12)
    assert p == pytest.approx(res.pvalue, rel=1e-12)
    # ... which is the one-sample t-interval of the differences.
    assert (lo, hi) == pytest.approx(t_interval(X - R, level), rel=1e-12)


def test_paired_difference_sign_follows_the_argument_order():
    d1 = paired_difference(X, R)
    d2 = paired_difference(R, X)
    assert d1[0] == pytest.approx(-d2[0])
    assert (d1[1], d1[2]) == pytest.approx((-d2[2], -d2[1]))
    assert d1[3] == pytest.approx(d2[3])


def test_pairing_is_narrower_than_ignoring_it_under_common_noise(rng):
    common = rng.normal(0, 5, 30)  # the shared randomness of common seeds
    x, r = common + 1.0 + rng.normal(0, 0.3, 30), common + rng.normal(0, 0.3, 30)
    _, lo, hi, p = paired_difference(x, r)
    unpaired = sps.ttest_ind(x, r).confidence_interval()
    assert hi - lo < (unpaired.high - unpaired.low) / 5
    assert lo > 0 and p < 1e-6


def test_identical_pairs_give_a_zero_width_interval_and_p_one():
    assert paired_difference(X, X.copy()) == (0.0, 0.0, 0.0, 1.0)


def test_a_constant_nonzero_difference_gives_p_zero():
    base = np.array([1.0, 2.0, 4.0, 8.0, 3.0])  # + 0.5 is exact in binary floating point
    diff, lo, hi, p = paired_difference(base + 0.5, base)
    assert diff == lo == hi == 0.5
    assert p == 0.0


# ---- holm ----------------------------------------------------------------------------------------
def holm_textbook(p):
    """Holm (1979): p_(i) adjusted = max_{j <= i} min(1, (m - j + 1) p_(j)), NaNs left out."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    idx = [i for i in range(p.size) if not math.isnan(p[i])]
    order = sorted(idx, key=lambda i: p[i])
    m = len(order)
    running = 0.0
    for j, i in enumerate(order, start=1):
        running = max(running, min(1.0, (m - j + 1) * p[i]))
        out[i] = running
    return out


def test_holm_on_a_hand_worked_example():
    # Sorted: 0.005 x4 = 0.02; 0.01 x3 = 0.03; 0.03 x2 = 0.06; 0.04 x1 = 0.04 -> 0.06 (monotone).
    got = holm(np.array([0.01, 0.04, 0.03, 0.005]))
    assert got == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_holm_caps_at_one_and_keeps_nans():
    got = holm(np.array([0.5, np.nan, 0.3, 0.9]))
    assert np.isnan(got[1])
    # Sorted: 0.3 x3 = 0.9; 0.5 x2 = 1.0 (capped); 0.9 x1 = 0.9 -> 1.0 (monotone).
    assert got[[0, 2, 3]] == pytest.approx([1.0, 0.9, 1.0])
    assert np.isnan(holm(np.array([np.nan, np.nan]))).all()


@pytest.mark.parametrize("seed", range(5))
def test_holm_matches_the_textbook_definition_on_random_p_values(seed):
    r = np.random.default_rng(seed)
    p = r.uniform(0, 0.2, 40) ** 2
    p[r.choice(40, 6, replace=False)] = np.nan
    got = holm(p)
    assert np.allclose(got, holm_textbook(p), equal_nan=True)
    ok = ~np.isnan(p)
    assert np.array_equal(np.isnan(got), ~ok)
    assert np.all(got[ok] >= p[ok]) and np.all(got[ok] <= 1.0)
    order = np.argsort(p[ok])
    assert np.all(np.diff(got[ok][order]) >= 0)  # monotone in the raw p-values


def test_holm_with_one_test_is_the_raw_p_value():
    assert holm(np.array([np.nan, 0.037])) == pytest.approx([np.nan, 0.037], nan_ok=True)


# ---- cohens_d_av ---------------------------------------------------------------------------------
def test_cohens_d_av_is_the_mean_difference_over_the_mean_standard_deviation():
    expected = (X.mean() - R.mean()) / ((X.std(ddof=1) + R.std(ddof=1)) / 2)
    assert cohens_d_av(X, R) == pytest.approx(expected)
    assert cohens_d_av(R, X) == pytest.approx(-expected)


def test_cohens_d_av_ignores_the_correlation_that_common_seeds_create(rng):
    common = rng.normal(0, 1, 50)
    x, r = common + 0.5, common + rng.normal(0, 0.01, 50)
    d_z = (x - r).mean() / (x - r).std(ddof=1)
    assert abs(cohens_d_av(x, r)) < 1.0 < abs(d_z)


def test_cohens_d_av_degenerate_cases():
    assert cohens_d_av(np.ones(4), np.ones(4)) == 0.0
    assert cohens_d_av(np.full(4, 2.0), np.ones(4)) == math.inf
    assert cohens_d_av(np.ones(4), np.full(4, 2.0)) == -math.inf
    assert math.isnan(cohens_d_av(np.ones(1), np.ones(1)))


# ---- replicates ----------------------------------------------------------------------------------
def half_width_factor(n, level=0.95):
    return sps.t.ppf(0.5 + level / 2, n - 1) / math.sqrt(n)


@pytest.mark.parametrize("n", [2, 3, 5, 10, 30, 100])
@pytest.mark.parametrize("level", [0.9, 0.95])
def test_replicates_for_half_width_halves_the_interval_and_is_minimal(n, level):
    m = replicates_for_half_width(n, level)
    target = 0.5 * half_width_factor(n, level)
    assert half_width_factor(m, level) <= target  # at most half as wide
    assert m == n + 1 or half_width_factor(m - 1, level) > target  # and no fewer would do
    assert n < m <= 4 * n  # the t quantile shrinks with n, so never more than 4n


def test_replicates_for_half_width_approaches_four_times_n():
    assert replicates_for_half_width(1000) == pytest.approx(4000, rel=0.01)


def test_replicates_for_half_width_needs_two_replicates():
    assert replicates_for_half_width(1) == 0


def smallest_m(mean, sd, level=0.95):
    m = 2
    while sps.t.ppf(0.5 + level / 2, m - 1) * sd / math.sqrt(m) >= abs(mean):
        m += 1
    return m


@pytest.mark.parametrize("effect", [0.2, 0.5, 1.0, 3.0])
def test_replicates_to_exclude_zero_would_resolve_the_effect(rng, effect):
    d = rng.normal(0, 1, 10)
    d = (d - d.mean()) / d.std(ddof=1) + effect  # mean `effect`, sd exactly 1
    m = replicates_to_exclude_zero(d)
    best = smallest_m(effect, 1.0)
    # Enough replicates for the interval to exclude zero, and close to the fewest that would.
    assert sps.t.ppf(0.975, m - 1) / math.sqrt(m) < effect
    assert best <= m <= math.ceil(best * 9 / 8) + 1


def test_replicates_to_exclude_zero_falls_as_the_effect_grows(rng):
    d = rng.normal(0, 1, 10)
    d = (d - d.mean()) / d.std(ddof=1)
    needed = [replicates_to_exclude_zero(d + e) for e in (0.1, 0.3, 1.0, 3.0)]
    assert all(a > b for a, b in itertools.pairwise(needed))
    assert replicates_to_exclude_zero(-(d + 0.3)) == needed[1]  # the sign does not matter


def test_replicates_to_exclude_zero_degenerate_cases(rng):
    cap = 1000
    assert replicates_to_exclude_zero(np.zeros(5), cap=cap) == cap  # no effect at all
    d = rng.normal(0, 1, 10)
    assert replicates_to_exclude_zero(d - d.mean(), cap=cap) == cap  # zero mean
    assert replicates_to_exclude_zero(np.full(5, 0.3), cap=cap) == 0  # no spread: resolved
    tiny = (d - d.mean()) / d.std(ddof=1) + 1e-6  # would need ~1e13 replicates
    assert replicates_to_exclude_zero(tiny, cap=cap) == cap
