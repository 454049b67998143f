"""The parts of the student's page, as Solara components.

One :class:`Session` per browser session holds the reactive state (language, scenario, size,
control values, the model, play/pause); the components read what they show from it. A step
re-renders nothing: the week counter and the charts register with the session
(:meth:`Session.listen`) and set their widgets' new text and data directly, so the server's
work per step is the model's step and one message of chart data (sim.app.charts). A new run or
language re-renders what depends on it, as usual.

The run controls (Reset, Play, Step and the week counter) are the page's own, in both
languages: Mesa's SolaraViz draws its controls in English and offers no hook to relabel them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import solara

from .board import BOARD, SubmissionRefused
from .charts import chart_cards, chart_data
from .controls import (
    CONTROLS,
    PRESETS,
    SECTIONS,
    SEED_RANGE,
    Control,
    initial_values,
    model_kwargs,
    scenario_library,
    scenario_text,
)
from .model import ClassroomModel
from .text import text
from .vega import VegaCharts

__all__ = [
    "LANGUAGE_NAMES",
    "PLAY_INTERVAL",
    "Charts",
    "ControlsCard",
    "RunBar",
    "RunSettings",
    "Session",
    "SetupCard",
    "ShareCard",
    "run_settings",
    "use_session",
]

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
PLAY_INTERVAL = 0.25  # seconds between two weeks while playing: 4 weeks a second


@dataclass(frozen=True)
class Session:
    """The reactive state of one browser session (see :func:`use_session`)."""

    lang: solara.Reactive[str]
    scenario: solara.Reactive[str]
    preset: solara.Reactive[str]
    values: solara.Reactive[dict[str, Any]]  # the controls, by ClassroomModel keyword
    model: solara.Reactive[ClassroomModel]
    playing: solara.Reactive[bool]
    lock: threading.Lock  # one step or reset at a time (Play runs in a thread)
    # What a step updates, each a function of the model: the week counter and the charts
    # register one (see the module's docstring).
    listeners: list[Callable[[ClassroomModel], None]]

    def new_run(self) -> None:
        """A new model from the page's scenario, size and controls, at week 0."""
        self.playing.set(False)
        model = ClassroomModel(
            **model_kwargs(self.scenario.value, self.preset.value, self.values.value)
        )
        with self.lock:
            self.model.set(model)

    def step(self) -> None:
        """One week, then the week counter and the charts show it."""
        with self.lock:
            model = self.model.value
            model.step()
            for update in list(self.listeners):
                update(model)
        if not model.running:
            self.playing.set(False)

    def listen(self, update: Callable[[ClassroomModel], None]) -> Callable[[], None]:
        """Call ``update`` after every step; returns what stops it (a use_effect cleanup)."""
        self.listeners.append(update)
        return lambda: self.listeners.remove(update)

    def pick(self, scenario: str | None = None, preset: str | None = None) -> None:
        """Another scenario or size: the controls take the scenario's values, a new run starts."""
        if scenario is not None:
            self.scenario.set(scenario)
        if preset is not None:
            self.preset.set(preset)
        self.values.set(initial_values(self.scenario.value))
        self.new_run()

    def set_value(self, arg: str, value: Any) -> None:
        self.values.set({**self.values.value, arg: value})

    def pending(self) -> bool:
        """Whether the controls differ from the run on screen (they act from the next Reset)."""
        model = self.model.value
        values = self.values.value
        if int(values["seed"]) != model.run_seed:
            return True
        return any(values[c.arg] != model.params[c.param] for c in CONTROLS)


def use_session(initial_lang: str = "en") -> Session:
    """The state of this browser session: each session (tab) has its own model."""
    first = solara.use_memo(lambda: ClassroomModel(), [])
    return Session(
        lang=solara.use_reactive(initial_lang),
        scenario=solara.use_reactive("baseline"),
        preset=solara.use_reactive("classroom"),
        values=solara.use_reactive(solara.use_memo(lambda: initial_values("baseline"), [])),
        model=solara.use_reactive(first),
        playing=solara.use_reactive(False),
        lock=solara.use_memo(threading.Lock, []),
        listeners=solara.use_memo(list, []),
    )


def _html(tag: str, content: str, cls: str = "", style: str = ""):
    # A plain element: solara.Markdown would load a diagram library (mermaid) from the CDN.
    return solara.v.Html(tag=tag, children=[content], class_=cls, style_=style)


@solara.component
def RunBar(session: Session, title: str):
    """The bar over the page: title, week, Reset / Play / Step and the language."""
    lang = session.lang.value
    playing = session.playing.value
    model = session.model.value
    running = model.running

    def play_loop(cancel: threading.Event) -> None:
        while session.playing.value and not cancel.is_set():
            session.step()
            cancel.wait(PLAY_INTERVAL)

    solara.use_thread(play_loop, dependencies=[playing], intrusive_cancel=False)

    def follow_steps():
        widget = solara.get_widget(counter)

        def update(model: ClassroomModel) -> None:
            widget.children = [text("app.week_counter", session.lang.value, n=model.week)]

        update(model)
        return session.listen(update)

    solara.use_effect(follow_steps, [model, lang])

    with solara.v.Html(tag="header", class_="oa-bar"):
        _html("h1", title, "oa-title")
        # Its text is set directly, now and after every step (see Charts).
        counter = solara.v.Html(tag="span", class_="oa-week")
        with solara.v.Html(tag="div", class_="oa-buttons"):
            solara.Button(
                text("app.reset", lang),
                on_click=session.new_run,
                color="primary",
                outlined=True,
                classes=["oa-reset"],
            )
            solara.Button(
                text("app.pause" if playing else "app.play", lang),
                icon_name="mdi-pause" if playing else "mdi-play",
                on_click=lambda: session.playing.set(not session.playing.value),
                color="primary",
                disabled=not running,
                classes=["oa-play"],
            )
            solara.Button(
                text("app.step", lang),
                icon_name="mdi-skip-next",
                on_click=session.step,
                color="primary",
                disabled=playing or not running,
                classes=["oa-step"],
            )
        with solara.ToggleButtonsSingle(value=session.lang, mandatory=True, classes=["oa-lang"]):
            for code, name in LANGUAGE_NAMES.items():
                solara.Button(name, value=code, text=True)


@solara.component
def SetupCard(session: Session):
    """Scenario (title and description in the page's language) and hierarchy size."""
    lang = session.lang.value
    library = scenario_library()
    spec = library[session.scenario.value]
    with solara.Card(text("app.setup", lang), classes=["oa-card", "oa-setup"]):
        solara.Select(
            text("app.scenario", lang),
            value=session.scenario.value,
            on_value=lambda name: session.pick(scenario=name),
            # Vuetify's select shows "text" and returns "value" (the scenario's file name).
            values=[
                {"text": scenario_text(s, lang)[0], "value": name} for name, s in library.items()
            ],
        )
        _html("p", scenario_text(spec, lang)[1], "oa-description")
        _html("p", text("app.preset", lang), style="margin-bottom: 4px")
        with solara.ToggleButtonsSingle(
            value=session.preset.value, on_value=lambda p: session.pick(preset=p), mandatory=True
        ):
            for name in PRESETS:
                solara.Button(text(f"app.preset.{name}", lang), value=name, text=True)
        _html("p", _preset_size(session.preset.value, lang), "oa-note")
        _html("p", text("app.how_to_run", lang), "oa-note")


def _preset_size(preset: str, lang: str) -> str:
    from ..hierarchy import build_hierarchy
    from ..params import Parameters

    tree = build_hierarchy(Parameters({"hierarchy.preset": preset}))
    return text("app.preset_size", lang, units=tree.n_units, officials=tree.n_staff)


def _input(control: Control, value: Any, lang: str, on_value: Callable[[Any], None]) -> None:
    label = control.label(lang)
    if control.kind == "choice":
        from ..params import CATALOGUE

        # Vuetify's select shows "text" and returns "value": labels are translated, the value
        # the model receives is the catalogue's.
        items = [
            {"text": control.show(c, lang), "value": c} for c in CATALOGUE[control.param].choices
        ]
        solara.Select(label, value=value, values=items, on_value=on_value)
    elif control.kind == "int":
        solara.SliderInt(
            label,
            value=int(value),
            min=int(control.low),
            max=int(control.high),
            step=int(control.step),
            on_value=on_value,
        )
    else:
        solara.SliderFloat(
            label,
            value=float(value),
            min=control.low,
            max=control.high,
            step=control.step,
            on_value=on_value,
        )


@solara.component
def ControlsCard(session: Session):
    """The seed, the levers and the behavioural parameters; they act from the next Reset."""
    lang = session.lang.value
    values = session.values.value
    pending = session.pending()
    with solara.Card(text("app.levers", lang), classes=["oa-card", "oa-controls"]):
        # Always there, shown or not: a new element above the sliders would make new sliders
        # (and take the keyboard focus from the one being moved).
        _html("p", text("app.pending", lang), "oa-pending", "" if pending else "display: none")
        solara.SliderInt(
            text("app.seed", lang),
            value=int(values["seed"]),
            min=SEED_RANGE[0],
            max=SEED_RANGE[1],
            on_value=lambda v: session.set_value("seed", v),
        )
        for heading, controls in SECTIONS:
            _html("h3", text(heading, lang), "oa-section")
            for control in controls:
                _input(
                    control,
                    values[control.arg],
                    lang,
                    lambda v, arg=control.arg: session.set_value(arg, v),
                )


@solara.component
def Charts(session: Session):
    """Every chart of the run on screen, drawn in the browser. Their specifications are made
    once per run and language; their data is set on the widget directly, now and after every
    step (:meth:`Session.listen`), so that a step re-renders nothing. (The data is no property
    of the element: Solara would set a re-rendered element's old value again.)"""
    model = session.model.value
    lang = session.lang.value
    cards = solara.use_memo(lambda: chart_cards(model, lang), [model, lang])
    charts = VegaCharts.element(charts=cards, heading_template=text("app.heading", lang))

    def follow_steps():
        widget = solara.get_widget(charts)

        def update(model: ClassroomModel) -> None:
            widget.dataset = chart_data(model, session.lang.value)

        update(model)
        return session.listen(update)

    solara.use_effect(follow_steps, [model, lang])


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
def RunSettings(session: Session):
    """What the run on screen uses: the controls apply only from the next Reset, so the page
    says which scenario, seed and levers produced the charts."""
    model = session.model.value
    lang = session.lang.value
    title, _ = scenario_text(scenario_library()[model.scenario_name], lang)
    with solara.v.Html(tag="section", class_="oa-card oa-run-settings"):
        _html("h2", text("app.run_settings", lang), "oa-chart-title")
        _html("p", f"{title}; {text('app.seed', lang)} {model.run_seed}")
        rows = run_settings(model, lang)
        _html("p", text("app.differs" if rows else "app.differs_none", lang))
        for label, value in rows:
            _html("div", f"{label}: {value}")


@solara.component
def ShareCard(session: Session):
    """Send the run on screen to the class dashboard (``oasim app --class``)."""
    lang = session.lang.value
    group = solara.use_reactive("")
    # (kind, text key, format values) of the last answer, shown in the page's language
    message: solara.Reactive[tuple[str, str, dict[str, Any]] | None] = solara.use_reactive(None)

    def submit() -> None:
        try:
            with session.lock:
                entry = BOARD.submit(session.model.value, group.value)
        except SubmissionRefused as refused:
            message.set(("error", refused.key, refused.fmt))
        else:
            message.set(("success", "app.submitted", {"number": entry.number, "week": entry.week}))

    with solara.v.Html(tag="section", class_="oa-card oa-share"):
        _html("h2", text("app.share", lang), "oa-chart-title")
        _html("p", text("app.share_how", lang), "oa-note")
        with solara.v.Html(tag="div", class_="oa-share-row"):
            solara.InputText(text("app.group", lang), value=group, continuous_update=True)
            solara.Button(
                text("app.submit", lang),
                icon_name="mdi-send",
                on_click=submit,
                color="primary",
                classes=["oa-submit"],
            )
        if message.value is not None:
            kind, key, fmt = message.value
            show = solara.Error if kind == "error" else solara.Success
            show(text(key, lang, **fmt), classes=["oa-message"])
