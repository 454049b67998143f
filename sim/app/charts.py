"""The page's charts as Vega-Lite specifications, drawn by the browser (sim.app.vega).

Each chart of :data:`CHARTS` has a ``spec(model, lang)``, made once per run and language (axis
titles, legend, colours, the hierarchy's layout), and a ``columns(model, ts, lang)``, the data
it shows, sent after every step: one list per field, rounded, so that a step's message stays a
few kilobytes. :func:`chart_cards` and :func:`chart_data` put them in the form the page's chart
widget takes (sim.app.vega.VegaCharts). Nothing here imports Solara or matplotlib: building a
chart's data is a few list copies of the model's time series.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import i18n, outcomes
from ..hierarchy import CENTRE, LEVELS
from ..plots import BURDEN_COLOURS, LEVEL_COLOURS
from .model import ClassroomModel
from .text import text

__all__ = [
    "CHARTS",
    "ChartDef",
    "Weeks",
    "anxiety_chart",
    "chart_cards",
    "chart_data",
    "field",
    "hours_chart",
    "inspections_chart",
    "quality_chart",
    "series",
    "tree_chart",
    "tree_layout",
]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # the Vega-Lite the page loads
HEIGHT = 190  # pixels of plot; the width follows the page
ANXIETY_SCHEME = "yelloworangered"  # Vega's name of matplotlib's YlOrRd
# Dot area (pixels) per depth: centre, province, city, county, township; township dots shrink
# to fit side by side when there are many (1,400 / townships).
NODE_SIZES = (260, 220, 160, 110, 70)
DECIMALS = 3
WEEK = "w"  # the week's field in every time chart
# The page's font first, then fonts that draw Chinese where the browser's default does not.
FONT = "Roboto, 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif"
CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "gridColor": "#ececec"},
    "legend": {"orient": "top", "title": None, "labelFontSize": 11, "symbolSize": 90},
}


def field(name: str) -> str:
    """``name`` as a Vega-Lite field reference: dots and brackets would read as a path."""
    for char in "\\.[]":
        name = name.replace(char, "\\" + char)
    return name


def _clean(values: Iterable[float]) -> list[float | None]:
    """Rounded values for JSON: a missing or infinite value is null (Vega leaves a gap)."""
    array = np.round(np.asarray(values, dtype=float), DECIMALS)
    if np.isfinite(array).all():
        return array.tolist()
    return [float(x) if math.isfinite(x) else None for x in array]


def _base(**extra: Any) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": HEIGHT,
        "autosize": {"type": "fit", "contains": "padding"},
        "config": CONFIG,
        "data": {"name": "data"},
        **extra,
    }


class Weeks:
    """The outcomes so far (one row per week) as arrays by name: what the charts read after
    every step. (Looking a column up in a new pandas frame costs more than the rest of a step:
    pandas builds an index of the column names first.)"""

    def __init__(self, model: ClassroomModel):
        frame = outcomes.timeseries(model)
        self.values = frame.to_numpy(dtype=float)
        self.names = {str(name): i for i, name in enumerate(frame.columns)}

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[:, self.names[name]]


def series(ts: Weeks | pd.DataFrame, fields: dict[str, str]) -> dict[str, list]:
    """The time chart data: the week and, per ``label: column``, the column's values."""
    columns: dict[str, list] = {WEEK: list(range(1, len(ts) + 1))}
    for label, column in fields.items():
        columns[label] = _clean(np.asarray(ts[column])) if len(ts) else []
    return columns


def _time_layer(
    labels: Sequence[str],
    domain: Sequence[str],
    colours: Sequence[str],
    ylabel: str,
    lang: str,
    mark: dict[str, Any],
    y_extent: Sequence[float] | None,
    stack: bool = False,
) -> dict[str, Any]:
    """One layer of a time chart: ``labels`` (fields of the data) folded into one series each,
    coloured from the chart's shared legend (``domain`` with ``colours``). The axes cover at
    least 10 weeks and ``y_extent``; of a chart's layers, only the first says so (``None``
    for the others: Vega-Lite would warn that their domains conflict)."""
    y: dict[str, Any] = {
        "field": "value",
        "type": "quantitative",
        "title": ylabel,
        "axis": {"tickCount": 5},
        "stack": "zero" if stack else None,
    }
    encoding: dict[str, Any] = {
        "x": {
            "field": WEEK,
            "type": "quantitative",
            "title": text("week", lang),
            "axis": {"tickMinStep": 1, "tickCount": 5, "format": "d"},
        },
        "y": y,
        "color": {
            "field": "key",
            "type": "nominal",
            "scale": {"domain": list(domain), "range": list(colours)},
        },
        "tooltip": [
            {"field": WEEK, "type": "quantitative", "title": text("week", lang)},
            {"field": "key", "type": "nominal", "title": " "},
            {"field": "value", "type": "quantitative", "title": ylabel, "format": ".2f"},
        ],
    }
    if y_extent is not None:
        # at least a 10-week axis, so that the first weeks do not fill the whole width
        encoding["x"]["scale"] = {"domain": {"unionWith": [0, 10]}}
        y["scale"] = {"domain": {"unionWith": list(y_extent)}}
    transform: list[dict[str, Any]] = [
        {"fold": [field(label) for label in labels], "as": ["key", "value"]}
    ]
    if stack:  # stacked in the order of the legend
        order = "[" + ", ".join(repr(label) for label in domain) + "]"
        transform.append({"calculate": f"indexof({order}, datum.key)", "as": "order"})
        encoding["order"] = {"field": "order", "type": "quantitative"}
    return {"transform": transform, "mark": mark, "encoding": encoding}


@dataclass(frozen=True)
class ChartDef:
    """One chart of the page: its title and explanation (text keys), its specification and
    the data it shows after each step."""

    name: str
    title: str
    explain: str
    spec: Callable[[ClassroomModel, str], dict[str, Any]]
    columns: Callable[[ClassroomModel, Weeks, str], dict[str, list]]


# ---- the hierarchy ------------------------------------------------------------------------------
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


def _rows(lang: str) -> list[str]:
    return [text("app.centre", lang)] + [text(level, lang) for level in LEVELS]


def _tree_spec(model: ClassroomModel, lang: str) -> dict[str, Any]:
    graph = model.tree.graph
    pos = tree_layout(graph)
    edges = [
        {"x": pos[a][0], "y": pos[a][1], "x2": pos[b][0], "y2": pos[b][1]} for a, b in graph.edges
    ]
    xs = [p[0] for p in pos.values()]
    rows = _rows(lang)
    names = "[" + ", ".join(repr(r) for r in rows) + "]"
    x = {
        "field": "x",
        "type": "quantitative",
        "axis": None,
        "scale": {"domain": [min(xs) - 0.8, max(xs) + 0.8], "nice": False, "zero": False},
    }
    y = {
        "field": "y",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [-len(rows) + 0.5, 0.5], "nice": False, "zero": False},
        "axis": {
            "values": [-i for i in range(len(rows))],
            "labelExpr": f"{names}[-datum.value]",
            "grid": False,
            "domain": False,
            "ticks": False,
            "labelFontSize": 12,
        },
    }
    anxiety = text("anxiety_axis", lang)
    return _base(
        layer=[
            {
                "data": {"values": edges},
                "mark": {"type": "rule", "color": "#b0b0b0", "strokeWidth": 0.8},
                "encoding": {"x": x, "y": y, "x2": {"field": "x2"}, "y2": {"field": "y2"}},
            },
            {
                "mark": {"type": "circle", "stroke": "#404040", "strokeWidth": 0.6, "opacity": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "size": {"field": "s", "type": "quantitative", "scale": None, "legend": None},
                    "color": {
                        "field": "a",
                        "type": "quantitative",
                        "title": anxiety,
                        "scale": {"scheme": ANXIETY_SCHEME, "domain": [0, 1]},
                        "legend": {
                            "orient": "right",
                            "title": anxiety,
                            "gradientLength": HEIGHT - 40,
                            "values": [0, 0.5, 1],
                            "titleOrient": "left",
                        },
                    },
                    "tooltip": [
                        {"field": "n", "type": "nominal", "title": " "},
                        {"field": "a", "type": "quantitative", "title": anxiety, "format": ".2f"},
                    ],
                },
            },
        ]
    )


_TREE_STATIC: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _tree_static(model: ClassroomModel, lang: str) -> dict[str, list]:
    """What a tree's data keeps from step to step: positions, dot sizes, names."""
    cache = _TREE_STATIC.setdefault(model, {})
    if lang not in cache:
        tree = model.tree
        pos = tree_layout(tree.graph)
        depth = [int(-pos[n][1]) for n in tree.graph]
        township_size = 1400 / tree.n_townships
        rows = _rows(lang)
        counters: dict[int, int] = {}
        names = []
        for d in depth:
            counters[d] = counters.get(d, 0) + 1
            names.append(rows[d] if d == 0 else f"{rows[d]} {counters[d]}")
        cache[lang] = {
            "x": [pos[n][0] for n in tree.graph],
            "y": [pos[n][1] for n in tree.graph],
            "s": [
                round(min(NODE_SIZES[d], township_size) if d == 4 else NODE_SIZES[d], 1)
                for d in depth
            ],
            "n": names,
        }
    return cache[lang]


def _tree_columns(model: ClassroomModel, ts: Weeks, lang: str) -> dict[str, list]:
    anxiety = model.state.units.anxiety
    # The centre is not an agent: its colour is the central pressure the provinces feel.
    colour = [
        model.active_params.anxiety.central_pressure if n == CENTRE else anxiety[n]
        for n in model.tree.graph
    ]
    return {**_tree_static(model, lang), "a": _clean(colour)}


# ---- time charts --------------------------------------------------------------------------------
def _level_fields(lang: str) -> dict[str, str]:
    return {text(level, lang): f"anxiety_{level}" for level in LEVEL_COLOURS}


def _anxiety_spec(model: ClassroomModel, lang: str) -> dict[str, Any]:
    labels = list(_level_fields(lang))
    return _base(
        **_time_layer(
            labels,
            labels,
            list(LEVEL_COLOURS.values()),
            text("anxiety_axis", lang),
            lang,
            {"type": "line", "strokeWidth": 1.8},
            (0, 1),
        )
    )


def _anxiety_columns(model: ClassroomModel, ts: Weeks, lang: str) -> dict[str, list]:
    return series(ts, _level_fields(lang))


def _burden_fields(lang: str) -> dict[str, str]:
    keys = {
        "hours_substantive": "substantive",
        "hours_necessary_formal": "necessary_formal",
        "hours_pure_formalism": "pure_formalism",
    }
    return {text(keys[column], lang): column for column in BURDEN_COLOURS}


def _hours_spec(model: ClassroomModel, lang: str) -> dict[str, Any]:
    areas = list(_burden_fields(lang))
    overtime = text("app.overtime", lang)
    standard = text("standard_week", lang)
    ylabel = text("hours_per_week", lang)
    work = model.params.work
    top = (0, work.standard_hours + work.max_overtime)
    area = _time_layer(
        areas,
        areas,
        list(BURDEN_COLOURS.values()),
        ylabel,
        lang,
        {"type": "area", "opacity": 0.85},
        top,
        stack=True,
    )
    area["encoding"]["color"]["legend"] = {"symbolType": "square"}
    # The lines, black, told apart by their dashes in a legend of their own.
    dashes = {
        "field": "key",
        "type": "nominal",
        "scale": {"domain": [overtime, standard], "range": [[1, 0], [5, 3]]},
        "legend": {
            "orient": "bottom",  # under the axis: beside the areas' legend it would not fit
            "symbolType": "stroke",
            "symbolStrokeColor": "black",
            "symbolSize": 300,
        },
    }
    line = _time_layer(
        [overtime], [overtime], ["black"], ylabel, lang, {"type": "line", "strokeWidth": 1.4}, None
    )
    del line["encoding"]["color"]
    line["mark"]["color"] = "black"
    line["encoding"]["strokeDash"] = dashes
    rule = {
        "data": {"values": [{"value": work.standard_hours, "key": standard}]},
        "mark": {"type": "rule", "strokeWidth": 1, "color": "black"},
        "encoding": {
            "y": {"field": "value", "type": "quantitative", "title": ylabel},
            "strokeDash": dashes,
        },
    }
    return _base(layer=[area, line, rule], resolve={"legend": {"strokeDash": "shared"}})


def _hours_columns(model: ClassroomModel, ts: Weeks, lang: str) -> dict[str, list]:
    return series(ts, {**_burden_fields(lang), text("app.overtime", lang): "overtime_hours"})


def _quality_fields(lang: str) -> dict[str, str]:
    return {
        text("service_quality", lang): "service_quality",
        text("burnt_out_share", lang): "burnout",
    }


def _quality_spec(model: ClassroomModel, lang: str) -> dict[str, Any]:
    labels = list(_quality_fields(lang))
    return _base(
        **_time_layer(
            labels,
            labels,
            ["#4c72b0", "#c44e52"],
            text("share_axis", lang),
            lang,
            {"type": "line", "strokeWidth": 1.8},
            (0, 1),
        )
    )


def _quality_columns(model: ClassroomModel, ts: Weeks, lang: str) -> dict[str, list]:
    return series(ts, _quality_fields(lang))


def _inspections_label(lang: str) -> str:
    return i18n.outcome_label("inspections_per_township", lang)


def _inspections_spec(model: ClassroomModel, lang: str) -> dict[str, Any]:
    label = _inspections_label(lang)
    spec = _base(
        **_time_layer(
            [label],
            [label],
            ["#dd8452"],
            label,
            lang,
            {"type": "line", "strokeWidth": 1.8},
            (0, 1),
        )
    )
    spec["encoding"]["color"]["legend"] = None  # one line: the axis says what it is
    return spec


def _inspections_columns(model: ClassroomModel, ts: Weeks, lang: str) -> dict[str, list]:
    return series(ts, {_inspections_label(lang): "inspections_per_township"})


tree_chart = ChartDef("tree", "app.tree_title", "app.explain.tree", _tree_spec, _tree_columns)
anxiety_chart = ChartDef(
    "anxiety", "anxiety_by_level", "app.explain.anxiety", _anxiety_spec, _anxiety_columns
)
hours_chart = ChartDef("hours", "township_week", "app.explain.hours", _hours_spec, _hours_columns)
quality_chart = ChartDef(
    "quality", "app.quality_title", "app.explain.quality", _quality_spec, _quality_columns
)
inspections_chart = ChartDef(
    "inspections",
    "app.inspections_title",
    "app.explain.inspections",
    _inspections_spec,
    _inspections_columns,
)
# The charts of the page, in order.
CHARTS: tuple[ChartDef, ...] = (
    tree_chart,
    anxiety_chart,
    hours_chart,
    quality_chart,
    inspections_chart,
)


def timeseries(model: ClassroomModel) -> pd.DataFrame:
    """The outcomes collected so far, one row per week (index: week 1, 2, ...)."""
    return outcomes.timeseries(model)


def chart_cards(model: ClassroomModel, lang: str) -> list[dict[str, Any]]:
    """The page's charts for sim.app.vega.VegaCharts: title, explanation, the hint shown
    before the first week, and the specification."""
    return [
        {
            "name": chart.name,
            "title": text(chart.title, lang),
            "explain": text(chart.explain, lang),
            "empty": "" if chart is tree_chart else text("app.press_step", lang),
            "spec": chart.spec(model, lang),
        }
        for chart in CHARTS
    ]


def chart_data(model: ClassroomModel, lang: str) -> dict[str, Any]:
    """What the charts show at the model's week, for VegaCharts' ``dataset``."""
    ts = Weeks(model)
    return {
        "version": model.week,
        "charts": {chart.name: chart.columns(model, ts, lang) for chart in CHARTS},
    }
