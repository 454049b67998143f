"""The page's own words that sim.i18n does not hold: the run controls that replace Mesa's
(whose labels Mesa draws in English only), the class dashboard and the submission card.

:func:`text` looks a key up here first and in :data:`sim.i18n.TEXT` otherwise, so the app's
modules use one function for every label.
"""

from __future__ import annotations

from .. import i18n

__all__ = ["APP_TEXT", "text"]

APP_TEXT: dict[str, dict[str, str]] = {
    # the run controls (Mesa's RESET, STEP, play, "Time: 10.0")
    "app.reset": {"en": "Reset", "zh": "重置"},
    "app.step": {"en": "Step", "zh": "单步"},
    "app.play": {"en": "Play", "zh": "播放"},
    "app.pause": {"en": "Pause", "zh": "暂停"},
    "app.week_counter": {"en": "Week {n}", "zh": "第 {n} 周"},
    "app.pending": {
        "en": "Controls moved: press Reset to run with them.",
        "zh": "控件已调整：按“重置”后以新设置运行。",
    },
    "app.how_to_run": {
        "en": "Picking a scenario or a size starts a new run with the scenario's levers in the "
        "controls. To try other levers, move the controls and press Reset (they act from week "
        "0), then Step or Play to run week by week.",
        "zh": "选择情景或规模会以该情景的政策措施开始新的运行，措施值显示在控件中。要尝试其他"
        "措施，调整控件后按“重置”（从第 0 周起生效），再按“单步”或“播放”逐周运行。",
    },
    "app.press_step": {
        "en": "Press Step or Play to run.",
        "zh": "按“单步”或“播放”开始运行。",
    },
    "app.levers": {"en": "Levers", "zh": "政策措施"},
    "app.levers.burden": {"en": "Burden reduction (减负)", "zh": "减负"},
    "app.levers.empower": {"en": "Empowerment (赋能)", "zh": "赋能"},
    "app.levers.tournament": {"en": "Promotion", "zh": "晋升激励"},
    "app.behaviour": {"en": "How anxiety travels", "zh": "焦虑如何传导"},
    "app.language": {"en": "Language", "zh": "语言"},
    "app.chart_loading": {"en": "drawing the chart ...", "zh": "正在绘制图表……"},
    # the card that sends a run to the class dashboard
    "app.share": {"en": "Send this run to the class", "zh": "提交本次运行结果"},
    "app.share_how": {
        "en": "Your group's name, the levers of the run on screen and its results at this week "
        "go to the teacher's dashboard.",
        "zh": "将小组名称、当前运行的政策措施及本周结果提交到教师的课堂看板。",
    },
    "app.group": {"en": "Group name", "zh": "小组名称"},
    "app.submit": {"en": "Submit", "zh": "提交"},
    "app.submitted": {
        "en": "Sent as entry {number} (week {week}).",
        "zh": "已提交，编号 {number}（第 {week} 周）。",
    },
    "app.need_group": {
        "en": "Enter your group's name first.",
        "zh": "请先填写小组名称。",
    },
    "app.need_weeks": {
        "en": "Run at least one week first (Step or Play).",
        "zh": "请先至少运行一周（单步或播放）。",
    },
    "app.board_full": {
        "en": "The dashboard is full ({n} entries): ask the teacher.",
        "zh": "看板已满（{n} 条）：请告知老师。",
    },
    # the class dashboard
    "app.dashboard": {"en": "Class dashboard", "zh": "课堂看板"},
    "app.dashboard_how": {
        "en": "Every run a group sends appears here as it arrives: its levers and its results at "
        "the week it was sent, beside the status quo (the baseline with the same size, seed, "
        "behaviour and week). Nothing is saved on this computer: export the table as CSV before "
        "stopping the app.",
        "zh": "各小组提交的运行结果实时显示在这里：其政策措施及提交当周的结果，并与现状对照"
        "（同样规模、随机种子、行为参数和周数的基准情景）。本机不保存任何内容：停止应用前"
        "请导出 CSV。",
    },
    "app.no_entries": {
        "en": "No entries yet. Students send their runs with the card under their charts.",
        "zh": "尚无提交。学生可通过图表下方的卡片提交运行结果。",
    },
    "app.entries": {
        "en": "entries: {n} · groups: {groups}",
        "zh": "提交 {n} 条 · 小组 {groups} 个",
    },
    "app.export": {"en": "Export CSV", "zh": "导出 CSV"},
    "app.col.number": {"en": "#", "zh": "编号"},
    "app.col.time": {"en": "time", "zh": "时间"},
    "app.col.group": {"en": "group", "zh": "小组"},
    "app.col.scenario": {"en": "scenario", "zh": "情景"},
    "app.col.preset": {"en": "size", "zh": "规模"},
    "app.col.seed": {"en": "seed", "zh": "种子"},
    "app.col.week": {"en": "week", "zh": "周"},
    "app.col.levers": {"en": "levers set", "zh": "所设措施"},
    "app.col.vs_status_quo": {"en": "vs status quo", "zh": "与现状相比"},
    "app.status_quo": {"en": "status quo", "zh": "现状"},
    "app.no_levers": {"en": "none (status quo)", "zh": "无（现状）"},
    "app.scatter_title": {
        "en": "Burden against service and cost, one dot per entry",
        "zh": "负担与服务、成本：每个点为一条提交",
    },
    "app.scatter_how": {
        "en": "Left: the township official's week; right: its pure formalism. Lower and further "
        "right is less burden for more service (top row) or at what cost (bottom row). Hover a "
        "dot for the group's levers; grey crosses mark the status quo.",
        "zh": "左：乡镇干部周工时；右：其中的形式主义工时。上排为服务质量，下排为政策成本。"
        "鼠标悬停在点上可查看该组的措施；灰色叉号为现状。",
    },
    "app.dashboard_off": {
        "en": "The class dashboard is off: start the app with oasim app --class.",
        "zh": "课堂看板未开启：请用 oasim app --class 启动应用。",
    },
    "app.dashboard_link": {
        "en": "Class dashboard for the teacher: {url}",
        "zh": "教师的课堂看板：{url}",
    },
}


def text(key: str, lang: str = "en", **fmt) -> str:
    """The text for ``key`` in ``lang``: this module's table first, then sim.i18n's."""
    entry = APP_TEXT.get(key)
    if entry is None:
        return i18n.text(key, lang, **fmt)
    template = entry.get(lang) or entry["en"]
    return template.format(**fmt) if fmt else template
