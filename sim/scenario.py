"""Scenario files: TOML, with base inheritance and dotted overrides, validated on load.

A scenario file looks like::

    description = "What policy question this answers (the article's term)."
    base = "baseline"            # optional: another scenario in the same folder, or a path

    [parameters]
    quota.meetings_cut = 0.5     # dotted names from sim.params.CATALOGUE
    oversight.strength = 1.0

Nested tables (``[parameters.quota]``) and quoted dotted keys (``"quota.meetings_cut"``) mean the
same thing. A scenario's parameters are its base's parameters updated by its own.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .params import ParameterError, Parameters, validate

__all__ = ["SCENARIO_DIR", "Scenario", "ScenarioError", "load_scenario"]

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"

_TOP_KEYS = {
    "title": str,
    "title_zh": str,
    "description": str,
    "description_zh": str,
    "base": str,
    "parameters": dict,
}


class ScenarioError(ValueError):
    """A scenario that cannot be loaded. The message names the file and the key."""

    def __init__(self, file: str | Path, key: str | None, problem: str, allowed: str = ""):
        self.file = str(file)
        self.key = key
        self.problem = problem
        self.allowed = allowed
        where = f"{self.file}: {key}" if key else self.file
        tail = f" (allowed: {allowed})" if allowed else ""
        super().__init__(f"{where}: {problem}{tail}")


@dataclass(frozen=True)
class Scenario:
    """A resolved scenario: its name, provenance and full validated parameter set."""

    name: str
    params: Parameters = field(default_factory=Parameters)
    description: str = ""
    title: str = ""
    title_zh: str = ""
    description_zh: str = ""
    path: str | None = None
    bases: tuple[str, ...] = ()  # names of the base chain, nearest first
    overrides: Mapping[str, Any] = field(default_factory=dict)  # what the file chain set

    @classmethod
    def from_overrides(
        cls,
        overrides: Mapping[str, Any] | None = None,
        name: str = "custom",
        base: Scenario | None = None,
        source: str = "<overrides>",
    ) -> Scenario:
        """Build a scenario in code: ``base`` (or the defaults) updated by ``overrides``.

        ``source`` names where the overrides came from in error messages (e.g. "--set").
        """
        try:
            merged = {**(base.overrides if base else {}), **validate(dict(overrides or {}))}
            params = Parameters(merged)
        except ParameterError as err:
            raise ScenarioError(source, err.key, err.problem, err.allowed) from None
        return cls(
            name=name,
            params=params,
            description=base.description if base else "",
            title=base.title if base else "",
            title_zh=base.title_zh if base else "",
            description_zh=base.description_zh if base else "",
            path=base.path if base else None,
            bases=((base.name, *base.bases) if base else ()),
            overrides=merged,
        )

    def with_overrides(
        self, overrides: Mapping[str, Any] | None, source: str = "<overrides>"
    ) -> Scenario:
        """This scenario with extra dotted overrides (from a CLI flag or a sampler)."""
        if not overrides:
            return self
        derived = Scenario.from_overrides(overrides, name=self.name, base=self, source=source)
        return Scenario(**{**derived.__dict__, "bases": self.bases})

    def to_manifest(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "description": self.description,
            "bases": list(self.bases),
            "overrides": dict(self.overrides),
        }


def load_scenario(
    path: str | Path, overrides: Mapping[str, Any] | None = None, source: str = "<overrides>"
) -> Scenario:
    """Load, resolve and validate a scenario file; raise ScenarioError on any problem.

    ``overrides`` (dotted names) are applied on top; ``source`` names them in error messages.
    """
    path = _resolve_path(Path(path), origin=None)
    return _load(path, stack=()).with_overrides(overrides, source=source)


def _resolve_path(path: Path, origin: Path | None) -> Path:
    where = origin if origin is not None else path
    key = "base" if origin is not None else None
    if not path.name or path.name in (".", ".."):
        raise ScenarioError(
            where,
            key,
            f"{str(path)!r} is not a scenario file name",
            "a .toml file path, or the name of a scenario in the same folder",
        )
    candidates = [path]
    if not path.suffix:
        candidates.append(path.with_suffix(".toml"))
    if origin is not None and not path.is_absolute():
        candidates = [origin.parent / c for c in candidates] + candidates
    if not path.is_absolute() and len(path.parts) == 1:
        candidates.append(SCENARIO_DIR / path.with_suffix(".toml").name)
    for c in candidates:
        if c.is_file():
            return c.resolve()
    raise ScenarioError(
        where,
        key,
        f"scenario file {str(path)!r} not found",
        "a .toml file path, or the name of a scenario in the same folder",
    )


def _load(path: Path, stack: tuple[Path, ...]) -> Scenario:
    if path in stack:
        chain = " -> ".join(p.name for p in (*stack, path))
        raise ScenarioError(
            stack[-1],
            "base",
            f"cycle of bases: {chain}",
            "a chain of bases that ends at a file without 'base'",
        )
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(path, None, f"not valid TOML: {err}") from None
    except UnicodeDecodeError:
        raise ScenarioError(path, None, "not UTF-8 text", "a TOML file saved as UTF-8") from None
    except OSError as err:
        raise ScenarioError(path, None, f"cannot read: {err.strerror}") from None

    for key, value in data.items():
        expected = _TOP_KEYS.get(key)
        if expected is None:
            raise ScenarioError(path, key, "unknown top-level key", ", ".join(sorted(_TOP_KEYS)))
        if not isinstance(value, expected):
            kind = "a table" if expected is dict else "text"
            raise ScenarioError(path, key, f"got {value!r}", kind)

    flat = _flatten(data.get("parameters", {}))
    try:
        own = validate(flat)
    except ParameterError as err:
        raise ScenarioError(path, f"parameters.{err.key}", err.problem, err.allowed) from None
    base: Scenario | None = None
    if "base" in data:
        base = _load(_resolve_path(Path(data["base"]), origin=path), (*stack, path))

    merged = {**(base.overrides if base else {}), **own}
    return Scenario(
        name=path.stem,
        params=Parameters(merged),
        description=data.get("description", ""),
        title=data.get("title", ""),
        title_zh=data.get("title_zh", ""),
        description_zh=data.get("description_zh", ""),
        path=str(path),
        bases=((base.name, *base.bases) if base else ()),
        overrides=merged,
    )


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out
