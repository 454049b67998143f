"""The words of a policy brief, in English and simplified Chinese, and how numbers are written.

Outcome and lever labels come from :mod:`sim.i18n` (the labels of the figures and the classroom
app); this module adds the sentences of the brief, plainer labels for the few outcomes a brief
leads with, and labels for the behavioural assumptions that sensitivity problems and
explorations vary (the app has labels for levers only).
"""

from __future__ import annotations

import math
import re
from typing import Any

from markupsafe import Markup, escape

from ..i18n import OUTCOME_TEXT, TEXT, UNIT_TEXT, group_label, param_label
from ..outcomes import BY_NAME

__all__ = [
    "T",
    "cap",
    "criterion_text",
    "fmt",
    "fmt_range",
    "group_label",
    "lower_first",
    "mid_sentence",
    "outcome_label",
    "outcome_unit",
    "paragraphs",
    "param_label",
    "param_value",
    "pct",
    "signed",
    "t",
]

# ---- the brief's own sentences ---------------------------------------------------------------
T: dict[str, dict[str, str]] = {
    # figure captions and list intros
    "caption.forest": {
        "en": "Change in every outcome from the status quo, with paired {level}% intervals.",
        "zh": "各结果相对现状的变化（配对 {level}% 置信区间）。",
    },
    "caption.timeseries": {
        "en": "Week by week: lines are means over the replicates, bands 5-95% of them; the "
        "dotted line is when the policy starts.",
        "zh": "各周的变化过程：线为各次重复的均值，带为 5%-95% 区间；虚线为政策开始实施的时间。",
    },
    "caption.morris": {
        "en": "Morris screening: further right, more influence; higher, more non-linear or "
        "interacting.",
        "zh": "Morris 筛选：越靠右影响越大，越靠上越非线性或存在交互。",
    },
    "caption.indices": {
        "en": "Sensitivity indices: total and first-order effects with bootstrap intervals.",
        "zh": "敏感性指数：总效应与一阶效应，含 bootstrap 置信区间。",
    },
    "across_intro": {
        "en": "Across the outcomes, these factors most often rank among the top three:",
        "zh": "综合各项结果，以下因素最常位列前三：",
    },
    "caption.robustness": {
        "en": "How each policy fares across the worlds, and its regret.",
        "zh": "各政策在全部情境中的表现与遗憾值。",
    },
    "caption.prim": {
        "en": "{title}: the search for the region where it fails (PRIM), coverage against density.",
        "zh": "{title}：失效区域的搜索（PRIM），覆盖率与密度的权衡。",
    },
    "caption.features": {
        "en": "Importance of each uncertain assumption for each outcome (extra-trees feature "
        "scores).",
        "zh": "各不确定假设对各结果的重要性（极端随机树特征得分）。",
    },
    "caption.interactions": {
        "en": "Interactions between groups of levers (second-order Sobol indices).",
        "zh": "措施组之间的交互作用（二阶 Sobol 指数）。",
    },
    "brief": {"en": "Policy brief", "zh": "政策简报"},
    "kind.compare": {"en": "Policy comparison", "zh": "政策比较"},
    "kind.sensitivity": {"en": "Sensitivity analysis", "zh": "敏感性分析"},
    "kind.explore": {"en": "Robustness across possible worlds", "zh": "多种可能情境下的稳健性"},
    "title.compare": {
        "en": "{policies} compared with the status quo",
        "zh": "{policies}与现状的比较",
    },
    "title.sensitivity": {
        "en": "What drives the results: {problem}",
        "zh": "什么在左右结果：{problem}",
    },
    "title.explore": {
        "en": "Which policy holds up when the assumptions change",
        "zh": "假设变化时哪项政策依然有效",
    },
    "subtitle": {
        "en": "Results of oasim, an agent-based model of organizational anxiety and the burden on "
        "township officials in a four-level government hierarchy",
        "zh": "基于 oasim 模型的结果：四级政府层级中的组织焦虑与乡镇干部负担（基于主体的模型）",
    },
    "and": {"en": " and ", "zh": "和"},
    "list_sep": {"en": ", ", "zh": "、"},
    "colon": {"en": ": ", "zh": "："},
    # sections
    "h.question": {"en": "The question", "zh": "研究问题"},
    "h.policies": {"en": "The policies compared", "zh": "所比较的政策"},
    "h.varied": {"en": "What was varied", "zh": "变化的因素"},
    "h.headline": {"en": "Main findings", "zh": "主要发现"},
    "h.failures": {"en": "Where each policy fails, and why", "zh": "各项政策在何处失效及原因"},
    "h.side_effects": {"en": "Where the policy falls short", "zh": "政策的不足之处"},
    "h.costs": {"en": "Costs", "zh": "成本"},
    "h.assumptions": {"en": "The assumptions that matter most", "zh": "最关键的假设"},
    "h.interactions": {"en": "Remedies that need each other", "zh": "相互依存的措施"},
    "h.caveats": {"en": "Caveats", "zh": "注意事项"},
    "h.provenance": {"en": "Provenance", "zh": "来源信息"},
    "h.figures": {"en": "Figures", "zh": "图表"},
    # common
    "status_quo": {"en": "status quo", "zh": "现状"},
    "reference_note": {
        "en": "the status quo every other policy is compared with",
        "zh": "其他政策均与之比较的现状",
    },
    "settings": {"en": "What it changes", "zh": "政策设置"},
    "settings_none": {
        "en": "Nothing: every lever at its status-quo setting.",
        "zh": "无：所有措施均保持现状设置。",
    },
    "scenario_file": {"en": "scenario", "zh": "情景文件"},
    "original_text": {"en": "Original text", "zh": "原文（英文）"},
    "interval": {"en": "{level}% interval {lo} to {hi}", "zh": "{level}% 区间：{lo} 至 {hi}"},
    "not_recorded": {"en": "not recorded", "zh": "未记录"},
    "figure_lang_note": {
        "en": "",
        "zh": "图中文字为生成结果时所用的语言。",
    },
    # compare
    "question.compare": {
        "en": "Compared with the status quo, what would {policies} change for township "
        "officials' working time, the service citizens get and officials' well-being?",
        "zh": "与现状相比，{policies}会使乡镇干部的工作时间、群众得到的服务以及干部的身心状况"
        "发生什么变化？",
    },
    "method.compare": {
        "en": "Each policy was simulated {replicates} times on the same {replicates} random "
        "seeds as the status quo ({preset} hierarchy, {steps} weeks; the policy starts in week "
        "{start}). Results are averages over the last {summary} weeks. Every difference is "
        "paired: the policy and the status quo are compared run by run, on the same seed, and "
        "the interval is the {level}% confidence interval of the mean difference.",
        "zh": "每项政策以与现状相同的 {replicates} 个随机种子各模拟 {replicates} 次（{preset} "
        "规模层级，共 {steps} 周；政策自第 {start} 周起实施）。结果为最后 {summary} 周的平均值。"
        "所有差值均为配对比较：政策与现状在同一随机种子下逐次比较，区间为平均差值的 {level}% "
        "置信区间。",
    },
    "effect.down": {"en": "cuts {outcome} by {x}", "zh": "使{outcome}减少 {x}"},
    "effect.up": {"en": "raises {outcome} by {x}", "zh": "使{outcome}增加 {x}"},
    "effect.none": {
        "en": "no clear change in {outcome}: {x}",
        "zh": "{outcome}无明显变化：{x}",
    },
    "better": {"en": "better", "zh": "改善"},
    "worse": {"en": "worse", "zh": "恶化"},
    "unclear": {"en": "unclear", "zh": "不明确"},
    "col.outcome": {"en": "Outcome", "zh": "结果"},
    "col.status_quo": {"en": "Status quo", "zh": "现状"},
    "col.policy": {"en": "Policy", "zh": "政策"},
    "col.with_policy": {"en": "With the policy", "zh": "实施政策后"},
    "col.change": {"en": "Change [{level}% interval]", "zh": "变化 [{level}% 区间]"},
    "col.verdict": {"en": "Verdict", "zh": "判断"},
    "side_effects.intro": {
        "en": "Outcomes the policy makes clearly worse (the interval excludes no change):",
        "zh": "该政策明显恶化的结果（区间不含零）：",
    },
    "side_effects.none": {
        "en": "No outcome the model measures gets clearly worse under this policy.",
        "zh": "在模型度量的结果中，没有因该政策而明显恶化的。",
    },
    "one_world": {
        "en": "This comparison runs every policy in one world: the model's default assumptions "
        "about behaviour. It cannot tell where a policy would fail if those assumptions were "
        "wrong; an exploration across many possible worlds (oasim explore) answers that.",
        "zh": "本比较在同一种情境（模型对行为的默认假设）下运行所有政策，无法说明假设有误时政策会"
        "在何处失效；跨多种可能情境的探索（oasim explore）可以回答这一问题。",
    },
    "costs.intro": {
        "en": "Lever cost: the staff time and money the remedies themselves take (oversight "
        "bodies, data bureau, extra posts, services bought, verification), in staff-hours per "
        "township per week.",
        "zh": "政策成本：各项措施本身所耗费的人力与资金（监督机构、数据局、增加的编制、购买服务、"
        "实地核验等），以每个乡镇每周的人·时计。",
    },
    "costs.compare": {
        "en": "{policy} costs {x} ({interval}).",
        "zh": "{policy}的成本为 {x}（{interval}）。",
    },
    "costs.none": {
        "en": "The results do not record the levers' cost.",
        "zh": "结果中未记录政策成本。",
    },
    "assumptions.compare": {
        "en": "Every behavioural assumption is held at its default value in this comparison "
        "(calibrated to data where data exist). Which assumptions the conclusions hinge on is "
        "what a sensitivity analysis (oasim sensitivity) or an exploration (oasim explore) "
        "shows.",
        "zh": "本比较中所有行为假设均取默认值（有数据处已据数据校准）。结论依赖于哪些假设，需由"
        "敏感性分析（oasim sensitivity）或探索分析（oasim explore）说明。",
    },
    "caveat.model": {
        "en": "This is a model, not a forecast: it shows how the mechanisms described in the "
        "literature play out under stated assumptions, not what will happen in any real "
        "county or township.",
        "zh": "这是模型而非预测：它展示文献所述机制在既定假设下如何运作，而非任何真实县、乡镇"
        "将会发生的情况。",
    },
    "caveat.seeds.compare": {
        "en": "Intervals reflect chance alone (differences between {replicates} random "
        "seeds), not uncertainty about the model's assumptions or parameter values.",
        "zh": "区间只反映随机性（{replicates} 个随机种子之间的差异），不反映对模型假设或参数取值的"
        "不确定性。",
    },
    "caveat.levers": {
        "en": "Levers act at the strengths written in each policy; real implementation may be "
        "weaker, slower or uneven across places.",
        "zh": "各项措施按政策设定的力度生效；现实中的执行可能更弱、更慢或因地而异。",
    },
    "caveat.leaves_out": {
        "en": "The model leaves out, among other things: collusion between levels, officials' "
        "strategic choices beyond how diligently they work, differences between functional "
        "departments of one government, and the politics of adopting a policy (docs/ODD.md, "
        "section 9, lists the simplifications).",
        "zh": "模型未包括的内容包括：层级之间的合谋、干部除工作投入程度之外的策略选择、同一政府"
        "各职能部门之间的差异，以及政策出台过程中的政治因素（模型简化之处详见 docs/ODD.md "
        "第 9 节）。",
    },
    # sensitivity
    "question.sensitivity": {
        "en": "When {k} factors vary together over their plausible ranges, which of them move "
        "{outcomes} most?",
        "zh": "当 {k} 个因素在各自的合理范围内同时变化时，哪些因素对{outcomes}的影响最大？",
    },
    "method.sobol": {
        "en": "Variance-based (Sobol) analysis: {points} sample points, {seeds} random seed(s) "
        "averaged at each, {runs} runs ({preset} hierarchy, {steps} weeks). The total effect "
        "of a factor is the share of the outcome's variation that would disappear if the "
        "factor were known, its interactions with others included.",
        "zh": "基于方差的（Sobol）分析：{points} 个样本点，每点平均 {seeds} 个随机种子，共 {runs} "
        "次运行（{preset} 规模层级，{steps} 周）。某因素的总效应是：若该因素已知，结果的变化中"
        "将会消失的比例（含其与其他因素的交互作用）。",
    },
    "method.fast": {
        "en": "Variance-based (FAST) analysis: {points} sample points, {seeds} random seed(s) "
        "averaged at each, {runs} runs ({preset} hierarchy, {steps} weeks). The total effect "
        "of a factor is the share of the outcome's variation that would disappear if the "
        "factor were known, its interactions with others included.",
        "zh": "基于方差的（FAST）分析：{points} 个样本点，每点平均 {seeds} 个随机种子，共 {runs} "
        "次运行（{preset} 规模层级，{steps} 周）。某因素的总效应是：若该因素已知，结果的变化中"
        "将会消失的比例（含其与其他因素的交互作用）。",
    },
    "method.morris": {
        "en": "Screening (Morris method): {points} sample points along {samples} paths, "
        "{seeds} random seed(s) averaged at each, {runs} runs ({preset} hierarchy, {steps} "
        "weeks). A factor's influence is the average size of the change in the outcome when "
        "the factor alone moves across its range.",
        "zh": "筛选分析（Morris 方法）：沿 {samples} 条路径共 {points} 个样本点，每点平均 {seeds} "
        "个随机种子，共 {runs} 次运行（{preset} 规模层级，{steps} 周）。某因素的影响力是该因素"
        "单独在其范围内变动时结果变化的平均幅度。",
    },
    "policy_effect": {
        "en": "Every outcome is the difference that “{treatment}” makes compared with "
        "“{reference}”, evaluated at the same sample point with the same seeds.",
        "zh": "每个结果均为“{treatment}”相对于“{reference}”的差值，在同一样本点、同一随机种子下"
        "计算。",
    },
    "base_world": {
        "en": "Every run starts from “{base}”; everything not listed below stays at that setting.",
        "zh": "每次运行均以“{base}”为起点；下表未列出的设置保持不变。",
    },
    "col.factor": {"en": "Factor", "zh": "因素"},
    "col.kind": {"en": "Kind", "zh": "类型"},
    "col.range": {"en": "Range", "zh": "范围"},
    "role.lever": {"en": "policy lever", "zh": "政策措施"},
    "role.uncertainty": {"en": "assumption", "zh": "假设"},
    "role.group": {"en": "group of parameters", "zh": "参数组"},
    "drivers.sobol": {
        "en": "{factor} accounts for {x} of the variation in {outcome} (total effect; ± {conf})",
        "zh": "{factor}解释了{outcome}变化的 {x}（总效应；± {conf}）",
    },
    "drivers.morris": {
        "en": "moving {factor} across its range shifts {outcome} by about {x} on average "
        "(± {conf}){direction}",
        "zh": "{factor}在其范围内变动时，{outcome}平均变化约 {x}（± {conf}）{direction}",
    },
    "direction.up": {"en": "; mostly upwards", "zh": "；多为上升"},
    "direction.down": {"en": "; mostly downwards", "zh": "；多为下降"},
    "drivers.head": {"en": "What moves {outcome}", "zh": "影响{outcome}的因素"},
    "col.total": {"en": "Total effect", "zh": "总效应"},
    "col.first": {"en": "Alone", "zh": "单独效应"},
    "col.influence": {"en": "Influence", "zh": "影响力"},
    "col.spread": {"en": "Non-linearity / interaction", "zh": "非线性/交互"},
    "interaction.s2": {
        "en": "{a} and {b} act together on {outcome}: their joint effect explains {x} of its "
        "variation beyond what each does alone (± {conf}).",
        "zh": "{a}与{b}共同作用于{outcome}：二者的联合效应在各自单独效应之外还解释了其变化的 "
        "{x}（± {conf}）。",
    },
    "interaction.none": {
        "en": "No pair of factors shows a joint effect clearly above zero.",
        "zh": "没有哪两个因素的联合效应明显大于零。",
    },
    "costs.sensitivity": {
        "en": "What drives the levers' cost: {drivers}.",
        "zh": "影响政策成本的主要因素：{drivers}。",
    },
    "noise": {
        "en": "Random variation between seeds accounts for {x} of the variation in {outcome}.",
        "zh": "随机种子之间的差异占{outcome}变化的 {x}。",
    },
    "unstable": {
        "en": "The ranking of factors for {outcomes} still changes between half and all of the "
        "sample: read the order of close factors as uncertain.",
        "zh": "{outcomes}的因素排序在使用一半样本与全部样本时仍有变化：相近因素的先后顺序应视为"
        "不确定。",
    },
    "caveat.ranges": {
        "en": "Results hold for the ranges given; a factor that matters little here may matter "
        "outside them, and parameters not varied are held at their defaults.",
        "zh": "结论仅适用于所给范围；在此影响不大的因素在范围之外可能很重要，"
        "未变化的参数均保持默认值。",
    },
    "caveat.seeds.sensitivity": {
        "en": "Each sample point averages {seeds} random seed(s); intervals come from "
        "resampling the sample points.",
        "zh": "每个样本点平均 {seeds} 个随机种子；区间来自对样本点的重抽样。",
    },
    # explore
    "question.explore": {
        "en": "When {k} uncertain assumptions of the model vary over their plausible ranges, "
        "across {n} possible worlds, which of these policies still meets its goals: "
        "{policies}?",
        "zh": "当模型的 {k} 个不确定假设在各自合理范围内变化、形成 {n} 种可能情境时，{policies}"
        "中哪些仍能实现目标？",
    },
    "method.explore": {
        "en": "A world is one combination of the uncertain assumptions, drawn from the ranges "
        "below. Every policy, the status quo included, was simulated in each of the {n} worlds "
        "({preset} hierarchy, {steps} weeks, averaged over {seeds} random seed(s)), so "
        "policies are always compared with the status quo of the same world.",
        "zh": "每种情境是从下列范围中抽取的一组不确定假设。每项政策（包括现状）都在全部 {n} 种情境"
        "中模拟（{preset} 规模层级，{steps} 周，平均 {seeds} 个随机种子），因此政策始终与同一情境"
        "下的现状比较。",
    },
    "criteria.intro": {
        "en": "A policy succeeds in a world when it meets every criterion there:",
        "zh": "一项政策在某情境中满足以下全部标准即为成功：",
    },
    "crit.lower": {"en": "{outcome} lower than the status quo", "zh": "{outcome}低于现状"},
    "crit.not_lower": {
        "en": "{outcome} no lower than the status quo",
        "zh": "{outcome}不低于现状",
    },
    "crit.higher": {"en": "{outcome} higher than the status quo", "zh": "{outcome}高于现状"},
    "crit.not_higher": {
        "en": "{outcome} no higher than the status quo",
        "zh": "{outcome}不高于现状",
    },
    "tolerance": {
        "en": " (a fall of up to {x} {unit} is tolerated)",
        "zh": "（允许下降不超过 {x} {unit}）",
    },
    "miss.lower": {"en": "fails to reduce {outcome}", "zh": "未能降低{outcome}"},
    "miss.not_lower": {"en": "lowers {outcome}", "zh": "使{outcome}下降"},
    "miss.higher": {"en": "fails to raise {outcome}", "zh": "未能提高{outcome}"},
    "miss.not_higher": {"en": "raises {outcome}", "zh": "使{outcome}上升"},
    "col.uncertainty": {"en": "Assumption", "zh": "假设"},
    "col.low": {"en": "From", "zh": "下限"},
    "col.high": {"en": "To", "zh": "上限"},
    "satisficing": {
        "en": "{policy} meets every criterion in {x} of the worlds.",
        "zh": "{policy}在 {x} 的情境中满足全部标准。",
    },
    "satisficing.best": {
        "en": "The most robust policy by this test is {policy}.",
        "zh": "按此标准，最稳健的政策是{policy}。",
    },
    "satisficing.tie": {
        "en": "{policies} do equally well by this test ({x} of the worlds each).",
        "zh": "按此标准，{policies}表现相同（各在 {x} 的情境中满足全部标准）。",
    },
    "from_posterior": {
        "en": " (drawn from the calibration's posterior)",
        "zh": "（取自校准的后验分布）",
    },
    "col.all_criteria": {"en": "All criteria", "zh": "全部标准"},
    "regret.intro": {
        "en": "Regret measures how far a policy falls behind the best of the policies in the "
        "same world; a policy with a small worst-case regret is never far from the best "
        "choice, whichever world comes true.",
        "zh": "遗憾值衡量一项政策在同一情境中落后于最优政策的程度；最坏情况遗憾值小的政策，无论哪"
        "种情境成真，都不会离最优选择太远。",
    },
    "regret.rank": {
        "en": "{outcome} ({goal}): ranked by worst-case regret, {ranking}.",
        "zh": "{outcome}（{goal}）：按最坏情况遗憾值排序，依次为{ranking}。",
    },
    "goal.minimize": {"en": "lower is better", "zh": "越低越好"},
    "goal.maximize": {"en": "higher is better", "zh": "越高越好"},
    "col.effect_regret": {
        "en": "mean change vs status quo / worst regret",
        "zh": "相对现状的平均变化 / 最坏遗憾值",
    },
    "regret_short": {"en": "worst regret {x}", "zh": "最坏遗憾 {x}"},
    "fail.never": {
        "en": "{policy} meets every criterion in every world explored.",
        "zh": "{policy}在所有探索的情境中均满足全部标准。",
    },
    "fail.share": {
        "en": "{policy} misses at least one criterion in {x} of the worlds; most often it "
        "{misses}.",
        "zh": "{policy}在 {x} 的情境中至少未满足一项标准；最常见的是{misses}。",
    },
    "fail.miss_item": {"en": "{what} ({x} of worlds)", "zh": "{what}（{x} 的情境）"},
    "fail.box": {
        "en": "The failures concentrate where {conditions}: this region holds {coverage} of "
        "the failures, and {density} of the worlds in it fail (it spans {mass} of all worlds).",
        "zh": "失效集中在{conditions}的情境：该区域包含 {coverage} 的失效情境，其中 {density} 的"
        "情境失效（该区域占全部情境的 {mass}）。",
    },
    "fail.box_more": {
        "en": "A further region: where {conditions} ({coverage} of the failures, {density} of "
        "its worlds fail).",
        "zh": "另一区域：{conditions}（包含 {coverage} 的失效情境，其中 {density} 的情境失效）。",
    },
    "fail.no_box": {
        "en": "No simple region of the assumptions singles out these failures: they are spread "
        "across the worlds.",
        "zh": "无法用简单的假设区间概括这些失效：它们分散在各种情境中。",
    },
    "fail.always": {
        "en": "{policy} misses at least one criterion in every world explored; most often it "
        "{misses}.",
        "zh": "{policy}在所有探索的情境中都至少未满足一项标准；最常见的是{misses}。",
    },
    "cond.between": {"en": "{p} is between {lo} and {hi}", "zh": "{p}介于 {lo} 与 {hi} 之间"},
    "cond.above": {"en": "{p} is above {lo}", "zh": "{p}高于 {lo}"},
    "cond.below": {"en": "{p} is below {hi}", "zh": "{p}低于 {hi}"},
    "cond.is": {"en": "{p} is {v}", "zh": "{p}为 {v}"},
    "costs.explore": {
        "en": "{policy}: {x} on average across the worlds (from {lo} to {hi}).",
        "zh": "{policy}：各情境平均 {x}（{lo} 至 {hi}）。",
    },
    "features.intro": {
        "en": "How much each uncertain assumption helps predict an outcome across the worlds "
        "(shares of importance, summing to 100% per outcome):",
        "zh": "各不确定假设在预测各情境结果时的重要性（重要性占比，每个结果合计 100%）：",
    },
    "features.item": {
        "en": "{outcome} depends most on {drivers}.",
        "zh": "{outcome}最取决于{drivers}。",
    },
    "features.item_policy": {
        "en": "{outcome}: besides the choice of policy ({x}), it depends most on {drivers}.",
        "zh": "{outcome}：除所选政策（{x}）外，最取决于{drivers}。",
    },
    "caveat.worlds": {
        "en": "The {n} worlds sample the ranges given; worlds outside those ranges, and "
        "assumptions not varied, are not explored. Failure regions describe where failures "
        "cluster, not why: they are a guide to what to watch.",
        "zh": "{n} 种情境只是对所给范围的抽样；范围之外的情境和未变化的假设未被探索。失效区域描述"
        "失效聚集之处而非原因，可作为需要关注之处的提示。",
    },
    "caveat.seeds.explore": {
        "en": "Outcomes in each world average {seeds} random seed(s); with few seeds a small "
        "difference from the status quo can be chance.",
        "zh": "每种情境中的结果平均 {seeds} 个随机种子；种子较少时，与现状的微小差异可能出于偶然。",
    },
    # provenance
    "prov.version": {"en": "oasim version", "zh": "oasim 版本"},
    "prov.command": {"en": "command", "zh": "命令"},
    "prov.folder": {"en": "results folder", "zh": "结果文件夹"},
    "prov.preset": {"en": "hierarchy size", "zh": "层级规模"},
    "prov.steps": {"en": "weeks per run", "zh": "每次运行周数"},
    "prov.replicates": {"en": "replicates", "zh": "重复次数"},
    "prov.samples": {"en": "samples", "zh": "样本数"},
    "prov.method": {"en": "method", "zh": "方法"},
    "prov.worlds": {"en": "worlds", "zh": "情境数"},
    "prov.master_seed": {"en": "master seed", "zh": "主随机种子"},
    "prov.seeds": {"en": "seeds", "zh": "随机种子"},
    "prov.computed": {"en": "results computed", "zh": "结果计算时间"},
    "prov.written": {"en": "brief written", "zh": "简报生成日期"},
    "prov.files": {"en": "files (sha256)", "zh": "文件（sha256）"},
}


def t(key: str, lang: str, **fmt: Any) -> str:
    """The brief's text ``key`` in ``lang``, formatted (arguments are escaped if it is markup)."""
    entry = T[key]
    template = entry.get(lang) or entry["en"]
    if any(isinstance(v, Markup) for v in fmt.values()):
        return Markup(escape(template).format(**fmt)) if fmt else Markup(escape(template))
    return template.format(**fmt) if fmt else template


# ---- outcomes --------------------------------------------------------------------------------
# Plainer labels for the outcomes a brief leads with (the figures' labels are terser).
_OUTCOME_PLAIN: dict[str, dict[str, str]] = {
    "township_hours": {"en": "township officials' working hours", "zh": "乡镇干部周工时"},
    "overtime_hours": {"en": "overtime", "zh": "加班时长"},
    "hours_pure_formalism": {"en": "hours lost to pure formalism", "zh": "形式主义工时"},
    "burnout": {"en": "the share of officials burnt out", "zh": "干部倦怠比例"},
    "service_quality": {"en": "the quality of service to citizens", "zh": "为群众服务的质量"},
    "anxiety_township": {"en": "township officials' anxiety", "zh": "乡镇干部的焦虑"},
    "inspections_per_township": {
        "en": "inspections per township",
        "zh": "每个乡镇的督查检查考核",
    },
    "errors_to_citizens": {"en": "errors reaching citizens", "zh": "流向群众的差错"},
    "gaming_share": {
        "en": "the share of reported results not backed by work",
        "zh": "虚报实绩比例",
    },
    "hidden_burden_hours": {
        "en": "the hidden burden of tasks refilled through channels no quota counts",
        "zh": "隐形负担（绕过限额重新填入的任务）",
    },
    "evasion_share": {
        "en": "the share of cut items relabelled and sent anyway",
        "zh": "改头换面后照发的被削减事项比例",
    },
    "lever_cost": {"en": "the levers' cost", "zh": "政策成本"},
}

# Outcomes that are shares: differences are written in percentage points.
_SHARES = {"burnout", "reported_service", "service_quality"}


def is_share(name: str) -> bool:
    o = BY_NAME.get(name)
    return name in _SHARES or name.endswith("_share") or (o is not None and o.unit == "share")


def outcome_label(name: str, lang: str, plain: bool = True) -> str:
    """A reader's name for an outcome, without its unit."""
    if plain and name in _OUTCOME_PLAIN:
        return _OUTCOME_PLAIN[name][lang]
    entry = OUTCOME_TEXT.get(name)
    if entry:
        return entry.get(lang) or entry["en"]
    return name.replace("_", " ")


def outcome_unit(name: str, lang: str) -> str:
    """The unit a difference in ``name`` is written in ('' for a plain index)."""
    if is_share(name):
        return "percentage points" if lang == "en" else "个百分点"
    o = BY_NAME.get(name)
    if o is None or o.unit in ("-", "-1..1", "", "0-1", "1"):
        return ""
    return UNIT_TEXT.get(o.unit, {}).get(lang, o.unit)


def scale(name: str) -> float:
    """Factor from an outcome's values to the numbers a brief writes (shares: percent)."""
    return 100.0 if is_share(name) else 1.0


# ---- parameters ------------------------------------------------------------------------------
# Labels of behavioural assumptions (the app labels levers only) and of run settings.
def cap(text: str) -> str:
    """First letter upper case (for a label that starts a table row or a list item)."""
    return text[:1].upper() + text[1:] if text else text


def lower_first(text: str) -> str:
    """First letter lower case, for a label inside a sentence ('Cut meetings' -> 'cut
    meetings'), unless the first word is an acronym or a name such as 'PRIM'."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def mid_sentence(title: str, lang: str) -> str:
    """A title inside an English sentence: a leading article in lower case ('the combination
    punch ...')."""
    if lang == "en" and re.match(r"^(The|A|An) ", title):
        return title[0].lower() + title[1:]
    return title


def param_value(name: str, value: Any, lang: str) -> str:
    """A parameter's value as a reader sees it (choices by their label)."""
    if isinstance(value, str):
        entry = TEXT.get(f"app.{name}.{value}")
        return (entry.get(lang) or entry["en"]) if entry else value
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    if isinstance(value, float | int):
        return fmt_g(value)
    return str(value)


def criterion_text(outcome: str, rule: str, lang: str, miss: bool = False) -> str:
    """'burnout lower than the status quo', or (``miss``) 'fails to reduce burnout'."""
    key = f"{'miss' if miss else 'crit'}.{rule}"
    label = outcome_label(outcome, lang)
    if key not in T:
        return f"{label}: {rule}"
    return t(key, lang, outcome=label)


# ---- numbers ---------------------------------------------------------------------------------
def decimals(magnitude: float) -> int:
    """Decimals that show three significant digits from 10 up, two below (28.6, 3.1, 0.64)."""
    if not math.isfinite(magnitude) or magnitude == 0:
        return 1
    digits = 3 if magnitude >= 10 else 2
    return max(0, min(4, digits - 1 - math.floor(math.log10(magnitude))))


def fmt(x: float, dec: int | None = None) -> str:
    """A number for a reader; ``dec`` decimals, or chosen from its size. Minus is U+2212."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if dec is None:
        dec = decimals(abs(x))
    text = f"{abs(x):,.{dec}f}" if abs(x) >= 10000 else f"{abs(x):.{dec}f}"
    if float(text.replace(",", "")) == 0:
        return text
    return ("−" if x < 0 else "") + text


def signed(x: float, dec: int | None = None) -> str:
    out = fmt(x, dec)
    return out if out.startswith(("−", "–")) or float(x) == 0 else "+" + out


def fmt_g(x: float) -> str:
    """A parameter value or a range bound: up to three significant digits (0.41, 2.5, 104)."""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if x is None or not math.isfinite(x):
        return "–"
    return f"{x:.3g}".replace("-", "−")


def fmt_range(low: Any, high: Any) -> str:
    return f"{fmt_g(low)} – {fmt_g(high)}"


def pct(x: float, dec: int = 0) -> str:
    """A share in percent: 0.783 -> '78%'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    out = f"{100 * x:.{dec}f}"
    if float(out) == 0:
        out = out.lstrip("-")
    return out.replace("-", "−") + "%"


# ---- prose -----------------------------------------------------------------------------------
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _join_lines(lines: list[str]) -> str:
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) and _CJK.match(line[0])):
            out += " "
        out += line
    return out


def paragraphs(text: str) -> list[str]:
    """A TOML description (hard-wrapped lines, blank lines between paragraphs) as paragraphs."""
    blocks = re.split(r"\n\s*\n", (text or "").strip())
    return [p for p in (_join_lines(b.splitlines()) for b in blocks) if p]
