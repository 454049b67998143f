"""The Solara page of ``oasim app``: Mesa's SolaraViz around a ClassroomModel, plus a card to
pick the scenario, the size of the hierarchy and the language.

One model per browser session: :func:`ClassroomApp` makes its model with ``solara.use_memo``,
so each session (each browser tab) steps its own model; nothing model-related lives at module
level. Picking a scenario or a size makes a new model and remounts SolaraViz, whose inputs then
start from the scenario's values. Changing the language relabels the page and keeps the run.
"""

from __future__ import annotations

import os

import solara
from mesa.visualization import SolaraViz

from ..hierarchy import build_hierarchy
from ..i18n import LANGUAGES, text
from ..params import Parameters
from .components import CHARTS, Chart, RunSettings
from .controls import PRESETS, scenario_library, scenario_text, user_params
from .model import ClassroomModel
from .server import LANG_ENV

__all__ = ["ClassroomApp", "Page"]

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
# Mesa's sliders, made readable in the narrow sidebar: the label on its own line above a
# full-width track, and the value always shown as a small tag above the thumb (Vuetify shows
# it only while dragging). A chart taller than its grid cell (a narrow window) scrolls inside
# the cell instead of spilling over the next one.
CSS = """
.vue-grid-item { overflow-y: auto; }
.v-input__slider .v-input__slot { flex-wrap: wrap; }
.v-input__slider .v-input__slot > .v-label {
    flex: 1 0 100%; margin-bottom: 22px; white-space: normal; height: auto; line-height: 1.3;
}
.v-slider__thumb-label-container { display: block !important; }
.v-slider--horizontal .v-slider__thumb-label {
    transform: translateX(-50%) !important; border-radius: 4px; margin-bottom: 2px;
    width: auto !important; min-width: 22px; height: 16px !important; padding: 0 4px;
    font-size: 11px;
}
.v-slider__thumb-label > * { transform: none !important; }
"""


def _paragraph(content: str, style: str = ""):
    # A plain paragraph: solara.Markdown would load a diagram library (mermaid) from the CDN.
    return solara.v.Html(tag="p", children=[content], style_=style)


def _preset_size(preset: str, lang: str) -> str:
    tree = build_hierarchy(Parameters({"hierarchy.preset": preset}))
    return text("app.preset_size", lang, units=tree.n_units, officials=tree.n_staff)


@solara.component
def SetupCard(
    scenario: solara.Reactive[str], preset: solara.Reactive[str], lang: solara.Reactive[str]
):
    """Language, scenario (title and description in the page's language) and hierarchy size."""
    t = lang.value
    library = scenario_library()
    spec = library[scenario.value]
    with solara.Card(text("app.setup", t)):
        with solara.ToggleButtonsSingle(value=lang, mandatory=True):
            for code in LANGUAGES:
                solara.Button(LANGUAGE_NAMES[code], value=code, text=True)
        solara.Select(
            text("app.scenario", t),
            value=scenario,
            # Vuetify's select shows "text" and returns "value" (the scenario's file name).
            values=[{"text": scenario_text(s, t)[0], "value": name} for name, s in library.items()],
        )
        _paragraph(scenario_text(spec, t)[1])
        _paragraph(text("app.preset", t), style="margin-bottom: 4px")
        with solara.ToggleButtonsSingle(value=preset, mandatory=True):
            for name in PRESETS:
                solara.Button(text(f"app.preset.{name}", t), value=name, text=True)
        _paragraph(_preset_size(preset.value, t), style="font-size: 0.85em")
        _paragraph(text("app.how_to", t), style="font-size: 0.85em; color: #555")


@solara.component
def ClassroomApp(initial_lang: str = "en"):
    """The whole page for one browser session."""
    lang = solara.use_reactive(initial_lang)
    scenario = solara.use_reactive("baseline")
    preset = solara.use_reactive("classroom")
    model = solara.use_memo(
        lambda: ClassroomModel(scenario_name=scenario.value, preset=preset.value),
        [scenario.value, preset.value],
    )
    solara.Style(CSS)
    with solara.Sidebar():
        SetupCard(scenario, preset, lang)
    # Mesa calls each with the model on screen (a new one after Reset), after every step.
    views = [
        *(
            (lambda m, d=draw, h=title, e=explain: Chart(m, m.time, d, h, e, lang.value))
            for draw, title, explain in CHARTS
        ),
        lambda m: RunSettings(m, lang.value),
    ]
    SolaraViz(
        model,
        components=[(view, 0) for view in views],
        model_params=user_params(scenario.value, preset.value, lang.value),
        name=text("app.title", lang.value),
    ).key(f"{scenario.value}/{preset.value}")


@solara.component
def Page():
    """Entry point for ``solara run sim.app.page``; ``oasim app --lang`` sets the language."""
    lang = os.environ.get(LANG_ENV, "en")
    if lang not in LANGUAGES:
        raise ValueError(f"{LANG_ENV}={lang!r}: allowed {', '.join(LANGUAGES)}")
    ClassroomApp(initial_lang=lang)
