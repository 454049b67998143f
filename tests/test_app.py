"""The classroom app without a browser: its model, controls, charts, class board, pages and
server start.

The pages are rendered with ``solara.render`` (as Mesa's own UI tests do) inside the app's
layout, which is what ``solara run`` wraps them in.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import re
import socket
import subprocess
import sys
import threading
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace

import ipyvuetify as v
import ipywidgets
import jsonschema
import numpy as np
import pytest
import solara

from sim import i18n
from sim.app import board, server
from sim.app.board import BOARD, RESULTS, Board, SubmissionRefused
from sim.app.charts import CHARTS, chart_cards, chart_data, field, tree_layout
from sim.app.components import PLAY_INTERVAL, run_settings
from sim.app.controls import (
    BEHAVIOUR,
    CONTROLS,
    LEVERS,
    PRESETS,
    SECTIONS,
    initial_values,
    model_kwargs,
    scenario_library,
)
from sim.app.dashboard import Dashboard, scatter_columns, scatter_spec
from sim.app.model import ClassroomModel
from sim.app.page import ClassPage, ClassroomApp, Layout, Page, routes
from sim.app.text import APP_TEXT, text
from sim.app.vega import LIBS, VegaCharts, vega_libs
from sim.cli import main
from sim.errors import InputError
from sim.hierarchy import CENTRE
from sim.params import CATALOGUE, LEVER_GROUPS
from sim.scenario import SCENARIO_DIR

ROOT = Path(__file__).resolve().parent.parent
CDN = Path(sys.prefix) / "share" / "solara" / "cdn"  # where solara-assets installs the assets


# ---- the model factory ----------------------------------------------------------------------
def test_the_library_is_every_scenario_file_baseline_first():
    library = scenario_library()
    assert set(library) == {p.stem for p in SCENARIO_DIR.glob("*.toml")}
    assert next(iter(library)) == "baseline"


@pytest.mark.parametrize("name", sorted(scenario_library()))
def test_every_scenario_builds_with_its_levers_in_force_from_week_0(name):
    spec = scenario_library()[name]
    model = ClassroomModel(scenario_name=name)
    assert model.params.hierarchy.preset == "classroom"
    assert model.params.run.policy_start == 0
    for param, value in spec.params.changed().items():
        if param != "hierarchy.preset":
            assert model.params[param] == value, param
    model.step()
    assert model.active_params == model.params  # the levers act from the first week
    assert model.week == 1


def test_every_lever_of_the_catalogue_has_a_control_in_one_section():
    levers = {c.param for c in LEVERS}
    catalogue = {p.name for p in CATALOGUE.values() if p.is_lever}
    assert levers == catalogue
    assert {CATALOGUE[p].group for p in levers} == set(LEVER_GROUPS)
    in_sections = [c for _, controls in SECTIONS for c in controls]
    assert in_sections == list(CONTROLS)  # each once, in the catalogue's order
    assert all(CATALOGUE[c.param].group.startswith("lever: ") for c in SECTIONS[0][1])


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: c.param)
def test_each_scenario_value_sits_on_its_slider(control):
    param = CATALOGUE[control.param]
    values = {s.params[control.param] for s in scenario_library().values()}
    if param.kind == "choice":
        assert values <= set(param.choices)
        return
    assert param.low <= control.low < control.high <= param.high
    for value in values:
        assert control.low <= value <= control.high, value
        ticks = (value - control.low) / control.step
        assert math.isclose(ticks, round(ticks), abs_tol=1e-9), f"{value} is between two ticks"


def test_the_model_takes_exactly_the_page_inputs_as_keywords():
    signature = inspect.signature(ClassroomModel.__init__).parameters
    names = set(signature) - {"self"}
    assert names == {"scenario_name", "preset", "seed"} | {c.arg for c in CONTROLS}
    assert all(
        p.kind is inspect.Parameter.KEYWORD_ONLY for n, p in signature.items() if n != "self"
    )
    assert set(model_kwargs("baseline", "classroom", initial_values("baseline"))) == names


def test_reset_builds_the_model_from_the_page_values():
    values = initial_values("combination_punch")
    assert values["quota_meetings_cut"] == 0.4
    values = {**values, "quota_meetings_cut": 0.9, "seed": 7, "not_a_control": 1}
    rebuilt = ClassroomModel(**model_kwargs("combination_punch", "region", values))
    assert rebuilt.params["quota.meetings_cut"] == 0.9
    assert rebuilt.params["quota.inspections_cut"] == 0.5  # combination_punch's own value
    assert rebuilt.params.hierarchy.preset == "region"
    assert rebuilt.run_seed == 7


def test_a_control_left_unset_keeps_the_scenario_value():
    model = ClassroomModel(
        scenario_name="combination_punch", quota_documents_cut=0.05, assessment_mode="process"
    )
    assert model.params["quota.documents_cut"] == 0.05
    assert model.params["assessment.mode"] == "process"
    assert model.params["quota.meetings_cut"] == 0.4


def test_the_seed_decides_the_run():
    def run(seed):
        model = ClassroomModel(seed=seed)
        model.run_for(5)
        return model.datacollector.get_model_vars_dataframe()

    assert run(3).equals(run("3"))  # a seed from the browser may arrive as text
    assert not run(3).equals(run(4))


# ---- charts (drawn in the browser: here, their specifications and data) ------------------------
@pytest.fixture(scope="module")
def vega_lite_schema():
    """The JSON schema of the Vega-Lite the page loads (installed by solara-assets)."""
    path = CDN / vega_libs(CDN)["vega-lite"].split("/")[0] / "build" / "vega-lite-schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("preset", PRESETS)
def test_every_chart_is_valid_vega_lite_for_the_version_the_page_loads(
    vega_lite_schema, preset, lang
):
    specs = [c["spec"] for c in chart_cards(ClassroomModel(preset=preset), lang)]
    specs.append(scatter_spec(lang))
    for spec in specs:
        assert spec["$schema"].endswith("/v5.json")
        errors = [e.message for e in vega_lite_schema.iter_errors(spec)]
        assert errors == [], errors[:3]
    broken = {**specs[1], "marks": "not a Vega-Lite key"}
    assert list(vega_lite_schema.iter_errors(broken))  # the check can fail


def test_the_tree_layout_centres_each_unit_over_its_subordinates():
    graph = ClassroomModel().tree.graph
    pos = tree_layout(graph)
    assert pos[CENTRE] == (pytest.approx(pos[0][0]), 0.0)
    for node in graph:
        kids = list(graph.successors(node))
        if kids:
            assert pos[node][0] == pytest.approx(np.mean([pos[k][0] for k in kids]))
            assert all(pos[k][1] == pos[node][1] - 1 for k in kids)
    leaves = [n for n in graph if graph.out_degree(n) == 0]
    assert [pos[n][0] for n in leaves] == list(range(len(leaves)))  # evenly spaced, in order


@pytest.mark.parametrize("preset", PRESETS)
def test_the_tree_colours_every_unit_by_its_anxiety(preset):
    model = ClassroomModel(preset=preset)
    model.run_for(3)
    tree = chart_data(model, "en")["charts"]["tree"]
    assert len(tree["a"]) == model.tree.n_units + 1 == {"classroom": 20, "region": 60}[preset]
    expected = [model.params.anxiety.central_pressure, *model.state.units.anxiety]
    assert np.allclose(tree["a"], expected, atol=1e-3)  # graph order: the centre first
    pos = tree_layout(model.tree.graph)
    assert tree["x"] == [pos[n][0] for n in model.tree.graph]
    assert tree["n"][0] == "centre" and tree["n"][1] == "province 1"
    assert all(s > 0 for s in tree["s"])


@pytest.mark.parametrize("preset", PRESETS)
def test_every_time_chart_shows_the_weeks_run_so_far(preset):
    model = ClassroomModel(scenario_name="combination_punch", preset=preset)
    model.run_for(6)
    data = chart_data(model, "en")
    assert data["version"] == 6
    for chart in CHARTS[1:]:
        columns = data["charts"][chart.name]
        assert columns["w"] == [1, 2, 3, 4, 5, 6], chart.name
        assert len(columns) >= 2
        assert all(len(values) == 6 for values in columns.values())
    hours = data["charts"]["hours"]
    ts = model.datacollector.get_model_vars_dataframe()
    assert hours["pure formalism"] == pytest.approx(ts["hours_pure_formalism"].tolist(), abs=1e-3)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_legends_name_each_line_and_area_in_the_language(lang):
    model = ClassroomModel()
    model.run_for(2)
    cards = {c["name"]: c for c in chart_cards(model, lang)}
    data = chart_data(model, lang)["charts"]
    levels = [i18n.text(level, lang) for level in ("province", "city", "county", "township")]
    anxiety = cards["anxiety"]["spec"]
    assert anxiety["encoding"]["color"]["scale"]["domain"] == levels
    assert anxiety["transform"][0]["fold"] == [field(label) for label in levels]
    assert set(data["anxiety"]) == {"w", *levels}  # the data's fields are the legend's names
    hours = cards["hours"]["spec"]["layer"]
    areas = hours[0]["encoding"]["color"]["scale"]["domain"]
    assert areas == [
        i18n.text(k, lang) for k in ("substantive", "necessary_formal", "pure_formalism")
    ]
    dashes = hours[1]["encoding"]["strokeDash"]["scale"]["domain"]
    assert dashes == [text("app.overtime", lang), i18n.text("standard_week", lang)]
    assert hours[2]["data"]["values"][0]["value"] == model.params.work.standard_hours
    assert [c["title"] for c in cards.values()] == [text(c.title, lang) for c in CHARTS]


def test_charts_before_the_first_step_say_how_to_start():
    model = ClassroomModel()
    cards = chart_cards(model, "zh")
    assert [c["empty"] for c in cards] == ["", *[text("app.press_step", "zh")] * 4]
    data = chart_data(model, "zh")
    assert data["version"] == 0
    assert all(v == [] for name in ("anxiety", "hours") for v in data["charts"][name].values())
    assert len(data["charts"]["tree"]["a"]) == 20  # the tree shows the starting anxiety


def test_a_step_sends_a_few_kilobytes_whatever_the_size():
    for preset, weeks in (("classroom", 104), ("region", 104)):
        model = ClassroomModel(preset=preset)
        model.run_for(weeks)
        size = len(json.dumps(chart_data(model, "zh"), ensure_ascii=False).encode())
        assert size < 25_000, (preset, size)


def test_field_names_with_dots_or_brackets_are_escaped():
    assert field("a.b[c]") == "a\\.b\\[c\\]"
    assert field("乡镇") == "乡镇"
    for lang in ("en", "zh"):
        data = chart_data(ClassroomModel(), lang)["charts"]
        for columns in data.values():
            assert all(field(name) == name for name in columns)  # none needs escaping


def test_the_chart_widget_carries_its_template():
    # In the module, not in a file beside it that a wheel would leave out.
    widget = VegaCharts()
    assert widget.template.lstrip().startswith("<template>")
    assert "module.exports" in widget.template and "changeset()" in widget.template
    assert not getattr(VegaCharts, "template_file", None)
    assert set(widget.libs) == set(LIBS)


def test_the_chart_libraries_are_the_installed_versions(tmp_path):
    libs = vega_libs(CDN)
    for key, (name, major, file) in LIBS.items():
        folder, _, rest = libs[key].partition("/")
        assert folder.startswith(f"{name}@{major}."), libs[key]
        assert rest == file
        assert (CDN / libs[key]).is_file(), libs[key]
    (tmp_path / "vega@5.9.0").mkdir()
    (tmp_path / "vega@5.21.0").mkdir()
    (tmp_path / "vega@6.0.0").mkdir()  # another major version: not what the widget loads
    found = vega_libs(tmp_path)
    assert found["vega"] == "vega@5.21.0/build/vega.min.js"
    assert found["vega-lite"] == "vega-lite@5/build/vega-lite.min.js"  # none: the major version


# ---- the class board ----------------------------------------------------------------------------
@pytest.fixture
def stepped():
    def make(weeks: int = 3, **kwargs) -> ClassroomModel:
        model = ClassroomModel(**kwargs)
        if weeks:
            model.run_for(weeks)
        return model

    return make


def test_an_entry_has_the_group_the_levers_and_the_results_beside_the_status_quo(stepped):
    model = stepped(4, scenario_name="combination_punch", anxiety_central_pressure=0.3)
    entry = Board().submit(model, "  Blue   team ")
    assert (entry.number, entry.group, entry.scenario, entry.week) == (
        1,
        "Blue team",
        "combination_punch",
        4,
    )
    assert set(entry.levers) == {c.param for c in LEVERS}
    assert entry.changed["quota.meetings_cut"] == 0.4
    assert "quota.meetings_cut" not in board.entry_from_model(stepped(1), "x").changed
    assert set(entry.results) == set(entry.status_quo) == set(RESULTS)
    last = model.datacollector.get_model_vars_dataframe().iloc[-1]
    assert entry.results["township_hours"] == pytest.approx(last["township_hours"])
    # The status quo: the baseline with the same size, seed, behaviour and week.
    reference = ClassroomModel(anxiety_central_pressure=0.3)
    reference.run_for(4)
    ref = reference.datacollector.get_model_vars_dataframe().iloc[-1]
    assert entry.status_quo["hours_pure_formalism"] == pytest.approx(ref["hours_pure_formalism"])
    assert entry.behaviour["anxiety.central_pressure"] == 0.3


@pytest.mark.parametrize(
    ("group", "weeks", "key"),
    [("", 3, "app.need_group"), ("  ", 3, "app.need_group"), ("Red", 0, "app.need_weeks")],
)
def test_an_entry_without_a_group_or_a_week_is_refused_with_a_reason(stepped, group, weeks, key):
    board_ = Board()
    with pytest.raises(SubmissionRefused) as refused:
        board_.submit(stepped(weeks), group)
    assert refused.value.key == key
    assert refused.value.message("zh") == text(key, "zh")
    assert board_.entries() == []


def test_the_board_is_bounded_and_names_are_cut_to_length(stepped):
    board_ = Board(limit=2)
    model = stepped(1)
    first = board_.submit(model, "x" * 100)
    assert len(first.group) == board.MAX_GROUP
    board_.submit(model, "b")
    with pytest.raises(SubmissionRefused, match="full"):
        board_.submit(model, "c")


def test_sessions_submit_at_once_each_entry_once(stepped):
    board_ = Board()
    models = [stepped(2, seed=s) for s in range(1, 9)]
    threads = [
        threading.Thread(target=board_.submit, args=(m, f"g{i}")) for i, m in enumerate(models)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = board_.entries()
    assert sorted(e.number for e in entries) == list(range(1, 9))
    assert sorted(e.group for e in entries) == sorted(f"g{i}" for i in range(8))


def test_the_teacher_page_wakes_when_an_entry_arrives(stepped):
    board_ = Board()
    woke = []
    waiter = threading.Thread(target=lambda: woke.append(board_.wait(0, timeout=30)))
    waiter.start()
    board_.submit(stepped(1), "Red")
    waiter.join(timeout=10)
    assert woke == [1]
    assert board_.wait(1, timeout=0.01) == 1  # nothing new: back after the timeout


def test_the_csv_has_every_entry_with_its_levers_and_results(stepped):
    board_ = Board()
    board_.submit(stepped(2), "红队")
    board_.submit(stepped(3, scenario_name="combination_punch"), "=cmd")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(board_.csv())))
    assert [r["group"] for r in rows] == ["红队", "'=cmd"]  # no formula for a spreadsheet
    assert [r["week"] for r in rows] == ["2", "3"]
    assert float(rows[1]["quota.meetings_cut"]) == 0.4
    for name in RESULTS:
        assert float(rows[0][name]) == pytest.approx(float(rows[0][f"status_quo_{name}"]), rel=1e-3)
    assert {c.param for c in BEHAVIOUR} <= set(rows[0])
    board_.clear()
    assert board_.csv().count("\n") == 1  # the header alone


def test_the_scatter_shows_each_entry_and_its_status_quo(stepped):
    board_ = Board()
    board_.submit(stepped(2), "Red")
    board_.submit(stepped(2, scenario_name="combination_punch"), "Blue")
    columns = scatter_columns(board_.entries(), "en")
    assert columns["g"] == ["Red", "Blue"]
    assert columns["h"][0] == pytest.approx(columns["sq_h"][0], abs=1e-3)  # the baseline itself
    assert columns["f"][1] < columns["sq_f"][1]
    assert columns["l"][0] == text("app.no_levers", "en")
    assert "Cut meetings (减会议): 0.4" in columns["l"][1]


# ---- text ---------------------------------------------------------------------------------------
# The article's term each control's Chinese label must use.
ARTICLE_TERMS = {
    "quota.meetings_cut": "减会议",
    "quota.documents_cut": "减发文",
    "quota.inspections_cut": "减督考",
    "oversight.strength": "专门监督机构",
    "assessment.mode": "考核",
    "verification.intensity": "实地核验",
    "indicators.count": "压缩考核指标",
    "fault_tolerance.share": "容错",
    "bottom_up.weight": "以下考上",
    "bottom_up.anonymity": "匿名",
    "devolution.tasks": "事权",
    "devolution.personnel": "人权",
    "devolution.finance": "财权",
    "platforms.count": "政务APP",
    "platforms.checkin_hours": "政务APP",
    "platforms.time_saved": "技术赋能",
    "data_bureau.merge": "数据局",
    "staffing.follow_workload": "编制随工作量",
    "allocation.capable_bias": "基层公允",
    "secondment.staff": "人员下沉",
    "joint_enforcement.share": "联合执法",
    "tournament.intensity": "晋升锦标赛",
    "anxiety.from_superior": "组织焦虑",
    "anxiety.central_pressure": "中央",
    "cascade.escalation": "层层加码",
}


def test_every_control_is_labelled_in_both_languages_in_the_article_terms():
    assert set(ARTICLE_TERMS) == {c.param for c in CONTROLS}
    for control in CONTROLS:
        assert ARTICLE_TERMS[control.param] in control.label("zh")
        assert control.label("en") != control.label("zh")
        assert any(ch.isascii() and ch.isalpha() for ch in control.label("en"))
        if control.kind == "choice":
            for choice in CATALOGUE[control.param].choices:
                assert control.show(choice, "zh") != control.show(choice, "en")
    assert "结果考核" in CONTROLS[4].show("result", "zh")
    assert all(c.label("zh").startswith("县级放权") for c in CONTROLS if "devolution" in c.param)


def test_every_app_text_has_english_and_chinese():
    shared = [k for k in i18n.TEXT if k.startswith("app.")]
    assert len(shared) > 40
    for table, keys in ((i18n.TEXT, shared), (APP_TEXT, list(APP_TEXT))):
        for key in keys:
            entry = table[key]
            assert entry["en"].strip() and entry["zh"].strip(), key
            assert entry["en"] != entry["zh"], key
    assert not set(APP_TEXT) & set(i18n.TEXT)  # the app's table adds, it does not override
    assert text("app.week_counter", "zh", n=3) == "第 3 周"
    assert text("app.seed", "zh") == "随机种子"  # from sim.i18n


# ---- the pages (solara.render, no browser) ------------------------------------------------------
def render(lang: str = "en", class_mode: bool = False):
    _, rc = solara.render(
        Layout(children=[ClassroomApp(initial_lang=lang, class_mode=class_mode)]),
        handle_error=False,
    )
    return rc


def week_shown(rc) -> str:
    return rc.find(v.Html, class_="oa-week").widget.children[0]


def charts(rc) -> VegaCharts:
    return rc.find(VegaCharts).widget


def button(rc, cls: str) -> v.Btn:
    return rc.find(v.Btn, class_=cls).widget


def slider(rc, param: str, lang: str = "en") -> v.Slider:
    return rc.find(v.Slider, label=i18n.text(f"app.{param}", lang)).widget


def texts(rc) -> list[str]:
    """Every text on the page: the strings among the children of its widgets, however deep
    (including slots that are not children)."""
    found: list[str] = []
    seen: set[int] = set()

    def walk(value, in_children: bool = False) -> None:
        if isinstance(value, ipywidgets.Widget):
            if id(value) not in seen:
                seen.add(id(value))
                for name in value.keys:
                    walk(getattr(value, name), name == "children")
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, in_children)
        elif isinstance(value, dict):
            for name, item in value.items():
                walk(item, name == "children")
        elif isinstance(value, str) and in_children:
            found.append(value)

    walk(rc.find(ipywidgets.Widget).widget)
    return found


def test_the_page_steps_and_sends_the_charts_their_new_data():
    rc = render()
    widget = charts(rc)
    assert [c["name"] for c in widget.charts] == [c.name for c in CHARTS]
    assert widget.dataset["version"] == 0
    assert widget.heading_template == "{title} (week {n})"
    assert week_shown(rc) == "Week 0"
    spec = widget.charts
    button(rc, "oa-step").click()
    button(rc, "oa-step").click()
    assert week_shown(rc) == "Week 2"
    assert widget.dataset["version"] == 2
    assert widget.dataset["charts"]["anxiety"]["w"] == [1, 2]
    assert widget.charts is spec  # a step sends data, not the charts again


def test_a_step_is_the_model_step_and_the_chart_data_and_nothing_else(monkeypatch):
    rc = render()
    button(rc, "oa-step").click()
    sent = []
    original = VegaCharts._notify_trait

    def record(self, name, old, new):
        sent.append(name)
        return original(self, name, old, new)

    monkeypatch.setattr(VegaCharts, "_notify_trait", record)
    rendered = []
    from sim.app import components

    for name in ("SetupCard", "ControlsCard", "RunSettings", "Charts"):
        component = getattr(components, name)
        monkeypatch.setattr(component, "f", _counting(component.f, rendered, name))
    button(rc, "oa-step").click()
    assert sent == ["dataset"]
    assert rendered == []  # no component renders again: the widgets are updated in place


def _counting(f, calls, name):
    def wrapper(*args, **kwargs):
        calls.append(name)
        return f(*args, **kwargs)

    return wrapper


def test_play_steps_until_paused():
    rc = render()
    button(rc, "oa-play").click()
    assert "Pause" in button(rc, "oa-play").children
    assert button(rc, "oa-step").disabled  # no Step while playing
    deadline = 50
    while charts(rc).dataset["version"] < 2 and deadline:
        threading.Event().wait(PLAY_INTERVAL)
        deadline -= 1
    button(rc, "oa-play").click()
    assert "Play" in button(rc, "oa-play").children
    stopped = charts(rc).dataset["version"]  # what the page shows, after Pause re-rendered it
    assert stopped >= 2
    assert week_shown(rc) == f"Week {stopped}"
    threading.Event().wait(3 * PLAY_INTERVAL)
    assert charts(rc).dataset["version"] == stopped
    assert not button(rc, "oa-step").disabled


def test_a_moved_lever_takes_effect_at_reset():
    rc = render()
    slider(rc, "quota.meetings_cut").v_model = 0.5
    pending = rc.find(v.Html, class_="oa-pending").widget
    assert pending.style_ == ""  # shown
    assert "Cut meetings (减会议): 0.5" not in texts(rc)  # the run on screen is unchanged
    button(rc, "oa-step").click()
    button(rc, "oa-reset").click()
    assert "Cut meetings (减会议): 0.5" in texts(rc)
    assert pending.style_ == "display: none"
    assert week_shown(rc) == "Week 0"
    assert charts(rc).dataset["version"] == 0


def test_picking_a_scenario_sets_the_controls_to_its_values():
    rc = render()
    rc.find(v.Select, label="Scenario").widget.v_model = "combination_punch"
    assert slider(rc, "quota.meetings_cut").v_model == 0.4
    assert slider(rc, "indicators.count").v_model == 30
    assert rc.find(v.Select, label=i18n.text("app.assessment.mode")).widget.v_model == (
        "result_campaigns"
    )
    assert scenario_library()["combination_punch"].description.strip() in texts(rc)
    assert "Cut meetings (减会议): 0.4" in texts(rc)  # and a new run starts with them


def test_two_sessions_step_their_own_models():
    first, second = render(), render()
    button(first, "oa-step").click()
    assert (week_shown(first), week_shown(second)) == ("Week 1", "Week 0")
    button(second, "oa-step").click()
    assert (week_shown(first), week_shown(second)) == ("Week 1", "Week 1")


def test_the_language_toggle_relabels_the_page_and_keeps_the_run():
    rc = render("zh")
    assert slider(rc, "quota.meetings_cut", "zh")
    assert rc.find(v.Select, label="情景").widget.v_model == "baseline"
    assert [button(rc, c).children[-1] for c in ("oa-reset", "oa-play", "oa-step")] == [
        "重置",
        "播放",
        "单步",
    ]
    button(rc, "oa-step").click()
    assert week_shown(rc) == "第 1 周"
    rc.find(v.BtnToggle, class_="oa-lang").widget.v_model = 0  # English
    assert slider(rc, "quota.meetings_cut", "en")
    assert week_shown(rc) == "Week 1"
    assert charts(rc).dataset["version"] == 1
    assert charts(rc).charts[1]["title"] == "Anxiety by level"
    button(rc, "oa-step").click()
    assert week_shown(rc) == "Week 2"  # the counter follows the new language


def test_no_english_label_of_mesa_is_left_on_the_chinese_page():
    words = ("Reset", "Step", "Play", "Interval", "Threads", "Model Parameters", "Time:", "Page")
    rc = render("zh", class_mode=True)
    button(rc, "oa-step").click()
    # (the language's own name aside, and icon names: mdi-play draws the ▶)
    shown = " ".join(t for t in texts(rc) if t != "English" and not t.startswith("mdi-"))
    assert [w for w in words if w.lower() in shown.lower()] == []


@pytest.fixture
def clean_board():
    BOARD.clear()
    yield BOARD
    BOARD.clear()


def test_a_student_sends_the_run_to_the_class(clean_board):
    rc = render("zh", class_mode=True)
    button(rc, "oa-submit").click()
    assert text("app.need_group", "zh") in texts(rc)
    rc.find(v.TextField, label="小组名称").widget.v_model = "红队"
    button(rc, "oa-submit").click()
    assert text("app.need_weeks", "zh") in texts(rc)
    button(rc, "oa-step").click()
    button(rc, "oa-submit").click()
    assert text("app.submitted", "zh", number=1, week=1) in texts(rc)
    assert [(e.group, e.week) for e in clean_board.entries()] == [("红队", 1)]


def test_without_class_mode_the_page_has_no_share_card():
    rc = render("en")
    assert not rc.find(v.Btn, class_="oa-submit").widgets


def test_the_dashboard_shows_every_entry(clean_board, stepped):
    clean_board.submit(stepped(2), "Red")
    _, rc = solara.render(Layout(children=[Dashboard(initial_lang="en")]), handle_error=False)
    rows = rc.find(v.Html, tag="tr", class_="oa-entry").widgets
    assert len(rows) == 1
    assert "entries: 1 · groups: 1" in texts(rc)
    clean_board.submit(stepped(3, scenario_name="combination_punch"), "Blue")
    deadline = 100  # the page follows the board from a thread
    while len(rc.find(v.Html, tag="tr", class_="oa-entry").widgets) < 2 and deadline:
        threading.Event().wait(0.05)
        deadline -= 1
    assert len(rc.find(v.Html, tag="tr", class_="oa-entry").widgets) == 2
    assert "entries: 2 · groups: 2" in texts(rc)
    scatter = rc.find(VegaCharts).widget
    assert scatter.dataset["charts"]["scatter"]["g"] == ["Red", "Blue"]


def test_the_pages_entry_points_take_their_settings_from_the_server(monkeypatch):
    monkeypatch.setenv(server.LANG_ENV, "zh")
    monkeypatch.setenv(server.CLASS_ENV, "1")
    _, rc = solara.render(Layout(children=[Page()]), handle_error=False)
    assert rc.find(v.Select, label="情景").widgets
    assert rc.find(v.Btn, class_="oa-submit").widgets
    _, rc = solara.render(Layout(children=[ClassPage()]), handle_error=False)
    assert "课堂看板" in texts(rc)
    assert text("app.dashboard_off", "zh") not in texts(rc)
    monkeypatch.setenv(server.CLASS_ENV, "")
    _, rc = solara.render(Layout(children=[ClassPage()]), handle_error=False)
    assert text("app.dashboard_off", "zh") in texts(rc)
    assert [r.path for r in routes] == ["/", "class"]
    monkeypatch.setenv(server.LANG_ENV, "fr")
    with pytest.raises(ValueError, match="OASIM_APP_LANG"):
        solara.render(Layout(children=[Page()]), handle_error=False)


def test_run_settings_list_what_differs_from_the_status_quo():
    assert run_settings(ClassroomModel(), "en") == []
    rows = dict(run_settings(ClassroomModel(scenario_name="combination_punch"), "zh"))
    assert rows["减会议：会议削减比例"] == "0.4"
    assert rows["考核方式"] == i18n.text("app.assessment.mode.result_campaigns", "zh")


# ---- starting the server ------------------------------------------------------------------------
# ---- starting the server ------------------------------------------------------------------------
def test_the_asset_check_reads_what_the_page_template_loads(tmp_path):
    template = (
        '<link href="{{cdn}}/@widgetti/solara-vuetify-app@10.1.1/dist/main8.css">'
        '<script src="{{ cdn }}/requirejs@2.3.6/require.js"></script>'
        '<script src="{{cdn}}/requirejs@2.3.6/other.js"></script>'
    )
    packages = server.page_assets(template)
    assert packages == ["@widgetti/solara-vuetify-app@10.1.1", "requirejs@2.3.6"]
    assert "requirejs@2.3.6" in server.assets_problem(tmp_path, packages)
    for package in packages:
        (tmp_path / package).mkdir(parents=True)
    assert server.assets_problem(tmp_path, packages) is None


def test_the_installed_assets_are_where_solara_looks_for_them(monkeypatch, capsys):
    # solara-assets (app extra) installs into <prefix>/share/solara/cdn, solara's default cache.
    assert "SOLARA_ASSETS_PROXY_CACHE_DIR" not in os.environ
    from solara.server import settings

    cache = Path(settings.assets.proxy_cache_dir)
    assert cache == Path(sys.prefix) / "share" / "solara" / "cdn"
    assert version("solara-assets") == version("solara")
    server._warn_if_assets_missing(settings)
    assert capsys.readouterr().err == ""


def test_the_asset_check_covers_the_chart_libraries(tmp_path, monkeypatch, capsys):
    from solara.server import settings

    complete = SimpleNamespace(
        __file__=settings.__file__,
        assets=SimpleNamespace(proxy_cache_dir=tmp_path, fontawesome_enabled=False),
    )
    template = (Path(settings.__file__).parent / "templates" / "solara.html.j2").read_text()
    for package in server.page_assets(template):
        (tmp_path / package).mkdir(parents=True)
    server._warn_if_assets_missing(complete)
    err = capsys.readouterr().err
    assert "vega@5" in err and "vega-lite@5" in err and "vega-embed@6" in err
    for package in ("vega@5.21.0", "vega-lite@5.2.0", "vega-embed@6.20.2"):
        (tmp_path / package).mkdir()
    server._warn_if_assets_missing(complete)
    assert capsys.readouterr().err == ""


def test_missing_assets_are_a_warning_that_names_the_app_extra(tmp_path, monkeypatch, capsys):
    from solara.server import settings

    monkeypatch.delenv("SOLARA_ASSETS_PROXY_CACHE_DIR", raising=False)
    elsewhere = SimpleNamespace(
        __file__=settings.__file__,
        assets=SimpleNamespace(
            proxy_cache_dir=tmp_path, fontawesome_enabled=True, fontawesome_path="/fa@4/x.css"
        ),
    )
    server._warn_if_assets_missing(elsewhere)
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "warning" in err and "fa@4" in err and str(tmp_path) in err
    assert "pip install -e '.[app]'" in err


@pytest.fixture
def held_port():
    """A port that another program is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def serve_env(monkeypatch):
    # serve() sets these for the server it starts; keep them out of the other tests.
    monkeypatch.setenv(server.LANG_ENV, "en")
    monkeypatch.setenv(server.CLASS_ENV, "")
    monkeypatch.setenv("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")
    monkeypatch.setenv("SOLARA_THEME_SHOW_BANNER", "true")
    monkeypatch.setenv("SOLARA_THEME_TITLE", "oasim")


def test_a_port_in_use_is_refused_before_anything_is_printed(held_port, serve_env, capsys):
    with pytest.raises(server.AppError, match=f"port {held_port} on 127.0.0.1 is in use.*--port"):
        server.serve(port=held_port)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("host", "says"),
    [("192.0.2.1", "not an address of this machine"), ("no-such-host.invalid", "cannot serve")],
)
def test_a_bad_host_is_an_input_error(host, says, serve_env, capsys):
    with pytest.raises(server.AppError, match=says):
        server.serve(port=8765, host=host)
    assert capsys.readouterr().out == ""


def test_without_solara_the_error_names_the_app_extra(monkeypatch, serve_env, capsys):
    monkeypatch.setitem(sys.modules, "solara", None)  # what `import solara` sees when absent
    with pytest.raises(server.AppError, match=r"'app' extra.*pip install -e '\.\[app\]'"):
        server.serve()
    assert capsys.readouterr().out == ""
    assert issubclass(server.AppError, InputError)


def oasim_app(*args: str, prelude: str = "") -> subprocess.CompletedProcess:
    """``oasim app ARGS`` in a fresh interpreter, after running ``prelude`` there."""
    code = (
        f"{prelude}\nimport sys\nfrom sim.cli import main\nsys.exit(main(['app', *sys.argv[1:]]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_oasim_app_on_a_port_in_use_exits_2_without_serving(held_port):
    done = oasim_app("--port", str(held_port))
    assert done.returncode == 2, done.stderr
    assert f"port {held_port} on 127.0.0.1 is in use" in done.stderr
    assert "--port" in done.stderr
    assert "serving" not in done.stdout
    assert "Traceback" not in done.stderr


BLOCK_SOLARA = """
import importlib.abc, sys
class NoSolara(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "solara":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NoSolara())
"""


def test_oasim_app_without_the_app_extra_says_which_extra_to_install():
    done = oasim_app(prelude=BLOCK_SOLARA)
    assert done.returncode == 2, done.stderr
    assert "'app' extra" in done.stderr
    assert "pip install 'oasim[app]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert "serving" not in done.stdout


def test_oasim_app_passes_its_options_to_the_server(monkeypatch):
    calls = []
    monkeypatch.setattr(server, "serve", lambda **kw: calls.append(kw))
    assert main(["app", "--port", "8999", "--lang", "zh"]) == 0
    assert main(["app", "--class", "--host", "0.0.0.0"]) == 0
    assert calls == [
        {"port": 8999, "lang": "zh", "host": "127.0.0.1", "class_mode": False},
        {"port": 8765, "lang": "en", "host": "0.0.0.0", "class_mode": True},
    ]


def test_the_server_hides_solaras_badge_and_its_cookie_notice(monkeypatch, serve_env, capsys):
    # What serve() hands Solara, without starting it: a run function that records.
    import warnings

    seen = {}

    def fake_run(**kwargs):
        seen["env"] = {k: os.environ.get(k) for k in (server.CLASS_ENV, "SOLARA_THEME_SHOW_BANNER")}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            # re-apply the server's filters over the recording's "default"
            server._quiet_cookie_notice()

            warnings.warn_explicit(
                "Cookies with samesite=none require https, but ...",
                UserWarning,
                "solara/server/starlette.py",
                578,
                module="solara.server.starlette",
            )
            warnings.warn("another warning", UserWarning, stacklevel=1)
        seen["warnings"] = [str(w.message) for w in caught if w.category is UserWarning]

    settings, _ = server._import_solara()
    monkeypatch.setattr(
        server, "_import_solara", lambda: (settings, SimpleNamespace(main=fake_run))
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server.serve(port=port, class_mode=True)
    assert seen["env"] == {server.CLASS_ENV: "1", "SOLARA_THEME_SHOW_BANNER": "false"}
    assert seen["warnings"] == ["another warning"]
    out = capsys.readouterr().out
    assert f"the class dashboard is at http://127.0.0.1:{port}/class" in out
    assert "students on this network" not in out  # served to this machine only

    monkeypatch.setattr(server, "network_address", lambda: "192.168.1.23")
    server.serve(port=port, host="0.0.0.0", class_mode=True)
    out = capsys.readouterr().out
    assert f"students on this network open http://192.168.1.23:{port}/" in out
    assert f"the class dashboard is at http://127.0.0.1:{port}/class" in out  # the teacher's


def test_the_network_address_is_found_without_sending_anything():
    address = server.network_address()
    assert address is None or (address.count(".") == 3 and not address.startswith("127."))


def test_a_run_without_chromium_says_the_app_was_not_tested_in_a_browser():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_app_browser.py"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "OASIM_TEST_CHROMIUM": "/nonexistent/chromium"},
    )
    assert done.returncode == 0, done.stdout
    assert re.search(r"\b\d+ skipped", done.stdout) and " passed" not in done.stdout
    line = "the classroom app was NOT tested in a browser: install Debian's chromium"
    assert line in done.stdout
    assert "apt-get install chromium" in done.stdout


@pytest.mark.parametrize(
    "argv", [["app", "--port", "0"], ["app", "--lang", "fr"], ["app", "--class", "x"]]
)
def test_oasim_app_rejects_bad_options(argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2


def test_the_app_draws_nothing_on_the_server(monkeypatch):
    # The charts are drawn in the browser: no picture is made on the server, at any step.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    drawings = []
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda self, *a, **k: drawings.append(self))
    rc = render("zh")
    for _ in range(3):
        button(rc, "oa-step").click()
    assert drawings == []
    assert not rc.find(ipywidgets.Image).widgets
    assert charts(rc).dataset["version"] == 3
