"""One small figure per pattern: what the runs did over the weeks, and the statistic against
its criterion."""

from __future__ import annotations

import math

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..plots import STYLE
from .runner import PatternResult, Settings

__all__ = ["VERDICT_COLOURS", "pattern_figure"]

VERDICT_COLOURS = {"holds": "#55a868", "fails": "#c44e52", "inconclusive": "#dd8452"}
_LINES = ("#4c72b0", "#c44e52", "#55a868", "#dd8452", "#8172b3", "#937860")


def pattern_figure(result: PatternResult, settings: Settings) -> Figure:
    """Left: the weekly means over replicates of what the pattern reads, its window shaded and
    the policy start marked. Right: the statistic per replicate, its mean and 95% interval,
    and the region where the criterion is met."""
    with mpl.rc_context(STYLE):
        fig, (left, right) = plt.subplots(
            1, 2, figsize=(8.4, 2.9), layout="constrained", gridspec_kw={"width_ratios": [2.4, 1]}
        )
        _weeks_panel(left, result, settings)
        _statistic_panel(right, result)
        p = result.pattern
        fig.suptitle(f"{p.id}: {p.title}", fontsize=10, fontweight="bold")
    return fig


def _weeks_panel(ax, result: PatternResult, settings: Settings) -> None:
    for (name, series), colour in zip(result.series.items(), _LINES * 3, strict=False):
        ax.plot(series.index, series.to_numpy(), color=colour, lw=1.1, label=name)
    for k, (first, last) in enumerate(result.spans):
        ax.axvspan(first - 0.5, last + 0.5, color="0.5", alpha=0.12 if k else 0.22, lw=0)
    if 0 < settings.policy_start < settings.steps:
        ax.axvline(settings.policy_start + 0.5, color="black", lw=0.8, ls=":")
    ax.set_xlabel("week (shaded: weeks the statistic averages; dotted: levers switch on)")
    ax.set_ylabel(result.series_label)
    ax.set_xlim(1, settings.steps)
    if len(result.series) > 1:
        ax.legend(loc="best", fontsize=7)


def _statistic_panel(ax, result: PatternResult) -> None:
    p, c = result.pattern, result.criterion
    values = result.values
    colour = VERDICT_COLOURS[result.verdict]
    finite = values[np.isfinite(values)]
    points = [*finite.tolist(), result.ci_low, result.ci_high]
    for bound in (c.low, c.high):
        if math.isfinite(bound):
            points.append(bound)
    points = [v for v in points if math.isfinite(v)]
    lo, hi = (min(points), max(points)) if points else (0.0, 1.0)
    pad = 0.15 * (hi - lo) if hi > lo else 0.1 * max(abs(hi), 1.0)
    lo, hi = lo - pad, hi + pad
    ax.axhspan(max(c.low, lo), min(c.high, hi), color=VERDICT_COLOURS["holds"], alpha=0.12, lw=0)
    for bound in (c.low, c.high):
        if math.isfinite(bound):
            ax.axhline(bound, color="black", lw=0.8, ls="--")
    jitter = np.linspace(-0.12, 0.12, len(values)) if len(values) > 1 else np.zeros(1)
    ax.scatter(jitter, values, s=10, color="0.45", zorder=2, label="replicates")
    ax.errorbar(
        [0.32],
        [result.mean],
        yerr=[[result.mean - result.ci_low], [result.ci_high - result.mean]],
        fmt="o",
        color=colour,
        capsize=3,
        zorder=3,
        label="mean, 95% CI",
    )
    ax.set_xlim(-0.4, 0.6)
    ax.set_ylim(lo, hi)
    ax.set_xticks([])
    single = len(p.quantities) == 1
    name = {
        "paired": p.quantities[0],
        "difference": "Δ from reference" if single else "smallest Δ over its parts",
        "change": "late − early window",
        "level": p.quantities[0] if single else "smallest of its parts",
    }[p.kind]
    ax.set_ylabel(f"{name} ({p.unit})")
    ax.set_title(f"{result.verdict}: {c.text()}", color=colour, fontsize=9)
