"""The brief of a sensitivity analysis (``oasim sensitivity``): what drives each outcome, by
how much, over which ranges."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..params import CATALOGUE
from . import text as tx
from .blocks import (
    TOP,
    caveats,
    factor_label,
    fig,
    h3,
    joined,
    num,
    p,
    policy_card,
    policy_title,
    quantity,
    range_text,
    section,
    strong,
    table,
    ul,
)
from .folder import BriefError, read_csv

__all__ = ["sensitivity"]

# ---- sensitivity -----------------------------------------------------------------------------


def _role(name: str, lang: str) -> str:
    param = CATALOGUE.get(name)
    if param is None:
        return ""
    return tx.t("role.lever" if param.is_lever else "role.uncertainty", lang)


def sensitivity(folder: Path, manifest: dict, lang: str) -> dict[str, Any]:
    idx = read_csv(folder, "indices.csv")
    needed = {"outcome", "parameter", "index", "value"}
    if not needed <= set(idx.columns):
        raise BriefError(f"{folder / 'indices.csv'}: lacks the columns {', '.join(sorted(needed))}")
    if "confidence" not in idx.columns:
        idx["confidence"] = math.nan
    problem = manifest.get("problem") or {}
    method = str(
        manifest.get("method") or ("morris" if "mu_star" in set(idx["index"]) else "sobol")
    )
    key = "mu_star" if method == "morris" else "ST"
    outcomes = list(problem.get("outcomes") or dict.fromkeys(idx.outcome))
    single = idx[~idx.parameter.astype(str).str.contains(" x ", regex=False)]
    factors = list(dict.fromkeys(single.parameter))
    params = problem.get("parameters") or {}
    seeds = manifest.get("seeds") or []
    preset = problem.get("preset") or manifest.get("preset") or "region"
    steps = problem.get("steps") or manifest.get("steps") or "?"
    method_text = tx.t(
        f"method.{method}" if f"method.{method}" in tx.T else "method.sobol",
        lang,
        points=manifest.get("points", "?"),
        samples=manifest.get("samples", "?"),
        seeds=len(seeds) or problem.get("seeds_per_point", "?"),
        runs=manifest.get("runs", "?"),
        preset=preset,
        steps=steps,
    )
    outcome_names = [tx.outcome_label(o, lang) for o in outcomes]

    # What was varied (and, for a policy effect, which policies).
    varied: list = []
    policies: list = []
    base = problem.get("base_scenario")
    treatment = problem.get("treatment_scenario")
    if isinstance(treatment, dict) and isinstance(base, dict):
        policies = [policy_card(base, lang, reference=True), policy_card(treatment, lang)]
        varied.append(
            p(
                tx.t(
                    "policy_effect",
                    lang,
                    treatment=policy_title(treatment, lang),
                    reference=policy_title(base, lang),
                )
            )
        )
    elif isinstance(base, dict):
        varied.append(p(tx.t("base_world", lang, base=policy_title(base, lang))))
    rows = []
    for name in params or factors:
        spec = params.get(name, {}) if params else {}
        rows.append(
            [
                tx.cap(factor_label(name, lang)),
                _role(name, lang) or tx.t("role.group", lang),
                range_text(name, spec, lang) if spec else "–",
            ]
        )
    varied.append(
        table([tx.t("col.factor", lang), tx.t("col.kind", lang), tx.t("col.range", lang)], rows)
    )

    # Main findings: the drivers of each outcome.
    headline: list = []
    tops: dict[str, list[str]] = {}
    for o in outcomes:
        sub = single[single.outcome == o]
        main = sub[sub["index"] == key].sort_values("value", ascending=False)
        if main.empty:
            continue
        best = num(main.value.iloc[0])
        floor = max(0.01 * best, 0.005 if method != "morris" else 0.0)
        named = main[main.value > floor].head(TOP)
        tops[o] = list(named.parameter)
        headline.append(h3(tx.t("drivers.head", lang, outcome=tx.outcome_label(o, lang))))
        headline.append(
            ul([_driver_sentence(r, o, method, sub, lang) for r in named.itertuples(index=False)])
        )
        headline.append(_driver_table(o, sub, main, method, lang))
    headline.append(
        fig(
            folder,
            f"{method}.png",
            tx.t("caption.morris" if method == "morris" else "caption.indices", lang),
            lang,
        )
    )

    # The factors that matter across outcomes.
    counts: dict[str, int] = {}
    for names in tops.values():
        for f in names:
            counts[f] = counts.get(f, 0) + 1
    ranked = sorted(counts, key=lambda f: -counts[f])
    summary = [_across(f, counts[f], len(tops), lang) for f in ranked[: max(TOP, 5)]]
    assumptions = [p(tx.t("across_intro", lang)), ul(summary)] if summary else []

    # Interactions (second-order indices) when computed.
    pairs = idx[(idx["index"] == "S2")]
    interactions: list = []
    if not pairs.empty:
        found = []
        for r in pairs.sort_values("value", ascending=False).itertuples(index=False):
            conf = num(r.confidence)
            if num(r.value) - (conf if conf == conf else 0) > 0 and len(found) < 6:
                a, _, b = str(r.parameter).partition(" x ")
                found.append(
                    tx.t(
                        "interaction.s2",
                        lang,
                        a=factor_label(a, lang),
                        b=factor_label(b, lang),
                        outcome=tx.outcome_label(r.outcome, lang),
                        x=tx.pct(num(r.value)),
                        conf=tx.pct(conf),
                    )
                )
        interactions = [ul(found)] if found else [p(tx.t("interaction.none", lang))]

    # Costs.
    if "lever_cost" in tops:
        drivers = joined([factor_label(f, lang) for f in tops["lever_cost"]], lang)
        costs = [p(tx.t("costs.intro", lang)), p(tx.t("costs.sensitivity", lang, drivers=drivers))]
    else:
        costs = [p(tx.t("costs.none", lang))]

    # Caveats: seed noise and the stability of the rankings.
    extra = [
        tx.t("caveat.ranges", lang),
        tx.t("caveat.seeds.sensitivity", lang, seeds=len(seeds) or "?"),
    ]
    for item in manifest.get("seed_noise") or []:
        share = num(item.get("seed_noise_share"))
        if share == share and item.get("outcome") in outcomes and share >= 0.05:
            extra.append(
                tx.t(
                    "noise", lang, x=tx.pct(share), outcome=tx.outcome_label(item["outcome"], lang)
                )
            )
    unstable = [
        s.get("outcome")
        for s in manifest.get("ranking_stability") or []
        if isinstance(s, dict) and s.get("same_top") is False
    ]
    if unstable:
        extra.append(
            tx.t(
                "unstable",
                lang,
                outcomes=joined([tx.outcome_label(o, lang) for o in unstable], lang),
            )
        )

    name = str(problem.get("name") or folder.name).replace("_", " ")
    original = tx.paragraphs(problem.get("description") or "")
    sections = [
        section("policies", tx.t("h.policies", lang), policies) if policies else None,
        section("varied", tx.t("h.varied", lang), varied),
        section("headline", tx.t("h.headline", lang), headline),
        section("assumptions", tx.t("h.assumptions", lang), assumptions) if assumptions else None,
        section("interactions", tx.t("h.interactions", lang), interactions)
        if interactions
        else None,
        section("costs", tx.t("h.costs", lang), costs),
        caveats(lang, *extra),
    ]
    return {
        "title": tx.t("title.sensitivity", lang, problem=name),
        "question": [
            tx.t("question.sensitivity", lang, k=len(factors), outcomes=joined(outcome_names, lang))
        ],
        "question_original": original,
        "question_original_label": tx.t("original_text", lang) if lang == "zh" else "",
        "method": method_text,
        "sections": [s for s in sections if s is not None],
    }


def _driver_sentence(r: Any, outcome: str, method: str, sub: Any, lang: str) -> str:
    factor = factor_label(r.parameter, lang)
    label = tx.outcome_label(outcome, lang)
    conf = num(r.confidence)
    if method != "morris":
        return tx.t(
            "drivers.sobol",
            lang,
            factor=factor,
            outcome=label,
            x=tx.pct(num(r.value)),
            conf=tx.pct(conf),
        )
    s = tx.scale(outcome)
    value = num(r.value) * s
    dec = tx.decimals(abs(value))
    mu = sub[(sub["index"] == "mu") & (sub.parameter == r.parameter)].value
    direction = ""
    if len(mu) and value > 0:
        m = num(mu.iloc[0]) * s
        if abs(m) >= 0.8 * value:
            direction = tx.t("direction.up" if m > 0 else "direction.down", lang)
    return tx.t(
        "drivers.morris",
        lang,
        factor=factor,
        outcome=label,
        x=quantity(outcome, value, lang, dec),
        conf=tx.fmt(conf * s, dec) if conf == conf else "–",
        direction=direction,
    )


def _driver_table(outcome: str, sub: Any, main: Any, method: str, lang: str) -> dict:
    if method == "morris":
        s = tx.scale(outcome)
        sigma = sub[sub["index"] == "sigma"].set_index("parameter").value
        dec = tx.decimals(abs(num(main.value.max())) * s)
        rows = []
        for r in main.itertuples(index=False):
            v = num(r.value) * s
            sg = num(sigma.get(r.parameter, math.nan)) * s
            rows.append([tx.cap(factor_label(r.parameter, lang)), tx.fmt(v, dec), tx.fmt(sg, dec)])
        unit = tx.outcome_unit(outcome, lang)
        head = tx.t("col.influence", lang) + (f" ({unit})" if unit else "")
        return table(
            [tx.t("col.factor", lang), head, tx.t("col.spread", lang)], rows, numeric=(1, 2)
        )
    first = sub[sub["index"] == "S1"].set_index("parameter").value
    rows = [
        [
            tx.cap(factor_label(r.parameter, lang)),
            tx.pct(num(r.value)),
            tx.pct(num(first.get(r.parameter, math.nan))),
        ]
        for r in main.itertuples(index=False)
    ]
    return table(
        [tx.t("col.factor", lang), tx.t("col.total", lang), tx.t("col.first", lang)],
        rows,
        numeric=(1, 2),
    )


def _across(factor: str, count: int, total: int, lang: str) -> Markup:
    label = tx.cap(factor_label(factor, lang))
    if lang == "zh":
        return Markup("{}：在 {} 项结果中的 {} 项位列前三").format(strong(label), total, count)
    return Markup("{}: top three for {} of {} outcomes").format(strong(label), count, total)
