"""Outcomes: the stable names of docs/ODD.md section 8, their reporters and run summaries.

The names are a public contract read by scripts, notebooks and other tools: add freely, never
rename. Township values are means over the township officials who worked that week, per week,
unless the table says otherwise (``burnout`` counts every official in post, including those on
leave). Every reporter is a function of the model's state after a step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .hierarchy import LEVELS, PLURALS
from .rules import costs
from .state import HOUR_KINDS, Hours, Item, Status

if TYPE_CHECKING:
    from .model import GovernanceModel

__all__ = ["OUTCOMES", "Outcome", "gini", "reporters", "summarise"]


@dataclass(frozen=True)
class Outcome:
    name: str
    unit: str
    meaning: str
    report: Callable[[GovernanceModel], float]


def gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 equal, toward 1 concentrated)."""
    return float(
        within_gini(np.asarray(x, dtype=float)[None, :], np.ones((1, np.size(x)), dtype=bool))[0]
    )


def within_gini(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Gini of each row of ``values`` over the entries where ``mask`` holds (0 if < 2 entries).

    Uses the sorted form ``G = sum_i (2i - n - 1) x_(i) / (n sum x)``.
    """
    x = np.sort(np.where(mask, values, np.inf), axis=1)
    n = mask.sum(axis=1, keepdims=True)
    i = np.arange(1, values.shape[1] + 1)
    inside = i <= n
    x = np.where(inside, x, 0.0)
    total = x.sum(axis=1)
    weighted = (np.where(inside, 2 * i - n - 1, 0) * x).sum(axis=1)
    ok = (n[:, 0] > 1) & (total > 0)
    return np.divide(weighted, n[:, 0] * total, out=np.zeros(len(values)), where=ok)


def _corr(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> float:
    """Pearson correlation under weights ``w`` (summing to 1); 0 when either side is constant."""
    da, db = a - a @ w, b - b @ w
    va, vb = (da * da) @ w, (db * db) @ w
    return float((da * db) @ w / np.sqrt(va * vb)) if va > 0 and vb > 0 else 0.0


class _Observed:
    """Quantities several reporters share, computed once per collected week."""

    def __init__(self, m: GovernanceModel):
        st = m.state.staff
        self.time = m.time
        # Officials who worked this week (leave and quits happen at the week's end).
        self.active = st.worked
        self.n_active = int(self.active.sum())
        self.w = self.active / max(self.n_active, 1)  # mean over active officials = x @ w
        self.total = st.hours.sum(axis=0)
        self.hours = st.hours @ self.w  # mean hours by kind


def _obs(m: GovernanceModel) -> _Observed:
    cached = getattr(m, "_observed", None)
    if cached is None or cached.time != m.time:
        cached = m._observed = _Observed(m)
    return cached


def _staff_mean(m: GovernanceModel, values: np.ndarray) -> float:
    return float(values @ _obs(m).w)


def _per_100(m: GovernanceModel, values: np.ndarray) -> float:
    return 100.0 * _staff_mean(m, values)


def _leader_anxiety(level: int, m: GovernanceModel) -> float:
    return float(m.state.units.anxiety[m.tree.units(level)].mean())


def _trust_in(level: int, m: GovernanceModel) -> float:
    """Mean trust of level ``level`` in its subordinate units."""
    return float(m.state.units.trust[m.tree.units(level + 1)].mean())


def _hours(kind: str, m: GovernanceModel) -> float:
    return float(_obs(m).hours[HOUR_KINDS.index(kind)])


def _received(kind: Item, m: GovernanceModel) -> float:
    return float(m.state.units.received[kind, m.tree.units(m.tree.bottom)].mean())


def _excess_substantive(m: GovernanceModel) -> float:
    # Overtime that would remain if all pure formalism were removed: necessary formal work plus
    # substantive work beyond the standard week (the article's "genuine excess workload").
    o = _obs(m)
    beyond = o.total - m.state.staff.pure - m.params.work.standard_hours
    return _staff_mean(m, np.maximum(beyond, 0.0))


def _formalism_share(m: GovernanceModel) -> float:
    o = _obs(m)
    total = o.hours.sum()
    return float(1.0 - o.hours[Hours.SUBSTANTIVE] / total) if total > 0 else 0.0


def _service_quality(m: GovernanceModel) -> float:
    tw = m.state.townships
    done = np.divide(tw.output, tw.work, out=np.ones_like(tw.output), where=tw.work > 0)
    return float(np.clip(done, 0.0, 1.0).mean())


def _burnout(m: GovernanceModel) -> float:
    # Over officials in post, including those on leave (often the most fatigued).
    st = m.state.staff
    in_post = st.status != Status.VACANT
    return (
        float((st.fatigue[in_post] > m.params.burnout.threshold).mean()) if in_post.any() else 0.0
    )


def _turnover(m: GovernanceModel) -> float:
    return float(100.0 * m.state.townships.quits.sum() / m.tree.n_staff)


def _workload_gini(m: GovernanceModel) -> float:
    # Inequality of the head's allocation within each township, averaged over townships.
    shape = (m.tree.n_townships, -1)
    o = _obs(m)
    per_township = within_gini(m.state.staff.assigned.reshape(shape), o.active.reshape(shape))
    return float(per_township.mean())


def _competence_corr(field: str, m: GovernanceModel) -> float:
    st = m.state.staff
    return _corr(st.competence, getattr(st, field), _obs(m).w)


def _quota_ratio(m: GovernanceModel) -> float:
    # Effective over nominal cap, averaged over the item kinds that carry a quota.
    u = m.state.units
    below = slice(m.tree.starts[1], None)  # quotas bind what every level below the top receives
    ratios = []
    for k in Item:
        cap, effective = u.cap[k, below], u.effective_cap[k, below]
        set_ = np.isfinite(cap) & (cap > 0)
        if set_.any():
            ratios.append(float(np.mean(effective[set_] / cap[set_])))
    return float(np.mean(ratios)) if ratios else 1.0


def _lever_cost(m: GovernanceModel) -> float:
    p, tw = m.active_params, m.state.townships
    per_township = costs.lever_cost(
        tw.temp_staff,
        tw.added_staff,
        p.secondment.staff,
        p.work.standard_hours,
        p.oversight.strength,
        p.oversight.cost_hours,
        p.data_bureau.merge,
        p.data_bureau.cost_hours,
        tw.authority_finance,
        p.devolution.reward_hours,
        m.tree.posts,
    )
    return float(per_township.mean())


def _share_of_posts(status: int, m: GovernanceModel) -> float:
    return float((m.state.staff.status == status).mean())


OUTCOMES: tuple[Outcome, ...] = (
    *(
        Outcome(
            f"anxiety_{name}",
            "0-1",
            f"mean anxiety of {name} leaders",
            partial(_leader_anxiety, level),
        )
        for level, name in enumerate(LEVELS[:-1])
    ),
    Outcome(
        f"anxiety_{LEVELS[-1]}",
        "0-1",
        f"mean anxiety of {LEVELS[-1]} officials",
        lambda m: _staff_mean(m, m.state.staff.anxiety),
    ),
    *(
        Outcome(
            f"trust_{name}",
            "0-1",
            f"mean trust of {PLURALS[name]} in their {PLURALS[LEVELS[level + 1]]}",
            partial(_trust_in, level),
        )
        for level, name in enumerate(LEVELS[:-1])
    ),
    Outcome("township_hours", "h/week", "hours worked", lambda m: float(_obs(m).hours.sum())),
    Outcome(
        "overtime_hours",
        "h/week",
        "hours beyond the standard week",
        lambda m: _staff_mean(m, np.maximum(_obs(m).total - m.params.work.standard_hours, 0.0)),
    ),
    Outcome(
        "hours_pure_formalism",
        "h/week",
        "formal hours only anxiety, distrust, escalation and duplication demand",
        lambda m: _staff_mean(m, m.state.staff.pure),
    ),
    Outcome(
        "hours_necessary_formal",
        "h/week",
        "formal hours a well-run government needs",
        lambda m: float(
            _obs(m).hours[Hours.SUBSTANTIVE + 1 :].sum() - _staff_mean(m, m.state.staff.pure)
        ),
    ),
    Outcome(
        "hours_excess_substantive",
        "h/week",
        "overtime left if pure formalism were removed (genuine excess workload)",
        _excess_substantive,
    ),
    Outcome(
        "hours_substantive",
        "h/week",
        "hours of substantive service to citizens",
        partial(_hours, "substantive"),
    ),
    Outcome("hours_meetings", "h/week", "hours in meetings", partial(_hours, "meetings")),
    Outcome("hours_documents", "h/week", "hours handling documents", partial(_hours, "documents")),
    Outcome("hours_data", "h/week", "hours answering data requests", partial(_hours, "data")),
    Outcome(
        "hours_platforms", "h/week", "hours of platform check-ins", partial(_hours, "platforms")
    ),
    Outcome(
        "hours_inspection_prep",
        "h/week",
        "hours preparing inspections (迎检)",
        partial(_hours, "inspections"),
    ),
    Outcome("hours_traces", "h/week", "hours leaving traces (留痕)", partial(_hours, "traces")),
    Outcome(
        "formalism_share",
        "0-1",
        "share of hours not spent on substantive service",
        _formalism_share,
    ),
    Outcome(
        "inspections_per_township",
        "1/week",
        "inspections held per township",
        lambda m: float(m.state.townships.inspections.mean()),
    ),
    Outcome(
        "meetings_per_township",
        "1/week",
        "meetings received per township",
        partial(_received, Item.MEETINGS),
    ),
    Outcome(
        "documents_per_township",
        "1/week",
        "documents received per township",
        partial(_received, Item.DOCUMENTS),
    ),
    Outcome(
        "data_requests_per_township",
        "1/week",
        "data requests received per township",
        lambda m: float(m.state.townships.data_requests.mean()),
    ),
    Outcome(
        "service_quality",
        "0-1",
        "substantive work done over work on the books (citizens' "
        "demand, tasks and backlog), mean over townships",
        _service_quality,
    ),
    Outcome(
        "errors",
        "per 100 officials",
        "errors made this week",
        lambda m: _per_100(m, m.state.staff.errors),
    ),
    Outcome(
        "accountability_events",
        "per 100 officials",
        "accountability events this week",
        lambda m: _per_100(m, m.state.staff.events),
    ),
    Outcome("burnout", "0-1", "share of officials above the burnout threshold", _burnout),
    Outcome("turnover", "per 100 posts", "officials who quit this week", _turnover),
    Outcome(
        "workload_gini",
        "0-1",
        "Gini of assigned work among the officials of a township, mean over townships",
        _workload_gini,
    ),
    Outcome(
        "competence_workload_corr",
        "-1..1",
        "correlation of competence and assigned work (能者多劳)",
        partial(_competence_corr, "assigned"),
    ),
    Outcome(
        "competence_accountability_corr",
        "-1..1",
        "correlation of competence and accountability record",
        partial(_competence_corr, "record"),
    ),
    Outcome(
        "quota_ratio", "-", "effective over nominal quota, 1 where none (rebound)", _quota_ratio
    ),
    Outcome("lever_cost", "staff-h/township/week", "money and staff the levers spend", _lever_cost),
    Outcome(
        "backlog_hours",
        "h/post",
        "unfinished substantive work carried over, per post",
        lambda m: float(m.state.townships.backlog.sum() / m.tree.n_staff),
    ),
    Outcome(
        "vacancy_share",
        "0-1",
        "share of posts empty after a quit",
        partial(_share_of_posts, Status.VACANT),
    ),
    Outcome(
        "leave_share", "0-1", "share of officials on leave", partial(_share_of_posts, Status.LEAVE)
    ),
)

NAMES: tuple[str, ...] = tuple(o.name for o in OUTCOMES)
BY_NAME = {o.name: o for o in OUTCOMES}


def reporters() -> dict[str, Callable]:
    """Model reporters for mesa.DataCollector, in the order of OUTCOMES."""
    return {o.name: o.report for o in OUTCOMES}


class Recorder:
    """Every outcome of every week in one float array: what a sweep needs, without the
    DataCollector's per-value deep copies and lists (the same reporters, the same numbers)."""

    def __init__(self, weeks: int = 0):
        self._rows = np.empty((max(weeks, 1), len(OUTCOMES)))
        self._n = 0

    def collect(self, model: GovernanceModel) -> None:
        if self._n == len(self._rows):
            self._rows = np.concatenate([self._rows, np.empty_like(self._rows)])
        row = self._rows[self._n]
        for j, outcome in enumerate(OUTCOMES):
            row[j] = outcome.report(model)
        self._n += 1

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
    tail = ts.iloc[-window:]
    out: dict[str, float] = {}
    for name in ts.columns:
        out[name] = float(tail[name].mean())
    for name in ts.columns:
        out[f"{name}_final"] = float(ts[name].iloc[-1])
    return out
