"""Figures shared by the CLI, notebooks and app. Functions take data and return a Figure."""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import i18n

__all__ = [
    "LEVEL_COLOURS",
    "bands_figure",
    "forest_figure",
    "indices_figure",
    "morris_figure",
    "overview_figure",
    "save",
]

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


def _localised(func):
    """Resolve ``lang`` (falling back to English without a CJK font) and draw in its font."""

    @functools.wraps(func)
    def wrapper(*args, lang: str = "en", **kwargs):
        lang = i18n.resolve_language(lang)
        fig = func(*args, lang=lang, **kwargs)
        i18n.apply_font(fig, lang)
        return fig

    return wrapper


def _mark_policy(ax, policy_start: int | None, n_weeks: int) -> None:
    if policy_start and 0 < policy_start < n_weeks:
        ax.axvline(policy_start + 0.5, color="black", lw=0.8, ls=":")


@_localised
def overview_figure(
    ts: pd.DataFrame,
    *,
    title: str = "",
    policy_start: int | None = None,
    standard_hours: float = 40.0,
    lang: str = "en",
) -> Figure:
    """Six panels over time: anxiety, the township week, formal work, items received,
    quality and burnout, trust. ``ts`` is a run's time series (index: week)."""

    def t(key, **fmt):
        return i18n.text(key, lang, **fmt)

    fig, axes = plt.subplots(2, 3, figsize=(12, 6.6), sharex=True, layout="constrained")
    weeks = ts.index.to_numpy()
    n = len(weeks)

    ax = axes[0, 0]
    for level, colour in LEVEL_COLOURS.items():
        ax.plot(weeks, ts[f"anxiety_{level}"], color=colour, label=t(level))
    ax.set(title=t("anxiety_by_level"), ylabel=t("anxiety_axis"), ylim=(0, 1))
    ax.legend(loc="lower right", ncols=2)

    ax = axes[0, 1]
    ax.stackplot(
        weeks,
        *(ts[c] for c in BURDEN_COLOURS),
        colors=list(BURDEN_COLOURS.values()),
        labels=[t("substantive"), t("necessary_formal"), t("pure_formalism")],
        alpha=0.85,
    )
    ax.axhline(standard_hours, color="black", lw=0.8, ls="--", label=t("standard_week"))
    ax.set(title=t("township_week"), ylabel=t("hours_per_week"))
    ax.legend(loc="lower right")

    ax = axes[0, 2]
    for col, key in (
        ("hours_meetings", "meetings"),
        ("hours_documents", "documents"),
        ("hours_data", "data_requests"),
        ("hours_platforms", "platform_checkins"),
        ("hours_inspection_prep", "inspection_prep"),
        ("hours_traces", "traces"),
    ):
        ax.plot(weeks, ts[col], label=t(key))
    ax.set(title=t("formal_by_kind"), ylabel=t("hours_per_week"))
    ax.legend(loc="upper left", ncols=2)

    ax = axes[1, 0]
    for col, key in (
        ("inspections_per_township", "inspections"),
        ("meetings_per_township", "meetings"),
        ("documents_per_township", "documents"),
        ("data_requests_per_township", "data_requests"),
    ):
        ax.plot(weeks, ts[col], label=t(key))
    ax.set(title=t("items_received"), ylabel=t("items_per_week"), xlabel=t("week"))
    ax.legend(loc="upper left", ncols=2)

    ax = axes[1, 1]
    for col, key, colour in (
        ("service_quality", "service_quality", "#4c72b0"),
        ("burnout", "burnt_out_share", "#c44e52"),
        ("formalism_share", "formalism_share", "#8c8c8c"),
    ):
        ax.plot(weeks, ts[col], label=t(key), color=colour)
    ax.set(title=t("service_and_burnout"), ylabel=t("share_axis"), ylim=(0, 1), xlabel=t("week"))
    ax.legend(loc="lower left")

    ax = axes[1, 2]
    for level in ("province", "city", "county"):
        ax.plot(
            weeks,
            ts[f"trust_{level}"],
            color=LEVEL_COLOURS[level],
            label=t("trust_in_subordinates", level=t(level)),
        )
    ax.set(title=t("superiors_trust"), ylabel=t("trust_axis"), ylim=(0, 1), xlabel=t("week"))
    ax.legend(loc="lower left")

    for ax in (axes[0, 1], axes[0, 2], axes[1, 0]):
        ax.set_ylim(0, ax.get_ylim()[1] * 1.3)  # from zero, with room for the legend
    for ax in axes.flat:
        _mark_policy(ax, policy_start, n)
        ax.set_xlim(weeks[0], weeks[-1])
    if title:
        shows_policy = policy_start and policy_start < n
        note = f"  ({t('levers_take_effect')})" if shows_policy else ""
        fig.suptitle(title + note, fontsize=11)
    return fig


def save(fig: Figure, path) -> None:
    """Save and close a figure."""
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


COMPARE_OUTCOMES = (
    "township_hours",
    "hours_pure_formalism",
    "formalism_share",
    "anxiety_township",
    "service_quality",
    "burnout",
    "inspections_per_township",
    "data_requests_per_township",
    "lever_cost",
)


def _panels(n: int, ncols: int = 3, height: float = 3.2, width: float = 12.0, **kw):
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width, height * nrows), layout="constrained", squeeze=False, **kw
    )
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes


@_localised
def bands_figure(
    bands: pd.DataFrame,
    *,
    outcomes=COMPARE_OUTCOMES,
    title: str = "",
    policy_start: int | None = None,
    lang: str = "en",
) -> Figure:
    """Outcome time series per scenario: replicate mean and 5-95% replicate band."""
    scenarios = list(dict.fromkeys(bands.scenario))
    fig, axes = _panels(len(outcomes), height=3.1, sharex=True)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        sub = bands[bands.outcome == outcome]
        for i, name in enumerate(scenarios):
            s = sub[sub.scenario == name]
            c = colours[i % len(colours)]
            ax.fill_between(s.week, s.p05, s.p95, color=c, alpha=0.18, lw=0)
            ax.plot(s.week, s["mean"], color=c, lw=1.4, label=name)
        _mark_policy(ax, policy_start, int(sub.week.max()))
        ax.set_title(i18n.outcome_label(outcome, lang))
        ax.set_xlim(1, int(sub.week.max()))
    for ax in axes[-1]:
        ax.set_xlabel(i18n.text("week", lang))
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(scenarios), 5))
    note = i18n.text("bands_note", lang)
    if policy_start:
        note += "; " + i18n.text("levers_note", lang)
    fig.suptitle((title + "\n" if title else "") + note, fontsize=10)
    return fig


@_localised
def forest_figure(
    table: pd.DataFrame,
    *,
    reference: str,
    outcomes=COMPARE_OUTCOMES,
    level: float = 0.95,
    title: str = "",
    lang: str = "en",
) -> Figure:
    """Paired differences from the reference scenario with confidence intervals."""
    others = [s for s in dict.fromkeys(table.scenario) if s != reference]
    height = max(2.2, 0.32 * len(others) + 1.2)
    fig, axes = _panels(len(outcomes), height=height, sharey=True)
    y = list(range(len(others)))[::-1]
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        sub = table[(table.outcome == outcome)].set_index("scenario").loc[others]
        for yi, (_, row) in zip(y, sub.iterrows(), strict=True):
            colour = "#c44e52" if row.excludes_zero else "#8c8c8c"
            lo, hi = row["diff"] - row.diff_ci_low, row.diff_ci_high - row["diff"]
            ax.errorbar(
                row["diff"],
                yi,
                xerr=[[lo], [hi]],
                fmt="o",
                color=colour,
                ms=4,
                elinewidth=1.4,
                capsize=2.5,
            )
        ax.axvline(0, color="black", lw=0.8)
        ax.set_title(i18n.outcome_label(outcome, lang))
        ax.set_yticks(y, others)
        ax.grid(axis="y", alpha=0)
    note = i18n.text("forest_note", lang, reference=reference, level=int(level * 100))
    fig.suptitle((title + "\n" if title else "") + note, fontsize=10)
    return fig


@_localised
def indices_figure(
    indices: pd.DataFrame, *, title: str = "", level: float = 0.95, lang: str = "en"
) -> Figure:
    """First-order (S1) and total (ST) indices per outcome with confidence intervals
    (Sobol or eFAST), factors sorted by ST."""
    outcomes = list(dict.fromkeys(indices.outcome))
    factors = list(dict.fromkeys(indices.parameter[indices["index"] == "ST"]))
    fig, axes = _panels(len(outcomes), height=max(2.6, 0.28 * len(factors) + 1.2))
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        sub = indices[indices.outcome == outcome]
        st = sub[sub["index"] == "ST"].set_index("parameter").sort_values("value")
        s1 = sub[sub["index"] == "S1"].set_index("parameter").loc[st.index]
        y = np.arange(len(st))
        bars = {"elinewidth": 0.8, "capsize": 2}
        ax.barh(
            y + 0.2,
            st.value,
            height=0.4,
            xerr=st.confidence,
            color="#4c72b0",
            label=i18n.text("total_order", lang),
            error_kw=bars,
        )
        ax.barh(
            y - 0.2,
            s1.value,
            height=0.4,
            xerr=s1.confidence,
            color="#dd8452",
            label=i18n.text("first_order", lang),
            error_kw=bars,
        )
        ax.set_yticks(y, st.index)
        ax.axvline(0, color="black", lw=0.6)
        ax.set_title(i18n.outcome_label(outcome, lang))
        ax.set_xlabel(i18n.text("variance_share", lang))
        ax.grid(axis="y", alpha=0)
    axes.flat[0].legend(loc="lower right")
    note = i18n.text("indices_note", lang, level=int(level * 100))
    fig.suptitle((title + "\n" if title else "") + note, fontsize=10)
    return fig


@_localised
def morris_figure(indices: pd.DataFrame, *, title: str = "", lang: str = "en") -> Figure:
    """Morris screening: mu* (mean absolute elementary effect) against sigma per outcome."""
    outcomes = list(dict.fromkeys(indices.outcome))
    fig, axes = _panels(len(outcomes), height=3.6)
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        sub = indices[indices.outcome == outcome].pivot(index="parameter", columns="index")
        mu_star, sigma = sub["value"]["mu_star"], sub["value"]["sigma"]
        ax.errorbar(
            mu_star,
            sigma,
            xerr=sub["confidence"]["mu_star"],
            fmt="o",
            ms=4,
            color="#4c72b0",
            elinewidth=0.8,
            capsize=2,
        )
        for name in sub.index:
            ax.annotate(
                name,
                (mu_star[name], sigma[name]),
                fontsize=7,
                xytext=(3, 3),
                textcoords="offset points",
            )
        top = max(float(mu_star.max()), float(sigma.max()), 1e-12) * 1.1
        ax.plot([0, top], [0, top], color="grey", lw=0.6, ls="--")
        ax.set(
            xlim=(0, top),
            ylim=(0, top),
            xlabel=i18n.text("mu_star_axis", lang),
            ylabel=i18n.text("sigma_axis", lang),
        )
        ax.set_title(i18n.outcome_label(outcome, lang))
    fig.suptitle((title + "\n" if title else "") + i18n.text("morris_note", lang), fontsize=10)
    return fig
