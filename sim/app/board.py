"""The class dashboard's entries (``oasim app --class``): the policy mixes groups send, kept in
the server's memory only.

A group sends the run on its screen with :meth:`Board.submit`: its name, the scenario, size and
seed, every lever's value, and the run's :data:`RESULTS` at its current week, beside the status
quo's at the same week (the baseline scenario with the same size, seed and behavioural
parameters). The teacher's page waits on :meth:`Board.wait` and shows every entry as it arrives;
:meth:`Board.csv` is the export. Nothing is written to disk: the entries go when the server
stops. The board is shared by every session of the server process and guarded by a lock.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import threading
from dataclasses import dataclass, field
from typing import Any

from .. import i18n, outcomes
from .controls import BEHAVIOUR, LEVERS
from .model import ClassroomModel
from .text import text

__all__ = [
    "BOARD",
    "MAX_ENTRIES",
    "MAX_GROUP",
    "RESULTS",
    "Board",
    "Entry",
    "SubmissionRefused",
    "entry_from_model",
]

# What an entry reports of a run, at its current week: the burden, the service, the gaming of
# result indicators, the cost and burnout.
RESULTS = (
    "township_hours",
    "hours_pure_formalism",
    "service_quality",
    "gaming_share",
    "lever_cost",
    "burnout",
)
MAX_GROUP = 40  # characters of a group's name
MAX_ENTRIES = 500  # a class sends a few dozen; a bound keeps a stray loop from filling memory


class SubmissionRefused(ValueError):
    """An entry the board does not take; ``key`` is the text key of the reason (sim.app.text)."""

    def __init__(self, key: str, **fmt: Any):
        super().__init__(text(key, "en", **fmt))
        self.key = key
        self.fmt = fmt

    def message(self, lang: str) -> str:
        return text(self.key, lang, **self.fmt)


@dataclass(frozen=True)
class Entry:
    """One run a group sent."""

    number: int
    time: str  # hh:mm:ss, the server's clock
    group: str
    scenario: str
    preset: str
    seed: int
    week: int
    levers: dict[str, Any]  # every lever's value (dotted parameter names)
    changed: dict[str, Any]  # the levers set differently from the status quo
    behaviour: dict[str, Any]  # the behavioural parameters of the page
    results: dict[str, float]  # RESULTS at the week
    status_quo: dict[str, float] = field(default_factory=dict)  # the same, baseline


def _results_at(model: ClassroomModel) -> dict[str, float]:
    last = outcomes.timeseries(model).iloc[-1]
    return {name: float(last[name]) for name in RESULTS}


@functools.lru_cache(maxsize=256)
def status_quo(preset: str, seed: int, week: int, behaviour: tuple) -> dict[str, float]:
    """RESULTS of the baseline scenario at ``week``, with the size, seed and behavioural
    parameters (``((arg, value), ...)``) of a group's run."""
    model = ClassroomModel(scenario_name="baseline", preset=preset, seed=seed, **dict(behaviour))
    model.run_for(week)
    return _results_at(model)


def entry_from_model(model: ClassroomModel, group: str, number: int = 0) -> Entry:
    """The entry for the run on a student's screen; refused without a group name, or before the
    first week."""
    group = " ".join(group.split())[:MAX_GROUP]
    if not group:
        raise SubmissionRefused("app.need_group")
    if model.week < 1:
        raise SubmissionRefused("app.need_weeks")
    params = model.params
    levers = {c.param: params[c.param] for c in LEVERS}
    changed_params = params.changed()
    behaviour = {c.arg: params[c.param] for c in BEHAVIOUR}
    return Entry(
        number=number,
        time=dt.datetime.now().strftime("%H:%M:%S"),
        group=group,
        scenario=model.scenario_name,
        preset=params.hierarchy.preset,
        seed=model.run_seed,
        week=model.week,
        levers=levers,
        changed={p: v for p, v in levers.items() if p in changed_params},
        behaviour={c.param: params[c.param] for c in BEHAVIOUR},
        results=_results_at(model),
        status_quo=status_quo(
            params.hierarchy.preset, model.run_seed, model.week, tuple(sorted(behaviour.items()))
        ),
    )


class Board:
    """The entries of one server process, in the order they came; thread-safe."""

    def __init__(self, limit: int = MAX_ENTRIES):
        self._entries: list[Entry] = []
        self._changed = threading.Condition()
        self.limit = limit

    @property
    def version(self) -> int:
        """Changes with every entry (the number of entries so far)."""
        with self._changed:
            return len(self._entries)

    def submit(self, model: ClassroomModel, group: str) -> Entry:
        """Add the run on a student's screen; raises :class:`SubmissionRefused` (with the
        reason) for an entry the board does not take."""
        entry = entry_from_model(model, group)  # outside the lock: it may run the status quo
        with self._changed:
            if len(self._entries) >= self.limit:
                raise SubmissionRefused("app.board_full", n=self.limit)
            entry = Entry(**{**entry.__dict__, "number": len(self._entries) + 1})
            self._entries.append(entry)
            self._changed.notify_all()
        return entry

    def entries(self) -> list[Entry]:
        with self._changed:
            return list(self._entries)

    def wait(self, version: int, timeout: float) -> int:
        """Wait until the board differs from ``version`` (or ``timeout`` seconds); the version."""
        with self._changed:
            self._changed.wait_for(lambda: len(self._entries) != version, timeout=timeout)
            return len(self._entries)

    def clear(self) -> None:
        with self._changed:
            self._entries.clear()
            self._changed.notify_all()

    def csv(self, lang: str = "en") -> str:
        """Every entry as CSV: one row per entry, one column per lever and per result (with
        the status quo's beside it); column names are the model's parameter and outcome names,
        which the rest of oasim reads."""
        del lang  # names stay the model's, whatever the page's language
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        levers = [c.param for c in LEVERS]
        behaviour = [c.param for c in BEHAVIOUR]
        writer.writerow(
            [
                "number",
                "time",
                "group",
                "scenario",
                "preset",
                "seed",
                "week",
                *RESULTS,
                *(f"status_quo_{r}" for r in RESULTS),
                *levers,
                *behaviour,
            ]
        )
        for e in self.entries():
            writer.writerow(
                [
                    e.number,
                    e.time,
                    _cell(e.group),
                    e.scenario,
                    e.preset,
                    e.seed,
                    e.week,
                    *(f"{e.results[r]:.4g}" for r in RESULTS),
                    *(f"{e.status_quo[r]:.4g}" for r in RESULTS),
                    *(e.levers[p] for p in levers),
                    *(e.behaviour[p] for p in behaviour),
                ]
            )
        return out.getvalue()


def _cell(value: str) -> str:
    """Text as a spreadsheet shows it, not as a formula it would run (a group named "=1+1")."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def result_label(name: str, lang: str) -> str:
    """A result's column heading (with its unit)."""
    return i18n.outcome_label(name, lang)


# The server's board: every session of `oasim app --class` sends to it.
BOARD = Board()
