"""What the findings report measures and on which settings: the headline and side outcomes
and which way is better, the library's scenarios sorted by what they are for (remedy, package,
isolation, failure mode) and the helpers that read them, the dose-response curves, the run
:class:`Settings` and the Latin-hypercube perturbations of the behavioural weights.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import UsageError
from ...params import CATALOGUE
from ...scenario import SCENARIO_DIR, Scenario, load_scenario

# ---- what is measured ------------------------------------------------------------------------
HEADLINE = ("township_hours", "burnout", "service_quality")
DOSE_OUTCOMES = ("service_quality", "township_hours", "burnout", "gaming_share")
# Secondary outcomes where a remedy can do harm the headline outcomes do not show.
SIDE_EFFECTS = ("gaming_share", "errors_to_citizens", "shirking_share")
ROBUSTNESS_OUTCOMES = ("township_hours", "burnout")


# ---- the library's scenarios, by what they are for -------------------------------------------
# A scenario that sets levers of this many groups at once is a package (the combination punch
# and its variants), compared with the sum of its parts and never used as a companion; the
# single remedies set one or two groups (a quota and its oversight, a mode and its checks).
PACKAGE_GROUPS = 4
# Scenarios that isolate a lever rather than propose a policy: oversight acts only through the
# quotas it enforces. They are not ranked as remedies, but may be what another one needs.
ISOLATION = ("oversight_only",)
# Remedies paired with each other for the interaction tables: the article's main remedy groups
# (quotas with oversight, result assessment, the data bureau, devolution, fault tolerance,
# bottom-up evaluation, a milder tournament) and the two with the largest single effects.
INTERACTION_REMEDIES = (
    "quota_cut_with_oversight",
    "result_with_verification",
    "data_bureau",
    "devolve_full",
    "fault_tolerance",
    "bottom_up_evaluation",
    "tournament_restraint",
    "dynamic_staffing",
    "digital_empowerment",
)
QUICK_INTERACTION_REMEDIES = ("data_bureau", "devolve_full", "tournament_restraint")
# A library scenario whose title says so is a failure mode the article warns of.
_FAILURE = re.compile(r"failure mode", re.IGNORECASE)
_ROLE_NOTE = re.compile(r"\s*[（(](?:remedy|failure mode|对策|失效模式)[)）]\s*$")
# Shared by the report's table of effects and the effects figure: both list kinds alike.
VERDICT_ORDER = {"remedy": 0, "package": 1, "isolation": 2, "failure mode": 3}


# ---- dose-response curves --------------------------------------------------------------------
def _inspection(m: float) -> dict[str, float]:
    # Inspection frequency has two sources: a base rate under full trust and extra inspections
    # per unit of distrust. One intensity scales both, so m = 2 means twice the inspections a
    # department holds in every state of trust and anxiety.
    return {
        "inspection.base_per_line": m * CATALOGUE["inspection.base_per_line"].default,
        "inspection.distrust": m * CATALOGUE["inspection.distrust"].default,
    }


def _quota(d: float) -> dict[str, float]:
    # Depth 0 is the status quo (no quota, no oversight body); any cut comes with oversight,
    # since cuts without it drift back (quota_cut_no_oversight).
    if d == 0:
        return {}
    cuts = ("quota.meetings_cut", "quota.documents_cut", "quota.inspections_cut")
    return {**dict.fromkeys(cuts, d), "oversight.strength": 1.0}


@dataclass(frozen=True)
class Curve:
    """One dose-response curve: a lever set to ``levels`` on top of the ``base`` scenario."""

    key: str
    label: str  # what the level is, with its unit
    label_zh: str
    short: str
    axis: str  # the x axis of its panels
    levels: tuple[float, ...]
    default: float
    setting: Callable[[float], dict[str, Any]]
    base: str = "baseline"
    # The direction the article's argument expects for hours and burnout as the level rises
    # (+1: more pressure from above, more formalism and exhaustion; -1: deeper cuts, less).
    expected: int = +1
    parameters: str = ""


CURVES: tuple[Curve, ...] = (
    Curve(
        "inspection",
        "inspection intensity (x default inspection rates)",
        "检查强度（默认检查频率的倍数）",
        "inspection intensity",
        "inspection intensity (x default rates)",
        (0.0, 0.5, 1.0, 2.0, 4.0),
        1.0,
        _inspection,
        parameters="inspection.base_per_line and inspection.distrust, both times the level",
    ),
    Curve(
        "inspection_result",
        "inspection intensity under result assessment with field verification (x default)",
        "结果考核加实地核验下的检查强度（默认倍数）",
        "inspection intensity (result assessment)",
        "inspection intensity (x default rates)",
        (0.0, 0.5, 1.0, 2.0, 4.0),
        1.0,
        _inspection,
        base="result_with_verification",
        parameters="as above, on top of result_with_verification",
    ),
    Curve(
        "accountability",
        "accountability severity (P(event | detected error))",
        "问责力度（发现差错后被问责的概率）",
        "accountability severity",
        "P(accountability event | detected error)",
        (0.0, 0.05, 0.1, 0.3, 1.0),
        CATALOGUE["accountability.per_error"].default,
        lambda v: {"accountability.per_error": v},
        parameters="accountability.per_error",
    ),
    Curve(
        "tournament",
        "tournament intensity (weight of relative rank)",
        "锦标赛强度（相对排名的权重）",
        "tournament intensity",
        "tournament intensity (weight of rank)",
        (0.0, 0.5, 1.0, 2.0, 3.0),
        CATALOGUE["tournament.intensity"].default,
        lambda v: {"tournament.intensity": v},
        parameters="tournament.intensity",
    ),
    Curve(
        "quota",
        "quota depth (share of meetings, documents, inspections cut)",
        "限量减负深度（会议、发文、督查的削减比例）",
        "quota depth",
        "quota depth (share of items cut)",
        (0.0, 0.2, 0.4, 0.6, 0.8),
        0.0,
        _quota,
        expected=-1,
        parameters="quota.meetings_cut = quota.documents_cut = quota.inspections_cut = level, "
        "with oversight.strength = 1 above 0",
    ),
)


# ---- settings --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    """What a findings run does. The defaults are those of the committed report."""

    preset: str = "region"
    replicates: int = 20
    steps: int = 156
    policy_start: int = 52
    summary_weeks: int = 52
    master_seed: int = 2025
    perturbations: int = 20
    perturbation_replicates: int = 5
    interaction_remedies: tuple[str, ...] = INTERACTION_REMEDIES
    quick: bool = False
    assumptions: str = "sensitivity/assumptions.toml"  # under the scenario library

    def run_overrides(self) -> dict[str, Any]:
        return {
            "hierarchy.preset": self.preset,
            "run.policy_start": self.policy_start,
            "run.summary_weeks": self.summary_weeks,
        }

    def curves(self) -> tuple[Curve, ...]:
        if not self.quick:
            return CURVES
        # Low, default and high: enough for a shape, a fraction of the runs.
        return tuple(replace(c, levels=c.levels[::2]) for c in CURVES)

    def to_dict(self) -> dict[str, Any]:
        return {
            "preset": self.preset,
            "replicates": self.replicates,
            "steps": self.steps,
            "policy_start": self.policy_start,
            "summary_weeks": self.summary_weeks,
            "master_seed": self.master_seed,
            "perturbations": self.perturbations,
            "perturbation_replicates": self.perturbation_replicates,
            "interaction_remedies": list(self.interaction_remedies),
            "quick": self.quick,
            "assumptions": self.assumptions,
        }


def findings_settings(
    *,
    quick: bool = False,
    preset: str | None = None,
    replicates: int | None = None,
    master_seed: int | None = None,
    perturbations: int | None = None,
) -> Settings:
    """The committed report's settings, or the tiny ``quick`` ones, with the given changes."""
    base = Settings()
    if quick:
        # Seconds: a short horizon on the smallest tree, two replicates, two perturbations.
        base = Settings(
            preset="classroom",
            replicates=2,
            steps=24,
            policy_start=8,
            summary_weeks=16,
            perturbations=2,
            perturbation_replicates=2,
            interaction_remedies=QUICK_INTERACTION_REMEDIES,
            quick=True,
        )
    changes = {
        "preset": preset,
        "replicates": replicates,
        "master_seed": master_seed,
        "perturbations": perturbations,
    }
    out = replace(base, **{k: v for k, v in changes.items() if v is not None})
    if out.perturbations < 2:
        raise UsageError(f"perturbations must be at least 2, got {out.perturbations}")
    out = replace(out, perturbation_replicates=min(out.perturbation_replicates, out.replicates))
    return out


# ---- the library -----------------------------------------------------------------------------
def library() -> dict[str, Scenario]:
    """Every scenario file of the library, by name."""
    return {p.stem: load_scenario(p) for p in sorted(SCENARIO_DIR.glob("*.toml"))}


def kind_of(spec: Scenario) -> str:
    """What a library scenario is for: baseline, package, isolation, failure mode or remedy."""
    if spec.name == "baseline":
        return "baseline"
    if len(lever_groups(spec)) >= PACKAGE_GROUPS:
        return "package"
    if spec.name in ISOLATION:
        return "isolation"
    return "failure mode" if _FAILURE.search(spec.title) else "remedy"


def lever_groups(spec: Scenario) -> set[str]:
    """The lever groups (docs/ODD.md section 1.6) whose levers a scenario sets."""
    return {CATALOGUE[k].group for k in spec.overrides if CATALOGUE[k].is_lever}


def short_title(spec: Scenario, lang: str) -> str:
    """A scenario's title without its '(remedy)' note, in ``lang``; the name if untitled."""
    title = (spec.title_zh if lang == "zh" else spec.title) or spec.name
    return _ROLE_NOTE.sub("", title)


def merged_overrides(a: Scenario, b: Scenario) -> dict[str, Any] | None:
    """The settings of A and B together, or None where they set a parameter differently (the
    pair is then not one policy: e.g. two assessment modes)."""
    for key in a.overrides.keys() & b.overrides.keys():
        if a.overrides[key] != b.overrides[key]:
            return None
    return {**a.overrides, **b.overrides}


def contains(a: Scenario, b: Scenario) -> bool:
    """Whether A sets everything B sets, to the same values (A + B is then A)."""
    return all(k in a.overrides and a.overrides[k] == v for k, v in b.overrides.items())


def assumption_bounds(path: Path) -> dict[str, tuple[float, float]]:
    """The declared ranges of the behavioural weights: the ``bounds`` of the [parameters] of a
    sensitivity problem file (choices are left out: they are not weights)."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    out = {}
    for name, spec in data.get("parameters", {}).items():
        if isinstance(spec, dict) and "bounds" in spec:
            low, high = spec["bounds"]
            CATALOGUE[name].check(low), CATALOGUE[name].check(high)
            out[name] = (float(low), float(high))
    return out


def latin_hypercube(
    bounds: Mapping[str, tuple[float, float]], n: int, seed: int
) -> list[dict[str, Any]]:
    """``n`` parameter sets by Latin hypercube over ``bounds``, reproducible from ``seed``."""
    from scipy.stats import qmc

    names = list(bounds)
    sampler = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(seed))
    low = [bounds[k][0] for k in names]
    high = [bounds[k][1] for k in names]
    unit = sampler.random(n)
    x = qmc.scale(unit, low, high) if names else unit
    out = []
    for row in x:
        point = {}
        for name, value in zip(names, row, strict=True):
            kind = CATALOGUE[name].kind
            point[name] = round(value) if kind == "int" else float(value)
        out.append(point)
    return out
