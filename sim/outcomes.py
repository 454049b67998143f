"""Outcomes: the stable names of docs/ODD.md section 8, how they are observed, run summaries.

The names are a public contract read by scripts, notebooks and other tools: add freely, never
rename. Township values are means over the township officials who worked that week, per week,
unless the table says otherwise (``burnout`` counts every official in post, including those on
leave). Every outcome is a function of the model's state after a step: :func:`sim.observe.observe`
computes them all at once, compiled with the phases, so a sweep records a week's outcomes
without a Python call per number; Mesa's DataCollector reads the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .hierarchy import LEVELS, PLURALS

if TYPE_CHECKING:
    from .model import GovernanceModel

__all__ = ["BETTER", "OUTCOMES", "Outcome", "reporters", "summarise"]


@dataclass(frozen=True)
class Outcome:
    name: str
    unit: str
    meaning: str
    column: int  # its place in a row of :func:`observe`

    def report(self, model: GovernanceModel) -> float:
        """The outcome's value for the model's current week."""
        return _report(self.column, model)


def _report(column: int, model: GovernanceModel) -> float:
    return float(model.observation()[column])


_TABLE: tuple[tuple[str, str, str], ...] = (
    *((f"anxiety_{name}", "0-1", f"mean anxiety of {name} leaders") for name in LEVELS[:-1]),
    (f"anxiety_{LEVELS[-1]}", "0-1", f"mean anxiety of {LEVELS[-1]} officials"),
    *(
        (
            f"trust_{name}",
            "0-1",
            f"mean trust of {PLURALS[name]} in their {PLURALS[LEVELS[level + 1]]}",
        )
        for level, name in enumerate(LEVELS[:-1])
    ),
    ("township_hours", "h/week", "hours worked"),
    ("overtime_hours", "h/week", "hours beyond the standard week"),
    (
        "hours_pure_formalism",
        "h/week",
        "formal hours only anxiety, distrust, escalation and duplication demand",
    ),
    ("hours_necessary_formal", "h/week", "formal hours a well-run government needs"),
    (
        "hours_excess_substantive",
        "h/week",
        "overtime left if pure formalism were removed (genuine excess workload)",
    ),
    ("hours_substantive", "h/week", "hours of substantive service to citizens"),
    ("hours_meetings", "h/week", "hours in meetings"),
    ("hours_documents", "h/week", "hours handling documents"),
    ("hours_data", "h/week", "hours answering data requests"),
    ("hours_platforms", "h/week", "hours of platform check-ins"),
    ("hours_inspection_prep", "h/week", "hours preparing inspections (迎检)"),
    ("hours_traces", "h/week", "hours leaving traces (留痕)"),
    ("formalism_share", "0-1", "share of hours not spent on substantive service"),
    ("inspections_per_township", "1/week", "inspections held per township"),
    ("meetings_per_township", "1/week", "meetings received per township"),
    ("documents_per_township", "1/week", "documents received per township"),
    ("data_requests_per_township", "1/week", "data requests received per township"),
    (
        "service_quality",
        "share",
        "service citizens get: substantive work done, less the work undone by errors that reach "
        "them, over work on the books (citizens' demand, tasks and backlog), mean over townships",
    ),
    ("errors", "per 100 officials", "errors made this week"),
    ("accountability_events", "per 100 officials", "accountability events this week"),
    ("burnout", "0-1", "share of officials above the burnout threshold"),
    ("turnover", "per 100 posts", "officials who quit this week"),
    (
        "workload_gini",
        "0-1",
        "Gini of assigned work among the officials of a township, mean over townships",
    ),
    (
        "competence_workload_corr",
        "-1..1",
        "correlation of competence and assigned work (能者多劳)",
    ),
    (
        "competence_accountability_corr",
        "-1..1",
        "correlation of competence and accountability record",
    ),
    ("quota_ratio", "-", "effective over nominal quota, 1 where none (rebound)"),
    ("lever_cost", "staff-h/township/week", "money and staff the levers spend"),
    ("backlog_hours", "h/post", "unfinished substantive work carried over, per post"),
    ("vacancy_share", "0-1", "share of posts empty after a quit"),
    ("leave_share", "0-1", "share of officials on leave"),
    (
        "errors_to_citizens",
        "per 100 officials",
        "errors made this week that no inspection found (they reach citizens)",
    ),
    ("hours_at_cap_share", "0-1", "share of officials working the weekly maximum"),
    ("hours_p10", "h/week", "10th percentile of hours worked among officials"),
    ("hours_p90", "h/week", "90th percentile of hours worked among officials"),
    (
        "platforms_per_township",
        "1",
        "work platforms (apps) each official must check in on, after the data bureau's merging",
    ),
    (
        "reported_service",
        "0-1",
        "service as reported: substantive work reported done over work on the books, mean over "
        "townships (service_quality is what citizens get)",
    ),
    (
        "shirking_share",
        "0-1",
        "share of officials' substantive hours worked perfunctorily (应付) rather than diligently",
    ),
    (
        "gaming_share",
        "0-1",
        "share of reported results not backed by work (gaming of result indicators), over all "
        "townships",
    ),
    (
        "hidden_burden_hours",
        "h/post",
        "tasks per post and week that superiors refill through channels no quota counts when a "
        "quota frees townships' hours (隐形负担), in standard hours, mean over townships",
    ),
    (
        "evasion_share",
        "0-1",
        "share of the meetings, documents and inspections a quota cut from what townships "
        "receive that arrive anyway under another name (调研/座谈, notices, chat messages)",
    ),
)
OUTCOMES: tuple[Outcome, ...] = tuple(
    Outcome(name, unit, meaning, j) for j, (name, unit, meaning) in enumerate(_TABLE)
)
NAMES: tuple[str, ...] = tuple(o.name for o in OUTCOMES)
BY_NAME = {o.name: o for o in OUTCOMES}


# ---- recording -----------------------------------------------------------------------------
# Which way is better for an outcome: -1 lower, +1 higher (absent: no judgement). Briefs,
# findings and explorations read it; an exploration space still states its own goals.
BETTER: dict[str, int] = {
    **{f"anxiety_{lvl}": -1 for lvl in LEVELS},
    **{f"trust_{lvl}": +1 for lvl in LEVELS[:-1]},
    **dict.fromkeys(
        (
            "township_hours",
            "overtime_hours",
            "hours_pure_formalism",
            "hours_excess_substantive",
            "hours_meetings",
            "hours_documents",
            "hours_data",
            "hours_platforms",
            "hours_inspection_prep",
            "hours_traces",
            "formalism_share",
            "inspections_per_township",
            "meetings_per_township",
            "documents_per_township",
            "data_requests_per_township",
            "errors",
            "accountability_events",
            "burnout",
            "turnover",
            "workload_gini",
            "backlog_hours",
            "vacancy_share",
            "leave_share",
            "errors_to_citizens",
            "hours_at_cap_share",
            "hours_p90",
            "platforms_per_township",
            "shirking_share",
            "gaming_share",
            "hidden_burden_hours",
            "evasion_share",
            "lever_cost",
        ),
        -1,
    ),
    "service_quality": +1,
}


def reporters() -> dict[str, Callable]:
    """Model reporters for mesa.DataCollector, in the order of OUTCOMES."""
    # partial, not bound methods: Mesa calls a bound method reporter without the model.
    return {o.name: partial(_report, o.column) for o in OUTCOMES}


class Recorder:
    """Every outcome of every week in one float array: what a sweep needs, without the
    DataCollector's per-value copies and lists (the same numbers)."""

    def __init__(self, weeks: int = 0):
        self._rows = np.empty((max(weeks, 1), len(OUTCOMES)))
        self._n = 0

    def collect(self, model: GovernanceModel) -> None:
        self.reserve(1)[0] = model.observation()

    def reserve(self, weeks: int) -> np.ndarray:
        """The next ``weeks`` rows, for the caller to fill (they count as recorded)."""
        if self._n + weeks > len(self._rows):
            grown = np.empty((max(2 * len(self._rows), self._n + weeks), len(OUTCOMES)))
            grown[: self._n] = self._rows[: self._n]
            self._rows = grown
        rows = self._rows[self._n : self._n + weeks]
        self._n += weeks
        return rows

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self._rows[: self._n].copy(), columns=list(NAMES))


def timeseries(model: GovernanceModel) -> pd.DataFrame:
    """The collected outcomes, one row per week (index ``week``, 1-based)."""
    recorder = getattr(model, "recorder", None)
    if recorder is not None:
        df = recorder.frame()
    else:
        df = model.datacollector.get_model_vars_dataframe()
    df.index = pd.RangeIndex(1, len(df) + 1, name="week")
    return df


def summarise(ts: pd.DataFrame, window: int) -> dict[str, float]:
    """Run summary: each outcome's mean over the last ``window`` weeks, and its final value.

    Keys are ``<outcome>`` (the trailing mean, the headline figure) and ``<outcome>_final``.
    """
    values = ts.to_numpy(dtype=float)
    # One row per outcome, each averaged along its contiguous row: numpy's pairwise sum, as
    # pandas sums one column.
    means = np.ascontiguousarray(values[-window:].T).mean(axis=1)
    names = [str(name) for name in ts.columns]
    out = dict(zip(names, means.tolist(), strict=True))
    out.update(zip([f"{name}_final" for name in names], values[-1].tolist(), strict=True))
    return out
