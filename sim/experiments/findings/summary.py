"""The two summary paragraphs at the head of the findings report, in English and in Chinese:
each headline conclusion of the report in one sentence, built from its :class:`~.facts.Facts`.
"""

from __future__ import annotations

from collections.abc import Sequence

from .design import HEADLINE, Settings
from .facts import Facts, perturbed_runs
from .runner import Findings
from .stats import ADDITIVE, BENEFICIAL, HARMFUL, NO_EFFECT, SUB_ADDITIVE, SUPER_ADDITIVE
from .words import join, outcome_name

CLASS_ZH = {
    BENEFICIAL: "有益",
    HARMFUL: "有害",
    NO_EFFECT: "无可分辨的效果",
    SUPER_ADDITIVE: "超可加",
    ADDITIVE: "可加",
    SUB_ADDITIVE: "次可加",
}


def _limit(items: Sequence[str], n: int, lang: str) -> list[str]:
    items = list(items)
    if len(items) <= n:
        return items
    more = len(items) - n
    return [*items[:n], f"{more} more" if lang == "en" else f"另外{more}项"]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _dose_sentence(f: Findings, F: Facts, lang: str) -> str:
    """Per headline outcome, which curves raise it, lower it, or have an interior extreme."""
    parts = []
    for outcome in ("township_hours", "burnout", "service_quality"):
        groups: dict[str, list[str]] = {}
        for curve in f.settings.curves():
            row = F.shape[curve.key, outcome]
            label = curve.short if lang == "en" else curve.label_zh.split("（")[0]
            if row.shape in ("peak", "trough"):
                if lang == "zh":
                    where = "最高" if row.shape == "peak" else "最低"
                    best = "内部最优" if row.optimum else "内部最差"
                    text = f"{label}为{row.at:g}时{where}（{best}）"
                else:
                    where = "highest" if row.shape == "peak" else "lowest"
                    best = "an interior optimum" if row.optimum else "an interior worst"
                    text = f"{where} at {label} {row.at:g} ({best})"
                groups.setdefault("extreme", []).append(text)
            else:
                groups.setdefault(row.shape, []).append(label)
        bits = []
        if lang == "zh":
            if groups.get("increasing"):
                bits.append(f"随{join(groups['increasing'], 'zh')}上升")
            if groups.get("decreasing"):
                bits.append(f"随{join(groups['decreasing'], 'zh')}下降")
            bits += groups.get("extreme", [])
            if groups.get("flat"):
                bits.append(f"对{join(groups['flat'], 'zh')}无可分辨的反应")
            parts.append(f"{outcome_name(outcome, 'zh')}" + "，".join(bits))
        else:
            if groups.get("increasing"):
                bits.append(f"up with {join(groups['increasing'])}")
            if groups.get("decreasing"):
                bits.append(f"down with {join(groups['decreasing'])}")
            bits += groups.get("extreme", [])
            if groups.get("flat"):
                bits.append(f"no measurable response to {join(groups['flat'], conj='or')}")
            parts.append(f"{outcome_name(outcome)}: " + ", ".join(bits))
    return ("；".join(parts) + "。") if lang == "zh" else ("; ".join(parts) + ".")


def _window(s: Settings) -> tuple[int, int]:
    return s.steps - min(s.summary_weeks, s.steps) + 1, s.steps


def summary_en(f: Findings, F: Facts) -> str:
    s = f.settings
    start, end = _window(s)
    name, eff = F.name, F.effect
    out = [
        f"**Summary.** In the `{s.preset}` hierarchy ({f.townships} townships, "
        f"{f.township_officials} township officials), runs of {s.steps} weeks with the levers "
        f"switched on at week {s.policy_start + 1} and outcomes averaged over weeks "
        f"{start}-{end}, {s.replicates} replicates per setting with common random numbers "
        f"(master seed {s.master_seed}; oasim {f.version}; {f.runs_total} runs, and "
        f"{perturbed_runs(f, F)} more under perturbed weights), the model says:"
    ]
    top = join([f"{name(n, 'en')} ({eff(n, 'township_hours')})" for n in F.top_hours])
    out.append(
        f"**{len(F.good_all)} of the {len(F.remedies)} single remedies** lower township hours "
        "and burnout and raise service quality, each with a 95% interval excluding zero"
        + (f"; the largest cuts in hours come from {top}." if top else ".")
    )
    if F.backfires:
        items = [
            f"{name(n, 'en')} ({join([f'{outcome_name(o)} {eff(n, o)}' for o in F.harmed[n]])})"
            for n in F.backfires
        ]
        out.append(f"**Backfires** (harmful, interval excluding zero): {join(items)}.")
    else:
        out.append("**No remedy backfires** on hours, burnout or service.")
    if F.failure_modes:
        ok = join([name(n, "en") for n in F.confirmed]) or "none"
        sent = (
            f"Of the {len(F.failure_modes)} failure modes the article warns of, {ok} "
            f"{'harms' if len(F.confirmed) == 1 else 'harm'} a headline outcome as it says"
        )
        contra = [
            f"{name(n, 'en')} still improves "
            + join([f"{outcome_name(o)} ({eff(n, o)})" for o in outs])
            for n, outs in F.helping_failures.items()
        ]
        out.append(sent + (f"; but {join(contra)}." if contra else "."))
    needs = []
    for a in F.harmed:
        r = [name(b, "en") for b in F.rescuers.get(a, [])]
        if r:
            text = (
                f"{name(a, 'en')} turns beneficial alongside {join(_limit(r, 3, 'en'), conj='or')}"
            )
        else:
            text = f"no companion tried turns {name(a, 'en')} beneficial"
        pays = [
            f"{outcome_name(o)} only alongside "
            + join(_limit([name(b, "en") for b in F.pays_on[a, o]], 3, "en"), conj="or")
            for o in F.harmed[a]
            if F.pays_on.get((a, o))
        ]
        never = [outcome_name(o) for o in F.harmed[a] if not F.pays_on.get((a, o))]
        if not pays:
            text += ", though on top of any of them it improves nothing itself"
        else:
            text += f", and on top of one it itself improves {join(pays, conj='and')}"
            text += f" (never {join(never, conj='or')})" if never else ""
        needs.append(text)
    if needs:
        out.append("**What it needs alongside:** " + "; ".join(needs) + ".")
    if F.counts:
        c, h = F.counts, F.counts["township_hours"]
        others = "; ".join(
            f"{outcome_name(o)}: {c[o][SUB_ADDITIVE]}, {c[o][ADDITIVE]}, {c[o][SUPER_ADDITIVE]}"
            for o in HEADLINE[1:]
        )
        sent = (
            f"**Interactions:** of the {F.pairs} pairs of remedies, {h[SUB_ADDITIVE]} are "
            f"sub-additive, {h[ADDITIVE]} additive and {h[SUPER_ADDITIVE]} super-additive on "
            f"township hours ({others})"
        )
        for row in F.package_rows("township_hours"):
            sent += (
                f"; `{row.package}` achieves {row.share_of_sum:.0%} of the sum of its "
                f"{row.n_parts} parts' effects on hours ({row.cls})"
            )
        out.append(sent + ".")
    out.append("**Dose-response:** " + _dose_sentence(f, F, "en"))
    rb = F.robust
    ch = list(dict.fromkeys(F.reversals["township_hours"] + F.reversals["burnout"]))
    sat = F.saturated["township_hours"]
    out.append(
        f"**Robustness:** under {len(f.perturbations)} Latin-hypercube perturbations of "
        f"{len(f.bounds)} behavioural weights within their declared ranges, the ranking of "
        "remedies by effect on township hours has a median Spearman correlation of "
        f"{rb['township_hours']['median']:.2f} with the default ranking (minimum "
        f"{rb['township_hours']['min']:.2f}; burnout {rb['burnout']['median']:.2f}, minimum "
        f"{rb['burnout']['min']:.2f}), against {F.chance['township_hours']:.2f} (burnout "
        f"{F.chance['burnout']:.2f}) for the default weights with other seeds, which is what "
        "chance alone does with as few replicates; "
        + (
            f"in {_plural(len(sat), 'perturbation', 'perturbations')} most remedies have no "
            "measurable effect on hours (baseline hours "
            + join([f"{b:.2f} h/week" for _, b in sat])
            + "); "
            if sat
            else ""
        )
        + (
            f"{_plural(len(ch), 'remedy reverses its', 'remedies reverse their')} effect on "
            "hours or burnout, with an interval excluding zero, in at least one perturbation ("
            + join([name(n, "en") for n in ch])
            + ")."
            if ch
            else "no remedy's effect on hours or burnout reverses, with an interval excluding "
            "zero, in any perturbation."
        )
    )
    return " ".join(out)


def summary_zh(f: Findings, F: Facts) -> str:
    s = f.settings
    start, end = _window(s)
    name, eff = F.name, F.effect
    out = [
        f"**摘要。**在`{s.preset}`层级（{f.townships}个乡镇，{f.township_officials}名乡镇干部）中，"
        f"每次运行{s.steps}周，第{s.policy_start + 1}周起启用政策，结果取第{start}-{end}周的"
        f"平均；每种设置{s.replicates}次重复，使用共同随机数（主随机种子{s.master_seed}；"
        f"oasim {f.version}；共{f.runs_total}次运行，另有{perturbed_runs(f, F)}次在扰动后的"
        "行为参数下运行）。模型的结论是："
    ]
    top = join([f"{name(n, 'zh')}（{eff(n, 'township_hours', 'zh')}）" for n in F.top_hours], "zh")
    out.append(
        f"**{len(F.remedies)}项单项对策中有{len(F.good_all)}项**同时降低乡镇干部周工时和倦怠比例、"
        "提高服务质量，且95%置信区间均不含零" + (f"；工时降幅最大的是{top}。" if top else "。")
    )
    if F.backfires:
        items = [
            f"{name(n, 'zh')}（"
            + join([f"{outcome_name(o, 'zh')}{eff(n, o, 'zh')}" for o in F.harmed[n]], "zh")
            + "）"
            for n in F.backfires
        ]
        out.append(f"**适得其反**（有害，置信区间不含零）：{join(items, 'zh')}。")
    else:
        out.append("**没有对策**在工时、倦怠或服务质量上适得其反。")
    if F.failure_modes:
        ok = join([name(n, "zh") for n in F.confirmed], "zh") or "没有一项"
        sent = f"文章警示的{len(F.failure_modes)}种失效模式中，{ok}如文章所说损害了主要结果"
        contra = [
            f"{name(n, 'zh')}仍改善了"
            + join([f"{outcome_name(o, 'zh')}（{eff(n, o, 'zh')}）" for o in outs], "zh")
            for n, outs in F.helping_failures.items()
        ]
        out.append(sent + (f"；但{join(contra, 'zh')}。" if contra else "。"))
    needs = []
    for a in F.harmed:
        r = [name(b, "zh") for b in F.rescuers.get(a, [])]
        if r:
            text = f"{name(a, 'zh')}与{join(_limit(r, 3, 'zh'), 'zh')}之一搭配后转为有益"
        else:
            text = f"所试的搭配都不能使{name(a, 'zh')}转为有益"
        pays = [
            f"只有与{join(_limit([name(b, 'zh') for b in F.pays_on[a, o]], 3, 'zh'), 'zh')}"
            f"之一搭配时才改善{outcome_name(o, 'zh')}"
            for o in F.harmed[a]
            if F.pays_on.get((a, o))
        ]
        never = [outcome_name(o, "zh") for o in F.harmed[a] if not F.pays_on.get((a, o))]
        if not pays:
            text += "，但在任何搭配之上它本身都没有改善"
        else:
            text += f"；它本身{'，'.join(pays)}"
            text += f"（从不改善{join(never, 'zh')}）" if never else ""
        needs.append(text)
    if needs:
        out.append("**需要什么配套：**" + "；".join(needs) + "。")
    if F.counts:
        c, h = F.counts, F.counts["township_hours"]
        others = "；".join(
            f"{outcome_name(o, 'zh')}：{c[o][SUB_ADDITIVE]}、{c[o][ADDITIVE]}、"
            f"{c[o][SUPER_ADDITIVE]}"
            for o in HEADLINE[1:]
        )
        sent = (
            f"**交互作用：**{F.pairs}对对策组合中，就乡镇干部周工时而言，{h[SUB_ADDITIVE]}对次可加、"
            f"{h[ADDITIVE]}对可加、{h[SUPER_ADDITIVE]}对超可加（{others}）"
        )
        for row in F.package_rows("township_hours"):
            sent += (
                f"；{name(row.package, 'zh')}对工时的效果是其{row.n_parts}个组成部分效果之和的"
                f"{row.share_of_sum:.0%}（{CLASS_ZH[row.cls]}）"
            )
        out.append(sent + "。")
    out.append("**剂量反应：**" + _dose_sentence(f, F, "zh"))
    rb = F.robust
    ch = list(dict.fromkeys(F.reversals["township_hours"] + F.reversals["burnout"]))
    sat = F.saturated["township_hours"]
    out.append(
        f"**稳健性：**在声明范围内对{len(f.bounds)}个行为参数做{len(f.perturbations)}次拉丁超立方"
        "扰动，各对策按工时效果的排序与默认排序的斯皮尔曼相关系数中位数为"
        f"{rb['township_hours']['median']:.2f}（最小{rb['township_hours']['min']:.2f}；倦怠比例为"
        f"{rb['burnout']['median']:.2f}，最小{rb['burnout']['min']:.2f}）；作为对照，默认参数下"
        f"换一组随机种子（重复次数相同）时为{F.chance['township_hours']:.2f}（倦怠比例"
        f"{F.chance['burnout']:.2f}），即仅由随机性造成的变动；"
        + (
            f"有{len(sat)}次扰动中多数对策对工时没有可分辨的效果（基线工时"
            + join([f"{b:.2f} 小时/周" for _, b in sat], "zh")
            + "）；"
            if sat
            else ""
        )
        + (
            f"有{len(ch)}项对策对工时或倦怠的效果在至少一次扰动中反转且置信区间不含零（"
            + join([name(n, "zh") for n in ch], "zh")
            + "）。"
            if ch
            else "没有对策对工时或倦怠的效果在任何扰动中反转（置信区间不含零）。"
        )
    )
    return "".join(out)
