"""Figures of an exploration: robustness ranking, PRIM trajectories, feature scores, lever
interactions. Functions take tables and return a Figure, in the house style and language."""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import i18n
from ..plots import _localised, _panels
from ..scenario import ScenarioError, load_scenario

__all__ = ["feature_scores_figure", "interactions_figure", "prim_figure", "robustness_figure"]


# In English the figures keep the names of the files and tables (scenario files, dotted
# parameters), which readers of the CSVs look up; in Chinese they show readers' names.
@functools.cache
def policy_label(name: str, lang: str) -> str:
    """A policy (scenario) as a figure names it: its Chinese title in Chinese."""
    if lang == "en":
        return name
    try:
        spec = load_scenario(name)
    except ScenarioError:
        return name
    return spec.title_zh or name


def factor_label(name: str, lang: str) -> str:
    """An uncertainty, lever group or "policy" as a figure names it."""
    if name == "policy":
        return i18n.text("feature_policy", lang)
    if lang == "en":
        return name
    return i18n.param_label(name, lang) if "." in name else i18n.group_label(name, lang)


@_localised
def robustness_figure(
    robustness: pd.DataFrame, satisficing: pd.DataFrame, *, title: str = "", lang: str = "en"
) -> Figure:
    """Satisficing share per policy, then maximum and 90th-percentile regret per outcome;
    policies in the order of their satisficing share (most robust on top)."""
    order = satisficing.sort_values("satisficing_share").policy.tolist()
    scored = list(dict.fromkeys(robustness.outcome[robustness.goal != "info"]))
    fig, axes = _panels(1 + len(scored), ncols=3, height=max(2.4, 0.35 * len(order) + 1.3))
    y = np.arange(len(order))
    ax = axes.flat[0]
    share = satisficing.set_index("policy").loc[order, "satisficing_share"]
    ax.barh(y, share, color="#55a868")
    for yi, v in zip(y, share, strict=True):
        ax.text(min(v + 0.02, 0.9), yi, f"{v:.0%}", va="center", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_yticks(y, [policy_label(p, lang) for p in order])
    ax.set_xlabel(i18n.text("satisficing_axis", lang))
    ax.set_title(i18n.text("satisficing_panel", lang))
    policies = [p for p in order if p in set(robustness.policy)]
    for ax, outcome in zip(axes.flat[1:], scored, strict=False):
        sub = robustness[robustness.outcome == outcome].set_index("policy")
        all_policies = list(dict.fromkeys([*sub.index]))
        rows = [p for p in all_policies if p not in policies] + policies
        yy = np.arange(len(rows))
        ax.barh(yy + 0.2, sub.loc[rows, "max_regret"], height=0.4, color="#c44e52",
                label=i18n.text("regret_max", lang))  # fmt: skip
        ax.barh(yy - 0.2, sub.loc[rows, "p90_regret"], height=0.4, color="#dd8452",
                label=i18n.text("regret_p90", lang))  # fmt: skip
        ax.set_yticks(yy, [policy_label(p, lang) for p in rows])
        ax.set_title(i18n.text("regret_panel", lang, outcome=i18n.outcome_label(outcome, lang,
                     unit=False)))  # fmt: skip
        ax.set_xlabel(i18n.outcome_label(outcome, lang))
        ax.grid(axis="y", alpha=0)
    if scored:
        handles, labels = axes.flat[1].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=2)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


@_localised
def prim_figure(trajectory: pd.DataFrame, policy: str, *, lang: str = "en") -> Figure:
    """PRIM's peeling trajectory (coverage against density, coloured by the number of
    restricted uncertainties), drawn by EMA, the chosen box ringed; one trajectory per box."""
    from ema_workbench.analysis.scenario_discovery_util import plot_tradeoff

    fig = plot_tradeoff(trajectory)
    fig.set_size_inches(5.6, 4.6)
    ax = fig.axes[0]
    chosen = trajectory[trajectory.selected]
    ax.scatter(chosen.coverage, chosen.density, s=140, facecolors="none", edgecolors="black",
               lw=1.2, label=i18n.text("prim_selected", lang))  # fmt: skip
    ax.set_xlabel(i18n.text("prim_coverage", lang))
    ax.set_ylabel(i18n.text("prim_density", lang))
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1.05)
    ax.legend(loc="lower left")
    fig.axes[-1].set_ylabel(i18n.text("prim_restricted", lang))
    ax.set_title(i18n.text("prim_title", lang, policy=policy_label(policy, lang)))
    return fig


@_localised
def feature_scores_figure(scores: pd.DataFrame, *, lang: str = "en") -> Figure:
    """Heat map of feature scores: uncertainties (and the policy) by outcome."""
    order = scores.mean(axis=1).sort_values(ascending=False).index
    data = scores.loc[order]
    labels = [factor_label(f, lang) for f in data.index]
    columns = [i18n.outcome_label(o, lang, unit=False) for o in data.columns]
    fig, ax = plt.subplots(
        figsize=(1.3 * len(columns) + 3.5, 0.32 * len(labels) + 1.8), layout="constrained"
    )
    image = ax.imshow(data.to_numpy(), cmap="viridis", aspect="auto", vmin=0)
    for (i, j), v in np.ndenumerate(data.to_numpy()):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7,
                color="white" if v < 0.6 * data.to_numpy().max() else "black")  # fmt: skip
    ax.set_xticks(range(len(columns)), columns, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.grid(False)
    fig.colorbar(image, ax=ax, shrink=0.8, label=i18n.text("feature_score", lang))
    ax.set_title(i18n.text("feature_title", lang))
    return fig


@_localised
def interactions_figure(indices: pd.DataFrame, samples: int, *, lang: str = "en") -> Figure:
    """Per outcome: the first-order and total indices of each lever group (the gap is the share
    of variance the group explains only together with others), and the second-order indices
    of every pair (outlined where the 95% interval excludes 0)."""
    s2 = indices[indices["index"] == "S2"].copy()
    s2[["a", "b"]] = s2.parameter.str.split(" x ", n=1, expand=True)
    groups = list(dict.fromkeys([*s2.a, *s2.b]))
    outcomes = list(dict.fromkeys(s2.outcome))
    height = 0.42 * len(groups) + 1.8
    fig, axes = plt.subplots(
        len(outcomes), 2, figsize=(12, height * len(outcomes)), layout="constrained",
        squeeze=False, gridspec_kw={"width_ratios": [1, 1.25]},
    )  # fmt: skip
    top = max(float(s2.value.abs().max()), 0.05)
    y = np.arange(len(groups))
    for (bars, heat), outcome in zip(axes, outcomes, strict=True):
        sub = indices[indices.outcome == outcome].set_index(["index", "parameter"])
        for kind, shift, colour in (("ST", 0.2, "#4c72b0"), ("S1", -0.2, "#dd8452")):
            values = sub.loc[kind].reindex(groups)
            bars.barh(y + shift, values.value, height=0.4, xerr=values.confidence,
                      color=colour, error_kw={"elinewidth": 0.7, "capsize": 2},
                      label=i18n.text("total_order" if kind == "ST" else "first_order",
                                      lang))  # fmt: skip
        names = [factor_label(g, lang) for g in groups]
        bars.set_yticks(y, names)
        bars.invert_yaxis()
        bars.axvline(0, color="black", lw=0.6)
        bars.set_xlabel(i18n.text("variance_share", lang))
        bars.set_title(i18n.outcome_label(outcome, lang, unit=False))
        bars.grid(axis="y", alpha=0)
        matrix = np.full((len(groups), len(groups)), np.nan)
        for r in s2[s2.outcome == outcome].itertuples():
            i, j = sorted((groups.index(r.a), groups.index(r.b)))
            matrix[i, j] = r.value
            if r.value - r.confidence > 0 or r.value + r.confidence < 0:
                heat.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, lw=1.6))
        image = heat.imshow(matrix, cmap="RdBu_r", vmin=-top, vmax=top)
        for (i, j), v in np.ndenumerate(matrix):
            if not np.isnan(v):
                heat.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6.5)
        heat.set_xticks(y, names, rotation=40, ha="right")
        heat.set_yticks(y, names)
        heat.grid(False)
        heat.set_title("S2")
        fig.colorbar(image, ax=heat, shrink=0.8, label="S2")
    axes[0, 0].legend(loc="lower right")
    fig.suptitle(
        i18n.text("interactions_title", lang)
        + "\n"
        + i18n.text("interactions_note", lang, n=samples),
        fontsize=10,
    )
    return fig
