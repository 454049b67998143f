"""The parameter catalogue: every model parameter in one place.

Each parameter has a dotted name (``section.name``), a unit, a default, an allowed range (or a
set of choices), a one-line meaning and a declared *role* (see :class:`Param`): a policy
``lever`` of docs/ODD.md section 1.6, an ``uncertainty`` (a behavioural or cost assumption), a
``structural`` fact of the setting, or a ``run`` setting. Each lever is off at its default, so
the baseline scenario is "all defaults".

The catalogue is data: scenarios, the sensitivity problems and the docs all read it, and
:func:`validate` is the only place that decides whether a value is acceptable. A
:class:`Parameters` is an immutable set of values; :meth:`Parameters.replace` makes a changed
copy.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections import namedtuple
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np

from .errors import InputError

__all__ = [
    "CATALOGUE",
    "LEVERS",
    "LEVER_GROUPS",
    "ROLES",
    "UNCERTAINTIES",
    "ImmutableParametersError",
    "Param",
    "ParameterError",
    "Parameters",
    "Section",
    "validate",
]

# The roles a parameter can play (see Param).
ROLES: tuple[str, ...] = ("lever", "uncertainty", "structural", "run")


class ParameterError(InputError):
    """A parameter name or value that the catalogue does not allow.

    ``key`` is the dotted name as written by the user, ``allowed`` says what would be accepted.
    """

    def __init__(self, key: str, problem: str, allowed: str):
        self.key = key
        self.problem = problem
        self.allowed = allowed
        super().__init__(f"{key}: {problem}; allowed: {allowed}")


class ImmutableParametersError(AttributeError, TypeError):
    """An attempt to change a :class:`Parameters` (or one of its sections) in place.

    It is both an AttributeError (what assigning a read-only attribute raises) and a TypeError
    (what assigning an item of an immutable mapping raises).
    """

    def __init__(self, key: str, value: Any = None, *, delete: bool = False):
        self.key = key
        text = f"Parameters are immutable: cannot {'delete' if delete else 'set'} {key!r}"
        if key in CATALOGUE and not delete:
            text += f"; use p.replace({{{key!r}: {value!r}}}) for a changed copy"
        elif key in _SECTIONS:
            text += f"; use p.replace({{'{key}.<name>': value}}) for a changed copy"
        super().__init__(text)


@dataclass(frozen=True, slots=True)
class Param:
    """One entry of the catalogue.

    ``role`` says what the parameter is for. It is declared in the catalogue (an entry that
    declares none is an uncertainty) and never read from the name or the group:

    - ``"lever"``: a policy lever of docs/ODD.md section 1.6, something a government can decide.
      It is off (the status quo) at its default and only takes effect from
      ``run.policy_start``; scenarios and the ``levers`` sensitivity problem vary levers.
    - ``"uncertainty"``: an assumption about behaviour, costs or the initial state that the
      evidence does not pin down (how anxiety travels, what a meeting costs, how fast trust
      falls, what a lever's machinery costs). These are what a sensitivity analysis,
      calibration or exploration of the model's assumptions varies.
    - ``"structural"``: a fact or convention of the setting, held fixed in such analyses: the
      size and shape of the hierarchy, departments per level, the seed that draws the national
      tree, the standard 40-hour week, and reference points that only define the unit of other
      parameters (``indicators.reference``).
    - ``"run"``: how a run is set up and summarised rather than the world it models: the
      horizon, the summary window, the week the levers switch on.

    ``group`` names the lever group of a lever (e.g. ``"lever: quota cuts"``; docs/ODD.md
    section 1.6 lists them) and is the section name for every other parameter; it is a label
    for display, not what makes a parameter a lever.
    """

    name: str
    default: Any
    unit: str
    meaning: str
    kind: str = "float"  # float | int | bool | choice
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    group: str = ""
    optional: bool = False  # may be left unset (None): the value then comes from elsewhere
    role: str = "uncertainty"  # lever | uncertainty | structural | run

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"{self.name}: role {self.role!r} is not one of {ROLES}")

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def is_lever(self) -> bool:
        return self.role == "lever"

    def allowed(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "bool":
            return "true or false"
        noun = "an integer" if self.kind == "int" else "a number"
        return f"{noun} in [{_fmt(self.low)}, {_fmt(self.high)}]"

    def check(self, value: Any) -> Any:
        """Return ``value`` coerced to this parameter's type, or raise ParameterError."""
        if value is None and self.optional:
            return None
        if self.kind == "bool":
            if not isinstance(value, bool | np.bool_):
                raise ParameterError(self.name, f"got {value!r} ({_tname(value)})", self.allowed())
            return bool(value)
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise ParameterError(self.name, f"got {value!r}", self.allowed())
            return value
        # numbers.Real/Integral admit numpy scalars (from samplers, np.arange); bools are not
        # numbers here.
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
            raise ParameterError(self.name, f"got {value!r} ({_tname(value)})", self.allowed())
        if self.kind == "int":
            if not isinstance(value, numbers.Integral) and not float(value).is_integer():
                raise ParameterError(
                    self.name, f"got {value!r}, not a whole number", self.allowed()
                )
            value = int(value)
        else:
            value = float(value)
        if not math.isfinite(value) or not (self.low <= value <= self.high):
            raise ParameterError(self.name, f"got {value!r}, out of range", self.allowed())
        return value


def _fmt(x: float | None) -> str:
    if x is None or x == math.inf:
        return "inf"
    return str(x) if isinstance(x, int) else f"{x:g}"


def _tname(value: Any) -> str:
    return {
        str: "text",
        bool: "boolean",
        int: "integer",
        float: "number",
        list: "list",
        dict: "table",
    }.get(type(value), type(value).__name__)


def _p(
    name,
    default,
    unit,
    meaning,
    low=None,
    high=None,
    *,
    kind=None,
    choices=(),
    group="",
    optional=False,
    role="uncertainty",
) -> Param:
    # Entries are uncertainties unless they declare another role.
    if kind is None:
        kind = (
            "bool"
            if isinstance(default, bool)
            else "choice"
            if choices
            else "int"
            if isinstance(default, int)
            else "float"
        )
    group = group or name.split(".", 1)[0]
    return Param(
        name, default, unit, meaning, kind, low, high, tuple(choices), group, optional, role
    )


INF = math.inf

# Calibrated defaults: demand.citizen_hours, cascade.escalation, anxiety.from_superior,
# burnout.gain, burnout.recovery, platforms.launch and platforms.life_weeks are the weighted
# posterior medians, rounded, of the calibration in results/calibration (make calibration;
# ABC-SMC against the calibration targets of data/targets.toml). Their posteriors stay wide:
# the targets inform citizen demand and transmission most (docs/ODD.md section 1.3).
# fmt: off
_PARAMS: tuple[Param, ...] = (
    # ---- structure ----
    _p("hierarchy.preset", "region", "-", "named tree size: classroom (tens), region (~1,000 "
       "township officials), national (31/333/2,844/38,700 units)",
       choices=("classroom", "region", "national"), role="structural"),
    _p("hierarchy.provinces", None, "units", "override: provinces", 1, 100, kind="int",
       optional=True, role="structural"),
    _p("hierarchy.cities_per_province", None, "units", "override: cities per province", 1, 100,
       kind="int", optional=True, role="structural"),
    _p("hierarchy.counties_per_city", None, "units", "override: counties per city", 1, 100,
       kind="int", optional=True, role="structural"),
    _p("hierarchy.townships_per_county", None, "units", "override: townships per county", 1, 100,
       kind="int", optional=True, role="structural"),
    _p("hierarchy.staff_per_township", None, "officials", "override: staff posts (编制) per "
       "township", 2, 200, kind="int", optional=True, role="structural"),
    _p("hierarchy.departments_province", 8, "lines", "functional departments (条) per province",
       1, 60, role="structural"),
    _p("hierarchy.departments_city", 8, "lines", "functional departments (条) per city", 1, 60,
       role="structural"),
    _p("hierarchy.departments_county", 8, "lines", "functional departments (条) per county",
       1, 60, role="structural"),
    _p("hierarchy.structure_seed", 2022, "-", "seed for drawing per-unit child counts in the "
       "national preset (fixed so that every run seed sees the same country)", 0, 2**31 - 1,
       role="structural"),
    _p("run.steps", 260, "weeks", "default horizon of a run", 1, 5200, role="run"),
    _p("run.summary_weeks", 52, "weeks", "trailing window averaged in run summaries", 1, 5200,
       role="run"),
    _p("run.policy_start", 104, "weeks", "weeks of status quo before the scenario's levers take "
       "effect (quotas are cut from the level reached then)", 0, 5200, role="run"),

    # ---- demand ----
    _p("demand.citizen_hours", 19.6, "h/post/week", "substantive work citizens bring to a "
       "township, in hours of a standard official", 0, 80),
    _p("demand.noise_cv", 0.15, "-", "week-to-week coefficient of variation of citizen demand",
       0, 1),
    _p("demand.township_cv", 0.15, "-", "persistent spread of demand between townships", 0, 1),
    _p("demand.task_hours", 3.0, "h/post/week", "substantive tasks assigned from above before "
       "any markup", 0, 40),
    _p("demand.backlog_lapse", 0.5, "1/week", "share of unfinished substantive work that lapses "
       "(citizens give up) each week", 0, 1),
    _p("demand.handoff_overhead", 0.10, "-", "extra substantive work from hand-offs between "
       "separate functional lines", 0, 1),

    # ---- cascade down the chain (层层加码) ----
    _p("cascade.escalation", 0.71, "1/anxiety", "target markup per level per unit of the "
       "issuing leader's anxiety (top-down target amplification)", 0, 3),
    _p("cascade.ratchet_up", 0.20, "1/week", "speed at which a level's markup rises toward "
       "its anxiety-driven level", 0, 1),
    _p("cascade.ratchet_down", 0.05, "1/week", "speed at which a markup falls back (targets "
       "ratchet up faster than down)", 0, 1),
    _p("cascade.meetings_per_line", 0.25, "1/week", "meetings each department needs to hold "
       "with each subordinate unit", 0, 5),
    _p("cascade.documents_per_line", 0.6, "1/week", "documents each department needs to send "
       "each subordinate unit", 0, 10),
    _p("cascade.data_requests_per_line", 0.4, "1/week", "data requests each department at each "
       "level needs from each township", 0, 10),
    _p("cascade.anxiety_issuance", 1.0, "1/anxiety", "extra items issued per unit of the "
       "issuer's anxiety, relative to the necessary level", 0, 5),
    _p("cascade.relay_base", 0.3, "-", "share of meetings/documents received that a calm level "
       "re-issues downward", 0, 1),
    _p("cascade.relay_anxiety", 0.5, "1/anxiety", "extra re-issue share per unit of anxiety "
       "(以会议落实会议, 以文件落实文件)", 0, 1),

    # ---- costs of formal work at the township ----
    _p("formal.meeting_hours", 0.8, "h/post/item", "township hours per post per meeting "
       "received (attending, relaying, follow-up)", 0, 10),
    _p("formal.document_hours", 0.25, "h/post/item", "township hours per post per document "
       "received", 0, 10),
    _p("formal.data_request_hours", 0.25, "h/post/item", "township hours per post per data "
       "request", 0, 10),
    _p("formal.inspection_hours", 2.5, "h/post/item", "township hours per post to prepare one "
       "process-mode inspection (迎检) at the reference indicator count", 0, 40),
    _p("formal.result_prep_share", 0.4, "-", "preparation for a result-mode inspection, as a "
       "share of a process-mode one", 0, 1),
    _p("formal.trace_necessary", 0.05, "h/h", "documentation hours a well-run office needs per "
       "hour of substantive work", 0, 1),
    _p("formal.trace_anxiety", 0.25, "h/h/anxiety", "extra trace-leaving (留痕) per substantive "
       "hour per unit of anxiety when process is inspected", 0, 3),

    # ---- inspection (督查检查考核) ----
    _p("inspection.base_per_line", 0.08, "1/week", "inspections each department needs of each "
       "subordinate unit when it fully trusts it", 0, 2),
    _p("inspection.distrust", 0.4, "1/week", "extra inspections per department per unit of "
       "distrust (1-T) times the superior's anxiety", 0, 5),
    _p("inspection.pass_through", 0.5, "1/anxiety", "pre-inspections a unit runs on each "
       "subordinate per inspection it receives, per unit of its anxiety", 0, 3),
    _p("inspection.detection", 0.15, "-", "probability that one inspection finds a given error",
       0, 1),
    _p("inspection.crowd_out", 0.10, "-", "productivity lost at saturating control (hidden costs "
       "of control)", 0, 0.9),
    _p("inspection.control_reference", 2.0, "1/week", "inspections a week at which crowd-out "
       "reaches 63% of its maximum", 0.01, 50),

    # ---- township work ----
    _p("work.standard_hours", 40.0, "h/week", "standard working week", 20, 60, role="structural"),
    _p("work.max_overtime", 30.0, "h/week", "most overtime an official works in a week", 0, 60),
    _p("work.competence_sigma", 0.3, "-", "log-normal spread of officials' competence", 0, 1.5),

    # ---- output and errors ----
    _p("output.yd_optimum", 0.35, "anxiety", "anxiety at which productivity peaks "
       "(Yerkes-Dodson optimum)", 0, 1),
    _p("output.yd_width", 0.3, "anxiety", "width of the Yerkes-Dodson curve", 0.02, 2),
    _p("output.yd_floor", 0.6, "-", "productivity far from the optimum, as a share of the peak",
       0, 1),
    _p("output.fatigue_penalty", 0.2, "-", "productivity lost at full fatigue", 0, 1),
    _p("errors.base_rate", 0.02, "errors/40h", "errors per standard week of work when rested "
       "and not overloaded", 0, 1),
    _p("errors.overload", 1.0, "-", "error multiplier slope per unit of overload (hours over "
       "standard / standard)", 0, 10),
    _p("errors.fatigue", 1.0, "-", "error multiplier slope per unit of fatigue", 0, 10),

    _p("errors.harm_hours", 20.0, "h/error", "work undone by one error that reaches citizens "
       "(the service it costs them, in standard hours)", 0, 200),

    # ---- effort (diligent or perfunctory work) ----
    _p("effort.motivation", 2.5, "logit", "intrinsic pull toward diligent work (public service "
       "motivation)", -3, 5),
    _p("effort.tournament", 1.0, "logit", "pull of the promotion tournament on the township head "
       "at tournament intensity 1", 0, 5),
    _p("effort.reward", 1.0, "logit", "pull toward diligence of the performance rewards a "
       "township with full financial authority pays", 0, 5),
    _p("effort.staff_stake", 0.2, "-", "staff's stake in the tournament as a share of the "
       "head's", 0, 1),
    _p("effort.sanction", 20.0, "logit", "weight of the weekly chance of being held to account "
       "for perfunctory work (an event's cost in weeks of effort), at zero anxiety", 0, 100),
    _p("effort.fatigue", 2.0, "logit", "pull away from diligence at full fatigue (coping)", 0,
       10),
    _p("effort.perfunctory_output", 0.6, "-", "output of a perfunctory hour as a share of a "
       "diligent one", 0, 1),
    _p("effort.perfunctory_errors", 2.0, "-", "errors of a perfunctory hour as a multiple of a "
       "diligent one's", 1, 10),

    # ---- gaming of result indicators ----
    _p("gaming.max", 0.3, "-", "largest share of reported results not backed by work", 0,
       0.9),
    _p("gaming.intercept", -1.0, "logit", "pull toward inflating reported results at zero "
       "anxiety and no verification", -10, 10),
    _p("gaming.anxiety", 3.0, "logit", "pull toward inflating reported results per unit of the "
       "head's anxiety", 0, 20),
    _p("gaming.deterrence", 4.0, "logit", "pull away from inflating per unit of the chance of "
       "verification", 0, 50),

    # ---- coordination (what necessary meetings and documents are for) ----
    _p("coordination.max_rework", 0.3, "-", "duplicated or conflicting work, as a share of new "
       "work, when every necessary meeting and document is lost", 0, 1),
    _p("coordination.protected", 0.5, "-", "share of a quota's cut that superiors take from "
       "unnecessary items first (the rest cuts across the board)", 0, 1),

    # ---- assessment and tournament ----
    _p("assessment.trace_reference", 0.15, "h/h", "trace intensity at which the process score "
       "reaches 63%", 0.01, 2),
    _p("assessment.error_penalty", 2.0, "score/(error/post)", "score lost per detected error "
       "per post", 0, 20),
    _p("assessment.campaign_process_weight", 0.25, "-", "weight of process scoring in the "
       "result + special campaigns mode", 0, 1),
    _p("tournament.steepness", 6.0, "-", "slope of promotion odds in relative rank (logistic)",
       0, 50),
    _p("tournament.bottom_share", 0.2, "-", "share of peers counted as bottom-ranked", 0, 1),

    # ---- accountability (问责) ----
    _p("accountability.per_error", 0.1, "-", "probability that one detected error leads to an "
       "accountability event for the official who made it", 0, 1),
    _p("accountability.bottom_rank", 0.005, "1/week", "weekly probability of an event for the "
       "leader of a bottom-ranked unit, at tournament intensity 1", 0, 1),
    _p("accountability.leader_per_error", 0.001, "1/(error/100 posts)", "leader's event hazard "
       "per detected error per 100 posts below it (属地责任)", 0, 5),
    _p("accountability.memory", 0.02, "1/week", "weekly decay of an official's accountability "
       "record", 0, 1),
    _p("accountability.honest_share", 0.7, "-", "share of errors made in good faith "
       "(eligible for fault tolerance)", 0, 1),

    # ---- anxiety (组织焦虑) ----
    _p("anxiety.initial", 0.5, "-", "mean anxiety at the start", 0, 1),
    _p("anxiety.initial_spread", 0.1, "-", "standard deviation of initial anxiety", 0, 0.5),
    _p("anxiety.adjustment", 0.1, "1/week", "share of the gap to the target anxiety closed each "
       "week", 0.001, 1),
    _p("anxiety.base", 0.1, "-", "anxiety with no pressure at all", 0, 1),
    _p("anxiety.from_superior", 0.30, "-", "weight of the superior's anxiety (transmitted down)",
       0, 1),
    _p("anxiety.escalated_pressure", 0.0, "-", "how far a superior's target markup carries its "
       "anxiety further down (层层加码 passes pressure with the targets); above 0 anxiety can "
       "grow on its way down", 0, 3),
    _p("anxiety.from_peers", 0.15, "-", "weight of peers' mean anxiety (contagion)", 0, 1),
    _p("anxiety.from_subordinates", 0.05, "-", "weight of subordinates' mean anxiety (upward, "
       "weak)", 0, 1),
    _p("anxiety.central_pressure", 0.45, "-", "anxiety of the centre felt by provinces", 0, 1),
    _p("anxiety.own_record", 0.3, "-", "weight of fear from one's own accountability record", 0,
       2),
    _p("anxiety.seen_events", 3.0, "-", "weight of the accountability event rate seen among "
       "peers (events per official-week)", 0, 50),
    _p("anxiety.expected_penalty", 1.0, "-", "weight of fear of expected accountability: "
       "1 - exp(-events a year), events = 52 P(detect) x error rate x P(event|error) x "
       "(1 - forgiven)", 0, 10),
    _p("anxiety.tournament", 0.15, "-", "weight of tournament pressure (1 - promotion odds)",
       0, 2),
    _p("anxiety.overload", 0.2, "-", "weight of overload (hours over standard / standard)", 0,
       2),
    _p("anxiety.distrust", 0.15, "-", "weight of a superior's distrust of its subordinates "
       "(trust anxiety, 信任焦虑)", 0, 2),
    _p("anxiety.buffer", 0.5, "-", "share of anxiety pressure damped per unit of job "
       "resources (support)", 0, 1),
    _p("resources.support", 0.2, "-", "job resources every township official has (support, "
       "meaning)", 0, 1),

    # ---- trust (信任) ----
    _p("trust.initial", 0.7, "-", "superiors' initial trust in subordinate units", 0, 1),
    _p("trust.gain", 0.03, "1/week", "speed at which trust rises on good results", 0, 1),
    _p("trust.asymmetry", 2.0, "-", "how much faster trust falls on bad news than it rises", 1,
       10),
    _p("trust.bad_news_scale", 0.1, "errors/post", "detected errors per post at which bad news "
       "reaches 63% of its maximum", 0.001, 5),

    # ---- fatigue, burnout, turnover ----
    _p("burnout.gain", 0.079, "1/week", "fatigue gained per unit of net strain", 0, 1),
    _p("burnout.initial", 0.55, "-", "mean fatigue at the start", 0, 1),
    _p("burnout.initial_spread", 0.15, "-", "standard deviation of initial fatigue", 0, 0.5),
    _p("burnout.recovery", 0.033, "1/week", "fatigue recovered per week", 0, 1),
    _p("burnout.anxiety_weight", 0.3, "-", "anxiety counted as job demand", 0, 2),
    _p("burnout.resource_weight", 0.3, "-", "job resources counted against demand", 0, 2),
    _p("burnout.threshold", 0.6, "-", "fatigue above which an official counts as burnt out", 0,
       1),
    _p("turnover.leave_threshold", 0.7, "-", "fatigue above which sick leave becomes possible "
       "(fatigue stays below about 0.72 even at the 70-hour cap)", 0, 1),
    _p("turnover.leave_probability", 0.05, "1/week", "weekly probability of going on leave above "
       "the threshold", 0, 1),
    _p("turnover.leave_weeks", 4, "weeks", "length of a leave", 1, 52),
    _p("turnover.quit_probability", 0.004, "1/week", "weekly probability of quitting at the leave "
       "threshold (rising linearly from 0 at the burnout threshold)", 0, 1),
    _p("turnover.new_hire_fatigue", 0.2, "-", "fatigue of a newly hired official", 0, 1),
    _p("turnover.replacement_weeks", 26, "weeks", "weeks a vacated post stays empty", 0, 260),

    # ---- policy levers (all off by default) ----
    _p("quota.meetings_cut", 0.0, "-", "cut in meetings each level may hold with a subordinate, "
       "from its level when the policy starts (减会议)", 0, 0.95,
       role="lever", group="lever: quota cuts"),
    _p("quota.documents_cut", 0.0, "-", "cut in documents sent to a subordinate (减发文)", 0,
       0.95, role="lever", group="lever: quota cuts"),
    _p("quota.inspections_cut", 0.0, "-", "cut in inspections of a subordinate (减督考)", 0,
       0.95, role="lever", group="lever: quota cuts"),
    _p("rebound.drift_weeks", 40.0, "weeks x anxiety", "without oversight, quota enforcement "
       "decays at rate (leader's anxiety / drift_weeks)", 1, 1000),
    _p("rebound.refill", 0.6, "-", "share of the hours a quota frees that a superior at full "
       "anxiety refills with tasks through channels no quota counts (隐形负担)", 0, 2),
    _p("rebound.refill_weeks", 13.0, "weeks", "time over which refilled tasks build up", 1, 520),
    _p("rebound.leakage", 0.6, "-", "share of cut meetings, documents and inspections displaced "
       "into platform data requests", 0, 1),
    _p("evasion.relabel", 0.5, "-", "share of the items a quota cuts that a superior at full "
       "anxiety sends anyway under another name no quota counts (meetings as 调研/座谈, "
       "documents as notices or chat messages), if nobody would catch it", 0, 1),
    _p("oversight.strength", 0.0, "-", "a body that enforces quotas and looks for their evasion: "
       "drift, relabelling, displacement (专门监督机构)", 0, 1,
       role="lever", group="lever: oversight"),
    _p("oversight.detection", 0.7, "-", "chance that the body at full strength catches a given "
       "evasion (below 1: relabelled items and uncounted channels are hard to see)", 0, 1),
    _p("oversight.cost_hours", 4.0, "h/township/week", "cost of the oversight body at full "
       "strength, in staff-hour equivalents", 0, 100),
    _p("assessment.mode", "process", "-", "what inspections score: process (traces), result "
       "(outcomes), result_campaigns (results, process only in special campaigns)",
       choices=("process", "result", "result_campaigns"),
       role="lever", group="lever: assessment mode"),
    _p("verification.intensity", 0.0, "-", "share of inspections that verify reported results "
       "in the field (实地核验) where results are scored", 0, 1,
       role="lever", group="lever: result verification"),
    _p("verification.cost_hours", 6.0, "h/inspection", "inspectors' time to verify the results "
       "of one inspection, in staff-hour equivalents", 0, 100),
    _p("indicators.count", 100, "indicators", "assessment indicators per inspection (省级限权 "
       "compresses them)", 1, 1000, role="lever", group="lever: indicator cap"),
    _p("indicators.reference", 100, "indicators", "indicator count at which preparation costs "
       "formal.inspection_hours", 1, 1000, role="structural"),
    _p("indicators.elasticity", 0.7, "-", "elasticity of preparation time and trace demand in "
       "the indicator count", 0, 2),
    _p("fault_tolerance.share", 0.0, "-", "share of honest errors forgiven (容错, trial space)",
       0, 1, role="lever", group="lever: fault tolerance"),
    _p("fault_tolerance.trial_rate", 0.02, "1/week", "speed at which a township learns better "
       "practices at full trial intensity (full tolerance, no anxiety)", 0, 1),
    _p("fault_tolerance.trial_gain", 0.15, "-", "productivity gain of the practices learnt by "
       "trial, at most", 0, 1),
    _p("fault_tolerance.trial_errors", 0.5, "-", "extra errors of an official trying new "
       "practices at full trial intensity, as a share of their errors", 0, 5),
    _p("bottom_up.weight", 0.0, "-", "weight of subordinates' ratings in superiors' evaluation "
       "(以下考上)", 0, 1, role="lever", group="lever: bottom-up evaluation"),
    _p("bottom_up.learning", 0.05, "1/week", "speed at which superiors' restraint follows their "
       "ratings", 0, 1),
    _p("bottom_up.inflation", 0.8, "-", "share of the burden raters at full anxiety leave out of "
       "their ratings for fear of retaliation (报喜不报忧)", 0, 1),
    _p("bottom_up.anonymity", 0.0, "-", "how far ratings are anonymous, which removes the fear "
       "of retaliation", 0, 1, role="lever", group="lever: bottom-up evaluation"),
    _p("bottom_up.anonymity_cost_hours", 1.0, "h/township/week", "cost of running anonymous "
       "ratings at full anonymity (collection, checks against collusion)", 0, 20),
    _p("devolution.tasks", 0.0, "-", "share of county task authority (事权) devolved to "
       "townships", 0, 1, role="lever", group="lever: devolution"),
    _p("devolution.task_hours", 6.0, "h/post/week", "county work landing on townships when task "
       "authority is fully devolved", 0, 40),
    _p("devolution.pushdown", 0.3, "-", "share of its remaining task authority a county at "
       "full anxiety, unrestrained and unwatched, pushes down to townships without people or "
       "money (属地管理 used to shift work, 甩锅)", 0, 1),
    _p("devolution.pushdown_weeks", 26.0, "weeks", "lag with which pushed-down work follows "
       "the county's pressure", 1, 520),
    _p("devolution.handoff_saved", 0.5, "-", "share of the hand-off overhead removed where the "
       "township holds full task authority (it decides on the spot instead of referring up)",
       0, 1),
    _p("devolution.personnel", 0.0, "-", "personnel authority (人权) held by townships", 0, 1,
       role="lever", group="lever: devolution"),
    _p("devolution.finance", 0.0, "-", "financial authority (财权) held by townships", 0, 1,
       role="lever", group="lever: devolution"),
    _p("devolution.retention", 0.5, "-", "share of capable officials' quits (competence at "
       "least the mean) a township with full personnel authority prevents by promoting "
       "locally (留人)", 0, 1),
    _p("devolution.patronage", 0.1, "-", "competence lost by the officials a township with full "
       "personnel authority hires itself (ties as well as merit, 人情)", 0, 0.5),
    _p("devolution.services_share", 0.2, "-", "most services a township with full financial "
       "authority buys, in staff equivalents as a share of its posts (政府购买服务)", 0, 1),
    _p("devolution.services_productivity", 0.6, "-", "output per contracted hour relative to a "
       "standard official (contractors know the locality less)", 0, 2),
    _p("devolution.services_price", 1.0, "-", "cost of a contracted hour in staff-hour "
       "equivalents", 0, 5),
    _p("devolution.reward_hours", 2.0, "h/post/week", "reward budget per post at full financial "
       "authority, in staff-hour equivalents", 0, 20),
    _p("devolution.refill_speedup", 0.75, "-", "share of the replacement lag removed when the "
       "township holds full personnel authority", 0, 1),
    _p("platforms.count", 8, "apps", "digital platforms each official must use (政务APP) at the "
       "start; a policy that sets another count adds or removes the difference once, when it "
       "comes into force; departments then launch and retire them", 0, 40,
       role="lever", group="lever: digital platforms"),
    _p("platforms.necessary", 2, "apps", "platforms a well-run government would need", 0, 40),
    _p("platforms.launch", 0.053, "apps/week", "platforms the departments above a township launch "
       "a week at full anxiety, to show digital achievement (数字政绩)", 0, 2),
    _p("platforms.life_weeks", 261.0, "weeks", "mean time before a platform is retired", 1, 2600),
    _p("platforms.checkin_hours", 0.5, "h/app/week", "check-in, clock-in and posting time per "
       "platform per official", 0, 10, role="lever", group="lever: digital platforms"),
    _p("platforms.time_saved", 0.0, "-", "share of data and substantive handling time saved by "
       "digital tools (技术赋能)", 0, 0.5, role="lever", group="lever: digital platforms"),
    _p("data_bureau.merge", 0.0, "-", "share of duplicate data requests and platforms merged by "
       "a data bureau (报一次, 共享)", 0, 1, role="lever", group="lever: data bureau"),
    _p("data_bureau.duplicate_share", 0.55, "-", "share of data requests duplicating another "
       "line's (merged away at full merge)", 0, 1),
    _p("data_bureau.consolidation_weeks", 26.0, "weeks", "lag with which the data bureau folds "
       "surplus platforms into shared ones", 1, 520),
    _p("data_bureau.capacity", 0.25, "apps/week", "most platforms a data bureau at full merge "
       "can fold in a week", 0, 10),
    _p("data_bureau.cost_hours", 1.0, "h/township/week", "running cost of the data bureau at "
       "full merge", 0, 100),
    _p("staffing.follow_workload", 0.0, "-", "how far posts follow measured workload "
       "(职责-任务-工作量-编制)", 0, 1, role="lever", group="lever: dynamic staffing"),
    _p("staffing.adjustment_weeks", 26.0, "weeks", "lag with which added posts follow workload",
       1, 520),
    _p("staffing.temp_max_share", 0.2, "-", "most temporary hires a township can add, as a share "
       "of its posts (needs personnel and financial authority)", 0, 1),
    _p("staffing.temp_hire_weeks", 4.0, "weeks", "lag with which a township hires temporary "
       "staff (with personnel and financial authority) or buys services (with financial "
       "authority)", 1, 520),
    _p("staffing.overload_tolerance", 0.1, "-", "overload tolerated before posts are added",
       0, 2),
    _p("staffing.extra_productivity", 0.8, "-", "output per hour of temporary and seconded "
       "staff once they know the locality, relative to a standard official", 0, 2),
    _p("staffing.newcomer_knowledge", 0.5, "-", "productivity of a newly arrived extra official "
       "(temporary, added or seconded) relative to one who knows the locality", 0, 1),
    _p("staffing.onboarding_weeks", 13.0, "weeks", "time constant with which newcomers learn the "
       "locality's work", 1, 104),
    _p("allocation.capable_bias", 1.5, "-", "exponent g of competence in work allocation: 0 equal "
       "work, 1 equal substantive hours, >1 能者多劳", 0, 5,
       role="lever", group="lever: fair allocation"),
    _p("secondment.staff", 0.0, "officials/township", "officials seconded down to each township "
       "(人员下沉)", 0, 20, role="lever", group="lever: secondment"),
    _p("secondment.term_weeks", 52.0, "weeks", "weeks a seconded official stays before going "
       "back, replaced by a newcomer", 4, 520),
    _p("joint_enforcement.share", 0.0, "-", "share of line-specific inspections and hand-offs "
       "merged by joint teams (联合执法, 首接负责)", 0, 1,
       role="lever", group="lever: joint enforcement"),
    _p("tournament.intensity", 1.0, "-", "weight of relative rank in promotion pressure and "
       "bottom-rank accountability (晋升锦标赛)", 0, 3, role="lever", group="lever: tournament"),
)
# fmt: on

CATALOGUE: Mapping[str, Param] = MappingProxyType({p.name: p for p in _PARAMS})
LEVERS: tuple[str, ...] = tuple(p.name for p in _PARAMS if p.role == "lever")
UNCERTAINTIES: tuple[str, ...] = tuple(p.name for p in _PARAMS if p.role == "uncertainty")
LEVER_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(p.group for p in _PARAMS if p.is_lever))


def suggest(name: str) -> str:
    """A 'did you mean' hint for an unknown parameter name."""
    close = difflib.get_close_matches(name, CATALOGUE, n=3, cutoff=0.6)
    section = name.split(".", 1)[0]
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    same = [n for n in CATALOGUE if n.startswith(section + ".")]
    if same:
        return f"parameters in '{section}': " + ", ".join(same)
    sections = sorted({p.section for p in _PARAMS})
    return "known sections: " + ", ".join(sections)


def validate(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check dotted-name overrides against the catalogue; return them coerced.

    Raises ParameterError naming the first bad key.
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        param = CATALOGUE.get(key)
        if param is None:
            raise ParameterError(key, "unknown parameter", suggest(key))
        out[key] = param.check(value)
    return out


class Section:
    """The read-only view of one section of a :class:`Parameters`: ``p.anxiety``.

    Its attributes are the section's values (``p.anxiety.base``), which is how the rules are
    fed. Each section has its own subclass with one slot per parameter, built once at import,
    so reading a value costs what reading a plain attribute does; assigning or deleting one
    raises :class:`ImmutableParametersError`.
    """

    __slots__ = ()
    _section: ClassVar[str] = ""
    _fields: ClassVar[tuple[str, ...]] = ()
    _setters: ClassVar[tuple[tuple[Any, str], ...]] = ()  # (slot setter, dotted name)

    def __init__(self, values: Mapping[str, Any]):
        for set_slot, name in self._setters:
            set_slot(self, values[name])

    def __setattr__(self, field: str, value: Any) -> None:
        raise ImmutableParametersError(f"{self._section}.{field}", value)

    def __delattr__(self, field: str) -> None:
        raise ImmutableParametersError(f"{self._section}.{field}", delete=True)

    def __getattr__(self, field: str) -> Any:
        # Only reached for a name that is not a parameter of this section.
        if field.startswith("__"):
            raise AttributeError(field)
        raise AttributeError(
            f"no parameter {self._section}.{field}; {suggest(f'{self._section}.{field}')}"
        )

    def _fields_and_values(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self._fields}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._fields_and_values() == other._fields_and_values()

    def __hash__(self) -> int:
        return hash((self._section, *self._fields_and_values().values()))

    def __reduce__(self):
        return (_section_view, (self._section, self._fields_and_values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={v!r}" for f, v in self._fields_and_values().items())
        return f"{self._section}({inner})"


def _section_class(section: str, fields: tuple[str, ...]) -> type[Section]:
    cls = type(
        f"{section.title().replace('_', '')}Section",
        (Section,),
        {"__slots__": fields, "_section": section, "_fields": fields, "__module__": __name__},
    )
    # Sections fill their slots through the slot descriptors (their own __setattr__ refuses).
    cls._setters = tuple((cls.__dict__[f].__set__, f"{section}.{f}") for f in fields)
    return cls


_SECTIONS: Mapping[str, type[Section]] = MappingProxyType(
    {
        section: _section_class(
            section, tuple(p.name.split(".", 1)[1] for p in _PARAMS if p.section == section)
        )
        for section in dict.fromkeys(p.section for p in _PARAMS)
    }
)


def _section_view(section: str, fields: Mapping[str, Any]) -> Section:
    """Rebuild a pickled section view from its field values."""
    return _SECTIONS[section]({f"{section}.{f}": v for f, v in fields.items()})


# The compiled phases read parameters as a record of records (numba types named tuples): one
# named tuple per section, with every numeric value as a float. Text values (the assessment
# mode) and the sections that shape the tree or the run are turned into numbers, or used, before
# the phases run. The classes live in this module by name, so compiled code cached on disk finds
# them again in a new process.
_NOT_IN_RECORD = ("hierarchy", "run")


def _record_class(name: str, fields: tuple[str, ...]) -> type:
    cls = namedtuple(name, fields, module=__name__)
    globals()[name] = cls
    return cls


def _numeric(section: str) -> tuple[str, ...]:
    return tuple(
        p.name.split(".", 1)[1]
        for p in _PARAMS
        if p.section == section and isinstance(p.default, (int, float))
    )


_RECORDS: Mapping[str, type] = MappingProxyType(
    {
        section: _record_class(f"_{section}_record", _numeric(section))
        for section in _SECTIONS
        if section not in _NOT_IN_RECORD
    }
)
ParameterRecord = _record_class("ParameterRecord", tuple(_RECORDS))


# Sections become slots of Parameters: one named like a Mapping method would hide the method
# (one named like a method of Parameters itself fails when the class is made).
if set(_SECTIONS) & set(dir(Mapping)):
    raise RuntimeError(f"sections named like Mapping methods: {set(_SECTIONS) & set(dir(Mapping))}")


class Parameters(Mapping[str, Any]):
    """A complete, validated, immutable set of parameter values.

    Read by dotted name (``p["anxiety.adjustment"]``) or by section attribute
    (``p.anxiety.adjustment``, a :class:`Section`), which is how the rules are fed. Nothing can
    be assigned or deleted, on the set or on a section (:class:`ImmutableParametersError`):
    ``p.replace({"anxiety.base": 0.2})`` returns a changed copy.
    """

    # One slot per section holds its view, so p.anxiety is a plain attribute read.
    __slots__ = ("_values", *_SECTIONS)

    def __init__(self, overrides: Mapping[str, Any] | None = None):
        values = {name: p.default for name, p in CATALOGUE.items()}
        values.update(validate(overrides or {}))
        object.__setattr__(self, "_values", MappingProxyType(values))
        for section, view in _SECTIONS.items():
            object.__setattr__(self, section, view(values))

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __setitem__(self, key: str, value: Any) -> None:
        raise ImmutableParametersError(key, value)

    def __delitem__(self, key: str) -> None:
        raise ImmutableParametersError(key, delete=True)

    def __setattr__(self, name: str, value: Any) -> None:
        raise ImmutableParametersError(name, value)

    def __delattr__(self, name: str) -> None:
        raise ImmutableParametersError(name, delete=True)

    def __getattr__(self, section: str) -> Section:
        # Only reached for a name that is not a section (sections are slots).
        if section.startswith("__"):
            raise AttributeError(section)
        known = ", ".join(_SECTIONS)
        raise AttributeError(f"no parameter section {section!r}; known sections: {known}")

    def __reduce__(self):
        # Mapping proxies do not pickle; rebuilding from the changed values does (and
        # re-validates), which is how scenarios travel to worker processes.
        return (Parameters, (self.changed(),))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Parameters) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.changed().items(), key=lambda kv: kv[0])))

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def replace(self, overrides: Mapping[str, Any]) -> Parameters:
        """A copy with some values changed (validated)."""
        return Parameters({**self.changed(), **overrides})

    def changed(self) -> dict[str, Any]:
        """The values that differ from the catalogue defaults."""
        return {k: v for k, v in self._values.items() if v != CATALOGUE[k].default}

    def to_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def record(self) -> ParameterRecord:
        """The numeric values as a named tuple of named tuples (``r.cascade.escalation``), the
        form the compiled phases read."""
        return ParameterRecord(
            *(
                cls(*(float(self._values[f"{section}.{f}"]) for f in cls._fields))
                for section, cls in _RECORDS.items()
            )
        )

    def __repr__(self) -> str:
        return f"Parameters({self.changed()!r})"
