"""The classroom app without a browser: its model, controls, figures, page and server start.

The page is rendered with ``solara.render`` (as Mesa's own UI tests do) inside an AppLayout, which
is what ``solara run`` wraps a page in (the sidebar exists only there).
"""

from __future__ import annotations

import inspect
import math
import os
import socket
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace

import ipyvuetify as v
import ipywidgets
import numpy as np
import pytest
import solara
from matplotlib.collections import PathCollection
from mesa.visualization.solara_viz import _build_model_init_kwargs, _check_model_params

from sim import i18n
from sim.app import components, server
from sim.app.components import (
    CHARTS,
    anxiety_figure,
    hours_figure,
    legend_entries,
    new_figure,
    png,
    run_settings,
    tree_figure,
    tree_layout,
)
from sim.app.controls import CONTROLS, LEVERS, PRESETS, scenario_library, user_params
from sim.app.model import ClassroomModel
from sim.app.page import ClassroomApp, Page
from sim.cli import main
from sim.errors import InputError
from sim.hierarchy import CENTRE
from sim.params import CATALOGUE, LEVER_GROUPS
from sim.scenario import SCENARIO_DIR

ROOT = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HAS_CJK_FONT = i18n.cjk_font() is not None


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


def test_every_lever_of_the_catalogue_has_a_control():
    levers = {c.param for c in LEVERS}
    catalogue = {p.name for p in CATALOGUE.values() if p.is_lever}
    assert levers == catalogue
    assert {CATALOGUE[p].group for p in levers} == set(LEVER_GROUPS)


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
    # Mesa's Reset would pass its own scenario= to a model that takes `scenario` or **kwargs.
    assert "scenario" not in names
    assert set(user_params("baseline", "classroom", "en")) == names


def test_mesa_reset_rebuilds_the_model_from_the_page_values():
    model = ClassroomModel()
    inputs = user_params("combination_punch", "region", "en")
    _check_model_params(model, inputs)  # what SolaraViz checks when the page opens
    values = {k: (w["value"] if isinstance(w, dict) else w) for k, w in inputs.items()}
    values["quota_meetings_cut"] = 0.9
    kwargs = _build_model_init_kwargs(
        model, values, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    assert "scenario" not in kwargs
    rebuilt = type(model)(**kwargs)
    assert rebuilt.params["quota.meetings_cut"] == 0.9
    assert rebuilt.params["quota.inspections_cut"] == 0.5  # combination_punch's own value
    assert rebuilt.params.hierarchy.preset == "region"


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


# ---- figures ----------------------------------------------------------------------------------
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
def test_the_tree_picture_colours_every_unit_by_its_anxiety(preset):
    model = ClassroomModel(preset=preset)
    model.run_for(3)
    fig = tree_figure(model)
    (dots,) = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    anxiety = model.state.units.anxiety
    assert (
        len(dots.get_offsets()) == model.tree.n_units + 1 == {"classroom": 20, "region": 60}[preset]
    )
    expected = [model.params.anxiety.central_pressure, *anxiety]  # graph order: centre first
    assert np.allclose(dots.get_array(), expected)
    assert png(fig).startswith(PNG_MAGIC)


@pytest.mark.parametrize("preset", PRESETS)
def test_every_chart_shows_the_weeks_run_so_far(preset):
    model = ClassroomModel(scenario_name="combination_punch", preset=preset)
    model.run_for(6)
    for draw, _, _ in CHARTS[1:]:
        fig = draw(model)
        lines = [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) > 2]
        assert lines, draw.__name__
        assert all(list(line.get_xdata()) == list(range(1, 7)) for line in lines)
        assert png(fig).startswith(PNG_MAGIC)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_legends_name_each_line_and_area_in_the_language(lang):
    model = ClassroomModel()
    model.run_for(2)
    drawn_in = lang if HAS_CJK_FONT else "en"  # Chinese figures need a CJK font
    levels = [i18n.text(level, drawn_in) for level in ("province", "city", "county", "township")]
    assert [label for label, _, _ in legend_entries(anxiety_figure(model, lang))] == levels
    marks = {label: mark for label, _, mark in legend_entries(hours_figure(model, lang))}
    assert marks[i18n.text("pure_formalism", drawn_in)] == "■"  # an area of the stack
    assert marks[i18n.text("standard_week", drawn_in)] == "┄┄"  # the dashed line
    assert marks[i18n.text("app.overtime", drawn_in)] == "━━"


def test_charts_before_the_first_step_say_how_to_start():
    model = ClassroomModel()
    for draw, _, _ in CHARTS[1:]:
        texts = [t.get_text() for t in draw(model).axes[0].texts]
        assert i18n.text("app.no_data", "en") in texts


def test_a_chart_redrawn_into_its_figure_replaces_the_old_drawing():
    model = ClassroomModel()
    fig = new_figure()
    for draw, _, _ in CHARTS:
        draw(model, "en", fig)
        count = len(fig.axes)
        model.step()
        assert draw(model, "en", fig) is fig
        assert len(fig.axes) == count


def test_run_settings_list_what_differs_from_the_status_quo():
    assert run_settings(ClassroomModel(), "en") == []
    rows = dict(run_settings(ClassroomModel(scenario_name="combination_punch"), "zh"))
    assert rows["减会议：会议削减比例"] == "0.4"
    assert rows["考核方式"] == i18n.text("app.assessment.mode.result_campaigns", "zh")


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
    keys = [k for k in i18n.TEXT if k.startswith("app.")]
    assert len(keys) > 40
    for key in keys:
        entry = i18n.TEXT[key]
        assert entry["en"].strip() and entry["zh"].strip(), key
        assert entry["en"] != entry["zh"], key


# ---- the page (solara.render, no browser) ------------------------------------------------------
def render(lang: str = "en"):
    _, rc = solara.render(
        solara.AppLayout(children=[ClassroomApp(initial_lang=lang)]), handle_error=False
    )
    return rc


def shown_time(rc) -> str:
    texts = [w.children[0] for w in rc.find(v.Html, tag="span").widgets if w.children]
    return next(t for t in texts if str(t).startswith("Time:"))


def slider(rc, param: str, lang: str = "en") -> v.Slider:
    return rc.find(v.Slider, label=i18n.text(f"app.{param}", lang)).widget


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def texts(rc) -> list[str]:
    """Every text on the page: the strings among the children of its widgets, however deep
    (including the grid items and slots that are not children)."""
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


def test_the_page_steps_and_redraws_its_charts():
    rc = render()
    images = rc.find(ipywidgets.Image).widgets
    assert len(images) == len(CHARTS)
    before = [image.value for image in images]
    click(rc, "Step")
    click(rc, "Step")
    assert shown_time(rc) == "Time: 2.0"
    after = [image.value for image in rc.find(ipywidgets.Image).widgets]
    assert all(a != b for a, b in zip(after, before, strict=True))
    assert "Anxiety by level (week 2)" in texts(rc)
    assert "━━ township" in texts(rc)  # the legend, as text of the page


def test_a_moved_lever_takes_effect_at_reset():
    rc = render()
    slider(rc, "quota.meetings_cut").v_model = 0.5
    assert "Cut meetings (减会议): 0.5" not in texts(rc)  # the run on screen is unchanged
    click(rc, "Reset")
    assert "Cut meetings (减会议): 0.5" in texts(rc)
    assert shown_time(rc) == "Time: 0.0"


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
    click(first, "Step")
    assert (shown_time(first), shown_time(second)) == ("Time: 1.0", "Time: 0.0")
    click(second, "Step")
    assert (shown_time(first), shown_time(second)) == ("Time: 1.0", "Time: 1.0")


def test_the_language_toggle_relabels_the_page_and_keeps_the_run():
    rc = render("zh")
    assert slider(rc, "quota.meetings_cut", "zh")
    assert rc.find(v.Select, label="情景").widget.v_model == "baseline"
    click(rc, "Step")
    language = rc.find(v.BtnToggle).widgets[0]  # the setup card's first toggle
    language.v_model = 0  # English
    assert slider(rc, "quota.meetings_cut", "en")
    assert shown_time(rc) == "Time: 1.0"


def test_the_page_entry_takes_its_language_from_the_server(monkeypatch):
    monkeypatch.setenv(server.LANG_ENV, "zh")
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    assert rc.find(v.Select, label="情景").widgets
    monkeypatch.setenv(server.LANG_ENV, "fr")
    with pytest.raises(ValueError, match="OASIM_APP_LANG"):
        solara.render(solara.AppLayout(children=[Page()]), handle_error=False)


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
    monkeypatch.setenv("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")


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
    assert calls == [{"port": 8999, "lang": "zh", "host": "127.0.0.1"}]


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
    assert "3 skipped" in done.stdout
    line = "the classroom app was NOT tested in a browser: install Debian's chromium"
    assert line in done.stdout
    assert "apt-get install chromium" in done.stdout


@pytest.mark.parametrize("argv", [["app", "--port", "0"], ["app", "--lang", "fr"]])
def test_oasim_app_rejects_bad_options(argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2


def test_components_draw_without_pyplot():
    # pyplot would keep every figure of every session until closed.
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    model = ClassroomModel()
    for draw, _, _ in components.CHARTS:
        draw(model)
    assert plt.get_fignums() == before
