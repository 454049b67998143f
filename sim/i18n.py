"""English and simplified Chinese text for figures and the classroom app.

Every label the project draws comes from :data:`TEXT` through :func:`text`, in the article's own
terms (减负, 赋能, 督查检查考核, 层层加码, 组织焦虑 ...). Chinese figures need a CJK font; where
none is installed, :func:`resolve_language` says so once and falls back to English rather than
drawing empty boxes.
"""

from __future__ import annotations

import functools
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
        "en": "difference from {reference} (paired, {level}% CI; red: interval excludes 0)",
        "zh": "与{reference}之差（配对，{level}% 置信区间；红色：区间不含 0）",
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
    "sensitivity_title": {
        "en": "{problem}: {method}, N={n}, {seeds} seed(s) per point",
        "zh": "{problem}：{method}，N={n}，每点 {seeds} 个随机种子",
    },
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
}

UNIT_TEXT: dict[str, dict[str, str]] = {
    "h/week": {"en": "h/week", "zh": "小时/周"},
    "1/week": {"en": "per week", "zh": "次/周"},
    "0-1": {"en": "0-1", "zh": "0-1"},
    "per 100 officials": {"en": "per 100 officials", "zh": "每百人"},
    "per 100 posts": {"en": "per 100 posts", "zh": "每百岗位"},
    "staff-h/township/week": {"en": "staff-h/township/week", "zh": "人·时/乡镇/周"},
    "h/post": {"en": "h/post", "zh": "小时/岗位"},
}


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
    return name


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
