"""The brief of a comparison (``oasim compare``): the policies, their effects on the headline
outcomes with intervals in words, and the table of every outcome."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..outcomes import BETTER
from . import text as tx
from .blocks import (
    caveats,
    fig,
    h3,
    joined,
    num,
    p,
    policy_card,
    policy_title,
    quantity,
    section,
    strong,
    table,
    table_label,
    ul,
)
from .folder import BriefError, read_csv

__all__ = ["compare"]

COMPARE_HEADLINE = (
    "township_hours",
    "overtime_hours",
    "hours_pure_formalism",
    "service_quality",
    "burnout",
    "anxiety_township",
    "inspections_per_township",
    "errors_to_citizens",
)


# ---- compare ---------------------------------------------------------------------------------
def effect_sentence(row: Any, ref_mean: float, lang: str, level: int) -> Markup:
    """'cuts township officials' working hours by 28.6 h/week (−46%; 95% interval 27.6 to
    29.5)' from a row of comparison.csv."""
    o = row.outcome
    s = tx.scale(o)
    d, lo, hi = num(row.diff) * s, num(row.diff_ci_low) * s, num(row.diff_ci_high) * s
    dec = tx.decimals(max(abs(d), abs(lo) if lo == lo else 0, abs(hi) if hi == hi else 0))
    label = tx.outcome_label(o, lang)
    clear = _excludes_zero(row)
    unit = tx.outcome_unit(o, lang)
    if clear and d < 0:
        head = tx.t("effect.down", lang, outcome=label, x=quantity(o, -d, lang, dec))
        a, b = tx.fmt(-hi, dec), tx.fmt(-lo, dec)
    elif clear and d > 0:
        head = tx.t("effect.up", lang, outcome=label, x=quantity(o, d, lang, dec))
        a, b = tx.fmt(lo, dec), tx.fmt(hi, dec)
    else:
        head = tx.t("effect.none", lang, outcome=label, x=f"{tx.signed(d, dec)} {unit}".strip())
        a, b = tx.signed(lo, dec), tx.signed(hi, dec)
    parts = []
    if not tx.is_share(o) and ref_mean == ref_mean and ref_mean != 0 and clear:
        parts.append(tx.signed(100 * num(row.diff) / ref_mean, 0) + "%")
    parts.append(tx.t("interval", lang, level=level, lo=a, hi=b))
    sep = "；" if lang == "zh" else "; "
    tail = f"（{sep.join(parts)}）" if lang == "zh" else f" ({sep.join(parts)})"
    return Markup("{}{}").format(head, tail)


def _excludes_zero(row: Any) -> bool:
    value = getattr(row, "excludes_zero", None)
    if isinstance(value, bool | int) or (isinstance(value, str) and value in ("True", "False")):
        return value is True or value == 1 or value == "True"
    lo, hi = num(row.diff_ci_low), num(row.diff_ci_high)
    return (lo > 0 and hi > 0) or (lo < 0 and hi < 0)


def _verdict(row: Any, lang: str) -> str:
    better = BETTER.get(row.outcome)
    if not better:
        return ""
    if not _excludes_zero(row):
        return tx.t("unclear", lang)
    return tx.t("better" if num(row.diff) * better > 0 else "worse", lang)


def _level_value(o: str, x: float, lang: str, dec: int | None = None) -> str:
    if tx.is_share(o):
        return tx.fmt(100 * x, dec) + "%"
    return tx.fmt(x, dec)


def compare(folder: Path, manifest: dict, lang: str) -> dict[str, Any]:
    comp = read_csv(folder, "comparison.csv")
    needed = {"scenario", "outcome", "mean", "diff", "diff_ci_low", "diff_ci_high"}
    if not needed <= set(comp.columns):
        raise BriefError(
            f"{folder / 'comparison.csv'}: lacks the columns {', '.join(sorted(needed))}"
        )
    scenarios = [s for s in manifest.get("scenarios") or [] if isinstance(s, dict)]
    names = [s.get("name") for s in scenarios] or list(dict.fromkeys(comp.scenario))
    if not scenarios:
        scenarios = [{"name": n} for n in names]
    ref = manifest.get("reference") or names[0]
    level = round(100 * float(manifest.get("confidence_level") or 0.95))
    entries = {s["name"]: s for s in scenarios}
    others = [n for n in names if n != ref]
    titles = {n: policy_title(entries[n], lang) for n in names}
    ref_means = {r.outcome: num(r.mean) for r in comp[comp.scenario == ref].itertuples(index=False)}

    params = (manifest.get("parameters") or {}).get(ref) or {}
    method = tx.t(
        "method.compare",
        lang,
        replicates=manifest.get("replicates", "?"),
        preset=manifest.get("preset", "?"),
        steps=manifest.get("steps", "?"),
        start=params.get("run.policy_start", "?"),
        summary=manifest.get("summary_weeks", "?"),
        level=level,
    )
    policy_names = joined([titles[n] for n in others], lang) or titles[ref]
    in_sentence = joined([tx.mid_sentence(titles[n], lang) for n in others], lang)

    cards = [policy_card(entries[ref], lang, reference=True)]
    cards += [policy_card(entries[n], lang) for n in others]

    headline: list = []
    falls_short: list = []
    costs: list = [p(tx.t("costs.intro", lang))]
    has_cost = False
    for name in others:
        rows = {r.outcome: r for r in comp[comp.scenario == name].itertuples(index=False)}
        headline.append(h3(titles[name]))
        shown = [o for o in COMPARE_HEADLINE if o in rows]
        headline.append(
            ul([effect_sentence(rows[o], ref_means.get(o, math.nan), lang, level) for o in shown])
        )
        table_rows = []
        for o in shown:
            r = rows[o]
            s = tx.scale(o)
            lo, hi = num(r.diff_ci_low) * s, num(r.diff_ci_high) * s
            dec = tx.decimals(max(abs(num(r.diff) * s), abs(lo), abs(hi)))
            ref_mean = ref_means.get(o, math.nan)
            mean_dec = tx.decimals(max(abs(ref_mean * s), abs(num(r.mean) * s)))
            table_rows.append(
                [
                    table_label(o, lang),
                    _level_value(o, ref_mean, lang, mean_dec),
                    _level_value(o, num(r.mean), lang, mean_dec),
                    f"{tx.signed(num(r.diff) * s, dec)} "
                    f"[{tx.signed(lo, dec)}, {tx.signed(hi, dec)}]",
                    _verdict(r, lang),
                ]
            )
        headline.append(
            table(
                [
                    tx.t("col.outcome", lang),
                    tx.t("col.status_quo", lang),
                    tx.t("col.with_policy", lang),
                    tx.t("col.change", lang, level=level),
                    tx.t("col.verdict", lang),
                ],
                table_rows,
                numeric=(1, 2, 3),
            )
        )
        worse = [
            r
            for o, r in rows.items()
            if o != "lever_cost"
            and BETTER.get(o)
            and _excludes_zero(r)
            and num(r.diff) * BETTER[o] < 0
        ]
        falls_short.append(h3(titles[name]))
        if worse:
            falls_short.append(p(tx.t("side_effects.intro", lang)))
            falls_short.append(
                ul(
                    [
                        effect_sentence(r, ref_means.get(r.outcome, math.nan), lang, level)
                        for r in worse
                    ]
                )
            )
        else:
            falls_short.append(p(tx.t("side_effects.none", lang)))
        if "lever_cost" in rows:
            has_cost = True
            r = rows["lever_cost"]
            dec = tx.decimals(max(abs(num(r.mean)), abs(num(r.ci_low)), abs(num(r.ci_high))))
            interval = tx.t(
                "interval",
                lang,
                level=level,
                lo=tx.fmt(num(r.ci_low), dec),
                hi=tx.fmt(num(r.ci_high), dec),
            )
            costs.append(
                p(
                    tx.t(
                        "costs.compare",
                        lang,
                        policy=strong(titles[name]),
                        x=quantity("lever_cost", num(r.mean), lang, dec),
                        interval=interval,
                    )
                )
            )
    if not has_cost:
        costs = [p(tx.t("costs.none", lang))]
    headline += [
        fig(folder, "forest.png", tx.t("caption.forest", lang, level=level), lang),
        fig(folder, "timeseries.png", tx.t("caption.timeseries", lang), lang),
    ]
    falls_short.append(p(tx.t("one_world", lang)))

    return {
        "title": tx.t("title.compare", lang, policies=policy_names),
        "question": [tx.t("question.compare", lang, policies=in_sentence or policy_names)],
        "question_original": [],
        "method": method,
        "sections": [
            section("policies", tx.t("h.policies", lang), cards),
            section("headline", tx.t("h.headline", lang), headline),
            section("failures", tx.t("h.side_effects", lang), falls_short),
            section("costs", tx.t("h.costs", lang), costs),
            section(
                "assumptions", tx.t("h.assumptions", lang), [p(tx.t("assumptions.compare", lang))]
            ),
            caveats(
                lang, tx.t("caveat.seeds.compare", lang, replicates=manifest.get("replicates", "?"))
            ),
        ],
    }
