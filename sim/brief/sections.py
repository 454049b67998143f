"""The sections of a brief, one builder per kind of results folder.

Each builder reads the folder's tables and returns the page's content: a title, the question,
how it was answered, and a list of sections, each a heading and a list of blocks (a paragraph,
a list, a sub-heading, a table, a figure or a policy card) that the templates lay out. The
sentences are built here from :mod:`sim.brief.text`, with the numbers of the tables in them.
"""

from __future__ import annotations

import functools
import io
import math
import re
import warnings
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from .. import plots
from ..outcomes import BETTER
from ..params import CATALOGUE
from ..scenario import SCENARIO_DIR, load_scenario
from . import text as tx
from .folder import BriefError, embed, figure, read_csv, read_parquet

__all__ = ["compare", "explore", "sensitivity"]

# The outcomes a comparison leads with, in this order (those present in the table).
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
TOP = 3  # drivers named per outcome
_REMEDY_NOTE = re.compile(r"\s*[（(](?:remedy|对策)[)）]\s*$")


# ---- small helpers ---------------------------------------------------------------------------
def sentence(text: Any) -> Any:
    """A list item or paragraph starts with a capital (also after a leading <strong>)."""
    if isinstance(text, Markup):
        m = re.match(r"^((?:<strong>)?)(.)", str(text), flags=re.S)
        if m and m.group(2).islower():
            i = m.end(1)
            return Markup(str(text)[:i] + str(text)[i].upper() + str(text)[i + 1 :])
        return text
    return tx.cap(text) if isinstance(text, str) else text


def p(text: Any) -> dict:
    return {"type": "p", "text": sentence(text)}


def note(text: Any) -> dict:
    return {"type": "note", "text": text}


def h3(text: Any) -> dict:
    return {"type": "h3", "text": text}


def ul(items: list) -> dict:
    return {"type": "ul", "items": [sentence(i) for i in items]}


def table(headers: list, rows: list, caption: Any = "", numeric: tuple = ()) -> dict:
    return {
        "type": "table",
        "headers": headers,
        "rows": rows,
        "caption": caption,
        "numeric": set(numeric),
    }


def fig(folder: Path, name: str, caption: str, lang: str, redraw=None) -> dict | None:
    """A figure of the folder; ``redraw(folder, name, lang)`` may draw it again in the
    brief's language from the folder's tables (else the folder's own PNG is used)."""
    drawn = redraw(folder, name, lang) if redraw is not None else None
    if drawn is not None:
        buffer = io.BytesIO()
        plots.save(drawn, buffer)
        f = embed(buffer.getvalue(), name, caption)
    else:
        f = figure(folder, name, caption)
        if f is not None and lang == "zh":
            f["caption"] = (caption + " " + tx.t("figure_lang_note", lang)).strip()
    return None if f is None else {"type": "figure", **f}


def section(key: str, heading: str, blocks: list) -> dict:
    return {"id": key, "heading": heading, "blocks": [b for b in blocks if b is not None]}


def joined(items: list[str], lang: str) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    if lang == "zh":
        return "、".join(items[:-1]) + "和" + items[-1]
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + ", and " + items[-1]


def strong(text: Any) -> Markup:
    return Markup("<strong>{}</strong>").format(text)


def num(value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return math.nan
    return x


# ---- policies --------------------------------------------------------------------------------
@functools.cache
def _library(name: str):
    path = SCENARIO_DIR / f"{name}.toml"
    if not path.is_file():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_scenario(path)
    except Exception:  # a library file that does not load names nothing
        return None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def policy_title(entry: dict, lang: str) -> str:
    """A policy's title: the library's (in ``lang``) when the entry is that library scenario."""
    name = str(entry.get("name") or "?")
    lib = _library(name)
    if lib is not None and _norm(lib.description) == _norm(entry.get("description", "")):
        title = (lib.title_zh if lang == "zh" else "") or lib.title
        if title:
            return _REMEDY_NOTE.sub("", title)
    words = name.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def policy_card(entry: dict, lang: str, reference: bool = False) -> dict:
    name = str(entry.get("name") or "?")
    description = entry.get("description") or ""
    lib = _library(name)
    if lang == "zh" and lib is not None and _norm(lib.description) == _norm(description):
        description = lib.description_zh or description
    overrides = entry.get("overrides") or {}
    settings = [
        (tx.cap(tx.param_label(k, lang)), tx.param_value(k, v, lang)) for k, v in overrides.items()
    ]
    return {
        "type": "policy",
        "title": policy_title(entry, lang),
        "name": name,
        "file_label": tx.t("scenario_file", lang),
        "note": tx.t("reference_note", lang) if reference else "",
        "description": tx.paragraphs(description),
        "settings_label": tx.t("settings", lang),
        "settings": settings,
        "settings_none": tx.t("settings_none", lang),
    }


def caveats(lang: str, *extra: Any) -> dict:
    items = [
        tx.t("caveat.model", lang),
        *[e for e in extra if e],
        tx.t("caveat.levers", lang),
        tx.t("caveat.leaves_out", lang),
    ]
    return section("caveats", tx.t("h.caveats", lang), [ul(items)])


def quantity(outcome: str, x: float, lang: str, dec: int | None = None) -> str:
    unit = tx.outcome_unit(outcome, lang)
    return f"{tx.fmt(x, dec)} {unit}".strip()


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


def _table_label(o: str, lang: str) -> str:
    label = tx.cap(tx.outcome_label(o, lang, plain=False))
    unit = "%" if tx.is_share(o) else tx.outcome_unit(o, lang)
    if not unit:
        return label
    return f"{label}（{unit}）" if lang == "zh" else f"{label} ({unit})"


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
                    _table_label(o, lang),
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


# ---- sensitivity -----------------------------------------------------------------------------
def _factor_label(name: str, lang: str) -> str:
    """A parameter or group, as it reads inside a sentence."""
    label = tx.param_label(name, lang) if name in CATALOGUE else tx.group_label(name, lang)
    return tx.lower_first(label) if lang == "en" else label


def _range_text(name: str, spec: dict, lang: str) -> str:
    if spec.get("choices"):
        return " / ".join(tx.param_value(name, c, lang) for c in spec["choices"])
    bounds = spec.get("bounds") or [spec.get("low"), spec.get("high")]
    if len(bounds) == 2 and all(isinstance(b, int | float) for b in bounds):
        text = tx.fmt_range(*bounds)
        if spec.get("from") == "posterior":
            text += tx.t("from_posterior", lang)
        return text
    return "–"


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
                tx.cap(_factor_label(name, lang)),
                _role(name, lang) or tx.t("role.group", lang),
                _range_text(name, spec, lang) if spec else "–",
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
                        a=_factor_label(a, lang),
                        b=_factor_label(b, lang),
                        outcome=tx.outcome_label(r.outcome, lang),
                        x=tx.pct(num(r.value)),
                        conf=tx.pct(conf),
                    )
                )
        interactions = [ul(found)] if found else [p(tx.t("interaction.none", lang))]

    # Costs.
    if "lever_cost" in tops:
        drivers = joined([_factor_label(f, lang) for f in tops["lever_cost"]], lang)
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
    factor = _factor_label(r.parameter, lang)
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
            rows.append([tx.cap(_factor_label(r.parameter, lang)), tx.fmt(v, dec), tx.fmt(sg, dec)])
        unit = tx.outcome_unit(outcome, lang)
        head = tx.t("col.influence", lang) + (f" ({unit})" if unit else "")
        return table(
            [tx.t("col.factor", lang), head, tx.t("col.spread", lang)], rows, numeric=(1, 2)
        )
    first = sub[sub["index"] == "S1"].set_index("parameter").value
    rows = [
        [
            tx.cap(_factor_label(r.parameter, lang)),
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
    label = tx.cap(_factor_label(factor, lang))
    if lang == "zh":
        return Markup("{}：在 {} 项结果中的 {} 项位列前三").format(strong(label), total, count)
    return Markup("{}: top three for {} of {} outcomes").format(strong(label), count, total)


# ---- explore ---------------------------------------------------------------------------------
def _conditions(rows: Any, ranges: dict, lang: str) -> list[str]:
    """A PRIM box's restrictions in words ('how strongly anxiety passes down from superiors is
    above 0.41'); dimensions the box leaves at their full range are left out."""
    out = []
    for r in rows.itertuples(index=False):
        name = str(r.parameter)
        label = _factor_label(name, lang)
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
        [tx.cap(_factor_label(name, lang)), _range_text(name, r, lang)]
        for name, r in ranges.items()
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
                    f"{_factor_label(str(u), lang)} ({tx.pct(v)})"
                    if lang == "en"
                    else f"{_factor_label(str(u), lang)}（{tx.pct(v)}）"
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
            [tx.t("col.policy", lang), *[_table_label(o, lang) for o in outs]],
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
