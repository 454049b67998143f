"""The Solara pages of ``oasim app``: the student's page (``/``) and, with ``--class``, the
teacher's class dashboard (``/class``).

One model per browser session: :func:`ClassroomApp` keeps its state in a
:class:`~sim.app.components.Session` made with Solara's hooks, so each session (each browser
tab) steps its own model; nothing model-related lives at module level (the class board,
sim.app.board, is the one thing sessions share).

The layout is the page's own (:data:`CSS`), not Solara's AppLayout nor Mesa's SolaraViz: a bar
with the run controls across the top, which stays in view; the setup and the controls in a
column of fixed width on the left; the charts in a grid on the right. Below 960 pixels (a
tablet, a narrow window) they stack instead: the setup, the charts, then the levers.
"""

from __future__ import annotations

import os

import solara

from ..i18n import LANGUAGES
from .components import (
    Charts,
    ControlsCard,
    RunBar,
    RunSettings,
    SetupCard,
    ShareCard,
    use_session,
)
from .dashboard import Dashboard
from .server import CLASS_ENV, LANG_ENV
from .text import text

__all__ = ["CSS", "ClassPage", "ClassroomApp", "Layout", "Page", "routes"]

SIDE_WIDTH = 360  # pixels: the setup and controls column, whatever a scenario's description
NARROW = 959  # pixels: at this width and below, the column and the charts stack

CSS = f"""
html, body {{ overflow: hidden; }}
.oa-app {{
    display: flex; flex-direction: column; height: 100vh; background: #f5f6f8;
    font-size: 14px;
}}
.oa-bar {{
    flex: none; display: flex; align-items: center; gap: 8px 16px; flex-wrap: wrap;
    padding: 6px 16px; background: #fff; border-bottom: 1px solid #dcdcdc; z-index: 5;
}}
.oa-title {{
    flex: 1 1 200px; min-width: 0; margin: 0; font-size: 1.15em; font-weight: 600;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}}
.oa-week {{ font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.oa-buttons {{ display: flex; gap: 8px; }}
.oa-root .v-btn {{ text-transform: none; letter-spacing: normal; }}
.oa-body {{
    flex: 1 1 auto; min-height: 0; display: grid;
    grid-template-columns: {SIDE_WIDTH}px minmax(0, 1fr);
}}
.oa-side {{
    width: {SIDE_WIDTH}px; min-width: 0; overflow-y: auto; overflow-x: hidden;
    padding: 12px; border-right: 1px solid #dcdcdc; background: #fafafa;
}}
.oa-side > * + * {{ margin-top: 12px; }}
.oa-main {{ min-width: 0; overflow-y: auto; padding: 12px; }}
.oa-charts {{
    display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr));
}}
.oa-card {{
    background: #fff; border: 1px solid #e0e0e0; border-radius: 6px; padding: 8px 12px;
    min-width: 0; overflow: hidden;
}}
.oa-main > * + * {{ margin-top: 12px; }}
.oa-chart-title {{ font-size: 0.95em; font-weight: 600; margin: 0 0 4px 0; }}
.oa-explain, .oa-note {{ font-size: 0.85em; color: #555; margin: 4px 0 0 0; }}
.oa-empty {{ font-size: 0.85em; color: #888; margin: 0; }}
.oa-description {{ font-size: 0.9em; margin: 4px 0 8px 0; overflow-wrap: anywhere; }}
.oa-pending {{ font-size: 0.85em; color: #b35900; margin: 0 0 8px 0; }}
.oa-section {{
    font-size: 0.9em; font-weight: 600; margin: 14px 0 2px 0; padding-top: 6px;
    border-top: 1px solid #eee;
}}
.oa-share-row {{ display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }}
.oa-share-row .v-input {{ flex: 1 1 200px; }}
.oa-side .v-card {{ overflow-wrap: anywhere; }}
.oa-side .v-card__title {{ font-size: 1.05em; padding: 8px 12px; word-break: normal; }}
.oa-side .v-card__text {{ padding: 0 12px 8px 12px; }}
/* the sliders: the label on its own line above a full-width track, and the value always shown
   as a small tag above the thumb (Vuetify shows it only while dragging) */
.v-input__slider .v-input__slot {{ flex-wrap: wrap; }}
.v-input__slider .v-input__slot > .v-label {{
    flex: 1 0 100%; margin-bottom: 22px; white-space: normal; height: auto; line-height: 1.3;
}}
.v-slider__thumb-label-container {{ display: block !important; }}
.v-slider--horizontal .v-slider__thumb-label {{
    transform: translateX(-50%) !important; border-radius: 4px; margin-bottom: 2px;
    width: auto !important; min-width: 22px; height: 16px !important; padding: 0 4px;
    font-size: 11px;
}}
.v-slider__thumb-label > * {{ transform: none !important; }}
/* the dashboard */
.oa-board {{ flex: 1 1 auto; min-height: 0; overflow: auto; padding: 12px; }}
.oa-board > * + * {{ margin-top: 12px; }}
.oa-charts.oa-board-charts {{ grid-template-columns: minmax(0, 1fr); }}
.oa-scatter .oa-chart {{ overflow-x: auto; }}
.oa-table-wrap {{ overflow-x: auto; background: #fff; border: 1px solid #e0e0e0; }}
.oa-table {{ border-collapse: collapse; font-size: 0.85em; width: 100%; }}
.oa-table th, .oa-table td {{
    border-bottom: 1px solid #eee; padding: 4px 8px; text-align: left; vertical-align: top;
}}
.oa-table th {{ background: #f0f0f0; min-width: 4.5em; }}
.oa-table .oa-num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.oa-table .oa-sq {{ color: #888; font-size: 0.85em; white-space: nowrap; }}
.oa-table .oa-levers {{ min-width: 240px; }}
/* narrow windows and tablets: one column, the page scrolls as a whole, the bar stays on top */
@media (max-width: {NARROW}px) {{
    html, body {{ overflow: auto; }}
    .oa-app {{ height: auto; min-height: 100vh; }}
    .oa-bar {{ position: sticky; top: 0; }}
    /* the setup first, then the charts, then the levers */
    .oa-body {{ display: flex; flex-direction: column; gap: 12px; padding: 12px; }}
    .oa-side {{ display: contents; }}
    .oa-side > * + * {{ margin-top: 0; }}
    .oa-setup {{ order: 0; }}
    .oa-main {{ order: 1; overflow: visible; padding: 0; }}
    .oa-controls {{ order: 2; }}
    .oa-charts {{ grid-template-columns: minmax(0, 1fr); }}
    .oa-board {{ overflow: visible; }}
}}
"""


@solara.component
def Layout(children: list = []):  # noqa: B006  (Solara's signature for a layout)
    """The pages' frame: only the page itself, with the app's style (no Solara app bar or
    navigation drawer, which would cover the charts on a narrow screen)."""
    return solara.v.Html(tag="div", class_="oa-root", children=[solara.Style(CSS), *children])


@solara.component
def ClassroomApp(initial_lang: str = "en", class_mode: bool = False):
    """The student's page for one browser session."""
    session = use_session(initial_lang)
    lang = session.lang.value
    title = text("app.title", lang)
    solara.Title(title)
    with solara.v.Html(tag="div", class_="oa-app"):
        RunBar(session, title)
        with solara.v.Html(tag="div", class_="oa-body"):
            with solara.v.Html(tag="aside", class_="oa-side"):
                SetupCard(session)
                ControlsCard(session)
            with solara.v.Html(tag="main", class_="oa-main"):
                Charts(session)
                if class_mode:
                    ShareCard(session)
                RunSettings(session)


def _language() -> str:
    lang = os.environ.get(LANG_ENV, "en")
    if lang not in LANGUAGES:
        raise ValueError(f"{LANG_ENV}={lang!r}: allowed {', '.join(LANGUAGES)}")
    return lang


def _class_mode() -> bool:
    return os.environ.get(CLASS_ENV, "") == "1"


@solara.component
def Page():
    """The student's page; ``oasim app --lang`` sets its language, ``--class`` adds the card
    that sends a run to the class dashboard."""
    ClassroomApp(initial_lang=_language(), class_mode=_class_mode())


@solara.component
def ClassPage():
    """The teacher's class dashboard (``/class``)."""
    Dashboard(initial_lang=_language(), enabled=_class_mode())


# `solara run sim.app.page` serves these; the root route's layout frames both pages.
routes = [
    solara.Route(path="/", component=Page, label="oasim", layout=Layout),
    solara.Route(path="class", component=ClassPage, label="class"),
]
