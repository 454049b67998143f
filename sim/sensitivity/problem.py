"""Sensitivity problems: TOML files naming the parameters to vary, the outcomes, the seeds.

A problem file looks like::

    description = "Which levers matter most for township burden?"
    scenario = "baseline"          # the base scenario (a name in scenarios/ or a path)
    seeds = 2                      # seeds averaged at every sample point
    outcomes = ["township_hours", "service_quality"]
    preset = "region"              # optional
    steps = 156                    # optional, weeks per run

    [fixed]                        # optional overrides applied at every point
    "run.policy_start" = 52

    [parameters]                   # dotted names from the catalogue
    "quota.meetings_cut" = { bounds = [0.0, 0.6] }
    "platforms.count" = { bounds = [2, 20] }                 # integer
    "assessment.mode" = { choices = ["process", "result"] }  # categorical
    "devolution.tasks" = { bounds = [0, 1], group = "devolution" }

    [policy_effect]                # optional: outcomes become treatment minus reference
    treatment = "combination_punch"
    reference = "baseline"         # default: `scenario`

How parameters are encoded for SALib (which samples the unit hypercube): a continuous parameter
is uniform on its bounds; an integer one is uniform on [low - 0.5, high + 0.5] and rounded, so
every integer has the same probability; a categorical one with k choices is uniform on [0, k]
and floored to a choice index. ``model = "ishigami"`` replaces the simulation with SALib's
analytic Ishigami function (parameters ``x1``-``x3``, outcome ``y``): a self-check of the whole
pipeline against known indices.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..outcomes import NAMES
from ..params import CATALOGUE, ParameterError, Parameters, validate
from ..provenance import relative_path
from ..scenario import SCENARIO_DIR, Scenario, ScenarioError, load_scenario, read_toml

__all__ = [
    "Dimension",
    "Problem",
    "ProblemError",
    "check_top",
    "file_scenario",
    "load_problem",
    "parse_dimension",
]

MODELS = ("oasim", "ishigami")
_TOP = {
    "description": str,
    "scenario": str,
    "seeds": int,
    "outcomes": list,
    "preset": str,
    "steps": int,
    "model": str,
    "fixed": dict,
    "parameters": dict,
    "policy_effect": dict,
}
ISHIGAMI_NAMES = ("x1", "x2", "x3")


class ProblemError(ScenarioError):
    """A sensitivity problem file that cannot be used; names the file and the key."""


@dataclass(frozen=True)
class Dimension:
    """One varied parameter and how it is encoded on SALib's continuous scale."""

    name: str
    kind: str  # continuous | integer | categorical
    low: float = 0.0
    high: float = 1.0
    choices: tuple[Any, ...] = ()
    group: str | None = None

    @property
    def salib_bounds(self) -> list[float]:
        if self.kind == "integer":
            return [self.low - 0.5, self.high + 0.5]
        if self.kind == "categorical":
            return [0.0, float(len(self.choices))]
        return [self.low, self.high]

    def decode(self, x: np.ndarray) -> list:
        """Model values for a column of SALib samples."""
        if self.kind == "integer":
            return np.clip(np.rint(x), self.low, self.high).astype(int).tolist()
        if self.kind == "categorical":
            idx = np.clip(np.floor(x), 0, len(self.choices) - 1).astype(int)
            return [self.choices[i] for i in idx]
        return np.asarray(x, dtype=float).tolist()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "categorical":
            out["choices"] = list(self.choices)
        else:
            out["bounds"] = [self.low, self.high]
        if self.group:
            out["group"] = self.group
        return out


@dataclass(frozen=True)
class Problem:
    """A validated sensitivity problem."""

    name: str
    path: str
    description: str
    model: str
    dimensions: tuple[Dimension, ...]
    outcomes: tuple[str, ...]
    seeds: int
    base: Scenario | None = None  # scenario every point starts from (oasim model)
    treatment: Scenario | None = None  # policy effect: treatment minus base
    steps: int | None = None
    preset: str | None = None
    fixed: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.dimensions]

    @property
    def params(self) -> Parameters:
        """The parameters every point starts from: the base scenario's, with ``fixed``."""
        return (self.base.params if self.base else Parameters()).replace(self.fixed)

    @property
    def weeks(self) -> int:
        """Weeks per run: the problem's ``steps``, else the base scenario's ``run.steps``."""
        return self.steps or self.params.run.steps

    @property
    def arms(self) -> tuple[str, ...]:
        """Scenarios evaluated at each point and seed."""
        return ("reference", "treatment") if self.treatment is not None else ("model",)

    def salib_problem(self) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "num_vars": len(self.dimensions),
            "names": self.names,
            "bounds": [d.salib_bounds for d in self.dimensions],
        }
        if any(d.group for d in self.dimensions):
            spec["groups"] = [d.group or d.name for d in self.dimensions]
        return spec

    @property
    def factors(self) -> list[str]:
        """What the indices are reported for: groups if any are declared, else parameters."""
        if any(d.group for d in self.dimensions):
            return list(dict.fromkeys(d.group or d.name for d in self.dimensions))
        return self.names

    def decode(self, X: np.ndarray) -> list[dict[str, Any]]:
        """Parameter overrides for each row of a SALib sample matrix."""
        columns = [d.decode(X[:, j]) for j, d in enumerate(self.dimensions)]
        return [dict(zip(self.names, row, strict=True)) for row in zip(*columns, strict=True)]

    def fingerprint_payload(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "dimensions": {d.name: d.to_dict() for d in self.dimensions},
            "outcomes": list(self.outcomes),
            "seeds": self.seeds,
            "base": self.base.params.to_dict() if self.base else None,
            "treatment": self.treatment.params.to_dict() if self.treatment else None,
            "steps": self.steps,
            "preset": self.preset,
        }

    def to_manifest(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": relative_path(self.path),
            "description": self.description,
            "model": self.model,
            "parameters": {d.name: d.to_dict() for d in self.dimensions},
            "outcomes": list(self.outcomes),
            "seeds_per_point": self.seeds,
            "base_scenario": self.base.to_manifest() if self.base else None,
            "treatment_scenario": self.treatment.to_manifest() if self.treatment else None,
            "fixed": self.fixed,
            "steps": self.steps,
            "preset": self.preset,
        }


def fingerprint(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def load_problem(path: str | Path) -> Problem:
    """Read and validate a problem file; raise ProblemError naming the file and key.

    A bare name such as ``levers`` that is no file names a problem of the library.
    """
    path = Path(path)
    if not path.is_file() and len(path.parts) == 1 and path.suffix in ("", ".toml"):
        # After a pip install the library sits inside the package, at a path nobody types.
        library = SCENARIO_DIR / "sensitivity" / path.with_suffix(".toml").name
        path = library if library.is_file() else path
    if not path.is_file():
        raise ProblemError(
            path,
            None,
            "problem file not found",
            "a .toml file such as scenarios/sensitivity/levers.toml, or a problem name: "
            + ", ".join(sorted(p.stem for p in (SCENARIO_DIR / "sensitivity").glob("*.toml"))),
        )
    data = read_toml(path, ProblemError)
    check_top(path, data, _TOP)

    model = data.get("model", "oasim")
    if model not in MODELS:
        raise ProblemError(path, "model", f"got {model!r}", " or ".join(MODELS))
    seeds = data.get("seeds", 1)
    if seeds < 1:
        raise ProblemError(path, "seeds", f"got {seeds}", "an integer >= 1")
    params = data.get("parameters", {})
    if not params:
        raise ProblemError(
            path,
            "parameters",
            "no parameters to vary",
            'a table such as "quota.meetings_cut" = { bounds = [0, 0.6] }',
        )
    dims = tuple(parse_dimension(path, name, spec, model) for name, spec in params.items())

    allowed_outcomes = ("y",) if model == "ishigami" else NAMES
    outcomes = data.get("outcomes", list(allowed_outcomes))
    for o in outcomes:
        base_name = o[: -len("_final")] if isinstance(o, str) and o.endswith("_final") else o
        if base_name not in allowed_outcomes:
            raise ProblemError(
                path,
                "outcomes",
                f"unknown outcome {o!r}",
                "names from sim.outcomes (e.g. township_hours), optionally with _final",
            )
    if not outcomes:
        raise ProblemError(path, "outcomes", "empty list", "at least one outcome name")

    steps = data.get("steps")
    if steps is not None and steps < 1:
        raise ProblemError(path, "steps", f"got {steps}", "an integer >= 1")
    preset = data.get("preset")
    if preset is not None and preset not in CATALOGUE["hierarchy.preset"].choices:
        raise ProblemError(
            path, "preset", f"got {preset!r}", CATALOGUE["hierarchy.preset"].allowed()
        )

    base = treatment = None
    fixed = data.get("fixed", {})
    if model == "oasim":
        try:
            validate(fixed)
        except ParameterError as err:
            raise ProblemError(path, f"fixed.{err.key}", err.problem, err.allowed) from None
        both = sorted(set(fixed) & {d.name for d in dims})
        if both:
            raise ProblemError(
                path,
                "fixed",
                f"{', '.join(both)} both fixed and varied",
                "each parameter either in [fixed] or in [parameters]",
            )
        base = file_scenario(path, "scenario", data.get("scenario", "baseline"), fixed)
        effect = data.get("policy_effect")
        if effect is not None:
            unknown = set(effect) - {"treatment", "reference"}
            if unknown or "treatment" not in effect:
                raise ProblemError(
                    path,
                    "policy_effect",
                    f"got keys {sorted(effect)}",
                    "treatment (required) and reference",
                )
            if "reference" in effect:
                base = file_scenario(path, "policy_effect.reference", effect["reference"], fixed)
            treatment = file_scenario(path, "policy_effect.treatment", effect["treatment"], fixed)
            # The treatment's own settings (not [fixed], which applies to both arms).
            own = {k for k, v in treatment.overrides.items() if fixed.get(k, object()) != v}
            clash = sorted(own & {d.name for d in dims})
            if clash:
                raise ProblemError(
                    path,
                    "parameters",
                    f"{', '.join(clash)} are set by the "
                    f"treatment scenario {treatment.name!r}; varying them would "
                    "erase the policy being measured",
                    "parameters the treatment does not set",
                )
    elif fixed or "policy_effect" in data or "scenario" in data:
        raise ProblemError(
            path,
            "model",
            "the ishigami model takes no scenario, fixed or policy_effect",
            "parameters x1-x3 and outcome y only",
        )

    return Problem(
        name=path.stem,
        path=str(path),
        description=data.get("description", "").strip(),
        model=model,
        dimensions=dims,
        outcomes=tuple(outcomes),
        seeds=seeds,
        base=base,
        treatment=treatment,
        steps=steps,
        preset=preset,
        fixed=fixed,
    )


def check_top(
    path: Path, data: dict[str, Any], schema: dict[str, type], error: type = ProblemError
) -> None:
    """Refuse a top-level key the file format does not have, or a value of the wrong type."""
    for key, value in data.items():
        expected = schema.get(key)
        if expected is None:
            raise error(path, key, "unknown top-level key", ", ".join(sorted(schema)))
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is int):
            raise error(path, key, f"got {value!r}", f"a {expected.__name__}")


def file_scenario(
    path: Path, key: str, ref: str, fixed: dict, error: type = ProblemError
) -> Scenario:
    """The scenario ``ref`` that a file names under ``key`` (a name of the library, or a path,
    also relative to the file), with ``fixed`` applied."""
    candidate = Path(ref)
    if not candidate.is_absolute() and (path.parent / candidate).with_suffix(".toml").is_file():
        candidate = (path.parent / candidate).with_suffix(".toml")
    try:
        return load_scenario(candidate, overrides=fixed, source=f"{path}: fixed")
    except ScenarioError as err:
        if err.key is None and "not found" in err.problem:
            raise error(
                path, key, f"scenario {ref!r} not found", "a scenario name in scenarios/ or a path"
            ) from None
        raise


def parse_dimension(
    path: Path, name: str, spec: Any, model: str = "oasim", table: str = "parameters"
) -> Dimension:
    """One entry of a ``[parameters]``-style table (``table`` names it in messages)."""
    key = f"{table}.{name}"
    if not isinstance(spec, dict):
        raise ProblemError(
            path, key, f"got {spec!r}", "a table: { bounds = [low, high] } or { choices = [...] }"
        )
    unknown = set(spec) - {"bounds", "choices", "group"}
    if unknown:
        raise ProblemError(path, key, f"unknown keys {sorted(unknown)}", "bounds, choices, group")
    group = spec.get("group")
    if group is not None and not isinstance(group, str):
        raise ProblemError(path, f"{key}.group", f"got {group!r}", "a group name (text)")
    if model == "ishigami":
        if name not in ISHIGAMI_NAMES:
            raise ProblemError(path, key, "not an Ishigami input", ", ".join(ISHIGAMI_NAMES))
        low, high = _bounds(path, key, spec, -math.inf, math.inf)
        return Dimension(name, "continuous", low, high, group=group)

    param = CATALOGUE.get(name)
    if param is None:
        from ..params import suggest

        raise ProblemError(path, key, "unknown parameter", suggest(name))
    if name.startswith(("hierarchy.", "run.")):
        raise ProblemError(
            path,
            key,
            "structure and run settings cannot be varied",
            "behavioural parameters and levers",
        )
    if param.kind in ("choice", "bool"):
        choices = spec.get(
            "choices", list(param.choices) if param.kind == "choice" else [False, True]
        )
        if "bounds" in spec or not isinstance(choices, list) or len(choices) < 2:
            raise ProblemError(
                path,
                key,
                f"{param.kind} parameter needs choices",
                f"choices = a list of at least two of {param.allowed()}",
            )
        for c in choices:
            try:
                param.check(c)
            except ValueError:
                raise ProblemError(path, f"{key}.choices", f"got {c!r}", param.allowed()) from None
        return Dimension(name, "categorical", choices=tuple(choices), group=group)
    if "choices" in spec:
        raise ProblemError(
            path,
            key,
            "numeric parameter takes bounds, not choices",
            f"bounds = [low, high] within {param.allowed()}",
        )
    low, high = _bounds(path, key, spec, param.low, param.high)
    if param.kind == "int":
        if not (float(low).is_integer() and float(high).is_integer()):
            raise ProblemError(path, f"{key}.bounds", f"got {[low, high]}", "whole numbers")
        return Dimension(name, "integer", int(low), int(high), group=group)
    return Dimension(name, "continuous", float(low), float(high), group=group)


def _bounds(path: Path, key: str, spec: dict, lo: float, hi: float) -> tuple[float, float]:
    bounds = spec.get("bounds")
    ok = (
        isinstance(bounds, list)
        and len(bounds) == 2
        and all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
    )
    if not ok:
        raise ProblemError(path, f"{key}.bounds", f"got {bounds!r}", "[low, high], two numbers")
    low, high = bounds
    if not (low < high):
        raise ProblemError(path, f"{key}.bounds", f"got {bounds!r}", "low < high")
    if low < lo or high > hi:
        raise ProblemError(
            path,
            f"{key}.bounds",
            f"got {bounds!r}, outside the parameter's range",
            f"within [{lo:g}, {hi:g}]",
        )
    return low, high
