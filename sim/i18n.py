"""English and simplified Chinese text for figures and the classroom app.

Every label the project draws comes from :data:`TEXT` through :func:`text`, in the article's own
terms (减负, 赋能, 督查检查考核, 层层加码, 组织焦虑 ...). Chinese figures need a CJK font; where
none is installed, :func:`resolve_language` says so once and falls back to English rather than
drawing empty boxes.
"""

from __future__ import annotations

import functools
import logging
import re
import warnings

__all__ = [
    "LANGUAGES",
    "TEXT",
    "apply_font",
    "cjk_font",
    "outcome_label",
    "resolve_language",
    "text",
]

LANGUAGES = ("en", "zh")

# Fonts that cover simplified Chinese, in order of preference. Debian's fonts-wqy-microhei
# (1.6 MB) provides the first; the others are common on desktops.
CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)

TEXT: dict[str, dict[str, str]] = {
    # levels
    "province": {"en": "province", "zh": "省"},
    "city": {"en": "city", "zh": "市"},
    "county": {"en": "county", "zh": "县"},
    "township": {"en": "township", "zh": "乡镇"},
    # overview figure
    "anxiety_by_level": {"en": "Anxiety by level", "zh": "各层级组织焦虑"},
    "anxiety_axis": {"en": "anxiety (0-1)", "zh": "焦虑 (0-1)"},
    "township_week": {"en": "Township official's week", "zh": "乡镇干部的一周"},
    "hours_per_week": {"en": "hours per week", "zh": "小时/周"},
    "substantive": {"en": "substantive", "zh": "实质性工作"},
    "necessary_formal": {"en": "necessary formal", "zh": "必要的形式性工作"},
    "pure_formalism": {"en": "pure formalism", "zh": "形式主义"},
    "standard_week": {"en": "standard week", "zh": "标准工时"},
    "formal_by_kind": {"en": "Formal work by kind", "zh": "形式性工作构成"},
    "meetings": {"en": "meetings", "zh": "会议"},
    "documents": {"en": "documents", "zh": "发文"},
    "data_requests": {"en": "data requests", "zh": "数据报送"},
    "platform_checkins": {"en": "platform check-ins", "zh": "政务APP打卡"},
    "inspection_prep": {"en": "inspection preparation", "zh": "迎检"},
    "traces": {"en": "trace-leaving", "zh": "留痕"},
    "inspections": {"en": "inspections", "zh": "督查检查考核"},
    "items_received": {"en": "Items received per township", "zh": "每个乡镇收到的事项"},
    "items_per_week": {"en": "items per week", "zh": "件/周"},
    "service_and_burnout": {"en": "Service and burnout", "zh": "服务与倦怠"},
    "service_quality": {"en": "service quality", "zh": "服务质量"},
    "burnt_out_share": {"en": "burnt-out share", "zh": "倦怠比例"},
    "formalism_share": {"en": "formalism share of hours", "zh": "形式性工时占比"},
    "share_axis": {"en": "share (0-1)", "zh": "比例 (0-1)"},
    "superiors_trust": {"en": "Superiors' trust", "zh": "上级的信任"},
    "trust_axis": {"en": "trust (0-1)", "zh": "信任 (0-1)"},
    "trust_in_subordinates": {"en": "{level} in subordinates", "zh": "{level}对下级"},
    "week": {"en": "week", "zh": "周"},
    "levers_take_effect": {"en": "dotted line: levers take effect", "zh": "虚线：政策开始实施"},
    "overview_title": {
        "en": "{scenario} ({preset}, seed {seed})",
        "zh": "{scenario}（{preset}，随机种子 {seed}）",
    },
    # comparison figures
    "bands_note": {
        "en": "lines: mean over replicates; bands: 5-95% of replicates",
        "zh": "线：各次重复的均值；带：5%-95% 区间",
    },
    "levers_note": {"en": "dotted: levers take effect", "zh": "虚线：政策开始实施"},
    "forest_note": {
        "en": "change from {reference}, paired {level}% CI (filled: the interval excludes 0); "
        "right: the difference in the outcome's unit",
        "zh": "相对{reference}的变化，配对 {level}% 置信区间（实心：区间不含 0）；"
        "右侧：以结果自身单位表示的差值",
    },
    "forest_axis": {
        "en": "change from {reference} (% of the {reference} mean)",
        "zh": "相对{reference}的变化（占{reference}均值的百分比）",
    },
    "forest_column": {"en": "difference [{level}% CI]", "zh": "差值 [{level}% 置信区间]"},
    "forest_zero_reference": {
        "en": "{reference} is 0: no % change",
        "zh": "{reference}为 0，无百分比变化",
    },
    "replicates_title": {
        "en": "{names} ({preset}, {n} replicates)",
        "zh": "{names}（{preset}，{n} 次重复）",
    },
    "versus": {"en": " vs ", "zh": " 对比 "},
    # sensitivity figures
    "total_order": {"en": "total (ST)", "zh": "总效应 (ST)"},
    "first_order": {"en": "first order (S1)", "zh": "一阶效应 (S1)"},
    "variance_share": {"en": "share of output variance", "zh": "占输出方差的比例"},
    "indices_note": {
        "en": "sensitivity indices with {level}% bootstrap intervals",
        "zh": "敏感性指数（{level}% bootstrap 置信区间）",
    },
    "mu_star_axis": {"en": "mu* (mean |elementary effect|)", "zh": "mu*（平均绝对基本效应）"},
    "sigma_axis": {"en": "sigma (spread of effects)", "zh": "sigma（效应离散度）"},
    "morris_note": {
        "en": "Morris screening: far right = influential; high = non-linear or "
        "interacting (dashed: sigma = mu*)",
        "zh": "Morris 筛选：越靠右影响越大；越靠上越非线性或存在交互（虚线：sigma = mu*）",
    },
    "morris_labels": {
        "en": "labelled: the {k} largest mu* per panel; bars: {level}% interval of mu*",
        "zh": "标注：每幅图 mu* 最大的 {k} 个参数；误差线：mu* 的 {level}% 置信区间",
    },
    "morris_near_zero": {
        "en": "{n} more with mu* ≈ 0",
        "zh": "另有 {n} 个参数 mu* ≈ 0",
    },
    "morris_all_zero": {
        "en": "no parameter changes this outcome\n(every mu* ≈ 0)",
        "zh": "没有参数改变该结果\n（所有 mu* ≈ 0）",
    },
    "sensitivity_title": {
        "en": "{problem}: {method}, N={n}, {seeds} seed(s) per point",
        "zh": "{problem}：{method}，N={n}，每点 {seeds} 个随机种子",
    },
    # exploration figures (oasim explore)
    "explore_title": {
        "en": "{n} states of the world, {seeds} seed(s) each",
        "zh": "{n} 种世界状态，每种 {seeds} 个随机种子",
    },
    "satisficing_axis": {
        "en": "share of worlds meeting every criterion",
        "zh": "满足全部标准的世界状态比例",
    },
    "satisficing_panel": {"en": "satisficing", "zh": "满意度（满足全部标准）"},
    "regret_max": {"en": "maximum regret", "zh": "最大遗憾"},
    "regret_p90": {"en": "90th percentile regret", "zh": "第 90 百分位遗憾"},
    "regret_panel": {"en": "regret: {outcome}", "zh": "遗憾：{outcome}"},
    "prim_title": {
        "en": "{policy}: where it fails (PRIM peeling trajectory)",
        "zh": "{policy}：在何处失效（PRIM 剥离轨迹）",
    },
    "prim_coverage": {
        "en": "coverage (share of all failures in the box)",
        "zh": "覆盖率（箱内失效占全部失效的比例）",
    },
    "prim_density": {
        "en": "density (share of the box's worlds that fail)",
        "zh": "密度（箱内失效世界的比例）",
    },
    "prim_restricted": {"en": "restricted uncertainties", "zh": "受限的不确定参数个数"},
    "prim_selected": {"en": "chosen box", "zh": "选定的箱"},
    "feature_title": {
        "en": "What drives each outcome (extra-trees feature scores)",
        "zh": "各结果的驱动因素（极端随机树特征得分）",
    },
    "feature_policy": {"en": "policy", "zh": "政策"},
    "feature_score": {"en": "feature score", "zh": "特征得分"},
    "interactions_title": {
        "en": "Which remedies need each other: second-order Sobol indices S2",
        "zh": "哪些措施相互依赖：二阶 Sobol 指数 S2",
    },
    "interactions_note": {
        "en": "left: first-order and total indices of each remedy (the gap: variance it explains "
        "only with others)\nright: S2, the share only a pair explains (N={n}; outlined where "
        "the 95% interval excludes 0)",
        "zh": "左：各项措施的一阶与总效应指数（差距为仅与其他措施共同解释的方差）\n右：S2，"
        "仅由两项措施组合解释的方差比例（N={n}；95% 置信区间不含 0 的格子加框）",
    },
    # classroom app (sim/app): page text
    "app.title": {
        "en": "Organizational anxiety in a four-level hierarchy",
        "zh": "四级政府层级中的组织焦虑",
    },
    "app.setup": {"en": "Scenario and display", "zh": "情景与显示"},
    "app.scenario": {"en": "Scenario", "zh": "情景"},
    "app.preset": {"en": "Size of the hierarchy", "zh": "层级规模"},
    "app.preset.classroom": {"en": "classroom", "zh": "课堂"},
    "app.preset.region": {"en": "region", "zh": "地区"},
    "app.preset_size": {
        "en": "{units} units, {officials} township officials",
        "zh": "{units} 个单位，{officials} 名乡镇干部",
    },
    "app.how_to": {
        "en": "Picking a scenario or a size starts a new run with the scenario's levers in the "
        "controls below. To try other levers, move the controls and press Reset (they take "
        "effect from week 0), then Step or ▶ to run week by week. Time counts weeks.",
        "zh": "选择情景或规模会以该情景的政策措施开始新的运行，措施值显示在下方控件中。"
        "要尝试其他措施，调整控件后按 Reset（从第 0 周起生效），再按 Step 或 ▶ 逐周运行。"
        "Time 为周数。",
    },
    "app.no_data": {"en": "press Step or ▶ to run", "zh": "按 Step 或 ▶ 开始运行"},
    # classroom app: charts and their explanations
    "app.tree_title": {"en": "Anxiety across the hierarchy", "zh": "组织焦虑在层级中的分布"},
    "app.centre": {"en": "centre", "zh": "中央"},
    "app.heading": {"en": "{title} (week {n})", "zh": "{title}（第 {n} 周）"},
    "app.run_settings": {"en": "This run", "zh": "本次运行"},
    "app.differs": {
        "en": "Set differently from the status quo:",
        "zh": "与现状不同的设置：",
    },
    "app.differs_none": {
        "en": "Every lever and parameter as in the status quo.",
        "zh": "所有措施与参数均与现状相同。",
    },
    "app.overtime": {"en": "overtime", "zh": "加班"},
    "app.quality_title": {"en": "Service and burnout", "zh": "服务质量与倦怠"},
    "app.inspections_title": {
        "en": "Inspections per township",
        "zh": "每个乡镇的督查检查考核",
    },
    "app.explain.tree": {
        "en": "Each dot is a unit: the centre on top, then province, cities, counties and "
        "townships. Its colour is the anxiety of the unit's leader; a township shows the mean "
        "of its officials. The centre's colour is the central pressure.",
        "zh": "每个点是一个单位：最上方为中央，其下依次为省、市、县、乡镇。颜色表示该单位领导的"
        "组织焦虑；乡镇为其干部的平均值；中央的颜色为中央压力。",
    },
    "app.explain.anxiety": {
        "en": "Mean anxiety of the leaders of each level and of township officials. Anxiety "
        "passes down the chain and turns into meetings, documents, inspections and markups "
        "(层层加码).",
        "zh": "各层级领导及乡镇干部的平均焦虑。焦虑沿层级向下传导，"
        "转化为会议、发文、督查检查与层层加码。",
    },
    "app.explain.hours": {
        "en": "A township official's average week: substantive service to citizens, formal "
        "work a well-run government needs, and pure formalism. Above the dashed line is "
        "overtime.",
        "zh": "乡镇干部平均一周的工时：为群众办实事的实质性工作、必要的形式性工作和形式主义。"
        "虚线以上为加班。",
    },
    "app.explain.quality": {
        "en": "Service quality: the share of the work on the books that gets done. Burnout: "
        "the share of officials above the burnout threshold.",
        "zh": "服务质量：应办工作中完成的比例。倦怠比例：超过倦怠阈值的干部所占比例。",
    },
    "app.explain.inspections": {
        "en": "Inspections, checks and assessments (督查检查考核) held per township per week.",
        "zh": "每个乡镇每周接受的督查检查考核次数。",
    },
    # classroom app: controls (levers in the article's terms, then behaviour)
    "app.seed": {"en": "Random seed", "zh": "随机种子"},
    "app.quota.meetings_cut": {"en": "Cut meetings (减会议)", "zh": "减会议：会议削减比例"},
    "app.quota.documents_cut": {"en": "Cut documents (减发文)", "zh": "减发文：发文削减比例"},
    "app.quota.inspections_cut": {
        "en": "Cut inspections (减督考)",
        "zh": "减督考：督查检查考核削减比例",
    },
    "app.oversight.strength": {
        "en": "Oversight body (专门监督机构)",
        "zh": "专门监督机构（强度）",
    },
    "app.assessment.mode": {"en": "Assessment (考核方式)", "zh": "考核方式"},
    "app.assessment.mode.process": {
        "en": "process: traces scored (过程考核)",
        "zh": "过程考核（看留痕）",
    },
    "app.assessment.mode.result": {"en": "results (结果考核)", "zh": "结果考核"},
    "app.assessment.mode.result_campaigns": {
        "en": "results, process only in campaigns (结果考核 兼顾过程管理)",
        "zh": "结果考核，专项中兼顾过程管理",
    },
    "app.verification.intensity": {
        "en": "Verify results in the field (实地核验)",
        "zh": "实地核验：核验实绩的检查比例",
    },
    "app.indicators.count": {
        "en": "Assessment indicators (压缩考核指标)",
        "zh": "考核指标数（压缩考核指标）",
    },
    "app.fault_tolerance.share": {
        "en": "Fault tolerance: honest errors forgiven (容错)",
        "zh": "容错：诚实差错免责比例",
    },
    "app.bottom_up.weight": {
        "en": "Bottom-up evaluation (以下考上)",
        "zh": "以下考上：下级评价权重",
    },
    "app.bottom_up.anonymity": {
        "en": "Anonymous ratings (匿名评议)",
        "zh": "以下考上：匿名评议",
    },
    "app.devolution.tasks": {
        "en": "County devolution: tasks (县级放权 事权)",
        "zh": "县级放权：事权",
    },
    "app.devolution.personnel": {
        "en": "County devolution: personnel (县级放权 人权)",
        "zh": "县级放权：人权",
    },
    "app.devolution.finance": {
        "en": "County devolution: finance (县级放权 财权)",
        "zh": "县级放权：财权",
    },
    "app.platforms.count": {
        "en": "Government apps per official (政务APP)",
        "zh": "政务APP数量",
    },
    "app.platforms.checkin_hours": {
        "en": "Check-in hours per app (政务APP打卡)",
        "zh": "每个政务APP每周打卡小时",
    },
    "app.platforms.time_saved": {
        "en": "Time saved by digital tools (技术赋能)",
        "zh": "技术赋能：节省时间比例",
    },
    "app.data_bureau.merge": {
        "en": "Data bureau: requests merged (数据局)",
        "zh": "数据局：合并重复数据报送",
    },
    "app.staffing.follow_workload": {
        "en": "Staffing follows workload (编制随工作量)",
        "zh": "编制随工作量调整",
    },
    "app.allocation.capable_bias": {
        "en": "Work piled on the capable (能者多劳; lower: 基层公允)",
        "zh": "能者多劳程度（越低越公允：基层公允）",
    },
    "app.secondment.staff": {
        "en": "Officials seconded to each township (人员下沉)",
        "zh": "人员下沉：每个乡镇下沉人数",
    },
    "app.joint_enforcement.share": {
        "en": "Joint enforcement (联合执法)",
        "zh": "联合执法：合并比例",
    },
    "app.tournament.intensity": {
        "en": "Promotion tournament (晋升锦标赛)",
        "zh": "晋升锦标赛强度",
    },
    "app.anxiety.from_superior": {
        "en": "Anxiety passed down from the superior (组织焦虑)",
        "zh": "上级组织焦虑向下传导",
    },
    "app.anxiety.central_pressure": {"en": "Central pressure (中央压力)", "zh": "中央压力"},
    "app.cascade.escalation": {"en": "Target escalation (层层加码)", "zh": "层层加码"},
}

# Outcome names in each language (units are added by outcome_label).
OUTCOME_TEXT: dict[str, dict[str, str]] = {
    "anxiety_province": {"en": "province anxiety", "zh": "省级焦虑"},
    "anxiety_city": {"en": "city anxiety", "zh": "市级焦虑"},
    "anxiety_county": {"en": "county anxiety", "zh": "县级焦虑"},
    "anxiety_township": {"en": "township anxiety", "zh": "乡镇干部焦虑"},
    "trust_province": {"en": "province trust in cities", "zh": "省对市的信任"},
    "trust_city": {"en": "city trust in counties", "zh": "市对县的信任"},
    "trust_county": {"en": "county trust in townships", "zh": "县对乡镇的信任"},
    "township_hours": {"en": "township hours", "zh": "乡镇干部周工时"},
    "overtime_hours": {"en": "overtime", "zh": "加班时长"},
    "hours_pure_formalism": {"en": "pure formalism", "zh": "形式主义工时"},
    "hours_necessary_formal": {"en": "necessary formal work", "zh": "必要形式性工时"},
    "hours_excess_substantive": {"en": "excess substantive work", "zh": "超额实质性工作"},
    "hours_substantive": {"en": "substantive work", "zh": "实质性工作工时"},
    "hours_meetings": {"en": "meetings", "zh": "会议工时"},
    "hours_documents": {"en": "documents", "zh": "发文处理工时"},
    "hours_data": {"en": "data requests", "zh": "数据报送工时"},
    "hours_platforms": {"en": "platform check-ins", "zh": "政务APP工时"},
    "hours_inspection_prep": {"en": "inspection preparation", "zh": "迎检工时"},
    "hours_traces": {"en": "trace-leaving", "zh": "留痕工时"},
    "formalism_share": {"en": "formalism share", "zh": "形式性工时占比"},
    "inspections_per_township": {"en": "inspections", "zh": "督查检查考核次数"},
    "meetings_per_township": {"en": "meetings received", "zh": "收到的会议"},
    "documents_per_township": {"en": "documents received", "zh": "收到的文件"},
    "data_requests_per_township": {"en": "data requests", "zh": "数据报送要求"},
    "service_quality": {"en": "service quality", "zh": "服务质量"},
    "errors": {"en": "errors", "zh": "差错"},
    "accountability_events": {"en": "accountability events", "zh": "问责事件"},
    "burnout": {"en": "burnout share", "zh": "倦怠比例"},
    "turnover": {"en": "turnover", "zh": "离职"},
    "workload_gini": {"en": "workload Gini", "zh": "工作量基尼系数"},
    "competence_workload_corr": {
        "en": "competence-workload correlation",
        "zh": "能力与工作量相关（能者多劳）",
    },
    "competence_accountability_corr": {
        "en": "competence-accountability correlation",
        "zh": "能力与问责相关",
    },
    "quota_ratio": {"en": "effective / nominal quota", "zh": "实际/名义限额（反弹）"},
    "lever_cost": {"en": "lever cost", "zh": "政策成本"},
    "backlog_hours": {"en": "backlog", "zh": "积压工作"},
    "vacancy_share": {"en": "vacant posts", "zh": "空缺岗位比例"},
    "leave_share": {"en": "on leave", "zh": "病休比例"},
    "errors_to_citizens": {"en": "errors reaching citizens", "zh": "流向群众的差错"},
    "hours_at_cap_share": {"en": "at the weekly maximum", "zh": "达到工时上限的比例"},
    "hours_p10": {"en": "hours, 10th percentile", "zh": "工时（第10百分位）"},
    "hours_p90": {"en": "hours, 90th percentile", "zh": "工时（第90百分位）"},
    "platforms_per_township": {"en": "work platforms", "zh": "工作平台数"},
    "reported_service": {"en": "reported service", "zh": "考核所见服务"},
    "shirking_share": {"en": "perfunctory work", "zh": "应付式工作比例"},
    "gaming_share": {"en": "results not backed by work", "zh": "虚报实绩比例"},
    "hidden_burden_hours": {"en": "hidden burden", "zh": "隐形负担"},
    "evasion_share": {"en": "cut items relabelled", "zh": "改头换面的事项比例"},
}

UNIT_TEXT: dict[str, dict[str, str]] = {
    "h/week": {"en": "h/week", "zh": "小时/周"},
    "1/week": {"en": "per week", "zh": "次/周"},
    "0-1": {"en": "0-1", "zh": "0-1"},
    "share": {"en": "share", "zh": "比例"},
    "per 100 officials": {"en": "per 100 officials", "zh": "每百人"},
    "per 100 posts": {"en": "per 100 posts", "zh": "每百岗位"},
    "staff-h/township/week": {"en": "staff-h/township/week", "zh": "人·时/乡镇/周"},
    "h/post": {"en": "h/post", "zh": "小时/岗位"},
}


# Readers' names for parameters and lever groups (figures, briefs).
PARAM_TEXT: dict[str, dict[str, str]] = {
    "policy": {"en": "which policy is chosen", "zh": "所选政策"},
    "run.policy_start": {"en": "week the policy starts", "zh": "政策开始实施的周"},
    "run.steps": {"en": "weeks simulated", "zh": "模拟周数"},
    "anxiety.from_superior": {
        "en": "how strongly anxiety passes down from superiors",
        "zh": "上级焦虑向下传导的强度",
    },
    "anxiety.from_peers": {
        "en": "how strongly anxiety spreads among peers",
        "zh": "同级之间焦虑传染的强度",
    },
    "anxiety.escalated_pressure": {
        "en": "how far marked-up targets add to the pressure passed down",
        "zh": "层层加码放大向下传导压力的程度",
    },
    "anxiety.central_pressure": {"en": "pressure from the centre", "zh": "中央压力"},
    "anxiety.from_subordinates": {
        "en": "how strongly subordinates' anxiety travels upwards",
        "zh": "下级焦虑向上传导的强度",
    },
    "cascade.escalation": {
        "en": "how much each level marks up targets (层层加码)",
        "zh": "层层加码的幅度",
    },
    "accountability.per_error": {
        "en": "chance that a detected error leads to accountability",
        "zh": "被发现的差错导致问责的概率",
    },
    "output.yd_optimum": {
        "en": "level of anxiety at which officials work best",
        "zh": "工作效率最高时的焦虑水平",
    },
    "output.yd_width": {
        "en": "how wide the band of productive anxiety is",
        "zh": "有效焦虑区间的宽度",
    },
    "trust.asymmetry": {
        "en": "how much faster trust falls on bad news than it rises",
        "zh": "坏消息使信任下降快于上升的倍数",
    },
    "burnout.gain": {"en": "how fast strain builds up fatigue", "zh": "压力累积疲劳的速度"},
    "burnout.recovery": {"en": "how fast officials recover from fatigue", "zh": "疲劳恢复的速度"},
    "rebound.leakage": {
        "en": "share of cut items displaced into other channels",
        "zh": "被削减事项转移到其他渠道的比例",
    },
    "rebound.drift_weeks": {
        "en": "how long quota cuts hold without oversight",
        "zh": "无监督时限额约束维持的时间",
    },
    "rebound.refill": {
        "en": "share of freed hours refilled with new tasks",
        "zh": "腾出的工时被新任务填满的比例",
    },
    "evasion.relabel": {
        "en": "share of cut items relabelled and sent anyway",
        "zh": "被削减事项改头换面后照发的比例",
    },
    "platforms.life_weeks": {"en": "how long a government app lives", "zh": "政务APP的存续时间"},
    "inspection.distrust": {
        "en": "extra inspections driven by distrust",
        "zh": "因不信任而增加的检查",
    },
    "inspection.detection": {
        "en": "chance that an inspection finds an error",
        "zh": "检查发现差错的概率",
    },
    "formal.trace_anxiety": {
        "en": "extra trace-leaving (留痕) driven by anxiety",
        "zh": "焦虑导致的额外留痕",
    },
    "effort.motivation": {"en": "officials' intrinsic motivation", "zh": "干部的内在动机"},
    "effort.sanction": {
        "en": "weight of the fear of accountability on diligence",
        "zh": "问责担忧对工作投入的影响",
    },
    "effort.perfunctory_output": {
        "en": "output of perfunctory work (应付)",
        "zh": "应付式工作的产出",
    },
    "coordination.max_rework": {
        "en": "rework caused by uncoordinated demands",
        "zh": "缺乏协调造成的重复工作",
    },
    "errors.harm_hours": {
        "en": "harm one error does to citizens",
        "zh": "一次差错对群众造成的损失",
    },
    "devolution.pushdown": {
        "en": "how much work anxious counties push down",
        "zh": "焦虑的县向乡镇下压工作的程度",
    },
    "gaming.anxiety": {
        "en": "pull of anxiety toward inflating reported results",
        "zh": "焦虑驱动虚报实绩的强度",
    },
    "gaming.deterrence": {
        "en": "deterrence of inflated results by verification",
        "zh": "核验对虚报的威慑",
    },
    "bottom_up.inflation": {
        "en": "how far anxious raters flatter their superiors",
        "zh": "焦虑的评议者美化上级评价的程度",
    },
    "fault_tolerance.trial_gain": {
        "en": "productivity gained from trial and error",
        "zh": "试错带来的效率提升",
    },
    "demand.citizen_hours": {"en": "citizens' demand for services", "zh": "群众办事需求"},
    "accountability.memory": {
        "en": "how fast an accountability record fades",
        "zh": "问责记录消退的速度",
    },
    "devolution.patronage": {
        "en": "competence lost when townships hire by ties",
        "zh": "乡镇自主用人时因人情任用损失的能力",
    },
    "effort.reward": {
        "en": "pull of performance rewards toward diligence",
        "zh": "绩效奖励对工作投入的激励",
    },
    "fault_tolerance.trial_errors": {
        "en": "extra errors made while trying new practices",
        "zh": "试行新做法时增加的差错",
    },
    "rebound.refill_weeks": {
        "en": "how fast freed hours are refilled",
        "zh": "腾出工时被重新填满的速度",
    },
    "anxiety.tournament": {
        "en": "weight of tournament pressure in anxiety",
        "zh": "锦标赛压力对焦虑的影响",
    },
}

# Lever groups of docs/ODD.md section 1.6 (and groups a problem file may declare).
GROUP_TEXT: dict[str, dict[str, str]] = {
    "quota cuts": {"en": "quota cuts (减会议 减发文 减督考)", "zh": "减会议、减发文、减督考"},
    "oversight": {"en": "oversight body (专门监督机构)", "zh": "专门监督机构"},
    "assessment mode": {"en": "result assessment (结果考核)", "zh": "结果考核"},
    "result verification": {"en": "field verification (实地核验)", "zh": "实地核验"},
    "indicator cap": {"en": "fewer indicators (压缩考核指标)", "zh": "压缩考核指标"},
    "fault tolerance": {"en": "fault tolerance (容错)", "zh": "容错"},
    "bottom-up evaluation": {"en": "bottom-up evaluation (以下考上)", "zh": "以下考上"},
    "devolution": {"en": "county devolution (县级放权)", "zh": "县级放权"},
    "digital platforms": {"en": "government apps (政务APP)", "zh": "政务APP与技术赋能"},
    "data bureau": {"en": "data bureau (数据局)", "zh": "数据局"},
    "dynamic staffing": {"en": "staffing that follows workload", "zh": "编制随工作量调整"},
    "fair allocation": {"en": "fair allocation (基层公允)", "zh": "基层公允"},
    "secondment": {"en": "secondment (人员下沉)", "zh": "人员下沉"},
    "joint enforcement": {"en": "joint enforcement (联合执法)", "zh": "联合执法"},
    "tournament": {"en": "milder promotion tournament", "zh": "弱化晋升锦标赛"},
    # groups of the remedies problem (scenarios/sensitivity/remedies.toml)
    "burden quotas": {"en": "quota cuts with oversight (限量减负)", "zh": "限量减负与监督"},
    "result assessment": {"en": "result assessment (结果考核)", "zh": "结果考核"},
    "county devolution": {"en": "county devolution (县级放权)", "zh": "县级放权"},
    "trial and error": {"en": "room for trial and error (容错)", "zh": "容错与试错"},
}


def group_label(name: str, lang: str) -> str:
    """A lever group ('lever: quota cuts', 'quota_cuts') or a declared group, for a reader."""
    key = re.sub(r"^lever:\s*", "", name.strip()).replace("_", " ")
    entry = GROUP_TEXT.get(key) or GROUP_TEXT.get(key.replace("-", " "))
    if entry:
        return entry[lang]
    from .params import CATALOGUE  # here: the catalogue imports nothing of this module

    if name in CATALOGUE or name in PARAM_TEXT:
        return param_label(name, lang)
    return key


def param_label(name: str, lang: str) -> str:
    """A reader's name for a parameter (dotted name), a lever group, or the name itself."""
    entry = PARAM_TEXT.get(name)
    if entry:
        return entry[lang]
    app = TEXT.get(f"app.{name}")
    if app:
        return app.get(lang) or app["en"]
    from .params import CATALOGUE

    if name not in CATALOGUE:
        key = re.sub(r"^lever:\s*", "", name).replace("_", " ")
        if key in GROUP_TEXT:
            return GROUP_TEXT[key][lang]
        return name
    meaning = CATALOGUE[name].meaning
    # The catalogue's meaning, up to its first parenthesis or semicolon: a phrase, not a note.
    short = re.split(r"\s[(;:]|;|: ", meaning, maxsplit=1)[0].strip()
    return short or name


def text(key: str, lang: str = "en", **fmt) -> str:
    """The text for ``key`` in ``lang`` (English if there is no translation)."""
    entry = TEXT[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**fmt) if fmt else template


def outcome_label(name: str, lang: str = "en", unit: bool = True) -> str:
    """'township hours (h/week)' / '乡镇干部周工时（小时/周）'; ``_final`` names are handled."""
    from .outcomes import BY_NAME

    base = name[: -len("_final")] if name.endswith("_final") else name
    entry = OUTCOME_TEXT.get(base)
    label = (entry.get(lang) or entry["en"]) if entry else base.replace("_", " ")
    if name.endswith("_final"):
        label += " (final week)" if lang == "en" else "（最后一周）"
    outcome = BY_NAME.get(base)
    if not unit or outcome is None or outcome.unit in ("-", "-1..1", ""):
        return label
    u = UNIT_TEXT.get(outcome.unit, {}).get(lang, outcome.unit)
    return f"{label} ({u})" if lang == "en" else f"{label}（{u}）"


# File-name fragments of CJK fonts, for fonts installed after matplotlib built its font cache.
CJK_FILES = ("wqy", "notosanscjk", "notoserifcjk", "sourcehansans", "simhei", "msyh", "pingfang")


@functools.cache
def cjk_font() -> str | None:
    """The family name of an installed font that covers Chinese, or None."""
    from matplotlib import font_manager

    def known() -> str | None:
        installed = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS if name in installed), None)

    if (name := known()) is None:
        for path in font_manager.findSystemFonts():
            if any(frag in path.lower().replace("-", "").replace("_", "") for frag in CJK_FILES):
                font_manager.fontManager.addfont(path)
        name = known()
    if name is not None:
        # CJK fonts often come in one weight; matplotlib then logs, for every bold title, that
        # it draws the regular one instead: expected, and noise in a command's output.
        logging.getLogger("matplotlib.font_manager").addFilter(_one_weight)
    return name


def _one_weight(record: logging.LogRecord) -> bool:
    return "Failed to find font weight" not in record.getMessage()


@functools.cache
def _warn_no_font() -> None:
    warnings.warn(
        "No Chinese (CJK) font is installed, so figures are drawn in English. Install one, "
        "e.g. `apt-get install fonts-wqy-microhei`, to draw them in Chinese.",
        stacklevel=3,
    )


def resolve_language(lang: str | None) -> str:
    """``lang`` if it can be drawn: 'zh' without a CJK font falls back to 'en' (warned once)."""
    lang = lang or "en"
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: allowed {', '.join(LANGUAGES)}")
    if lang == "zh" and cjk_font() is None:
        _warn_no_font()
        return "en"
    return lang


def apply_font(fig, lang: str) -> None:
    """Give every text of ``fig`` a font that draws ``lang`` (CJK first, Latin as fallback).

    Fonts are set on the text objects themselves, not in rcParams, so the figure draws right
    wherever it is saved or displayed later (a notebook, the app)."""
    if lang != "zh":
        return
    from matplotlib.text import Text

    families = [cjk_font(), "DejaVu Sans"]
    for artist in fig.findobj(Text):
        artist.set_fontfamily(families)
