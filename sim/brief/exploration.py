"""The brief of an exploration (``oasim explore``): which policy is robust, where each fails
and why (scenario discovery in words), what the lever groups' interactions add, and the costs."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

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
    table_label,
    ul,
)
from .folder import BriefError, read_csv, read_parquet

__all__ = ["explore"]


# ---- explore ---------------------------------------------------------------------------------
def _conditions(rows: Any, ranges: dict, lang: str) -> list[str]:
    """A PRIM box's restrictions in words ('how strongly anxiety passes down from superiors is
    above 0.41'); dimensions the box leaves at their full range are left out."""
    out = []
    for r in rows.itertuples(index=False):
        name = str(r.parameter)
        label = factor_label(name, lang)
        lo, hi = num(getattr(r, "low", None)), num(getattr(r, "high", None))
        if lo != lo or hi != hi:  # categorical: the choices the box keeps
            kept = getattr(r, "kept", None)
            kept = kept if isinstance(kept, str) and kept else getattr(r, "low", None)
            if isinstance(kept, str) and kept:
                values = [v.strip() for v in re.split(r"[,;|]", kept.strip("{}[]() ")) if v]
                shown = "、" if lang == "zh" else " or "
                out.append(
                    tx.t(
                        "cond.is",
                        lang,
                        p=label,
                        v=shown.join(tx.param_value(name, v.strip("'\""), lang) for v in values),
                    )
                )
            continue
        full = ranges.get(name) or {}
        flo, fhi = num(full.get("low")), num(full.get("high"))
        if "range_low" in rows.columns and num(getattr(r, "range_low", None)) == num(
            getattr(r, "range_low", None)
        ):
            flo, fhi = num(r.range_low), num(r.range_high)
        span = (fhi - flo) if flo == flo and fhi == fhi else 0.0
        eps = 1e-9 * (abs(span) or 1.0)
        cut_lo = flo != flo or lo > flo + eps
        cut_hi = fhi != fhi or hi < fhi - eps
        if cut_lo and cut_hi:
            out.append(tx.t("cond.between", lang, p=label, lo=tx.fmt_g(lo), hi=tx.fmt_g(hi)))
        elif cut_lo:
            out.append(tx.t("cond.above", lang, p=label, lo=tx.fmt_g(lo)))
        elif cut_hi:
            out.append(tx.t("cond.below", lang, p=label, hi=tx.fmt_g(hi)))
    return out


def _criterion(outcome: str, rule: str, tolerance: Any, lang: str) -> str:
    text = tx.criterion_text(outcome, rule, lang)
    tol = num(tolerance)
    if tol == tol and tol > 0:
        text += tx.t(
            "tolerance",
            lang,
            x=tx.fmt_g(tol * tx.scale(outcome)),
            unit=tx.outcome_unit(outcome, lang),
        )
    return text


def _ranges(manifest: dict) -> dict[str, dict]:
    out = {}
    for name, spec in (manifest.get("uncertainties") or {}).items():
        if isinstance(spec, dict):
            low = spec.get("low", (spec.get("bounds") or [None, None])[0])
            high = spec.get("high", (spec.get("bounds") or [None, None])[1])
            out[name] = {
                "low": low,
                "high": high,
                "choices": spec.get("choices"),
                "from": spec.get("from"),
            }
        elif isinstance(spec, list | tuple) and len(spec) == 2:
            out[name] = {"low": spec[0], "high": spec[1]}
    return out


def _redraw(folder: Path, name: str, lang: str):
    """An exploration's figure drawn in the brief's language from the folder's tables; None
    (the folder's own PNG is used) where a table lacks what the figure needs."""
    from ..exploration.result import redraw

    try:
        return redraw(folder, name, lang)
    except (OSError, KeyError, ValueError, AttributeError):
        return None


def explore(folder: Path, manifest: dict, lang: str) -> dict[str, Any]:
    sat = read_csv(folder, "satisficing.csv")
    rob = read_csv(folder, "robustness.csv")
    prim = read_csv(folder, "prim_boxes.csv", required=False)
    scores = read_csv(folder, "feature_scores.csv", required=False)
    inter = read_csv(folder, "interactions.csv", required=False)
    outcomes = read_parquet(folder, "outcomes.parquet")
    for frame, name, cols in (
        (sat, "satisficing.csv", {"policy", "satisficing_share"}),
        (rob, "robustness.csv", {"policy", "outcome", "max_regret"}),
    ):
        if not cols <= set(frame.columns):
            raise BriefError(f"{folder / name}: lacks the columns {', '.join(sorted(cols))}")

    entries = [e for e in manifest.get("policies") or [] if isinstance(e, dict)]
    names = [e.get("name") for e in entries] or list(dict.fromkeys(sat.policy))
    by_name = {e.get("name"): e for e in entries} or {n: {"name": n} for n in names}
    ref = manifest.get("reference") or names[0]
    others = [n for n in names if n != ref]
    titles = {n: policy_title(by_name.get(n, {"name": n}), lang) for n in names}
    n_worlds = manifest.get("scenarios", "?")
    ranges = _ranges(manifest)
    criteria = {
        o: (rule.get("rule") if isinstance(rule, dict) else rule)
        for o, rule in (manifest.get("criteria") or {}).items()
    }
    tolerance = {
        o: (rule.get("tolerance") if isinstance(rule, dict) else None)
        for o, rule in (manifest.get("criteria") or {}).items()
    }
    tolerance.update(manifest.get("criteria_tolerance") or {})
    goals = manifest.get("goals") or {}
    seeds = manifest.get("seeds") or []
    policy_names = joined([tx.mid_sentence(titles[n], lang) for n in others], lang) or ref
    space = manifest.get("space") if isinstance(manifest.get("space"), dict) else {}

    cards = [
        policy_card(by_name.get(n, {"name": n}), lang, reference=(n == ref))
        for n in [ref, *others]
        if n in by_name or n == ref
    ]

    # What varied, and what counts as success.
    unc_rows = [
        [tx.cap(factor_label(name, lang)), range_text(name, r, lang)] for name, r in ranges.items()
    ]
    varied = [
        table([tx.t("col.uncertainty", lang), tx.t("col.range", lang)], unc_rows),
        p(tx.t("criteria.intro", lang)),
        ul([_criterion(o, rule, tolerance.get(o), lang) for o, rule in criteria.items()]),
    ]

    # Headline: satisficing, then regret.
    sat = sat.drop_duplicates("policy").set_index("policy")
    share = {n: num(sat.satisficing_share.get(n, math.nan)) for n in names}
    ranked = sorted((n for n in others if share[n] == share[n]), key=lambda n: -share[n])
    headline: list = [
        ul(
            [
                tx.t("satisficing", lang, policy=strong(titles[n]), x=tx.pct(share[n]))
                for n in ranked
            ]
        )
    ]
    if ranked:
        best = [n for n in ranked if share[n] == share[ranked[0]]]
        if len(best) == 1:
            headline.append(p(tx.t("satisficing.best", lang, policy=strong(titles[best[0]]))))
        else:
            headline.append(
                p(
                    tx.t(
                        "satisficing.tie",
                        lang,
                        policies=Markup(escape(joined([titles[n] for n in best], lang))),
                        x=tx.pct(share[best[0]]),
                    )
                )
            )
    crit_cols = [o for o in criteria if f"meets_{o}" in sat.columns]
    headline.append(
        table(
            [
                tx.t("col.policy", lang),
                tx.t("col.all_criteria", lang),
                *[tx.cap(tx.criterion_text(o, criteria[o], lang)) for o in crit_cols],
            ],
            [
                [
                    titles.get(n, n),
                    tx.pct(share[n]),
                    *[tx.pct(num(sat.loc[n, f"meets_{o}"])) for o in crit_cols],
                ]
                for n in [*ranked, *[m for m in names if m not in ranked and m in sat.index]]
            ],
            numeric=tuple(range(1, 2 + len(crit_cols))),
        )
    )
    headline += _regret(rob, goals, names, titles, lang)
    headline.append(fig(folder, "robustness.png", tx.t("caption.robustness", lang), lang, _redraw))

    # Where each policy fails.
    failures: list = []
    for n in others:
        failures.append(h3(titles[n]))
        failures += _failure_blocks(n, titles[n], share[n], sat, prim, criteria, ranges, lang)
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in str(n))
        prim_png = f"prim_{n}.png" if (folder / f"prim_{n}.png").is_file() else f"prim_{safe}.png"
        failures.append(
            fig(folder, prim_png, tx.t("caption.prim", lang, title=titles[n]), lang, _redraw)
        )

    # Costs.
    costs = _explore_costs(outcomes, rob, names, titles, lang)

    # Assumptions that matter most, and remedies that need each other.
    assumptions: list = []
    if scores is not None and not scores.empty:
        col = "uncertainty" if "uncertainty" in scores.columns else scores.columns[0]
        frame = scores.set_index(col)
        items = []
        for o in frame.columns:
            column = frame[o].astype(float)
            by_policy = column.get("policy")  # the choice of policy, scored as a feature
            top = column.drop("policy", errors="ignore").sort_values(ascending=False).head(TOP)
            drivers = joined(
                [
                    f"{factor_label(str(u), lang)} ({tx.pct(v)})"
                    if lang == "en"
                    else f"{factor_label(str(u), lang)}（{tx.pct(v)}）"
                    for u, v in top.items()
                ],
                lang,
            )
            if by_policy is not None and by_policy == by_policy:
                item = tx.t(
                    "features.item_policy",
                    lang,
                    outcome=strong(tx.outcome_label(o, lang)),
                    x=tx.pct(float(by_policy)),
                    drivers=drivers,
                )
            else:
                item = tx.t(
                    "features.item",
                    lang,
                    outcome=strong(tx.outcome_label(o, lang)),
                    drivers=drivers,
                )
            items.append(item)
        assumptions = [p(tx.t("features.intro", lang)), ul(items)]
    assumptions.append(
        fig(folder, "feature_scores.png", tx.t("caption.features", lang), lang, _redraw)
    )
    interactions: list = []
    if inter is not None and {"outcome", "pair", "S2"} <= set(inter.columns):
        found = []
        conf_col = "S2_conf" if "S2_conf" in inter.columns else None
        for r in inter.sort_values("S2", ascending=False).itertuples(index=False):
            conf = num(getattr(r, conf_col)) if conf_col else math.nan
            if num(r.S2) - (conf if conf == conf else 0) > 0 and len(found) < 6:
                a, _, b = str(r.pair).partition(" x ")
                found.append(
                    tx.t(
                        "interaction.s2",
                        lang,
                        a=tx.group_label(a, lang),
                        b=tx.group_label(b, lang),
                        outcome=tx.outcome_label(r.outcome, lang),
                        x=tx.pct(num(r.S2)),
                        conf=tx.pct(conf),
                    )
                )
        interactions = [ul(found)] if found else [p(tx.t("interaction.none", lang))]
    inter_fig = fig(folder, "interactions.png", tx.t("caption.interactions", lang), lang, _redraw)
    if inter_fig:
        interactions.append(inter_fig)

    sections = [
        section("policies", tx.t("h.policies", lang), cards),
        section("varied", tx.t("h.varied", lang), varied),
        section("headline", tx.t("h.headline", lang), headline),
        section("failures", tx.t("h.failures", lang), failures),
        section("costs", tx.t("h.costs", lang), costs),
        section("assumptions", tx.t("h.assumptions", lang), assumptions),
        section("interactions", tx.t("h.interactions", lang), interactions)
        if interactions
        else None,
        caveats(
            lang,
            tx.t("caveat.worlds", lang, n=n_worlds),
            tx.t("caveat.seeds.explore", lang, seeds=len(seeds) or "?"),
        ),
    ]
    return {
        "title": tx.t("title.explore", lang),
        "question": [
            tx.t("question.explore", lang, policies=policy_names, k=len(ranges), n=n_worlds)
        ],
        "question_original": tx.paragraphs(space.get("description") or ""),
        "question_original_label": tx.t("original_text", lang) if lang == "zh" else "",
        "method": tx.t(
            "method.explore",
            lang,
            n=n_worlds,
            preset=manifest.get("preset", "?"),
            steps=manifest.get("steps", "?"),
            seeds=len(seeds) or "?",
        ),
        "sections": [s for s in sections if s is not None],
    }


def _regret(rob: Any, goals: dict, names: list, titles: dict, lang: str) -> list:
    present = set(rob.outcome)
    outs = [o for o, g in goals.items() if o in present and g in ("minimize", "maximize")]
    if not goals:
        outs = list(dict.fromkeys(rob.outcome))
    if not outs:
        return []
    blocks: list = [p(tx.t("regret.intro", lang))]
    sentences = []
    cells: dict[str, dict[str, Markup]] = {n: {} for n in names}
    for o in outs:
        sub = rob[rob.outcome == o].drop_duplicates("policy").set_index("policy")
        s = tx.scale(o)
        order = sorted((n for n in names if n in sub.index), key=lambda n: num(sub.max_regret[n]))
        if not order:
            continue
        dec = tx.decimals(max(abs(num(sub.max_regret[n]) * s) for n in order) or 1)
        ranking = joined(
            [
                f"{titles[n]} ({tx.fmt(num(sub.max_regret[n]) * s, dec)})"
                if lang == "en"
                else f"{titles[n]}（{tx.fmt(num(sub.max_regret[n]) * s, dec)}）"
                for n in order
            ],
            lang,
        )
        goal = goals.get(o)
        goal_text = tx.t(f"goal.{goal}", lang) if f"goal.{goal}" in tx.T else str(goal or "")
        sentences.append(
            tx.t(
                "regret.rank",
                lang,
                outcome=strong(tx.outcome_label(o, lang)),
                goal=goal_text,
                ranking=ranking,
            )
        )
        for n in order:
            effect = num(sub.mean_effect[n]) * s if "mean_effect" in sub.columns else math.nan
            text = Markup("{}<br><small>{}</small>").format(
                tx.signed(effect, tx.decimals(abs(effect) or 1)) if effect == effect else "–",
                tx.t("regret_short", lang, x=tx.fmt(num(sub.max_regret[n]) * s, dec)),
            )
            cells[n][o] = strong(text) if n == order[0] else text
    blocks.append(ul(sentences))
    blocks.append(
        table(
            [tx.t("col.policy", lang), *[table_label(o, lang) for o in outs]],
            [[titles[n], *[cells[n].get(o, "–") for o in outs]] for n in names],
            caption=tx.t("col.effect_regret", lang),
            numeric=tuple(range(1, 1 + len(outs))),
        )
    )
    return blocks


def _failure_blocks(
    name: str,
    title: str,
    share: float,
    sat: Any,
    prim: Any,
    criteria: dict,
    ranges: dict,
    lang: str,
) -> list:
    if share == share and share >= 1.0:
        return [p(tx.t("fail.never", lang, policy=strong(title)))]
    misses = []
    if name in sat.index:
        for o, rule in criteria.items():
            col = f"meets_{o}"
            if col in sat.columns:
                miss = 1.0 - num(sat.loc[name, col])
                if miss == miss and miss > 0:
                    misses.append((miss, o, rule))
    misses.sort(key=lambda m: -m[0])
    miss_text = (
        joined(
            [
                tx.t(
                    "fail.miss_item",
                    lang,
                    what=tx.criterion_text(o, rule, lang, miss=True),
                    x=tx.pct(m),
                )
                for m, o, rule in misses[:2]
            ],
            lang,
        )
        or "–"
    )
    if share == share and share <= 0.0:
        return [p(tx.t("fail.always", lang, policy=strong(title), misses=miss_text))]
    blocks = [
        p(
            tx.t(
                "fail.share",
                lang,
                policy=strong(title),
                x=tx.pct(1 - share) if share == share else "?",
                misses=miss_text,
            )
        )
    ]
    boxes = prim[prim.policy == name] if prim is not None and "policy" in prim.columns else None
    described = 0
    if boxes is not None and not boxes.empty:
        for i, (_, rows) in enumerate(boxes.groupby("box", sort=True)):
            conditions = _conditions(rows, ranges, lang)
            if not conditions:
                continue
            first = rows.iloc[0]
            key = "fail.box" if described == 0 else "fail.box_more"
            blocks.append(
                p(
                    tx.t(
                        key,
                        lang,
                        conditions=joined(conditions, lang),
                        coverage=tx.pct(num(first.get("coverage"))),
                        density=tx.pct(num(first.get("density"))),
                        mass=tx.pct(num(first.get("mass"))),
                    )
                )
            )
            described += 1
            if i >= 2:
                break
    if not described:
        blocks.append(p(tx.t("fail.no_box", lang)))
    return blocks


def _explore_costs(outcomes: Any, rob: Any, names: list, titles: dict, lang: str) -> list:
    stats: dict[str, tuple[float, float, float]] = {}
    if outcomes is not None and {"policy", "lever_cost"} <= set(outcomes.columns):
        g = outcomes.groupby("policy").lever_cost
        for n, (mean, lo, hi) in g.agg(["mean", "min", "max"]).iterrows():
            stats[n] = (float(mean), float(lo), float(hi))
    elif "lever_cost" in set(rob.outcome) and "mean" in rob.columns:
        sub = rob[rob.outcome == "lever_cost"]
        for r in sub.itertuples(index=False):
            stats[r.policy] = (num(r.mean), math.nan, math.nan)
    if not stats:
        return [p(tx.t("costs.none", lang))]
    items = []
    for n in names:
        if n not in stats:
            continue
        mean, lo, hi = stats[n]
        dec = tx.decimals(max(abs(mean), abs(hi) if hi == hi else 0))
        items.append(
            tx.t(
                "costs.explore",
                lang,
                policy=strong(titles[n]),
                x=quantity("lever_cost", mean, lang, dec),
                lo=tx.fmt(lo, dec),
                hi=tx.fmt(hi, dec),
            )
        )
    return [p(tx.t("costs.intro", lang)), ul(items)]
