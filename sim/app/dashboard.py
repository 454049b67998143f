"""The teacher's page of ``oasim app --class`` (``/class``): every run the groups send, live.

A table (group, scenario, week, results beside the status quo, the levers set) and a scatter,
drawn in the browser, of burden (the township official's week and its pure formalism) against
service and cost, one dot per entry. The page waits on the board (sim.app.board) in a thread
and re-renders when an entry arrives; the CSV export is a download in the teacher's browser.
"""

from __future__ import annotations

import threading
from typing import Any

import solara

from .board import BOARD, RESULTS, Entry, result_label
from .charts import CONFIG, SCHEMA
from .components import LANGUAGE_NAMES
from .controls import CONTROLS, PRESETS, scenario_library, scenario_text
from .text import text
from .vega import VegaCharts

__all__ = ["Dashboard", "entry_levers", "scatter_columns", "scatter_spec"]

WAIT = 1.0  # seconds between two checks that the page is still open
# The scatter's panels: burden across (x), service and cost down (y); short field names.
X_AXES = (("h", "township_hours"), ("f", "hours_pure_formalism"))
Y_AXES = (("s", "service_quality"), ("c", "lever_cost"))
FIELDS = {"h": "township_hours", "f": "hours_pure_formalism", "s": "service_quality"}
FIELDS |= {"c": "lever_cost", "gm": "gaming_share", "b": "burnout"}
PANEL = (300, 210)  # width, height in pixels


def entry_levers(entry: Entry, lang: str) -> str:
    """The levers an entry sets differently from the status quo, in the page's language."""
    controls = {c.param: c for c in CONTROLS}
    parts = [
        f"{controls[p].label(lang)}: {controls[p].show(v, lang)}" for p, v in entry.changed.items()
    ]
    return "; ".join(parts) if parts else text("app.no_levers", lang)


def _scenario_title(name: str, lang: str) -> str:
    spec = scenario_library().get(name)
    return scenario_text(spec, lang)[0] if spec is not None else name


def scatter_columns(entries: list[Entry], lang: str) -> dict[str, list]:
    """The scatter's data: one row per entry, with the status quo's values as ``sq_*``."""
    columns: dict[str, list] = {"n": [], "g": [], "wk": [], "l": []}
    for key in FIELDS:
        columns[key] = []
        columns[f"sq_{key}"] = []
    for e in entries:
        columns["n"].append(e.number)
        columns["g"].append(e.group)
        columns["wk"].append(e.week)
        columns["l"].append(entry_levers(e, lang))
        for key, name in FIELDS.items():
            columns[key].append(round(e.results[name], 4))
            columns[f"sq_{key}"].append(round(e.status_quo[name], 4))
    return columns


def _panel(x: str, y: str, lang: str) -> dict[str, Any]:
    def axis(key: str, prefix: str = "") -> dict[str, Any]:
        return {
            "field": prefix + key,
            "type": "quantitative",
            "title": result_label(FIELDS[key], lang),
            # room around the dots, so that none sits on an axis and its label fits
            "scale": {"zero": False, "nice": True, "padding": 16},
        }

    tooltip = [
        {"field": "g", "type": "nominal", "title": text("app.col.group", lang)},
        {"field": "n", "type": "quantitative", "title": text("app.col.number", lang)},
        {"field": "wk", "type": "quantitative", "title": text("app.col.week", lang)},
        *(
            {"field": k, "type": "quantitative", "title": result_label(FIELDS[k], lang)}
            for k in FIELDS
        ),
        {"field": "l", "type": "nominal", "title": text("app.col.levers", lang)},
    ]
    status_quo = {
        "mark": {"type": "point", "shape": "cross", "color": "#9a9a9a", "size": 70},
        "encoding": {
            "x": axis(x, "sq_"),
            "y": axis(y, "sq_"),
            "tooltip": {"value": text("app.status_quo", lang)},
        },
    }
    dots = {
        "mark": {"type": "circle", "size": 90, "opacity": 0.9, "stroke": "#333"},
        "encoding": {
            "x": axis(x),
            "y": axis(y),
            "color": {"field": "g", "type": "nominal", "legend": None},
            "tooltip": tooltip,
        },
    }
    labels = {
        "mark": {"type": "text", "align": "left", "dx": 7, "dy": -6, "fontSize": 11},
        "encoding": {"x": axis(x), "y": axis(y), "text": {"field": "g"}},
    }
    return {"width": PANEL[0], "height": PANEL[1], "layer": [status_quo, dots, labels]}


def scatter_spec(lang: str) -> dict[str, Any]:
    """Burden (across) against service and cost (down), 2 x 2 panels sharing one data set."""
    return {
        "$schema": SCHEMA,
        "config": {**CONFIG, "legend": {"disable": True}},
        "data": {"name": "data"},
        "vconcat": [{"hconcat": [_panel(xk, yk, lang) for xk, _ in X_AXES]} for yk, _ in Y_AXES],
    }


def _number(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


@solara.component
def EntriesTable(entries: list[Entry], lang: str):
    """One row per entry: who, what, when, the results (status quo beneath) and the levers."""
    presets = {p: text(f"app.preset.{p}", lang) for p in PRESETS}
    head = [
        text("app.col.number", lang),
        text("app.col.time", lang),
        text("app.col.group", lang),
        text("app.col.scenario", lang),
        text("app.col.preset", lang),
        text("app.col.seed", lang),
        text("app.col.week", lang),
        *(result_label(r, lang) for r in RESULTS),
        text("app.col.levers", lang),
    ]
    cell = solara.v.Html
    with cell(tag="div", class_="oa-table-wrap"), cell(tag="table", class_="oa-table"):
        with cell(tag="thead"), cell(tag="tr"):
            for name in head:
                cell(tag="th", children=[name])
        with cell(tag="tbody"):
            for e in entries:
                with cell(tag="tr", class_="oa-entry"):
                    for value in (
                        str(e.number),
                        e.time,
                        e.group,
                        _scenario_title(e.scenario, lang),
                        presets.get(e.preset, e.preset),
                        str(e.seed),
                        str(e.week),
                    ):
                        cell(tag="td", children=[value])
                    for r in RESULTS:
                        cell(
                            tag="td",
                            class_="oa-num",
                            children=[
                                _number(e.results[r]),
                                cell(
                                    tag="div",
                                    class_="oa-sq",
                                    children=[
                                        f"{text('app.status_quo', lang)} {_number(e.status_quo[r])}"
                                    ],
                                ),
                            ],
                        )
                    cell(tag="td", class_="oa-levers", children=[entry_levers(e, lang)])


@solara.component
def Dashboard(initial_lang: str = "en", enabled: bool = True):
    """The teacher's page: the board's entries as they arrive."""
    lang_r = solara.use_reactive(initial_lang)
    lang = lang_r.value
    version = solara.use_reactive(BOARD.version)

    def follow(cancel: threading.Event) -> None:
        seen = version.value
        while not cancel.is_set():
            now = BOARD.wait(seen, timeout=WAIT)
            if now != seen:
                seen = now
                version.set(now)

    solara.use_thread(follow, dependencies=[], intrusive_cancel=False)
    entries = solara.use_memo(BOARD.entries, [version.value])
    spec = solara.use_memo(lambda: scatter_spec(lang), [lang])
    groups = len({e.group for e in entries})

    solara.Title(text("app.dashboard", lang))
    with solara.v.Html(tag="div", class_="oa-app oa-dashboard"):
        with solara.v.Html(tag="header", class_="oa-bar"):
            solara.v.Html(tag="h1", class_="oa-title", children=[text("app.dashboard", lang)])
            solara.v.Html(
                tag="span",
                class_="oa-week oa-count",
                children=[text("app.entries", lang, n=len(entries), groups=groups)],
            )
            solara.FileDownload(
                BOARD.csv,  # made when the teacher clicks, in the teacher's browser
                filename="oasim-class.csv",
                label=text("app.export", lang),
                mime_type="text/csv",
            )
            with solara.ToggleButtonsSingle(value=lang_r, mandatory=True, classes=["oa-lang"]):
                for code, name in LANGUAGE_NAMES.items():
                    solara.Button(name, value=code, text=True)
        with solara.v.Html(tag="main", class_="oa-board"):
            if not enabled:
                solara.Warning(text("app.dashboard_off", lang), classes=["oa-off"])
            solara.v.Html(tag="p", class_="oa-note", children=[text("app.dashboard_how", lang)])
            solara.v.Html(
                tag="p",
                class_="oa-empty",
                children=[text("app.no_entries", lang)],
                style_="display: none" if entries else "",
            )
            VegaCharts.element(
                charts=[
                    {
                        "name": "scatter",
                        "title": text("app.scatter_title", lang),
                        "explain": text("app.scatter_how", lang),
                        "empty": "",
                        "spec": spec,
                    }
                ],
                dataset={
                    "version": len(entries),
                    "charts": {"scatter": scatter_columns(entries, lang)},
                },
                container_class="oa-board-charts",
            )
            EntriesTable(entries, lang)
