"""What the page lets students change: the scenario library, the levers and a few behavioural
parameters, each with a slider range and a label in the article's terms (sim.i18n).

Every control is a keyword argument of :class:`sim.app.model.ClassroomModel` (its dotted
parameter name with ``_`` for ``.``), so Mesa's Reset can rebuild the model from the values
on the page.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..i18n import text
from ..params import CATALOGUE
from ..scenario import SCENARIO_DIR, Scenario, load_scenario

__all__ = [
    "BEHAVIOUR",
    "CONTROLS",
    "LEVERS",
    "PRESETS",
    "SECTIONS",
    "SEED_RANGE",
    "Control",
    "initial_values",
    "model_kwargs",
    "scenario_library",
    "scenario_text",
]

# Hierarchy sizes the page offers: a few dozen units draw legibly and step in milliseconds.
PRESETS = ("classroom", "region")
SEED_RANGE = (1, 100)


@dataclass(frozen=True)
class Control:
    """One control of the page: a catalogue parameter and the range its slider covers.

    The range is narrower than the catalogue's where the catalogue's would make the slider
    too coarse to use; it must hold every value the scenario library sets (a test checks).
    """

    param: str  # dotted name in sim.params.CATALOGUE
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05

    @property
    def arg(self) -> str:
        """The keyword argument of ClassroomModel that sets this parameter."""
        return self.param.replace(".", "_")

    @property
    def kind(self) -> str:
        return CATALOGUE[self.param].kind

    def label(self, lang: str) -> str:
        return text(f"app.{self.param}", lang)

    def show(self, value: Any, lang: str) -> str:
        """``value`` as the page shows it (a choice by its label)."""
        if self.kind == "choice":
            return text(f"app.{self.param}.{value}", lang)
        return f"{value:g}"


# The policy levers of docs/ODD.md section 1.6, in the order of the article's argument: burden
# reduction (quotas, oversight, assessment, indicators, fault tolerance, bottom-up evaluation),
# then empowerment (devolution, digital tools, data bureau, staffing, allocation, secondment,
# joint enforcement), then the promotion tournament.
LEVERS: tuple[Control, ...] = (
    Control("quota.meetings_cut", high=0.95),
    Control("quota.documents_cut", high=0.95),
    Control("quota.inspections_cut", high=0.95),
    Control("oversight.strength"),
    Control("assessment.mode"),
    Control("verification.intensity"),
    Control("indicators.count", low=10, high=200, step=10),
    Control("fault_tolerance.share"),
    Control("bottom_up.weight"),
    Control("bottom_up.anonymity"),
    Control("devolution.tasks"),
    Control("devolution.personnel"),
    Control("devolution.finance"),
    Control("platforms.count", low=0, high=20, step=1),
    Control("platforms.checkin_hours", high=2.0),
    Control("platforms.time_saved", high=0.5),
    Control("data_bureau.merge"),
    Control("staffing.follow_workload"),
    Control("allocation.capable_bias", high=3.0, step=0.1),
    Control("secondment.staff", high=5.0, step=0.5),
    Control("joint_enforcement.share"),
    Control("tournament.intensity", high=2.0, step=0.1),
)
# Behavioural parameters worth showing in class: how anxiety travels down the chain.
BEHAVIOUR: tuple[Control, ...] = (
    Control("anxiety.from_superior"),
    Control("anxiety.central_pressure"),
    Control("cascade.escalation", high=2.0, step=0.01),
)
CONTROLS: tuple[Control, ...] = LEVERS + BEHAVIOUR
# The page's headings over the controls (sim.app.text keys) and the controls under each.
SECTIONS: tuple[tuple[str, tuple[Control, ...]], ...] = (
    ("app.levers.burden", LEVERS[:10]),
    ("app.levers.empower", LEVERS[10:21]),
    ("app.levers.tournament", LEVERS[21:]),
    ("app.behaviour", BEHAVIOUR),
)


@functools.cache
def scenario_library() -> dict[str, Scenario]:
    """The scenarios of ``scenarios/*.toml`` by name: the baseline first, then by name."""
    paths = sorted(SCENARIO_DIR.glob("*.toml"), key=lambda p: (p.stem != "baseline", p.stem))
    return {p.stem: load_scenario(p) for p in paths}


def scenario_text(spec: Scenario, lang: str) -> tuple[str, str]:
    """A scenario's title and description in ``lang`` (English where there is no Chinese)."""
    if lang == "zh" and spec.title_zh:
        return spec.title_zh, (spec.description_zh or spec.description).strip()
    return spec.title or spec.name, spec.description.strip()


def initial_values(scenario: str) -> dict[str, Any]:
    """The controls' values for a new run of ``scenario``: the seed and the scenario's value of
    every control, by keyword argument of ClassroomModel."""
    params = scenario_library()[scenario].params
    return {"seed": SEED_RANGE[0], **{c.arg: params[c.param] for c in CONTROLS}}


def model_kwargs(scenario: str, preset: str, values: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ClassroomModel for a run of ``scenario`` at ``preset`` with
    the controls' ``values`` (see :func:`initial_values`)."""
    return {
        "scenario_name": scenario,
        "preset": preset,
        **{k: v for k, v in values.items() if k == "seed" or k in _ARGS},
    }


_ARGS = frozenset(c.arg for c in CONTROLS)
