"""Words and numbers as the findings report writes them: values to the outcome's decimals, with
their intervals and units, outcome names in English and Chinese, lists joined in either
language, table rows as attribute records, and a curve's shape as a verb phrase.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import SimpleNamespace

import pandas as pd

from ...outcomes import BETTER, BY_NAME

OUTCOME_ZH = {
    "township_hours": "乡镇干部周工时",
    "burnout": "倦怠比例",
    "service_quality": "服务质量",
    "gaming_share": "虚报实绩比例",
    "errors_to_citizens": "流向群众的差错",
    "shirking_share": "应付式工作比例",
}


def digits(outcome: str) -> int:
    """Decimals a value of ``outcome`` is written with: hours to 0.01 h, shares to 0.001."""
    return 2 if BY_NAME[outcome].unit.startswith("h/") else 3


def num(x: float, outcome: str, signed: bool = True) -> str:
    """A value as the report writes it (the tests read the CSVs and look for these)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:{'+' if signed else ''}.{digits(outcome)}f}"


def with_ci(x: float, lo: float, hi: float, outcome: str, signed: bool = True) -> str:
    return f"{num(x, outcome, signed)} [{num(lo, outcome, signed)}, {num(hi, outcome, signed)}]"


def unit_text(outcome: str, lang: str = "en") -> str:
    unit = BY_NAME[outcome].unit
    if unit == "h/week":
        return " h/week" if lang == "en" else " 小时/周"
    return ""


def outcome_name(outcome: str, lang: str = "en") -> str:
    from ...i18n import outcome_label

    return OUTCOME_ZH.get(outcome) if lang == "zh" else outcome_label(outcome, "en", unit=False)


def join(items: Sequence[str], lang: str = "en", conj: str = "and") -> str:
    items = list(items)
    if lang == "zh":
        return "、".join(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def records(frame: pd.DataFrame) -> list[SimpleNamespace]:
    """Rows as attribute records; ``cls`` is the ``class`` column (a keyword in Python, which
    itertuples would rename)."""
    return [SimpleNamespace(**row, cls=row.get("class")) for row in frame.to_dict(orient="records")]


def describe_shape(shape_row, lang: str = "en") -> str:
    """A curve's shape for one outcome in words (from the shapes table): a verb phrase."""
    kind, at, outcome = shape_row.shape, shape_row.at, shape_row.outcome
    if kind in ("peak", "trough"):
        if lang == "zh":
            where = "最高" if kind == "peak" else "最低"
            return f"在{at:g}处{where}（{'内部最优' if shape_row.optimum else '内部最差'}）"
        where = "highest" if kind == "peak" else "lowest"
        best = "an interior optimum" if shape_row.optimum else "an interior worst"
        return f"is {where} at {at:g}, {best}"
    if kind == "flat":
        return "无可分辨的变化" if lang == "zh" else "does not change measurably"
    good = (kind == "increasing") == (BETTER[outcome] > 0)
    if lang == "zh":
        mono = "单调" if shape_row.monotone else "总体（非单调）"
        return f"{mono}{'上升' if kind == 'increasing' else '下降'}（{'变好' if good else '变差'}）"
    verb = {"increasing": "rises", "decreasing": "falls"}[kind]
    mono = "monotonically" if shape_row.monotone else "overall, not monotonically"
    return f"{verb} {mono} ({'better' if good else 'worse'})"
