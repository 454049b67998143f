"""The figures of the findings report: the library's effects, the dose-response curves, the
interactions of pairs of remedies as heatmaps, and the remedies' effects under perturbed
weights; each a function of :class:`~.runner.Findings`, written in the project's plot style.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ...outcomes import BETTER, BY_NAME
from .design import DOSE_OUTCOMES, HEADLINE, ROBUSTNESS_OUTCOMES, VERDICT_ORDER
from .runner import Findings
from .stats import BENEFICIAL, HARMFUL, NO_EFFECT, SUB_ADDITIVE, SUPER_ADDITIVE, spearman_summary
from .words import num, outcome_name, records

CLASS_COLOURS = {BENEFICIAL: "#4c72b0", HARMFUL: "#c44e52", NO_EFFECT: "#8c8c8c"}


def _axis_label(outcome: str) -> str:
    from ...i18n import outcome_label

    return outcome_label(outcome, "en")


def effects_figure(f: Findings):
    """The library's effects on the headline outcomes: difference from the baseline, 95% CI."""
    import matplotlib.pyplot as plt

    e = f.effects
    order = (
        e[e.outcome == "township_hours"]
        .assign(rank=lambda t: t.kind.map(VERDICT_ORDER))
        .sort_values(["rank", "diff"], ascending=[False, False])
        .scenario.tolist()
    )
    fig, axes = plt.subplots(
        1, len(HEADLINE), figsize=(12, 0.28 * len(order) + 1.6), sharey=True, layout="constrained"
    )
    y = np.arange(len(order))
    for ax, o in zip(axes, HEADLINE, strict=True):
        sub = e[e.outcome == o].set_index("scenario").loc[order]
        colours = [CLASS_COLOURS[c] for c in sub["class"]]
        ax.errorbar(
            sub["diff"],
            y,
            xerr=[sub["diff"] - sub.diff_ci_low, sub.diff_ci_high - sub["diff"]],
            fmt="none",
            ecolor=colours,
            elinewidth=1.2,
        )
        ax.scatter(sub["diff"], y, c=colours, s=18, zorder=3)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel(f"difference from baseline, {_axis_label(o)}")
        ax.set_title(outcome_name(o))
    axes[0].set_yticks(y, order)
    handles = [
        plt.Line2D([], [], marker="o", ls="", color=c, label=k) for k, c in CLASS_COLOURS.items()
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3)
    fig.suptitle(
        f"Single levers against the baseline ({f.settings.preset}, {f.settings.replicates} "
        "replicates, mean paired difference and 95% CI)"
    )
    return fig


def dose_figure(f: Findings):
    """One row per curve, one column per outcome: mean and 95% CI at each level."""
    import matplotlib.pyplot as plt

    curves = f.settings.curves()
    fig, axes = plt.subplots(
        len(curves),
        len(DOSE_OUTCOMES),
        figsize=(13, 2.6 * len(curves) + 0.6),
        layout="constrained",
        squeeze=False,
    )
    d = f.dose
    for i, curve in enumerate(curves):
        for j, o in enumerate(DOSE_OUTCOMES):
            ax = axes[i, j]
            sub = d[(d.curve == curve.key) & (d.outcome == o)].sort_values("level")
            ax.errorbar(
                sub.level,
                sub["mean"],
                yerr=[sub["mean"] - sub.ci_low, sub.ci_high - sub["mean"]],
                marker="o",
                ms=4,
                capsize=3,
                color="#4c72b0",
            )
            ax.axvline(curve.default, color="black", lw=0.8, ls=":")
            ax.set_ylabel(_axis_label(o))
            ax.set_xlabel(curve.axis)
            if i == 0:
                ax.set_title(outcome_name(o))
        axes[i, 0].annotate(
            curve.short.replace(" (", "\n("),
            xy=(-0.32, 0.5),
            xycoords="axes fraction",
            rotation=90,
            va="center",
            ha="center",
            fontweight="bold",
        )
    fig.suptitle(
        f"Dose-response ({f.settings.preset}, {f.settings.replicates} replicates; mean and 95% "
        "CI; dotted line: default level)"
    )
    return fig


def interactions_figure(f: Findings):
    """One heatmap per headline outcome: the interaction of each pair, coloured by how much
    more (blue) or less (red) good the pair does than its parts' sum."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    it = f.interactions
    names = list(dict.fromkeys([*it.a, *it.b])) if not it.empty else []
    n = len(names)
    fig, axes = plt.subplots(
        1, len(HEADLINE), figsize=(6.0 * len(HEADLINE), 0.4 * n + 2.0), layout="constrained"
    )
    for ax, o in zip(axes, HEADLINE, strict=True):
        grid = np.full((n, n), np.nan)
        marks = {}
        sub = it[(it.outcome == o)] if not it.empty else it
        for r in records(sub):
            if "interaction" not in sub or pd.isna(r.interaction):
                continue
            i, j = names.index(r.b), names.index(r.a)
            grid[i, j] = BETTER[o] * r.interaction
            resolved = r.cls in (SUPER_ADDITIVE, SUB_ADDITIVE)
            marks[i, j] = num(r.interaction, o) + ("*" if resolved else "")
        limit = np.nanmax(np.abs(grid)) if np.isfinite(grid).any() else 1.0
        limit = limit or 1.0
        im = ax.imshow(grid, cmap="RdBu", norm=TwoSlopeNorm(0, -limit, limit))
        for (i, j), text in marks.items():
            dark = abs(grid[i, j]) > 0.6 * limit
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=6.5,
                color="white" if dark else "black",
            )
        ax.set_xticks(range(n), names, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(n), names, fontsize=8)
        ax.grid(False)
        ax.set_title(outcome_name(o))
        unit = BY_NAME[o].unit
        bar = fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)  # as tall as the heatmap
        bar.set_label(f"interaction in the beneficial direction ({unit})", fontsize=8)
    fig.suptitle(
        f"Interactions of remedies ({f.settings.preset}, {f.settings.replicates} replicates): "
        "effect(A+B) - effect(A) - effect(B), in the outcome's unit\nblue: the pair does more "
        "good than the sum of its parts, red: less; *: the 95% CI excludes 0 (super- or "
        "sub-additive)"
    )
    return fig


def robustness_figure(f: Findings):
    """Per remedy: the default effect and the effects under each perturbation."""
    import matplotlib.pyplot as plt

    st, re_ = f.stability, f.robust_effects
    fig, axes = plt.subplots(
        1,
        len(ROBUSTNESS_OUTCOMES),
        figsize=(12, 0.3 * st.remedy.nunique() + 1.8),
        sharey=True,
        layout="constrained",
    )
    order = (
        st[st.outcome == ROBUSTNESS_OUTCOMES[0]].sort_values("default", ascending=False).remedy
    ).tolist()
    y = {n: i for i, n in enumerate(order)}
    rank = f.rank
    for ax, o in zip(axes, ROBUSTNESS_OUTCOMES, strict=True):
        sub = re_[re_.outcome == o]
        ax.scatter(
            sub["diff"],
            sub.remedy.map(y),
            s=10,
            color="#8c8c8c",
            alpha=0.7,
            label="perturbed weights",
        )
        d = st[st.outcome == o]
        ax.scatter(d["default"], d.remedy.map(y), marker="D", s=24, color="black", label="default")
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(range(len(order)), order)
        ax.set_xlabel(f"effect on {_axis_label(o)}")
        s = spearman_summary(rank[(rank.outcome == o) & (rank.weights == "perturbed")].spearman)
        ax.set_title(f"{outcome_name(o)}: Spearman median {s['median']:.2f}, min {s['min']:.2f}")
    axes[0].legend(loc="lower left")
    fig.suptitle(
        f"Remedies' effects under {len(f.perturbations)} perturbations of the behavioural "
        f"weights ({f.settings.perturbation_replicates} replicates each)"
    )
    return fig


FIGURE_MAKERS = {
    "effects.png": effects_figure,
    "dose_response.png": dose_figure,
    "interactions.png": interactions_figure,
    "robustness.png": robustness_figure,
}

FIGURES = tuple(FIGURE_MAKERS)


def write_figures(f: Findings, folder: Path) -> dict[str, Path]:
    import matplotlib as mpl

    from ... import plots

    out = {}
    for name, make in FIGURE_MAKERS.items():
        with mpl.rc_context(plots.STYLE):
            fig = make(f)
        plots.save(fig, folder / name)
        out[name] = folder / name
    return out
