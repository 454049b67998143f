"""The pure statistics of the findings report: the classes of an effect and of an interaction
(read off a paired interval in the outcome's better direction), the interaction of a pair under
common random numbers, the shape of a dose-response curve, and the rank correlations and sign
stability of effects under perturbed weights. Small functions of arrays and frames, with no
knowledge of scenarios or runs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..stats import mean_ci, paired_difference

LEVEL = 0.95


# Class names of effects and interactions (also the values in the CSV tables).
BENEFICIAL, HARMFUL, NO_EFFECT = "beneficial", "harmful", "no effect resolved"
SUPER_ADDITIVE, ADDITIVE, SUB_ADDITIVE = "super-additive", "additive", "sub-additive"


def effect_class(ci_low: float, ci_high: float, better: int) -> str:
    """Beneficial, harmful or no effect resolved: where the interval of a difference lies,
    read in the outcome's better direction (``better`` = -1 when lower is better)."""
    lo, hi = sorted((better * ci_low, better * ci_high))
    if lo > 0:
        return BENEFICIAL
    if hi < 0:
        return HARMFUL
    return NO_EFFECT


def interaction(
    base: np.ndarray, a: np.ndarray, b: np.ndarray, ab: np.ndarray, level: float = LEVEL
) -> tuple[float, float, float]:
    """Mean and t-interval of effect(A+B) - effect(A) - effect(B), paired per replicate.

    With common random numbers the per-replicate interaction is ab - a - b + base: the
    baseline's noise cancels, and the interval is over replicates.
    """
    arrays = [np.asarray(x, dtype=float) for x in (base, a, b, ab)]
    if len({x.shape for x in arrays}) != 1:
        raise ValueError("base, a, b and ab need one value per replicate each")
    base, a, b, ab = arrays
    return mean_ci(ab - a - b + base, level)


def classify_interaction(ci_low: float, ci_high: float, better: int) -> str:
    """Super-additive when the interval of the interaction lies wholly in the beneficial
    direction (the pair does more good than its parts' sum), sub-additive when wholly in the
    other, additive when it includes zero."""
    return {BENEFICIAL: SUPER_ADDITIVE, HARMFUL: SUB_ADDITIVE, NO_EFFECT: ADDITIVE}[
        effect_class(ci_low, ci_high, better)
    ]


@dataclass(frozen=True)
class Shape:
    """The shape of a dose-response curve in the outcome's own terms."""

    kind: str  # increasing | decreasing | peak | trough | flat
    at: float | None = None  # the level of a peak or trough
    monotone: bool = True  # every step of the means in one direction (increasing/decreasing)
    change: float = 0.0  # last level minus first, mean over replicates
    change_low: float = 0.0
    change_high: float = 0.0

    def optimum(self, better: int) -> bool:
        """Whether an interior extreme is the best level (a peak of a higher-is-better
        outcome, a trough of a lower-is-better one)."""
        return (self.kind == "peak" and better > 0) or (self.kind == "trough" and better < 0)


def curve_shape(
    levels: Sequence[float], values: np.ndarray, level: float = LEVEL, tolerance: float = 0.1
) -> Shape:
    """Monotone, an interior peak or trough, or flat, judged with paired intervals.

    ``values`` has one row per level (in increasing order) and one column per replicate, the
    columns paired by seed. An interior extreme counts only when it differs from both ends
    with intervals excluding zero and by more than ``tolerance`` times the curve's range (a
    curve that rises and then levels off at a bound, such as hours at the weekly maximum, may
    dip by a resolved but immaterial amount: that is a plateau, not an optimum). A rise or
    fall counts when the last level differs from the first. Anything else is flat: the
    replicates do not resolve a change.
    """
    x = np.asarray(levels, dtype=float)
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[0] != len(x) or len(x) < 2:
        raise ValueError("values must have one row per level (at least two levels)")
    means = v.mean(axis=1)
    material = tolerance * float(np.ptp(means))
    change, lo, hi, _ = paired_difference(v[-1], v[0], level)
    extremes = []
    for kind, i, sign in (
        ("peak", int(np.argmax(means)), 1),
        ("trough", int(np.argmin(means)), -1),
    ):
        if not 0 < i < len(x) - 1:
            continue
        left, l_lo, l_hi, _ = paired_difference(v[i], v[0], level)
        right, r_lo, r_hi, _ = paired_difference(v[i], v[-1], level)
        margins = (l_lo, r_lo) if sign > 0 else (-l_hi, -r_hi)
        if min(margins) > 0 and min(sign * left, sign * right) > material:
            extremes.append((min(margins), kind, float(x[i])))
    if extremes:
        _, kind, at = max(extremes)
        return Shape(kind, at, False, change, lo, hi)
    if lo > 0 or hi < 0:
        steps = np.diff(means) * np.sign(change)
        kind = "increasing" if change > 0 else "decreasing"
        return Shape(kind, None, bool(np.all(steps >= 0)), change, lo, hi)
    return Shape("flat", None, True, change, lo, hi)


def spearman_summary(rhos: Iterable[float]) -> dict[str, float]:
    """Median, minimum and maximum of rank correlations (NaNs, from constant rankings, left
    out), and how many there were."""
    r = np.asarray([x for x in rhos if x is not None and not math.isnan(x)], dtype=float)
    if r.size == 0:
        return {"median": math.nan, "min": math.nan, "max": math.nan, "n": 0}
    return {
        "median": float(np.median(r)),
        "min": float(r.min()),
        "max": float(r.max()),
        "n": int(r.size),
    }


def rank_correlation(default: pd.Series, perturbed: pd.Series) -> float:
    """Spearman's rank correlation of two sets of effects over the same remedies."""
    from scipy.stats import spearmanr

    both = pd.concat([default, perturbed], axis=1, join="inner").dropna()
    if len(both) < 3 or both.iloc[:, 0].nunique() < 2 or both.iloc[:, 1].nunique() < 2:
        return math.nan
    return float(spearmanr(both.iloc[:, 0], both.iloc[:, 1]).statistic)


def sign_stability(default: pd.Series, perturbed: pd.DataFrame) -> pd.DataFrame:
    """Per remedy (the index of ``default``; columns of ``perturbed`` are perturbations): the
    default effect, its range over the perturbations, the share of perturbations whose effect
    has the default's sign, and whether any has the opposite sign."""
    rows = []
    for name, d in default.items():
        p = perturbed.loc[name].to_numpy(dtype=float) if name in perturbed.index else np.array([])
        same = np.sign(p) == np.sign(d)
        rows.append(
            {
                "remedy": name,
                "default": float(d),
                "min": float(p.min()) if p.size else math.nan,
                "max": float(p.max()) if p.size else math.nan,
                "share_same_sign": float(same.mean()) if p.size else math.nan,
                "changes_sign": bool(p.size and d != 0 and not same.all()),
            }
        )
    return pd.DataFrame(rows)
