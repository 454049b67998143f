"""Statistics for comparing scenarios run with common random numbers.

Replicate i of every scenario uses the same seed, so differences are paired: the paired
t-interval of the mean difference is much narrower than an unpaired one would be.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import stats

__all__ = [
    "cohens_d_av",
    "holm",
    "mean_ci",
    "paired_difference",
    "replicates_for_half_width",
    "replicates_to_exclude_zero",
]


def mean_ci(x: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and its t-interval. A constant sample has a zero-width interval."""
    x = np.asarray(x, dtype=float)
    m = float(x.mean())
    if x.size < 2 or np.ptp(x) == 0:
        return m, m, m
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Precision loss", RuntimeWarning)
        ci = stats.ttest_1samp(x, 0.0).confidence_interval(level)
    return m, float(ci.low), float(ci.high)


def paired_difference(
    x: np.ndarray, reference: np.ndarray, level: float = 0.95
) -> tuple[float, float, float, float]:
    """Mean of ``x - reference``, its paired t-interval, and the paired t-test p-value.

    Identical pairs give a zero-width interval and p = 1; a constant non-zero difference gives
    p = 0 (the t statistic is infinite).
    """
    d = np.asarray(x, dtype=float) - np.asarray(reference, dtype=float)
    m = float(d.mean())
    if d.size < 2 or np.ptp(d) == 0:
        return m, m, m, (1.0 if m == 0 else 0.0)
    with warnings.catch_warnings():
        # Near-identical pairs (common random numbers) trip scipy's precision warning; the
        # interval and p-value are still right for the data given.
        warnings.filterwarnings("ignore", "Precision loss", RuntimeWarning)
        res = stats.ttest_rel(x, reference)
        ci = res.confidence_interval(level)
    return m, float(ci.low), float(ci.high), float(res.pvalue)


def cohens_d_av(x: np.ndarray, reference: np.ndarray) -> float:
    """Standardised difference: mean difference over the mean of the two standard deviations
    (Cohen's d_av; Lakens 2013). Unlike d_z it is not inflated by common random numbers."""
    x, reference = np.asarray(x, dtype=float), np.asarray(reference, dtype=float)
    diff = float(x.mean() - reference.mean())
    if x.size < 2:
        return math.nan
    sd = 0.5 * (x.std(ddof=1) + reference.std(ddof=1))
    if sd == 0:
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return diff / sd


def holm(pvalues: np.ndarray) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values (step-down; NaNs are left out and kept as NaN)."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = ok.size
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adjusted, 1.0)
    return out


def _half_width_factor(n: int, level: float) -> float:
    return stats.t.ppf(0.5 + level / 2, n - 1) / math.sqrt(n)


def replicates_for_half_width(n: int, level: float = 0.95) -> int:
    """Replicates that would make a t-interval half as wide as with ``n`` (same spread)."""
    if n < 2:
        return 0
    target = 0.5 * _half_width_factor(n, level)
    m = n + 1
    while _half_width_factor(m, level) > target:
        m += 1
    return m


def replicates_to_exclude_zero(d: np.ndarray, level: float = 0.95, cap: int = 100_000) -> int:
    """Roughly how many paired replicates would make the interval of the mean difference
    exclude zero, if the mean and spread of ``d`` held: smallest m with t * s / sqrt(m) < |mean|.
    Returns 0 when the sample is degenerate and ``cap`` when the effect is nil."""
    d = np.asarray(d, dtype=float)
    mean, sd = abs(float(d.mean())), float(d.std(ddof=1)) if d.size > 1 else 0.0
    if sd == 0:
        return 0 if mean > 0 else cap
    if mean == 0:
        return cap
    m = 2
    while m < cap and stats.t.ppf(0.5 + level / 2, m - 1) * sd / math.sqrt(m) >= mean:
        m = m + max(1, m // 8)
    return min(m, cap)
