"""Exploration spaces: TOML files naming the deep uncertainties, the outcomes and what counts as
success, against which policies (scenario files) are tested.

A space file looks like::

    description = "Which burden-reduction package holds up across our beliefs about anxiety?"
    reference = "baseline"     # the status quo every policy is judged against, world by world
    seeds = 2                  # replicates averaged in every (world, policy)
    steps = 156
    preset = "region"          # optional
    interactions = "remedies"  # optional: sensitivity problem of the lever groups' interactions

    [outcomes]                 # EMA's outcome kinds: what regret is measured on
    township_hours = "minimize"
    service_quality = "maximize"
    lever_cost = "info"        # recorded, no regret

    [criteria]                 # a policy meets one in a world when, against the status quo there:
    burnout = "lower"          # lower | not_lower | higher | not_higher
    service_quality = { rule = "not_lower", tolerance = 0.005 }  # may fall by at most 0.005

    [fixed]
    "run.policy_start" = 52

    [uncertainties]            # behavioural parameters (role "uncertainty" in the catalogue)
    "anxiety.from_superior" = { bounds = [0.2, 0.5] }

The states of the world are a Latin hypercube over the uncertainties drawn by EMA Workbench's
``LHSSampler``; with a calibration posterior, the posterior's parameters are drawn jointly from
its weighted particles instead (their correlations kept) and the others stay Latin hypercube.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..outcomes import NAMES
from ..params import CATALOGUE, ParameterError, validate
from ..provenance import relative_path
from ..scenario import SCENARIO_DIR, Scenario, ScenarioError, load_scenario, read_toml
from ..sensitivity.problem import (
    Dimension,
    ProblemError,
    check_top,
    file_scenario,
    parse_dimension,
)
from .parameters import ema_parameter, from_identifiers

__all__ = ["Criterion", "Space", "SpaceError", "load_space"]

GOALS = ("minimize", "maximize", "info")
RULES = ("lower", "not_lower", "higher", "not_higher")
_TOP = {
    "description": str,
    "reference": str,
    "seeds": int,
    "steps": int,
    "preset": str,
    "interactions": str,
    "outcomes": dict,
    "criteria": dict,
    "fixed": dict,
    "uncertainties": dict,
}
LIBRARY = SCENARIO_DIR / "exploration"


class SpaceError(ProblemError):
    """An exploration space file that cannot be used; names the file and the key."""


@dataclass(frozen=True)
class Criterion:
    """What a policy must do to an outcome, against the status quo in the same world."""

    outcome: str
    rule: str  # lower | not_lower | higher | not_higher
    tolerance: float = 0.0  # in the outcome's unit: slack a "not_*" rule allows

    def met(self, effect: np.ndarray) -> np.ndarray:
        """Whether each effect (policy minus status quo) meets the criterion."""
        effect = np.asarray(effect, dtype=float)
        if self.rule == "lower":
            return effect < -self.tolerance
        if self.rule == "higher":
            return effect > self.tolerance
        if self.rule == "not_lower":
            return effect >= -self.tolerance
        return effect <= self.tolerance

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "tolerance": self.tolerance}


@dataclass(frozen=True)
class Space:
    """A validated exploration space."""

    name: str
    path: str
    description: str
    uncertainties: tuple[Dimension, ...]
    goals: dict[str, str]  # outcome -> minimize | maximize | info
    criteria: tuple[Criterion, ...]
    reference: Scenario
    seeds: int = 2
    steps: int | None = None
    preset: str | None = None
    interactions: str | None = None
    fixed: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.uncertainties]

    @property
    def outcomes(self) -> tuple[str, ...]:
        """Every outcome recorded: the goals' and the criteria's, in file order."""
        return tuple(dict.fromkeys([*self.goals, *(c.outcome for c in self.criteria)]))

    @property
    def weeks(self) -> int:
        return self.steps or self.reference.params.run.steps

    def policy(self, scenario: str | Path | Scenario) -> Scenario:
        """A policy (scenario file or name) with the space's fixed settings and preset."""
        spec = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        clash = sorted(set(spec.params.changed()) & set(self.names))
        if clash:
            raise ScenarioError(
                spec.path or spec.name,
                clash[0],
                "is an uncertainty this exploration varies; a policy sets levers only",
                "a scenario that sets levers (docs/ODD.md section 1.6)",
            )
        return spec.with_overrides(self.settings, source=f"{self.path}: fixed")

    @property
    def settings(self) -> dict[str, Any]:
        """What every run of the space sets besides levers and uncertainties."""
        return {**self.fixed, **({"hierarchy.preset": self.preset} if self.preset else {})}

    def with_preset(self, preset: str | None) -> Space:
        """The same space on another hierarchy preset (None: keep the file's)."""
        if preset is None:
            return self
        CATALOGUE["hierarchy.preset"].check(preset)
        reference = self.reference.with_overrides({"hierarchy.preset": preset})
        return replace(self, preset=preset, reference=reference)

    def sample(self, n: int, seed: int, posterior: pd.DataFrame | None = None) -> pd.DataFrame:
        """``n`` states of the world (one row each, dotted parameter names as columns)."""
        from ema_workbench.em_framework.samplers import LHSSampler

        rng = np.random.default_rng(np.random.SeedSequence([seed, 0xE3A]))
        drawn = [] if posterior is None else [c for c in posterior.columns if c != "weight"]
        lhs = [d for d in self.uncertainties if d.name not in drawn]
        worlds = pd.DataFrame(index=pd.RangeIndex(n))
        if lhs:
            samples = LHSSampler().generate_samples([ema_parameter(d) for d in lhs], n, rng)
            rows = [from_identifiers(dict(s)) for s in samples]
            worlds = pd.DataFrame(rows, columns=[d.name for d in lhs])
            for d in lhs:  # EMA returns numpy scalars; the catalogue wants plain values
                worlds[d.name] = d.decode(worlds[d.name].to_numpy())
        if drawn:
            weights = posterior["weight"].to_numpy(dtype=float)
            picks = rng.choice(len(posterior), size=n, p=weights / weights.sum())
            for name in drawn:
                worlds[name] = posterior[name].to_numpy()[picks]
        worlds.index.name = "world"
        return worlds

    def fingerprint_payload(self) -> dict[str, Any]:
        return {
            "uncertainties": {d.name: d.to_dict() for d in self.uncertainties},
            "goals": self.goals,
            "criteria": {c.outcome: c.to_dict() for c in self.criteria},
            "reference": self.reference.params.to_dict(),
            "seeds": self.seeds,
            "steps": self.steps,
            "preset": self.preset,
            "fixed": self.fixed,
        }

    def to_manifest(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": relative_path(self.path),
            "description": self.description,
            **self.fingerprint_payload(),
            "reference": self.reference.name,
            "interactions": self.interactions,
        }


def fingerprint(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def load_space(path: str | Path) -> Space:
    """Read and validate a space file; a bare name (``beliefs``) names one of the library."""
    path = Path(path)
    if not path.is_file() and len(path.parts) == 1 and path.suffix in ("", ".toml"):
        library = LIBRARY / path.with_suffix(".toml").name
        path = library if library.is_file() else path
    if not path.is_file():
        raise SpaceError(
            path,
            None,
            "exploration space file not found",
            "a .toml file such as scenarios/exploration/beliefs.toml, or a name: "
            + ", ".join(sorted(p.stem for p in LIBRARY.glob("*.toml"))),
        )
    data = read_toml(path, SpaceError)
    check_top(path, data, _TOP, SpaceError)
    seeds = data.get("seeds", 2)
    if seeds < 1:
        raise SpaceError(path, "seeds", f"got {seeds}", "an integer >= 1")
    steps = data.get("steps")
    if steps is not None and steps < 1:
        raise SpaceError(path, "steps", f"got {steps}", "an integer >= 1")
    preset = data.get("preset")
    if preset is not None and preset not in CATALOGUE["hierarchy.preset"].choices:
        raise SpaceError(path, "preset", f"got {preset!r}", CATALOGUE["hierarchy.preset"].allowed())

    uncertainties = tuple(
        _uncertainty(path, name, spec) for name, spec in data.get("uncertainties", {}).items()
    )
    if len(uncertainties) < 2:
        raise SpaceError(
            path,
            "uncertainties",
            f"names {len(uncertainties)} uncertainty",
            'at least two, e.g. "anxiety.from_superior" = { bounds = [0.2, 0.5] }',
        )
    goals = {name: _goal(path, name, kind) for name, kind in data.get("outcomes", {}).items()}
    criteria = tuple(_criterion(path, k, spec) for k, spec in data.get("criteria", {}).items())
    if not criteria:
        raise SpaceError(path, "criteria", "no criteria", 'at least one, e.g. burnout = "lower"')
    fixed = data.get("fixed", {})
    try:
        validate(fixed)
    except ParameterError as err:
        raise SpaceError(path, f"fixed.{err.key}", err.problem, err.allowed) from None
    both = sorted(set(fixed) & {d.name for d in uncertainties})
    if both:
        raise SpaceError(
            path, "fixed", f"{', '.join(both)} both fixed and uncertain", "one or the other"
        )
    interactions = data.get("interactions")
    if interactions is not None:
        from ..sensitivity import load_problem

        try:
            load_problem(interactions)
        except ProblemError:
            raise SpaceError(
                path,
                "interactions",
                f"no sensitivity problem {interactions!r}",
                "a problem of scenarios/sensitivity (e.g. remedies) or a path",
            ) from None
    settings = {**fixed, **({"hierarchy.preset": preset} if preset else {})}
    reference = file_scenario(
        path, "reference", data.get("reference", "baseline"), settings, SpaceError
    )
    return Space(
        name=path.stem,
        path=str(path),
        description=data.get("description", "").strip(),
        uncertainties=uncertainties,
        goals=goals,
        criteria=criteria,
        reference=reference,
        seeds=seeds,
        steps=steps,
        preset=preset,
        interactions=interactions,
        fixed=fixed,
    )


def _uncertainty(path: Path, name: str, spec: Any) -> Dimension:
    try:
        dim = parse_dimension(path, name, spec, table="uncertainties")
    except ProblemError as err:
        raise SpaceError(err.file, err.key, err.problem, err.allowed) from None
    role = CATALOGUE[name].role
    if role != "uncertainty":
        raise SpaceError(
            path,
            f"uncertainties.{name}",
            f"is a {role} parameter, not an uncertainty",
            "behavioural and cost assumptions (oasim params shows each parameter's role); "
            "levers are what the policies set",
        )
    return dim


def _outcome(path: Path, key: str, name: str) -> str:
    if name not in NAMES:
        raise SpaceError(path, key, f"unknown outcome {name!r}", "names from oasim's outcomes")
    return name


def _goal(path: Path, name: str, kind: Any) -> str:
    _outcome(path, f"outcomes.{name}", name)
    if kind not in GOALS:
        raise SpaceError(path, f"outcomes.{name}", f"got {kind!r}", " | ".join(GOALS))
    return kind


def _criterion(path: Path, name: str, spec: Any) -> Criterion:
    key = f"criteria.{name}"
    _outcome(path, key, name)
    if isinstance(spec, str):
        spec = {"rule": spec}
    if not isinstance(spec, dict) or set(spec) - {"rule", "tolerance"} or "rule" not in spec:
        raise SpaceError(
            path, key, f"got {spec!r}", '"lower" or { rule = "not_lower", tolerance = 0.01 }'
        )
    if spec["rule"] not in RULES:
        raise SpaceError(path, f"{key}.rule", f"got {spec['rule']!r}", " | ".join(RULES))
    tolerance = spec.get("tolerance", 0.0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise SpaceError(path, f"{key}.tolerance", f"got {tolerance!r}", "a number >= 0")
    return Criterion(name, spec["rule"], float(tolerance))
