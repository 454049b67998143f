"""Figures shared by the CLI, notebooks and app. Functions take data and return a Figure."""

from __future__ import annotations

import functools

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.ticker import PercentFormatter
from matplotlib.transforms import Bbox

from . import i18n

__all__ = [
    "LEVEL_COLOURS",
    "STYLE",
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

# The house style, applied while a figure is built and saved: importing this module must not
# restyle the figures of the program that imports it.
STYLE = {
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


def _localised(func):
    """Resolve ``lang`` (falling back to English without a CJK font) and draw in its font and
    the house style."""

    @functools.wraps(func)
    def wrapper(*args, lang: str = "en", **kwargs):
        lang = i18n.resolve_language(lang)
        with mpl.rc_context(STYLE):
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
    with mpl.rc_context(STYLE):  # the resolution of saved figures is part of the style
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
    """Paired differences from the reference scenario: one panel, one row per outcome (and per
    compared scenario within an outcome).

    Outcomes have different units, so one axis needs one scale. The x axis is the change as a
    percentage of the reference scenario's mean: how much of the status quo a policy removes or
    adds, which reads the same for hours, shares and counts. Its interval is a delta-method
    interval for that ratio (see :func:`_relative_change`). The exact paired difference and its
    interval in the outcome's own unit are printed at the right, so nothing is lost to the
    rescaling.

    Cohen's d (also in the table) was not used for the axis: it divides by the spread between
    replicates, which depends on the simulation's noise (less in a larger hierarchy or a longer
    averaging window), so it says how detectable a change is, not how large. Separate panels in
    each outcome's unit were the other option; they gave every outcome its own axis for a single
    point. Where the reference mean is 0 (lever cost against the baseline) there is no
    percentage: the row says so and keeps its printed difference. Changes beyond +-400 % are
    drawn at the edge as arrows.
    """
    others = [s for s in dict.fromkeys(table.scenario) if s != reference]
    present = set(table.outcome)
    outcomes = [o for o in outcomes if o in present]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"] if len(others) > 1 else ["#4c72b0"]
    k = len(others)
    step = k + 0.8  # rows per outcome and a gap between outcomes
    pitch = 0.26 if k == 1 else 0.19  # inches per row: many scenarios make a long figure
    fig, ax = plt.subplots(figsize=(8.0, 1.6 + pitch * step * len(outcomes)), layout="constrained")

    rows = []
    for i, outcome in enumerate(outcomes):
        sub = table[table.outcome == outcome].set_index("scenario")
        ref = sub.loc[reference]
        for j, name in enumerate(others):
            row = sub.loc[name]
            pct, half = _relative_change(row, ref)
            rows.append(
                {
                    "group": i,
                    "y": -(i * step + j),
                    "colour": colours[j % len(colours)],
                    "pct": pct,
                    "lo": pct - half,
                    "hi": pct + half,
                    "filled": bool(row.excludes_zero),
                    "text": _interval_text(row["diff"], row.diff_ci_low, row.diff_ci_high),
                }
            )
    rows = pd.DataFrame(rows)
    for i in range(1, len(outcomes), 2):  # bands tell the outcome groups apart
        ax.axhspan(-(i * step + k - 0.5), -(i * step - 0.5), color="#f2f2f2", lw=0, zorder=0)

    cap = 400.0
    finite = rows.dropna(subset=["pct"])
    low = min(0.0, float(finite.lo.min())) if len(finite) else -1.0
    high = max(0.0, float(finite.hi.max())) if len(finite) else 1.0
    low, high = max(low, -cap), min(high, cap)
    pad = 0.06 * (high - low or 1.0)
    ax.set_xlim(low - pad, high + pad)
    for r in finite.itertuples():
        centre = float(np.clip(r.pct, low, high))
        clipped = centre != r.pct
        marker = (">" if r.pct > 0 else "<") if clipped else "o"
        lo_c, hi_c = float(np.clip(r.lo, low, high)), float(np.clip(r.hi, low, high))
        ax.errorbar(
            centre,
            r.y,
            xerr=[[centre - lo_c], [hi_c - centre]],
            fmt=marker,
            color=r.colour,
            mfc=r.colour if r.filled else "white",
            mec=r.colour,
            ms=5,
            elinewidth=1.4,
            capsize=2.5,
            zorder=3,
        )
    zero_frac = (0 - (low - pad)) / (high - low + 2 * pad)
    notes = []  # one note for an outcome whose reference is 0 for every scenario
    for _, group in rows[rows.pct.isna()].groupby("group"):
        whole = len(group) == k
        notes += [float(group.y.mean())] if whole else list(group.y)
    for y in notes:
        ax.annotate(
            i18n.text("forest_zero_reference", lang, reference=reference),
            (0, y),
            xytext=(4 if zero_frac < 0.5 else -4, 0),
            textcoords="offset points",
            ha="left" if zero_frac < 0.5 else "right",
            va="center",
            fontsize=8,
            color="#666666",
            style="italic",
        )
    for r in rows.itertuples():
        ax.annotate(
            r.text,
            (1, r.y),
            xycoords=("axes fraction", "data"),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=r.colour if k > 1 else "black",
        )
    ax.annotate(
        i18n.text("forest_column", lang, level=round(level * 100)),
        (1, 1),
        xycoords="axes fraction",
        xytext=(8, 3),
        textcoords="offset points",
        va="bottom",
        fontsize=8,
        fontweight="bold",
    )
    ax.axvline(0, color="black", lw=0.8, zorder=1)
    ax.xaxis.set_major_formatter(PercentFormatter(100))
    centres = [-(i * step + (k - 1) / 2) for i in range(len(outcomes))]
    ax.set_yticks(centres, [i18n.outcome_label(o, lang) for o in outcomes])
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-((len(outcomes) - 1) * step + k - 1) - 0.7, 0.7)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(i18n.text("forest_axis", lang, reference=reference))
    if k > 1:
        handles = [
            plt.Line2D([], [], color=colours[j % len(colours)], marker="o", ls="", label=name)
            for j, name in enumerate(others)
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=min(k, 4))
    note = i18n.text("forest_note", lang, reference=reference, level=round(level * 100))
    fig.suptitle((title + "\n" if title else "") + note, fontsize=9)
    return fig


def _relative_change(row: pd.Series, ref: pd.Series) -> tuple[float, float]:
    """Percent change of ``row`` from the reference mean and its interval half-width.

    The half-width is the delta-method one for difference / reference mean, with the covariance
    of the paired means recovered from the three t-intervals of the table (difference, both
    means: same level, same replicates, so half-widths stand in for standard errors). Dividing
    the difference's interval by the mean alone would ignore that the two move together: a
    burnout of 0 in every replicate would get an interval past -100 %. NaN where the reference
    mean is 0: there is no percentage of nothing.
    """
    m, d = float(ref["mean"]), float(row["diff"])
    # Means of exactly 0 come out of the averaging as 1e-16 or so.
    if abs(m) <= 1e-9 * max(abs(d), abs(float(row["mean"])), 1e-300):
        return np.nan, np.nan
    h_d = (float(row.diff_ci_high) - float(row.diff_ci_low)) / 2
    h_r = (float(ref.ci_high) - float(ref.ci_low)) / 2
    h_s = (float(row.ci_high) - float(row.ci_low)) / 2
    cov_dr = (h_s**2 + h_r**2 - h_d**2) / 2 - h_r**2  # cov(difference, reference mean)
    var = h_d**2 / m**2 + d**2 * h_r**2 / m**4 - 2 * d * cov_dr / m**3
    return 100 * d / abs(m), 100 * float(np.sqrt(max(var, 0.0)))


def _interval_text(diff: float, lo: float, hi: float) -> str:
    """'-24.0 [-25.0, -23.1]': three significant digits of the difference, same decimals."""
    size = max(abs(diff), abs(hi - lo) / 2, 1e-12)
    decimals = int(np.clip(2 - np.floor(np.log10(size)), 0, 6))

    def f(x: float) -> str:
        return f"{x:+.{decimals}f}".replace("-", "\N{MINUS SIGN}")

    if np.isnan(lo) or np.isnan(hi):
        return f(diff)
    return f"{f(diff)} [{f(lo)}, {f(hi)}]"


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
def morris_figure(
    indices: pd.DataFrame,
    *,
    title: str = "",
    level: float = 0.95,
    label_top: int = 4,
    lang: str = "en",
) -> Figure:
    """Morris screening: mu* (mean absolute elementary effect) against sigma per outcome.

    Only the ``label_top`` parameters with the largest mu* of each panel are named (the full
    table is in indices.csv): a dozen names in a corner cannot be read. Labels are placed where
    they overlap neither each other nor the points and stay inside the axes; parameters with
    mu* about 0 are counted, not named, and a panel where every mu* is about 0 says so.
    """
    outcomes = list(dict.fromkeys(indices.outcome))
    ncols = min(3, len(outcomes))
    # At least 6 inches, so that one panel still has room for the notes above it.
    fig, axes = _panels(len(outcomes), ncols=ncols, height=3.3, width=max(3.7 * ncols, 6.0))
    pending = []
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        sub = indices[indices.outcome == outcome].pivot(index="parameter", columns="index")
        mu_star = sub["value"]["mu_star"].astype(float)
        sigma = sub["value"]["sigma"].astype(float).fillna(0.0)
        ci = sub["confidence"]["mu_star"].astype(float).fillna(0.0)
        right = float((mu_star + ci).max())
        ax.set_title(i18n.outcome_label(outcome, lang))
        ax.set(xlabel=i18n.text("mu_star_axis", lang), ylabel=i18n.text("sigma_axis", lang))
        if not right > 1e-12:
            ax.plot(mu_star, sigma, "o", ms=4, color="#9fb3d1")
            ax.set(xlim=(-0.05, 1), ylim=(-0.05, 1))
            ax.text(
                0.5,
                0.5,
                i18n.text("morris_all_zero", lang),
                transform=ax.transAxes,
                ha="center",
                va="center",
                color="#666666",
                fontsize=8.5,
            )
            continue
        near_zero = mu_star <= 0.01 * float(mu_star.max())
        named = mu_star[~near_zero].sort_values(ascending=False).index[:label_top]
        top = max(float(sigma.max()), 1e-12)
        if top < 0.02 * right:  # sigma all ~0 (a linear, additive outcome): keep a readable y
            top = right
        for keep, colour, z in ((False, "#9fb3d1", 2), (True, "#2f5597", 3)):
            mask = mu_star.index.isin(named) == keep
            ax.errorbar(
                mu_star[mask],
                sigma[mask],
                # mu* is a mean of absolute values: an interval below 0 says nothing
                xerr=[np.minimum(ci[mask], mu_star[mask]), ci[mask]],
                fmt="o",
                ms=4,
                color=colour,
                elinewidth=0.8,
                capsize=2,
                zorder=z,
            )
        ax.plot([0, 2 * max(right, top)], [0, 2 * max(right, top)], color="grey", lw=0.6, ls="--")
        # Room at the top and right for a label beside the largest points.
        ax.set(xlim=(-0.03 * right, right * 1.06), ylim=(-0.04 * top, top * 1.22))
        note = None
        if near_zero.sum():
            note = i18n.text("morris_near_zero", lang, n=int(near_zero.sum()))
        points = pd.DataFrame({"x": mu_star, "y": sigma, "lo": np.minimum(ci, mu_star), "hi": ci})
        pending.append((ax, points, list(named), note))
    fig.suptitle(
        (title + "\n" if title else "")
        + i18n.text("morris_note", lang)
        + "\n"
        + i18n.text("morris_labels", lang, k=label_top, level=round(level * 100)),
        fontsize=10,
    )
    # Label extents depend on the final font and layout, so both are settled first.
    i18n.apply_font(fig, lang)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax, points, named, note in pending:
        _label_points(ax, renderer, points, named, note)
    return fig


# Offsets (points) tried for a label, in order of preference: centred above or below reads as
# belonging to the point and stays off its horizontal error bar; the far ones get a leader line.
_OFFSETS = [
    (dx * r, dy * r)
    for r in (4, 14, 26, 40, 56)
    for dx, dy in ((0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1), (1, 0), (-1, 0))
]


def _label_points(ax, renderer, points: pd.DataFrame, names: list, note: str | None) -> None:
    """Annotate ``names`` (rows of ``points``: x, y, lo, hi) inside the axes without overlaps.

    A label may not leave the axes or touch another label; among the places that qualify, the
    one covering the fewest points and error bars wins. ``note`` goes first, into a free corner.
    """
    inner = ax.get_window_extent(renderer).padded(-2)
    px = ax.figure.dpi / 72  # pixels per point
    xy = ax.transData.transform(points[["x", "y"]].to_numpy())
    left = ax.transData.transform(np.column_stack([points.x - points.lo, points.y]))[:, 0]
    right = ax.transData.transform(np.column_stack([points.x + points.hi, points.y]))[:, 0]
    markers = [Bbox.from_bounds(x - 3 * px, y - 3 * px, 6 * px, 6 * px) for x, y in xy]
    bars = [
        Bbox.from_extents(a, y - 1.5 * px, b, y + 1.5 * px)
        for a, b, y in zip(left, right, xy[:, 1], strict=True)
    ]
    placed: list[Bbox] = []
    family = ax.title.get_fontfamily()  # the language's font, set before the layout was drawn

    def cost(box: Bbox, own: int | None = None) -> float:
        inside = inner.contains(box.x0, box.y0) and inner.contains(box.x1, box.y1)
        if not inside or any(box.overlaps(b) for b in placed):
            return np.inf
        near = sum(box.overlaps(m) for i, m in enumerate(markers) if i != own)
        return near + 0.3 * sum(box.overlaps(b) for b in bars)

    def put(text) -> Bbox:
        text.set_fontfamily(family)
        if isinstance(text, Annotation):
            text.update_positions(renderer)
        # The text alone: an annotation's own extent would include its leader line.
        return Text.get_window_extent(text, renderer).padded(px)

    if note:
        corners = [(0.03, 0.97, "left", "top"), (0.97, 0.97, "right", "top")]
        corners += [(0.97, 0.03, "right", "bottom"), (0.03, 0.03, "left", "bottom")]
        options = []
        for x, y, ha, va in corners:
            text = ax.text(x, y, note, transform=ax.transAxes, ha=ha, va=va, fontsize=7.5)
            text.set(color="#666666", backgroundcolor="white", zorder=6)
            options.append((cost(box := put(text)), text, box))
        best = min(options, key=lambda o: o[0])
        for option in options:
            if option is not best:
                option[1].remove()
        placed.append(best[2])

    order = list(points.index)
    for name in names:
        own = order.index(name)
        options = []
        for rank, (dx, dy) in enumerate(_OFFSETS):
            far = max(abs(dx), abs(dy)) > 4
            text = ax.annotate(
                name,
                (points.x[name], points.y[name]),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left" if dx > 0 else "right" if dx < 0 else "center",
                va="bottom" if dy > 0 else "top" if dy < 0 else "center",
                fontsize=8,
                color="#1f3864",
                zorder=5,
                arrowprops=(
                    {"arrowstyle": "-", "lw": 0.5, "color": "grey", "shrinkA": 1, "shrinkB": 3}
                    if far
                    else None
                ),
            )
            score = cost(box := put(text), own) + 0.02 * rank  # nearest of equally free places
            options.append((score, text, box))
            if score < 0.3:  # free of points and bars: no need to look further
                break
        best = min(options, key=lambda o: o[0])
        for option in options:
            if option is not best:
                option[1].remove()
        if np.isfinite(best[0]):
            placed.append(best[2])
        else:  # nowhere inside the axes and clear of the others: better unnamed than illegible
            best[1].remove()
