"""Empirical targets as data: the facts oasim is calibrated to or validated against.

``data/targets.toml`` holds one table per target: the fact (``value`` or ``interval``), its
``unit``, the model ``outcome`` it is compared with, who was measured, when, how many, the
source, a quality grade, its ``use`` and whether it was checked against the source. The file's
header says what each key and grade means and why each target is used as it is.

:func:`load_targets` reads the file strictly: an unknown key, a value of the wrong type, an
interval with low > high, a grade or use outside the allowed set, an outcome the model does not
have, a unit other than the outcome's, or a validation target on an outcome a calibration target
already uses: each raises :class:`TargetsError` naming the file, the key (``township_day.interval``)
and what is allowed.

A target's outcome is a model outcome (``sim/outcomes.py``) or one of the :data:`DERIVED`
quantities defined here from them: the conversions between what sources report (hours a day,
counts a year, cuts against last year) and what the model records (weekly means).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from .outcomes import OUTCOMES
from .scenario import ScenarioError, read_toml

__all__ = [
    "DEFAULT",
    "DERIVED",
    "QUALITY",
    "USES",
    "Derived",
    "Target",
    "TargetsError",
    "load_targets",
    "targets_table",
    "to_markdown",
]


def _default() -> Path:
    # As the scenario library (sim.scenario): inside the package in a wheel, at the top of a
    # checkout otherwise.
    here = Path(__file__).resolve().parent
    installed = here / "data" / "targets.toml"
    return installed if installed.is_file() else here.parent / "data" / "targets.toml"


DEFAULT = _default()

QUALITY: Mapping[str, str] = MappingProxyType(
    {
        "A": "a probability sample or full count with a documented method, in a peer-reviewed or "
        "official statistical publication",
        "B": "a documented survey or observation (sample size and instrument stated) that is not "
        "a probability sample: convenience samples, one city or region, opt-in online surveys",
        "C": "press reports without a stated method, single cases, a government's own account of "
        "its campaign, secondary citations not traced to the original, figures whose definition "
        "is unclear",
    }
)
USES: Mapping[str, str] = MappingProxyType(
    {
        "calibration": "levels of the status quo (2018-2024) the baseline is meant to reproduce; "
        "uncertain parameters may be tuned to these",
        "validation": "held out, never used to set a parameter: the model must produce them "
        "without being tuned to them; no outcome a calibration target uses",
        "none": "recorded for context and compared with nothing: no model counterpart, a lever "
        "setting, a qualitative pattern or a single case",
    }
)

WORKING_DAYS = 6  # township officials' working days a week (Saturdays are commonly worked)
WEEKS = 52  # weeks a year, as in run summaries


@dataclass(frozen=True)
class Derived:
    """A quantity sources report, computed from the model's outcomes.

    ``formula`` takes a run summary (outcome name to value, as ``sim.run_scenario`` returns);
    a ``paired`` quantity compares a run with its reference run, the same seed without the
    levers, and takes that run's summary too.
    """

    name: str
    unit: str
    definition: str
    formula: Callable[..., float] = field(repr=False, compare=False)
    paired: bool = False

    def value(
        self, summary: Mapping[str, float], reference: Mapping[str, float] | None = None
    ) -> float:
        """The quantity for a run (and, if ``paired``, its reference run)."""
        if not self.paired:
            return self.formula(summary)
        if reference is None:
            raise ValueError(f"{self.name} compares a run with its reference run: pass reference")
        return self.formula(summary, reference)


def _per_year(outcome: str, what: str) -> Derived:
    return Derived(
        f"{what}_per_year",
        "1/year",
        f"`{outcome}` × {WEEKS}: {what} a township receives in a year",
        lambda s: s[outcome] * WEEKS,
    )


def _share(hours: str, what: str) -> Derived:
    return Derived(
        f"{what}_share",
        "0-1",
        f"`{hours}` / `township_hours`: share of township officials' hours spent on {what}",
        lambda s: s[hours] / s["township_hours"],
    )


def _cut(outcome: str, what: str) -> Derived:
    return Derived(
        f"{what}_cut",
        "0-1",
        f"1 − `{outcome}` / `{outcome}` of the reference run (same seed, no levers): the share "
        f"of {what} a campaign removed",
        lambda s, ref: 1 - s[outcome] / ref[outcome],
        paired=True,
    )


DERIVED: Mapping[str, Derived] = MappingProxyType(
    {
        d.name: d
        for d in (
            Derived(
                "hours_per_day",
                "h/day",
                f"`township_hours` / {WORKING_DAYS}: hours per working day, with six working "
                "days a week",
                lambda s: s["township_hours"] / WORKING_DAYS,
            ),
            _share("hours_meetings", "meetings"),
            _share("hours_documents", "documents"),
            _per_year("meetings_per_township", "meetings"),
            _per_year("documents_per_township", "documents"),
            _per_year("inspections_per_township", "inspections"),
            Derived(
                "quits_per_year",
                "share of posts/year",
                f"`turnover` × {WEEKS} / 100: quits in a year as a share of posts",
                lambda s: s["turnover"] * WEEKS / 100,
            ),
            _cut("meetings_per_township", "meetings"),
            _cut("documents_per_township", "documents"),
        )
    }
)

# Each comparable quantity and its unit: a target must state its value in that unit.
_UNITS: Mapping[str, str] = {
    **{o.name: o.unit for o in OUTCOMES},
    **{d.name: d.unit for d in DERIVED.values()},
}


@dataclass(frozen=True)
class Target:
    """One empirical fact and the model quantity it is compared with."""

    id: str
    unit: str
    outcome: str  # a model outcome or a DERIVED name; "" when the model has no counterpart
    population: str
    year: int | str  # or "unknown"
    sample_size: int | str  # or "unknown"
    source: str
    quality: str  # a key of QUALITY
    use: str  # a key of USES
    verified: bool
    value: float | None = None
    interval: tuple[float, float] | None = None
    note: str = ""

    @property
    def bounds(self) -> tuple[float, float] | None:
        """(low, high): the interval, or the value twice; None for a fact without a number."""
        if self.interval is not None:
            return self.interval
        return None if self.value is None else (self.value, self.value)


class TargetsError(ScenarioError):
    """A targets file that cannot be loaded. The message names the file and the key."""


_ID = re.compile(r"[a-z][a-z0-9_]*")
_TEXT = "non-empty text"
_REQUIRED = {
    "unit": _TEXT,
    "outcome": 'a model outcome, a derived quantity, or "" when the model has none',
    "population": _TEXT,
    "year": 'a year (a whole number from 1900 to 2100) or "unknown"',
    "sample_size": 'a whole number of at least 1, or "unknown"',
    "source": _TEXT,
    "quality": ", ".join(QUALITY),
    "use": ", ".join(USES),
    "verified": "true or false",
}
_OPTIONAL = {
    "value": "a finite number",
    "interval": "[low, high]: two finite numbers with low <= high",
    "note": "text",
}
_KEYS = {**_REQUIRED, **_OPTIONAL}


def load_targets(path: str | Path = DEFAULT) -> tuple[Target, ...]:
    """Read and validate a targets file; raise TargetsError on any problem."""
    path = Path(path)
    data = read_toml(path, TargetsError)
    if not data:
        raise TargetsError(path, None, "no targets", "one table per target, e.g. [township_day]")
    targets = tuple(_target(path, name, table) for name, table in data.items())
    _check_split(path, targets)
    return targets


def _target(path: Path, name: str, table: Any) -> Target:
    if not _ID.fullmatch(name):
        raise TargetsError(
            path, name, "not a target name", "lower-case letters, digits and _, from a letter"
        )
    if not isinstance(table, dict):
        raise TargetsError(path, name, f"got {table!r}", f"a table: [{name}] and its keys")
    for key in table:
        if key not in _KEYS:
            raise TargetsError(
                path, f"{name}.{key}", f"unknown key{_did_you_mean(key, _KEYS)}", ", ".join(_KEYS)
            )
    for key in _REQUIRED:
        if key not in table:
            raise TargetsError(path, f"{name}.{key}", "missing", _REQUIRED[key])

    def check(key: str, ok: bool) -> None:
        if not ok:
            raise TargetsError(path, f"{name}.{key}", f"got {table[key]!r}", _KEYS[key])

    for key in ("unit", "population", "source"):
        check(key, isinstance(table[key], str) and bool(table[key].strip()))
    for key in ("outcome", "note"):
        check(key, isinstance(table.get(key, ""), str))
    check("year", _whole(table["year"], 1900, 2100) or table["year"] == "unknown")
    check("sample_size", _whole(table["sample_size"], 1) or table["sample_size"] == "unknown")
    check("verified", isinstance(table["verified"], bool))
    value, interval = table.get("value"), table.get("interval")
    if "value" in table:
        check("value", _number(value))
    if "interval" in table:
        check("interval", isinstance(interval, list) and len(interval) == 2)
        check("interval", all(_number(x) for x in interval))
        if interval[0] > interval[1]:
            raise TargetsError(
                path,
                f"{name}.interval",
                f"low {interval[0]} above high {interval[1]}",
                _KEYS["interval"],
            )
    for key, allowed in (("quality", QUALITY), ("use", USES)):
        if not isinstance(table[key], str) or table[key] not in allowed:
            raise TargetsError(
                path,
                f"{name}.{key}",
                f"got {table[key]!r}{_did_you_mean(str(table[key]), allowed)}",
                _KEYS[key],
            )

    outcome, use, unit = table["outcome"], table["use"], table["unit"]
    if outcome and outcome not in _UNITS:
        raise TargetsError(
            path,
            f"{name}.outcome",
            f"unknown outcome {outcome!r}{_did_you_mean(outcome, _UNITS)}",
            "an outcome of sim/outcomes.py, a derived quantity of sim/targets.py ("
            + ", ".join(DERIVED)
            + '), or "" when the model has none',
        )
    if outcome and unit != _UNITS[outcome]:
        raise TargetsError(
            path,
            f"{name}.unit",
            f"{unit!r} is not the unit of {outcome}",
            f"{_UNITS[outcome]!r}: state the value in the outcome's unit",
        )
    if not outcome and use != "none":
        raise TargetsError(
            path,
            f"{name}.use",
            f"{use!r} needs an outcome to compare the target with",
            '"none" when outcome = "", or name an outcome',
        )
    if "value" in table and "interval" in table:
        raise TargetsError(
            path, f"{name}.interval", "given with a value", "either value or interval, not both"
        )
    if use != "none" and "value" not in table and "interval" not in table:
        raise TargetsError(
            path,
            f"{name}.value",
            f"missing: a {use} target needs a number",
            'a value or an interval (only a target with use = "none" may have neither)',
        )
    return Target(
        id=name,
        unit=unit,
        outcome=outcome,
        population=table["population"],
        year=table["year"],
        sample_size=table["sample_size"],
        source=table["source"],
        quality=table["quality"],
        use=use,
        verified=table["verified"],
        value=None if value is None else float(value),
        interval=None if interval is None else (float(interval[0]), float(interval[1])),
        note=table.get("note", ""),
    )


def _check_split(path: Path, targets: Sequence[Target]) -> None:
    """Refuse a validation target on an outcome a calibration target uses: a pattern fitted in
    calibration cannot then test the model."""
    calibrated = {t.outcome: t.id for t in targets if t.use == "calibration"}
    for t in targets:
        if t.use == "validation" and t.outcome in calibrated:
            raise TargetsError(
                path,
                f"{t.id}.use",
                f"validation on {t.outcome}, which calibration target {calibrated[t.outcome]} uses",
                'an outcome no calibration target uses, or use = "calibration" or "none"',
            )


def _whole(x: Any, low: int, high: float = math.inf) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and low <= x <= high


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


# ---- tables ----------------------------------------------------------------------------------
def targets_table(targets: Sequence[Target]) -> pd.DataFrame:
    """One row per target, in the file's order, indexed by id; ``low`` and ``high`` are the
    interval (the value twice; missing for a fact without a number)."""
    rows = []
    for t in targets:
        low, high = t.bounds or (math.nan, math.nan)
        rows.append(
            {
                "use": t.use,
                "outcome": t.outcome,
                "low": low,
                "high": high,
                "unit": t.unit,
                "population": t.population,
                "year": t.year,
                "sample_size": t.sample_size,
                "quality": t.quality,
                "verified": t.verified,
                "source": t.source,
                "note": t.note,
            }
        )
    return pd.DataFrame(rows, index=pd.Index([t.id for t in targets], name="id"))


def to_markdown(targets: Sequence[Target], source: str = "data/targets.toml") -> str:
    """The targets as a Markdown page (docs/targets.md is this, for the shipped file)."""
    by_use = {use: [t for t in targets if t.use == use] for use in USES}
    verified = [t.id for t in targets if t.verified]
    lines = [
        "# Empirical targets",
        "",
        f"Generated by `oasim targets --markdown` from `{source}`; do not edit by hand.",
        "",
        "Each target is one fact from a survey, an observation or a report, the model outcome",
        "it is compared with, and how far it can be trusted. The split between calibration and",
        "validation is declared in the file before any calibration is run.",
        "",
        "**Quality grades**",
        "",
        *(f"- **{grade}**: {meaning}." for grade, meaning in QUALITY.items()),
        "",
        "**Uses**",
        "",
        *(f"- **{use}** ({len(by_use[use])}): {meaning}." for use, meaning in USES.items()),
        "",
        f"**Verified** against the source text (or a verbatim copy of it): {len(verified)} of "
        f"{len(targets)} targets ({', '.join(f'`{i}`' for i in verified) or 'none'}). The others "
        "were not checked against the original; their notes say so and what was found instead.",
        "",
        "## Derived quantities",
        "",
        "Defined in `sim/targets.py` from the outcomes of `sim/outcomes.py` (weekly means).",
        "",
        "| name | unit | definition |",
        "|---|---|---|",
        *(f"| `{d.name}` | {d.unit} | {d.definition} |" for d in DERIVED.values()),
        "",
        "## Targets",
        "",
        "| target | use | outcome | value | unit | population | year | n | quality | verified |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for t in targets:
        cells = (
            f"`{t.id}`",
            t.use,
            f"`{t.outcome}`" if t.outcome else "-",
            _number_text(t),
            t.unit,
            t.population,
            t.year,
            t.sample_size,
            t.quality,
            "yes" if t.verified else "no",
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += ["", "## Sources and notes", ""]
    for t in targets:
        lines.append(f"- `{t.id}`: {t.source}" + (f" Note: {t.note}" if t.note else ""))
    return "\n".join(lines) + "\n"


def _number_text(t: Target) -> str:
    if t.interval is not None:
        return f"[{t.interval[0]:g}, {t.interval[1]:g}]"
    return "-" if t.value is None else f"{t.value:g}"


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")
