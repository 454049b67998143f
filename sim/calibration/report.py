"""A calibration's folder: posterior, diagnostics, contraction, predictive check, figures and
manifest, each written atomically beside the history database, the manifest last."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import plots
from ..results import write_beside
from .abc import DATABASE, Calibration, prior_moments
from .statistics import Statistic

__all__ = ["save_calibration"]


def _marginals(cal: Calibration):
    post, prior = cal.posterior(), prior_moments(cal.problem)
    fig, axes = plots._panels(len(cal.problem.names), ncols=4, height=2.4, width=12.0)
    for ax, name in zip(axes.flat, cal.problem.names, strict=False):
        lo, hi = prior.loc[name, "low"], prior.loc[name, "high"]
        ax.hist(post[name], bins=20, range=(lo, hi), weights=post["weight"], density=True,
                color="tab:blue", alpha=0.8, label="posterior")  # fmt: skip
        ax.axhline(1.0 / (hi - lo), color="black", lw=1, ls="--", label="prior (uniform)")
        ax.set_title(name, fontsize=8)
        ax.set_xlabel("value (parameter's unit)")
        ax.set_ylabel("density")
    axes.flat[0].legend()
    fig.suptitle(f"Marginal posteriors after {cal.generations} generations of ABC-SMC")
    return fig


def _pairs(cal: Calibration, contraction: pd.DataFrame, n: int = 4):
    names = contraction.sort_values("contraction", ascending=False).parameter.head(n).tolist()
    post = cal.posterior()
    k = len(names)
    fig, axes = plt.subplots(k, k, figsize=(2.4 * k, 2.4 * k), layout="constrained",
                             squeeze=False)  # fmt: skip
    size = 300 * post["weight"] / post["weight"].max()
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            ax = axes[i, j]
            if i == j:
                ax.hist(post[a], bins=20, weights=post["weight"], color="tab:blue")
            else:
                ax.scatter(post[b], post[a], s=size, alpha=0.4, color="tab:blue", lw=0)
            if i == k - 1:
                ax.set_xlabel(b, fontsize=7)
            if j == 0:
                ax.set_ylabel(a, fontsize=7)
    fig.suptitle("Pairwise posterior of the most informed parameters (point size: weight)")
    return fig


def _contraction(table: pd.DataFrame):
    t = table.sort_values("contraction")
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(t) + 1.2), layout="constrained")
    colors = np.where(t.contraction > 0.5, "tab:blue", "tab:gray")
    ax.barh(t.parameter, t.contraction.clip(lower=-0.2), color=colors)
    ax.axvline(0.5, color="black", lw=0.8, ls=":")
    ax.set_xlim(-0.2, 1.0)
    ax.set_xlabel("contraction 1 - var(posterior) / var(prior)  (0: not informed, 1: pinned)")
    ax.set_title("What the targets inform")
    return fig


def _predictive(table: pd.DataFrame):
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(table) + 1.2), layout="constrained")
    y = np.arange(len(table))
    # Each target on its own scale: positions relative to the target's interval.
    centre, half = table.observed, (table.high - table.low) / 2
    rel = lambda v: (v - centre) / half  # noqa: E731
    ax.barh(y, 2.0, left=-1.0, color="tab:green", alpha=0.25, label="target interval")
    below = rel(table.model_median) - rel(table.model_q05)
    above = rel(table.model_q95) - rel(table.model_median)
    ax.errorbar(rel(table.model_median), y, xerr=[below, above], fmt="o", color="tab:blue",
                label="model: median, 90% of posterior draws")  # fmt: skip
    labels = [f"{t} ({u})" for t, u in zip(table.target, table.use, strict=True)]
    ax.set_yticks(y, labels)
    ax.set_xlabel("distance from the target's centre, in interval half-widths")
    ax.set_title("Posterior predictive check")
    ax.legend(loc="lower right")
    return fig


def _diagnostics(table: pd.DataFrame):
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3), layout="constrained")
    a.plot(table.generation, table.epsilon, "o-")
    a.set_xlabel("generation")
    a.set_ylabel("epsilon (scaled distance)")
    a.set_title("Epsilon schedule")
    b.plot(table.generation, table.acceptance_rate, "o-", label="acceptance rate")
    b.plot(table.generation, table.effective_sample_size / table.accepted, "s--",
           label="ESS / population")  # fmt: skip
    b.set_xlabel("generation")
    b.set_ylabel("share (0-1)")
    b.set_ylim(0, 1.05)
    b.legend()
    b.set_title("Acceptance and effective sample size")
    return fig


def save_calibration(
    cal: Calibration,
    folder: str | Path,
    *,
    draws: int = 40,
    started: dt.datetime | None = None,
    workers: int = 1,
    targets: str | None = None,
    checks: Sequence[Statistic] = (),
) -> Path:
    """Write the calibration's outputs into ``folder`` (where its history lives); the
    predictive check covers the held-out ``checks`` too."""
    started = started or dt.datetime.now(dt.UTC)
    out = Path(folder)
    contraction = cal.contraction()
    predictive = cal.predictive(draws, checks)
    diagnostics = cal.diagnostics()

    def figure(make):
        def write(path):
            with mpl.rc_context(plots.STYLE):
                fig = make()
            plots.save(fig, path)

        return write

    files = {
        "posterior.parquet": lambda p: cal.posterior().to_parquet(p, index=False),
        "diagnostics.csv": lambda p: diagnostics.to_csv(p, index=False),
        "contraction.csv": lambda p: contraction.to_csv(p, index=False),
        "predictive.csv": lambda p: predictive.to_csv(p, index=False),
        "marginals.png": figure(lambda: _marginals(cal)),
        "pairs.png": figure(lambda: _pairs(cal, contraction)),
        "contraction.png": figure(lambda: _contraction(contraction)),
        "predictive.png": figure(lambda: _predictive(predictive)),
        "diagnostics.png": figure(lambda: _diagnostics(diagnostics)),
    }
    write_beside(
        out,
        files,
        started,
        {"workers": workers},
        command="calibrate",
        problem=cal.problem.to_manifest(),
        targets=targets,
        statistics=[s.__dict__ for s in cal.statistics],
        master_seed=cal.seed,
        population=cal.population,
        generations=cal.generations,
        simulations=int(diagnostics.simulations.sum()),
        history=DATABASE,
        posterior_point=cal.point(),
        predictive_draws=draws,
        targets_met={use: int(g.median_inside.sum()) for use, g in predictive.groupby("use")},
        targets_checked={use: len(g) for use, g in predictive.groupby("use")},
    )
    return out
