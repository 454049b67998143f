"""Scenario files: TOML, with base inheritance and dotted overrides, validated on load.

A scenario file looks like::

    description = "What policy question this answers (the article's term)."
    base = "baseline"            # optional: another scenario in the same folder, or a path

    [parameters]
    quota.meetings_cut = 0.5     # dotted names from sim.params.CATALOGUE
    oversight.strength = 1.0

Nested tables (``[parameters.quota]``) and quoted dotted keys (``"quota.meetings_cut"``) mean the
same thing, so one parameter written in two spellings is refused. A scenario's parameters are its
base's parameters updated by its own. A file that sets nothing at all runs as the baseline, with a
:class:`ScenarioWarning`.
"""

from __future__ import annotations

import re
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .params import ParameterError, Parameters, validate
from .provenance import relative_path

__all__ = ["SCENARIO_DIR", "Scenario", "ScenarioError", "ScenarioWarning", "load_scenario"]


def _library() -> Path:
    # An installed wheel carries the library inside the package (pyproject.toml maps it there); a
    # checkout, and the editable install made from it, have only the top-level folder. Not
    # importlib.resources: the editable install cannot import a mapped folder without an
    # __init__.py, and callers need a real folder to glob and to resolve bases against.
    here = Path(__file__).resolve().parent
    installed = here / "scenarios"
    return installed if installed.is_dir() else here.parent / "scenarios"


SCENARIO_DIR = _library()

_BOM = b"\xef\xbb\xbf"  # Windows editors save UTF-8 with it; TOML itself forbids it
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

_TOP_KEYS = {
    "title": str,
    "title_zh": str,
    "description": str,
    "description_zh": str,
    "base": str,
    "parameters": dict,
}


class ScenarioError(InputError):
    """A scenario that cannot be loaded. The message names the file and the key."""

    def __init__(self, file: str | Path, key: str | None, problem: str, allowed: str = ""):
        self.file = str(file)
        self.key = key
        self.problem = problem
        self.allowed = allowed
        where = f"{self.file}: {key}" if key else self.file
        tail = f" (allowed: {allowed})" if allowed else ""
        super().__init__(f"{where}: {problem}{tail}")


class ScenarioWarning(UserWarning):
    """A scenario that loads but probably not as meant (e.g. an empty file)."""


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
        """The scenario as a manifest records it; the path is relative to the current folder
        when it lies inside it, so regenerated manifests are identical on every clone."""
        return {
            "name": self.name,
            "path": relative_path(self.path),
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
    allowed = "a .toml file path, or the name of a scenario in the same folder or the library"
    if not path.name or path.name in (".", ".."):
        raise ScenarioError(where, key, f"{str(path)!r} is not a scenario file name", allowed)
    candidates = [path]
    if not path.suffix:
        candidates.append(path.with_suffix(".toml"))
    if origin is not None and not path.is_absolute():
        candidates = [origin.parent / c for c in candidates] + candidates
    if not path.is_absolute() and len(path.parts) == 1:
        candidates.append(SCENARIO_DIR / path.with_suffix(".toml").name)
        candidates.append(SCENARIO_DIR / path.name)  # "sensitivity" is a folder there
    for c in candidates:
        if c.is_file():
            return c.resolve()
    # Only now, so that a file "x.toml" still wins over a folder "x" beside it.
    for c in candidates:
        if c.is_dir():
            raise ScenarioError(
                where, key, f"{str(c)!r} is a directory, not a scenario file", allowed
            )
    raise ScenarioError(where, key, f"scenario file {str(path)!r} not found", allowed)


def read_toml(path: Path, error: type[ScenarioError] = ScenarioError) -> dict[str, Any]:
    """A TOML file's tables (a UTF-8 byte-order mark tolerated), or ``error`` naming the file
    when it cannot be read, is not UTF-8 or is not TOML."""
    try:
        return tomllib.loads(path.read_bytes().removeprefix(_BOM).decode("utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise error(path, None, f"not valid TOML: {err}") from None
    except UnicodeDecodeError:
        raise error(path, None, "not UTF-8 text", "a TOML file saved as UTF-8") from None
    except OSError as err:
        raise error(path, None, f"cannot read: {err.strerror}") from None


def _load(path: Path, stack: tuple[Path, ...]) -> Scenario:
    if path in stack:
        chain = " -> ".join(p.name for p in (*stack, path))
        raise ScenarioError(
            stack[-1],
            "base",
            f"cycle of bases: {chain}",
            "a chain of bases that ends at a file without 'base'",
        )
    data = read_toml(path)

    for key, value in data.items():
        expected = _TOP_KEYS.get(key)
        if expected is None:
            raise ScenarioError(path, key, "unknown top-level key", ", ".join(sorted(_TOP_KEYS)))
        if not isinstance(value, expected):
            kind = "a table" if expected is dict else "text"
            raise ScenarioError(path, key, f"got {value!r}", kind)

    flat = _flatten(data.get("parameters", {}), path)
    if not flat and "base" not in data and not data.get("description", "").strip():
        # Nothing set, nothing inherited, nothing said: most likely a file saved before it was
        # written, which would otherwise pass for a deliberate baseline run.
        role = (
            f"as the base of {stack[-1].name} it sets nothing"
            if stack
            else "it runs as the default parameters (the baseline)"
        )
        what = "is empty" if not data else "sets no parameters and has no base or description"
        warnings.warn(f"{path} {what}: {role}", ScenarioWarning, stacklevel=3 + len(stack))
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


def _flatten(
    table: Mapping[str, Any],
    file: Path,
    prefix: tuple[str, ...] = (),
    seen: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    """Dotted names to values; ``seen`` maps each name to the key path that set it.

    TOML keeps ``"quota.meetings_cut"`` and ``quota.meetings_cut`` apart (one key, or a table
    and a key), but both name the same parameter here, so the second would silently win.
    """
    seen = {} if seen is None else seen
    out: dict[str, Any] = {}
    for key, value in table.items():
        keys = (*prefix, key)
        if isinstance(value, dict):
            out.update(_flatten(value, file, keys, seen))
            continue
        name = ".".join(keys)
        if name in seen:
            raise ScenarioError(
                file,
                f"parameters.{name}",
                f"set twice (as {_spelling(seen[name])} and {_spelling(keys)})",
                "one spelling of each parameter",
            )
        seen[name] = keys
        out[name] = value
    return out


def _spelling(keys: tuple[str, ...]) -> str:
    """A key path as written in TOML: parts that are not bare keys in quotes."""
    return ".".join(k if _BARE_KEY.fullmatch(k) else f'"{k}"' for k in keys)
