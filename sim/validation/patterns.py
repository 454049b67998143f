"""The patterns oasim is validated against, declared as data.

Each :class:`Pattern` is one claim the model can test: a qualitative claim of the article (Hu
2025) or of docs/ODD.md section 1.2 (patterns P3-P6), or an empirical figure that
``data/targets.toml`` holds out of calibration (``use = "validation"``). A pattern names the
scenario run (an :class:`Arm`: a scenario of the library, with overrides if any), the weeks
read (a :class:`Window`), what it is compared with (another arm with the same seeds, or an
earlier window of the same runs), the quantity, and the :class:`Criterion` the statistic must
meet. The criteria of held-out figures come from the targets file, never from this module.

The patterns test; they do not tune. A pattern that fails is reported as failing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..outcomes import BY_NAME
from ..targets import DERIVED, Target

__all__ = [
    "FINAL",
    "LOCAL",
    "ORDER_FACTOR",
    "PATTERNS",
    "Arm",
    "Criterion",
    "Local",
    "Pattern",
    "Window",
    "criterion_for",
    "quantity_unit",
]

# A held-out figure measured on another population (county leaders, not township staff) is a
# check of order, not of level: the model passes if it is within this factor of the figure.
ORDER_FACTOR = 2.0


@dataclass(frozen=True)
class Window:
    """Weeks of a run that a statistic averages.

    ``anchor = "end"``: the last ``weeks`` weeks of the run (0: ``run.summary_weeks``, the
    window of run summaries); ``anchor = "policy"``: the first ``weeks`` weeks after
    ``run.policy_start``, when the levers switch on.
    """

    anchor: str
    weeks: int = 0

    def span(self, steps: int, policy_start: int, summary_weeks: int) -> tuple[int, int]:
        """First and last week (1-based, inclusive) in a run of ``steps`` weeks."""
        if self.anchor == "end":
            n = self.weeks or summary_weeks
            return max(1, steps - n + 1), steps
        if self.anchor == "policy":
            return policy_start + 1, policy_start + self.weeks
        raise ValueError(f"unknown window anchor {self.anchor!r} (allowed: end, policy)")

    def text(self, steps: int, policy_start: int, summary_weeks: int) -> str:
        first, last = self.span(steps, policy_start, summary_weeks)
        what = (
            "the last year of the run"
            if self.anchor == "end" and last - first + 1 == 52
            else f"the last {last - first + 1} weeks"
            if self.anchor == "end"
            else f"the first {self.weeks} policy weeks"
        )
        return f"weeks {first}-{last} ({what})"


FINAL = Window("end")
FIRST_HALF_YEAR = Window("policy", 26)
JANUARY_TO_MAY = Window("policy", 22)  # five months: the Wuhu figures compare January-May


@dataclass(frozen=True)
class Arm:
    """A scenario of the library, with dotted overrides (as ``sim.load_scenario`` takes)."""

    scenario: str
    overrides: tuple[tuple[str, float | int | str | bool], ...] = ()

    @property
    def label(self) -> str:
        if not self.overrides:
            return self.scenario
        return self.scenario + " with " + ", ".join(f"{k} = {v}" for k, v in self.overrides)

    @property
    def key(self) -> str:
        """A file-name-safe name, unique per arm."""
        tail = "".join(f"+{k}={v}" for k, v in self.overrides)
        return self.scenario + tail


BASELINE = Arm("baseline")


@dataclass(frozen=True)
class Criterion:
    """What a statistic must be: in ``[low, high]`` (open ends with ``strict``). An infinite
    end makes a one-sided criterion: ``Criterion(low=0, strict=True)`` is "> 0".

    A pattern **holds** when the statistic's whole 95% interval meets the criterion, **fails**
    when none of it does, and is **inconclusive** when the interval straddles a bound (more
    replicates could decide it).
    """

    low: float = -math.inf
    high: float = math.inf
    strict: bool = False

    def __post_init__(self):
        if not self.low <= self.high:
            raise ValueError(f"criterion low {self.low} above high {self.high}")
        if math.isinf(self.low) and math.isinf(self.high):
            raise ValueError("a criterion needs at least one finite bound")

    def verdict(self, ci_low: float, ci_high: float) -> str:
        """``"holds"``, ``"fails"`` or ``"inconclusive"`` for the interval [ci_low, ci_high]."""
        if math.isnan(ci_low) or math.isnan(ci_high):
            return "inconclusive"
        lo, hi = self.low, self.high
        if self.strict:
            inside = lo < ci_low and ci_high < hi
            outside = ci_high <= lo or ci_low >= hi
        else:
            inside = lo <= ci_low and ci_high <= hi
            outside = ci_high < lo or ci_low > hi
        return "holds" if inside else "fails" if outside else "inconclusive"

    def text(self) -> str:
        gt, lt = (">", "<") if self.strict else ("≥", "≤")
        if math.isinf(self.high):
            return f"{gt} {_number(self.low)}"
        if math.isinf(self.low):
            return f"{lt} {_number(self.high)}"
        brackets = ("(", ")") if self.strict else ("[", "]")
        return f"in {brackets[0]}{_number(self.low)}, {_number(self.high)}{brackets[1]}"


def _number(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class Local:
    """A quantity defined here from the runs' extra columns (what a level of the hierarchy
    receives per unit and week, recorded by the runner), as :data:`sim.targets.DERIVED`."""

    name: str
    unit: str
    definition: str

    def value(self, s):
        """From window means (a mapping) or a frame of weeks (vectorised)."""
        item = self.name.removesuffix("_growth_down")
        a, b, c = (s[f"{item}_received_{level}"] for level in ("city", "county", "township"))
        return np.minimum(b / a, c / b)


LOCAL: Mapping[str, Local] = {
    q.name: q
    for q in (
        Local(
            f"{item}_growth_down",
            "ratio",
            f"the smaller of two ratios of {item} received per unit and week: a county's to a "
            f"city's, a township's to a county's (> 1: each level receives more {item} than "
            "the one above)",
        )
        for item in ("meetings", "documents")
    )
}
LEVELS_RECORDED = ("city", "county", "township")
ITEMS_RECORDED = ("meetings", "documents", "inspections")  # the order of sim.state.Item


def quantity_unit(name: str) -> str:
    """The unit of an outcome, a derived quantity of sim.targets or a local quantity."""
    if name in BY_NAME:
        return BY_NAME[name].unit
    if name in DERIVED:
        return DERIVED[name].unit
    return LOCAL[name].unit


@dataclass(frozen=True)
class Pattern:
    """One claim and how the model tests it.

    The statistic, per replicate, is the ``quantity`` averaged over ``window`` of the runs of
    ``arm``; and then:

    - with a ``reference`` arm and a paired quantity (``meetings_cut``): the quantity of the
      pair (the same seed in both);
    - with a ``reference`` arm otherwise: the paired difference arm − reference;
    - with a ``reference_window`` only: the change within each run, ``window`` minus
      ``reference_window``;
    - with neither: the level.

    A tuple of quantities (of one unit) takes, per replicate, the smallest of their statistics:
    the claim holds for every one of them. The statistic's mean and 95% t-interval over
    replicates meet ``criterion``, or the criterion of the ``target`` (``against``:
    ``"interval"``, ``"at_least"`` its lower end, ``"order"`` within :data:`ORDER_FACTOR`).
    """

    id: str
    title: str
    claim: str
    claim_zh: str
    source: str
    odd: str  # the docs/ODD.md section of the mechanism, e.g. "7.5"
    quantity: str | tuple[str, ...]
    arm: Arm = BASELINE
    window: Window = FINAL
    reference: Arm | None = None
    reference_window: Window | None = None
    criterion: Criterion | None = None
    target: str = ""
    against: str = ""
    note: str = ""

    @property
    def quantities(self) -> tuple[str, ...]:
        return self.quantity if isinstance(self.quantity, tuple) else (self.quantity,)

    @property
    def unit(self) -> str:
        return quantity_unit(self.quantities[0])

    @property
    def kind(self) -> str:
        """``"paired"``, ``"difference"``, ``"change"`` or ``"level"`` (see the class)."""
        if self.reference is not None:
            paired = all(q in DERIVED and DERIVED[q].paired for q in self.quantities)
            return "paired" if paired else "difference"
        return "change" if self.reference_window is not None else "level"

    @property
    def arms(self) -> tuple[Arm, ...]:
        return (self.arm,) if self.reference is None else (self.arm, self.reference)

    @property
    def source_kind(self) -> str:
        return "held-out figure" if self.target else "qualitative claim"


def criterion_for(pattern: Pattern, targets: Mapping[str, Target]) -> Criterion:
    """The pattern's criterion: its own, or the one its target's numbers give."""
    if not pattern.target:
        if pattern.criterion is None:
            raise ValueError(f"pattern {pattern.id}: no criterion and no target")
        return pattern.criterion
    target = targets[pattern.target]
    if target.bounds is None:
        raise ValueError(f"pattern {pattern.id}: target {target.id} has no number")
    low, high = target.bounds
    if pattern.against == "interval":
        return Criterion(low, high)
    if pattern.against == "at_least":
        return Criterion(low=low)
    if pattern.against == "order":
        return Criterion(low / ORDER_FACTOR, high * ORDER_FACTOR)
    raise ValueError(
        f"pattern {pattern.id}: against = {pattern.against!r} (allowed: interval, at_least, order)"
    )


ABOVE_ZERO = Criterion(low=0.0, strict=True)
BELOW_ZERO = Criterion(high=0.0, strict=True)
HU = "Hu (2025), People's Tribune 2025 no. 7"
_DIALECTIC = "section 如何辯證看待“減負”與“賦能”"

NO_OVERSIGHT = Arm("quota_cut_no_oversight")
WITH_OVERSIGHT = Arm("quota_cut_with_oversight")

PATTERNS: tuple[Pattern, ...] = (
    # ---- qualitative claims: quotas, rebound and displacement (P3, P4) ------------------------
    Pattern(
        "p3_quota_drift",
        "Quota cuts without oversight rebound",
        "Without an oversight body, quota cuts rebound: in the last year the effective quota "
        "lies above the nominal one (quota_ratio).",
        "没有专门监督机构的限量减负会反弹回潮：实际限额逐渐高于名义限额。",
        f"{HU}, {_DIALECTIC}: 缺乏履行相關監督職責的專門機構，致使這種限量性“減負”從長遠來看存在"
        "反彈的可能; docs/ODD.md 1.2, P3",
        "7.5",
        "quota_ratio",
        NO_OVERSIGHT,
        criterion=Criterion(low=1.0, strict=True),
    ),
    Pattern(
        "p3_drift_rising",
        "The rebound grows with time",
        "Without oversight the drift grows: quota_ratio is higher in the last year than in the "
        "first half-year of the cut (change within each run).",
        "无监督时反弹随时间加剧：最后一年的限额比高于减负头半年。",
        f"{HU}, {_DIALECTIC}: 從長遠來看存在反彈的可能; docs/ODD.md 1.4",
        "7.5",
        "quota_ratio",
        NO_OVERSIGHT,
        reference_window=FIRST_HALF_YEAR,
        criterion=ABOVE_ZERO,
    ),
    Pattern(
        "p3_relabelling",
        "Cut items come back under other names",
        "Without oversight part of what the quotas cut arrives anyway under another name "
        "(evasion_share > 0: meetings held as 调研/座谈, documents sent as notices).",
        "无监督时被削减的会议、文件、检查有一部分改头换面照样下达（假减负）。",
        "targets.toml campaign_fake_reduction (press reports of 假减负, 2019); docs/ODD.md 7.5",
        "7.5",
        "evasion_share",
        NO_OVERSIGHT,
        criterion=ABOVE_ZERO,
    ),
    Pattern(
        "p3_oversight_holds",
        "An oversight body slows the rebound",
        "An oversight body makes the cut stick better: with it quota_ratio in the last year is "
        "lower than without it (same seeds).",
        "设立专门监督机构后，限额回升比无监督时小。",
        f"{HU}, {_DIALECTIC} (the missing 專門機構 is what lets cuts rebound); docs/ODD.md 1.4",
        "7.5",
        "quota_ratio",
        WITH_OVERSIGHT,
        reference=NO_OVERSIGHT,
        criterion=BELOW_ZERO,
    ),
    Pattern(
        "p4_displacement",
        "Formalism is displaced into data requests",
        "When quotas bind, cut items reappear as data requests: data requests received per "
        "township rise under quota cuts without oversight in the first half-year of the cut, "
        "against the baseline with the same seeds.",
        "限额收紧后，被削减的事项转为数据报送：减负头半年乡镇收到的数据报送多于基线。",
        f"docs/ODD.md 1.2, P4 (Taizhou: inspections replaced by photo uploads); {HU}: "
        "指尖上的形式主義",
        "7.5",
        "data_requests_per_township",
        NO_OVERSIGHT,
        window=FIRST_HALF_YEAR,
        reference=BASELINE,
        criterion=ABOVE_ZERO,
    ),
    # ---- escalation and transmission down the chain (层层加码, P5) ---------------------------
    Pattern(
        "a1_escalation_down",
        "Layered escalation: more arrives the lower the level",
        "Each level passes on more than it receives: a county receives more meetings and more "
        "documents per unit than a city, a township more than a county (the smallest of the "
        "four ratios > 1, baseline).",
        "层层加码：越往下，每个单位收到的会议和文件越多（县多于市，乡镇多于县）。",
        f"{HU}, section 迭代創新“督查、檢查、考核”的管理機制: 上面千條線，下面一根針; docs/ODD.md "
        "7.2-7.3",
        "7.3",
        ("meetings_growth_down", "documents_growth_down"),
        criterion=Criterion(low=1.0, strict=True),
    ),
    Pattern(
        "p5_transmission",
        "Anxiety is transmitted down the chain",
        "Raising the centre's pressure (anxiety.central_pressure above its default) raises "
        "anxiety at every level, province to township (the smallest of the paired differences "
        "of the four levels).",
        "中央压力加大时，省、市、县、乡各级的焦虑都上升：焦虑沿行政链条向下传递。",
        f"{HU}, {_DIALECTIC}: 這種焦慮狀態通過行政組織鏈向下傳遞到基層公務員個體; "
        "docs/ODD.md 1.2, P5",
        "7.11",
        ("anxiety_province", "anxiety_city", "anxiety_county", "anxiety_township"),
        Arm("baseline", (("anxiety.central_pressure", 0.8),)),
        reference=BASELINE,
        criterion=ABOVE_ZERO,
        note="anxiety.central_pressure is not a lever: it acts from week 1 in this arm.",
    ),
    # ---- 能者多劳 (P6) -------------------------------------------------------------------------
    Pattern(
        "p6_capable_more_work",
        "The more capable, the more work",
        "The more capable an official, the more work assigned (competence_workload_corr > 0, "
        "baseline).",
        "能者多劳：越能干的干部分到的工作越多。",
        f"{HU}, section 基層公允: 越能干的基層或公務員活越多; docs/ODD.md 1.2, P6",
        "7.7",
        "competence_workload_corr",
        criterion=ABOVE_ZERO,
    ),
    Pattern(
        "p6_capable_more_blame",
        "The more capable, the more blame",
        "More work brings more errors and more accountability for the capable "
        "(competence_accountability_corr > 0, baseline).",
        "活越多，出错越多，越能干的干部越可能被问责。",
        f"{HU}, section 基層公允: 活越多，出錯的幾率就會增加…受到問責的可能性就會增大; "
        "docs/ODD.md 1.2, P6",
        "7.10",
        "competence_accountability_corr",
        criterion=ABOVE_ZERO,
        note="docs/ODD.md 1.5 reports this correlation as weak.",
    ),
    # ---- failure modes of empowerment --------------------------------------------------------
    Pattern(
        "a2_tasks_without_means_hours",
        "Tasks without people and money: more hours",
        "Devolving task authority without personnel and money raises township officials' hours "
        "(devolve_tasks_only against the baseline).",
        "只放事权、不放人权财权，乡镇干部工时增加。",
        f"{HU}, {_DIALECTIC}: 授權賦能產生新的負擔…人權與財權并未隨同事權一起下授",
        "7.1",
        "township_hours",
        Arm("devolve_tasks_only"),
        reference=BASELINE,
        criterion=ABOVE_ZERO,
    ),
    Pattern(
        "a2_tasks_without_means_burnout",
        "Tasks without people and money: more burnout",
        "Devolving task authority without personnel and money raises burnout "
        "(devolve_tasks_only against the baseline).",
        "只放事权、不放人权财权，倦怠比例上升。",
        f"{HU}, {_DIALECTIC}: 事權的下授使得工作量…捉襟見肘，產生新的負擔",
        "7.14",
        "burnout",
        Arm("devolve_tasks_only"),
        reference=BASELINE,
        criterion=ABOVE_ZERO,
    ),
    Pattern(
        "a3_platform_overload",
        "Too many apps raise the burden",
        "Ordering more work platforms than the baseline's raises township officials' hours "
        "(platform_overload against the baseline).",
        "政务APP过多加重基层负担：“赋能”变“负能”。",
        f"{HU}, {_DIALECTIC}: 過度的技術賦能加重了基層負擔…“賦能”變為了“負能”",
        "7.6",
        "township_hours",
        Arm("platform_overload"),
        reference=BASELINE,
        criterion=ABOVE_ZERO,
    ),
    # ---- result assessment and gaming (the model's hypothesis, docs/ODD.md 7.18) -------------
    Pattern(
        "m1_result_gaming",
        "Result assessment invites gaming",
        "Assessing results only, reported results are partly not backed by work "
        "(gaming_share > 0 under result_assessment).",
        "只考核结果会诱发虚报实绩。",
        "docs/ODD.md 7.18 (Campbell's law): the model's hypothesis, not the article's, which "
        f"recommends result assessment ({HU}, section 突出結果考核)",
        "7.18",
        "gaming_share",
        Arm("result_assessment"),
        criterion=ABOVE_ZERO,
    ),
    Pattern(
        "m1_verification",
        "Verification in the field curbs gaming",
        "Verifying reported results in the field lowers gaming "
        "(result_with_verification against result_assessment, same seeds).",
        "实地核验一半的实绩可减少虚报。",
        "docs/ODD.md 7.18 (verification, 实地核验); the model's hypothesis",
        "7.18",
        "gaming_share",
        Arm("result_with_verification"),
        reference=Arm("result_assessment"),
        criterion=BELOW_ZERO,
    ),
    # ---- held-out figures of data/targets.toml (use = "validation") --------------------------
    Pattern(
        "campaign_wuhu_meetings",
        "Wuhu 2019: the campaign's cut of meetings",
        "Quota cuts within the 2019 provincial targets (quota_cut_with_oversight) cut the "
        "meetings a township receives in the first five months by as much as Wuhu reported for "
        "January-May 2019 (meetings_cut, against the baseline with the same seeds).",
        "按2019年省级目标限量减负，头五个月会议减少的幅度与芜湖报告的相当。",
        "targets.toml campaign_wuhu_meetings (Wuhu, January-May 2019)",
        "7.5",
        "meetings_cut",
        WITH_OVERSIGHT,
        window=JANUARY_TO_MAY,
        reference=BASELINE,
        target="campaign_wuhu_meetings",
        against="interval",
        note="Wuhu counts meetings the city held; the model counts meetings a township receives, "
        "where cuts compound down the chain (docs/ODD.md 1.4).",
    ),
    Pattern(
        "campaign_wuhu_documents",
        "Wuhu 2019: the campaign's cut of documents",
        "As campaign_wuhu_meetings, for the documents a township receives (documents_cut).",
        "同上，文件减少的幅度与芜湖报告的相当。",
        "targets.toml campaign_wuhu_documents (Wuhu, January-May 2019)",
        "7.5",
        "documents_cut",
        WITH_OVERSIGHT,
        window=JANUARY_TO_MAY,
        reference=BASELINE,
        target="campaign_wuhu_documents",
        against="interval",
    ),
    Pattern(
        "inflow_meetings_2005",
        "Meetings received: at least the 2005 count",
        "A township receives at least as many meetings a year as in 2005, before the "
        "escalation of the 2010s (meetings_per_year, baseline, at or above the 2005 figure).",
        "乡镇每年收到的会议不少于2005年（加码之前）的水平。",
        "targets.toml inflow_meetings_2005 (DRC survey of townships, 2005)",
        "7.3",
        "meetings_per_year",
        target="inflow_meetings_2005",
        against="at_least",
        note="A lower bound: the 2005 count is before the escalation and counts only the "
        "county meetings a township's leaders attended.",
    ),
    Pattern(
        "inflow_documents_2005",
        "Documents received: at least the 2005 count",
        "A township receives at least as many documents a year as in 2005 (documents_per_year, "
        "baseline, at or above the low end of the 2005 range).",
        "乡镇每年收到的文件不少于2005年的水平。",
        "targets.toml inflow_documents_2005 (DRC survey of townships, 2005)",
        "7.3",
        "documents_per_year",
        target="inflow_documents_2005",
        against="at_least",
        note="A lower bound, against the low end of the 2005 range.",
    ),
    Pattern(
        "inflow_inspections_2005",
        "Inspections: at least the 2005 count",
        "A township receives at least as many inspections a year as in 2005 "
        "(inspections_per_year, baseline, at or above the low end of the 2005 range).",
        "乡镇每年接受的督查检查不少于2005年的水平。",
        "targets.toml inflow_inspections_2005 (DRC survey of townships, 2005)",
        "7.4",
        "inspections_per_year",
        target="inflow_inspections_2005",
        against="at_least",
        note="A lower bound, against the low end of the 2005 range.",
    ),
    Pattern(
        "county_leader_meetings",
        "Share of hours in meetings: the same order",
        "The share of township officials' hours spent in meetings is of the order county "
        "leaders reported (meetings_share, baseline, checked for order only).",
        "乡镇干部开会时间占比与县级领导的调查结果在同一量级。",
        "targets.toml county_leader_meetings (CASS observation of county leaders, 2010)",
        "7.3",
        "meetings_share",
        target="county_leader_meetings",
        against="order",
        note="Another population (county leaders), so a check of order, not of level.",
    ),
    Pattern(
        "county_leader_documents",
        "Share of hours on documents: the same order",
        "The share of township officials' hours handling documents is of the order county "
        "leaders reported (documents_share, baseline, checked for order only).",
        "乡镇干部处理文件时间占比与县级领导的调查结果在同一量级。",
        "targets.toml county_leader_documents (CASS observation of county leaders, 2010)",
        "7.3",
        "documents_share",
        target="county_leader_documents",
        against="order",
        note="Another population (county leaders), so a check of order, not of level.",
    ),
    Pattern(
        "turnover_fuyang",
        "Turnover as in Fuyang",
        "Township officials quit at the yearly rate Fuyang's ten-year figure implies "
        "(quits_per_year, baseline).",
        "乡镇干部年流失率与富阳十年流失数据推算的水平相当。",
        "targets.toml turnover_fuyang (Fuyang district, recruits who left over ten years)",
        "7.14",
        "quits_per_year",
        target="turnover_fuyang",
        against="interval",
    ),
)
