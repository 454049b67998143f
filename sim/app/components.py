"""The page's pictures: the hierarchy coloured by anxiety, and charts of the run so far.

Each ``*_figure(model, lang, fig=None)`` function draws a model into a matplotlib Figure (a new
one, or ``fig`` cleared); :func:`Chart` shows one on the page with its title, legend and
explanation, and redraws it after every step.

Speed: on a 2-core machine a new small figure costs about 100 ms and every text in it about
2 ms per drawing, and five charts redrawn after every step made a step take most of a second.
So each Chart draws into the same figure every step (its canvas keeps its text measurements),
with fixed margins (constrained layout costs a third more) and few ticks, and the page shows
titles and legends as HTML text, which the browser draws. Figures are made without pyplot, so
nothing holds on to them (no ``plt.close``: they go with the session), and sessions can draw
at once.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

import matplotlib as mpl
import networkx as nx
import numpy as np
import pandas as pd
import reacton.ipywidgets as rw
import solara
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from .. import i18n, outcomes, plots
from ..hierarchy import CENTRE, LEVELS
from ..plots import BURDEN_COLOURS, LEVEL_COLOURS
from .controls import CONTROLS, scenario_library, scenario_text
from .model import ClassroomModel

__all__ = [
    "CHARTS",
    "Chart",
    "RunSettings",
    "anxiety_figure",
    "hours_figure",
    "inspections_figure",
    "legend_entries",
    "new_figure",
    "png",
    "quality_figure",
    "tree_figure",
    "tree_layout",
]

FIGSIZE = (5.6, 2.6)  # inches: at DPI, with its title and text, a chart fits Mesa's grid cell
DPI = 96
# Fixed margins (figure fractions), wide enough for the labels in English and Chinese.
MARGINS = dict(left=0.12, right=0.97, bottom=0.17, top=0.96)
ANXIETY_CMAP = "YlOrRd"
# Dot area (points squared) per depth: centre, province, city, county, township; township dots
# shrink to fit side by side when there are many (1,600 / townships).
NODE_SIZES = (300, 260, 190, 130, 80)


def tree_layout(graph: nx.DiGraph, root=CENTRE) -> dict[int, tuple[float, float]]:
    """A tidy tree: leaves evenly spaced in index order, each parent centred over its children,
    one row per level (root on top). Positions are (x, -depth)."""
    x: dict[int, float] = {}
    leaves = 0
    for node in nx.dfs_postorder_nodes(graph, root):  # children before their parent
        kids = list(graph.successors(node))
        if kids:
            x[node] = float(np.mean([x[k] for k in kids]))
        else:
            x[node] = float(leaves)
            leaves += 1
    depth = nx.shortest_path_length(graph, root)
    return {n: (x[n], -float(depth[n])) for n in graph}


def new_figure() -> Figure:
    """An empty figure of the page's size, with its own Agg canvas (see :func:`png`)."""
    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG, drawn by its own canvas (which keeps its text measurements)."""
    buffer = io.BytesIO()
    fig.canvas.print_png(buffer)
    return buffer.getvalue()


Draw = Callable[..., Figure]  # draw(model, lang="en", fig=None) -> Figure


def _localised(draw: Draw) -> Draw:
    """Draw into ``fig`` (cleared) or a new figure, in ``lang`` where a font for it is
    installed (English otherwise, sim.i18n)."""

    @functools.wraps(draw)
    def wrapper(model: ClassroomModel, lang: str = "en", fig: Figure | None = None) -> Figure:
        lang = i18n.resolve_language(lang)
        # The house style of sim.plots, for this drawing only (never the global settings).
        with mpl.rc_context(plots.STYLE):
            if fig is None:
                fig = new_figure()
            fig.clear()
            fig.subplots_adjust(**MARGINS)
            draw(model, lang, fig)
            i18n.apply_font(fig, lang)
        return fig

    return wrapper


@_localised
def tree_figure(model: ClassroomModel, lang: str, fig: Figure) -> None:
    """The hierarchy, every unit coloured by its anxiety (a township: mean of its officials)."""
    tree = model.tree
    graph = tree.graph
    pos = tree_layout(graph)
    nodes = list(graph)
    xy = np.array([pos[n] for n in nodes])
    anxiety = model.state.units.anxiety
    # The centre is not an agent: its colour is the central pressure the provinces feel.
    colour = [
        model.active_params.anxiety.central_pressure if n == CENTRE else anxiety[n] for n in nodes
    ]
    depth = (-xy[:, 1]).astype(int)

    fig.subplots_adjust(left=0.13, right=1.0)  # the colour bar takes its room from the axes
    ax = fig.add_subplot()
    ax.add_collection(
        LineCollection(
            [(pos[a], pos[b]) for a, b in graph.edges], colors="#b0b0b0", lw=0.8, zorder=1
        )
    )
    dots = ax.scatter(
        xy[:, 0],
        xy[:, 1],
        c=colour,
        s=np.minimum(
            np.take(NODE_SIZES, depth), np.where(depth == 4, 1600 / tree.n_townships, np.inf)
        ),
        cmap=ANXIETY_CMAP,
        vmin=0.0,
        vmax=1.0,
        edgecolors="#404040",
        linewidths=0.6,
        zorder=2,
    )
    rows = [i18n.text("app.centre", lang)] + [i18n.text(level, lang) for level in LEVELS]
    ax.set_yticks(-np.arange(len(rows)), rows)
    ax.set_xticks([])
    ax.set_ylim(-len(rows) + 0.5, 0.5)
    ax.set_xlim(xy[:, 0].min() - 0.8, xy[:, 0].max() + 0.8)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(left=False)
    bar = fig.colorbar(dots, ax=ax, label=i18n.text("anxiety_axis", lang), shrink=0.85, pad=0.01)
    bar.set_ticks([0.0, 0.5, 1.0])


def _series(model: ClassroomModel) -> pd.DataFrame:
    """The outcomes collected so far, one row per week (index: week 1, 2, ...)."""
    return outcomes.timeseries(model)


def _peak(ts: pd.DataFrame, column: str) -> float:
    return float(ts[column].max()) if len(ts) else 0.0


def _time_axes(fig: Figure, ts: pd.DataFrame, ylabel: str, lang: str) -> Axes:
    ax = fig.add_subplot()
    ax.set(ylabel=ylabel, xlabel=i18n.text("week", lang))
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    # At least a 10-week axis, so that the first weeks do not fill the whole width.
    ax.set_xlim(0, max(10, len(ts)))
    if ts.empty:
        ax.text(
            0.5,
            0.5,
            i18n.text("app.no_data", lang),
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="grey",
        )
    return ax


@_localised
def anxiety_figure(model: ClassroomModel, lang: str, fig: Figure) -> None:
    """Mean anxiety of each level's leaders and of township officials, week by week."""
    ts = _series(model)
    t = i18n.text
    ax = _time_axes(fig, ts, t("anxiety_axis", lang), lang)
    for level, colour in LEVEL_COLOURS.items():
        ax.plot(ts.index, ts[f"anxiety_{level}"], color=colour, label=t(level, lang))
    ax.set_ylim(0, 1)


@_localised
def hours_figure(model: ClassroomModel, lang: str, fig: Figure) -> None:
    """A township official's week: substantive, necessary formal and pure formalism hours
    stacked, the standard week, and overtime."""
    ts = _series(model)
    t = i18n.text
    ax = _time_axes(fig, ts, t("hours_per_week", lang), lang)
    ax.stackplot(
        ts.index,
        *(ts[c] for c in BURDEN_COLOURS),
        colors=list(BURDEN_COLOURS.values()),
        labels=[t("substantive", lang), t("necessary_formal", lang), t("pure_formalism", lang)],
        alpha=0.85,
    )
    standard = model.params.work.standard_hours
    ax.axhline(standard, color="black", lw=0.8, ls="--", label=t("standard_week", lang))
    ax.plot(ts.index, ts["overtime_hours"], color="black", lw=1.2, label=t("app.overtime", lang))
    top = max(standard + model.params.work.max_overtime, _peak(ts, "township_hours"))
    ax.set_ylim(0, top * 1.05)


@_localised
def quality_figure(model: ClassroomModel, lang: str, fig: Figure) -> None:
    """Service quality and the share of burnt-out officials (both 0-1)."""
    ts = _series(model)
    t = i18n.text
    ax = _time_axes(fig, ts, t("share_axis", lang), lang)
    ax.plot(ts.index, ts["service_quality"], color="#4c72b0", label=t("service_quality", lang))
    ax.plot(ts.index, ts["burnout"], color="#c44e52", label=t("burnt_out_share", lang))
    ax.set_ylim(0, 1.05)  # a quality of 1 is drawn inside the frame, not on its edge


@_localised
def inspections_figure(model: ClassroomModel, lang: str, fig: Figure) -> None:
    """Inspections held per township per week."""
    ts = _series(model)
    ax = _time_axes(fig, ts, i18n.outcome_label("inspections_per_township", lang), lang)
    ax.plot(ts.index, ts["inspections_per_township"], color="#dd8452")
    ax.set_ylim(0, max(1.0, _peak(ts, "inspections_per_township")) * 1.2)


# The charts of the page, in order: how to draw each, and the keys of its title and of the
# text that explains it.
CHARTS: tuple[tuple[Draw, str, str], ...] = (
    (tree_figure, "app.tree_title", "app.explain.tree"),
    (anxiety_figure, "anxiety_by_level", "app.explain.anxiety"),
    (hours_figure, "township_week", "app.explain.hours"),
    (quality_figure, "app.quality_title", "app.explain.quality"),
    (inspections_figure, "app.inspections_title", "app.explain.inspections"),
)


def legend_entries(fig: Figure) -> list[tuple[str, str, str]]:
    """(label, colour, mark) of every labelled line or area of the figure's first axes; the
    page shows them as its legend."""
    handles, labels = fig.axes[0].get_legend_handles_labels()
    entries = []
    for handle, label in zip(handles, labels, strict=True):
        if isinstance(handle, Line2D):
            dashed = handle.get_linestyle() not in ("-", "solid")
            entries.append((label, to_hex(handle.get_color()), "┄┄" if dashed else "━━"))
        else:  # an area of a stack plot
            entries.append((label, to_hex(handle.get_facecolor()[0]), "■"))
    return entries


@solara.component
def Chart(model: ClassroomModel, week: float, draw: Draw, title: str, explain: str, lang: str):
    """One figure with its title, legend and explanation. ``week`` is ``model.time``: Mesa
    re-renders its views after every step, and a new week (or model, or language) redraws the
    figure."""
    fig = solara.use_memo(new_figure, [])  # this chart's own figure, drawn into every step
    image = solara.use_memo(lambda: png(draw(model, lang, fig)), [model, week, lang])
    t = i18n.text
    heading = t("app.heading", lang, title=t(title, lang), n=model.week)
    solara.Text(heading, style={"font-weight": "bold", "font-size": "0.95em"})
    with solara.Row(gap="12px", style={"flex-wrap": "wrap", "font-size": "0.8em"}):
        for label, colour, mark in legend_entries(fig):
            solara.Text(f"{mark} {label}", style={"color": colour})
    rw.Image(value=image, format="png")
    solara.Text(t(explain, lang), style={"font-size": "0.85em", "color": "#555"})


# Parameters every ClassroomModel sets whatever the scenario: not worth listing.
_ALWAYS_SET = ("hierarchy.preset", "run.policy_start")


def run_settings(model: ClassroomModel, lang: str) -> list[tuple[str, str]]:
    """(label, value) of every parameter of this run that differs from the status quo."""
    controls = {c.param: c for c in CONTROLS}
    rows = []
    for name, value in model.params.changed().items():
        if name in _ALWAYS_SET:
            continue
        control = controls.get(name)
        if control is None:  # set by the scenario file, not offered as a control
            rows.append((name, str(value)))
        else:
            rows.append((control.label(lang), control.show(value, lang)))
    return rows


@solara.component
def RunSettings(model: ClassroomModel, lang: str):
    """What the run on screen uses: the controls apply only from the next Reset, so the page
    says which scenario, seed and levers produced the charts."""
    title, _ = scenario_text(scenario_library()[model.scenario_name], lang)
    t = i18n.text
    with solara.Column(gap="4px", style={"padding": "8px 16px", "font-size": "0.9em"}):
        solara.Text(t("app.run_settings", lang), style={"font-weight": "bold"})
        solara.Text(f"{title}; {t('app.seed', lang)} {model.run_seed}")
        rows = run_settings(model, lang)
        solara.Text(t("app.differs" if rows else "app.differs_none", lang))
        for label, value in rows:
            solara.Text(f"{label}: {value}")
