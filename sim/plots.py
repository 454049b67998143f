"""Figures shared by the CLI, notebooks and app. Functions take data and return a Figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files, not windows: the CLI and CI have no display

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

__all__ = ["LEVEL_COLOURS", "overview_figure", "save"]

LEVEL_COLOURS = {
    "province": "#4c72b0",
    "city": "#55a868",
    "county": "#dd8452",
    "township": "#c44e52",
}
BURDEN_COLOURS = {
    "hours_substantive": "#4c72b0",
    "hours_necessary_formal": "#8c8c8c",
    "hours_pure_formalism": "#c44e52",
}

plt.rcParams.update(
    {
        "figure.dpi": 110,
        "savefig.dpi": 200,
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.frameon": False,
        "legend.fontsize": 8,
    }
)


def _mark_policy(ax, policy_start: int | None, n_weeks: int) -> None:
    if policy_start and 0 < policy_start < n_weeks:
        ax.axvline(policy_start + 0.5, color="black", lw=0.8, ls=":")


def overview_figure(
    ts: pd.DataFrame,
    *,
    title: str = "",
    policy_start: int | None = None,
    standard_hours: float = 40.0,
) -> Figure:
    """Six panels over time: anxiety, the township week, formal work, items received,
    quality and burnout, trust. ``ts`` is a run's time series (index: week)."""
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.6), sharex=True, layout="constrained")
    weeks = ts.index.to_numpy()
    n = len(weeks)

    ax = axes[0, 0]
    for level, colour in LEVEL_COLOURS.items():
        ax.plot(weeks, ts[f"anxiety_{level}"], color=colour, label=level)
    ax.set(title="Anxiety by level", ylabel="anxiety (0-1)", ylim=(0, 1))
    ax.legend(loc="lower right", ncols=2)

    ax = axes[0, 1]
    parts = list(BURDEN_COLOURS)
    ax.stackplot(
        weeks,
        *(ts[c] for c in parts),
        colors=list(BURDEN_COLOURS.values()),
        labels=["substantive", "necessary formal", "pure formalism"],
        alpha=0.85,
    )
    ax.axhline(standard_hours, color="black", lw=0.8, ls="--", label="standard week")
    ax.set(title="Township official's week", ylabel="hours per week")
    ax.legend(loc="lower right")

    ax = axes[0, 2]
    for col, label in (
        ("hours_meetings", "meetings"),
        ("hours_documents", "documents"),
        ("hours_data", "data requests"),
        ("hours_platforms", "platform check-ins"),
        ("hours_inspection_prep", "inspection preparation"),
        ("hours_traces", "trace-leaving"),
    ):
        ax.plot(weeks, ts[col], label=label)
    ax.set(title="Formal work by kind", ylabel="hours per week")
    ax.legend(loc="upper left", ncols=2)

    ax = axes[1, 0]
    for col, label in (
        ("inspections_per_township", "inspections"),
        ("meetings_per_township", "meetings"),
        ("documents_per_township", "documents"),
        ("data_requests_per_township", "data requests"),
    ):
        ax.plot(weeks, ts[col], label=label)
    ax.set(title="Items received per township", ylabel="items per week", xlabel="week")
    ax.legend(loc="upper left", ncols=2)

    ax = axes[1, 1]
    for col, label, colour in (
        ("service_quality", "service quality", "#4c72b0"),
        ("burnout", "burnt-out share", "#c44e52"),
        ("formalism_share", "formalism share of hours", "#8c8c8c"),
    ):
        ax.plot(weeks, ts[col], label=label, color=colour)
    ax.set(title="Service and burnout", ylabel="share (0-1)", ylim=(0, 1), xlabel="week")
    ax.legend(loc="lower left")

    ax = axes[1, 2]
    for level, col in (
        ("province", "trust_province"),
        ("city", "trust_city"),
        ("county", "trust_county"),
    ):
        ax.plot(weeks, ts[col], color=LEVEL_COLOURS[level], label=f"{level} in subordinates")
    ax.set(title="Superiors' trust", ylabel="trust (0-1)", ylim=(0, 1), xlabel="week")
    ax.legend(loc="lower left")

    for ax in (axes[0, 1], axes[0, 2], axes[1, 0]):
        ax.set_ylim(0, ax.get_ylim()[1] * 1.3)  # from zero, with room for the legend
    for ax in axes.flat:
        _mark_policy(ax, policy_start, n)
        ax.set_xlim(weeks[0], weeks[-1])
    if title:
        note = "  (dotted line: levers take effect)" if policy_start and policy_start < n else ""
        fig.suptitle(title + note, fontsize=11)
    return fig


def save(fig: Figure, path) -> None:
    """Save and close a figure."""
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
