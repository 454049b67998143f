"""Scenario files: loading, base inheritance, dotted overrides and validation messages."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from bad_scenarios import BadCase, bad_case

import sim
from sim.cli import main
from sim.params import CATALOGUE
from sim.scenario import SCENARIO_DIR, ScenarioWarning


def test_baseline_is_all_defaults(root):
    spec = sim.load_scenario(root / "scenarios" / "baseline.toml")
    assert spec.name == "baseline"
    assert spec.params.changed() == {}
    assert dict(spec.overrides) == {}
    assert spec.bases == ()
    assert spec.title and spec.title_zh and spec.description.strip()
    assert Path(spec.path) == (root / "scenarios" / "baseline.toml").resolve()


def test_scenario_dir_is_the_repository_library(root):
    assert (root / "scenarios").resolve() == SCENARIO_DIR


def test_a_library_scenario_loads_by_name_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = sim.load_scenario("baseline")
    assert spec.name == "baseline"
    assert Path(spec.path) == SCENARIO_DIR / "baseline.toml"


def test_child_inherits_and_overrides_its_base(write_toml):
    write_toml(
        "base.toml",
        'description = "the base"\n[parameters]\nquota.meetings_cut = 0.5\nanxiety.base = 0.2\n',
    )
    child = write_toml("child.toml", 'base = "base"\n[parameters]\nanxiety.base = 0.3\n')
    grandchild = write_toml("grand.toml", 'base = "child.toml"\n')
    spec = sim.load_scenario(child)
    assert spec.params["quota.meetings_cut"] == 0.5
    assert spec.params["anxiety.base"] == 0.3
    assert spec.bases == ("base",)
    assert dict(spec.overrides) == {"quota.meetings_cut": 0.5, "anxiety.base": 0.3}
    deeper = sim.load_scenario(grandchild)
    assert deeper.bases == ("child", "base")
    assert deeper.params["anxiety.base"] == 0.3


def test_base_can_be_a_library_scenario(write_toml):
    path = write_toml("mine.toml", 'base = "baseline"\n[parameters]\noversight.strength = 1.0\n')
    spec = sim.load_scenario(path)
    assert spec.bases == ("baseline",)
    assert spec.params["oversight.strength"] == 1.0


@pytest.mark.parametrize(
    "text",
    [
        "[parameters]\nquota.meetings_cut = 0.4\n",
        "[parameters.quota]\nmeetings_cut = 0.4\n",
        '[parameters]\n"quota.meetings_cut" = 0.4\n',
        "[parameters]\nquota = { meetings_cut = 0.4 }\n",
    ],
    ids=["dotted", "nested table", "quoted dotted", "inline table"],
)
def test_spellings_of_a_parameter_mean_the_same(write_toml, text):
    spec = sim.load_scenario(write_toml("a.toml", text))
    assert spec.params.changed() == {"quota.meetings_cut": 0.4}


def test_load_scenario_applies_and_validates_overrides(root):
    path = root / "scenarios" / "baseline.toml"
    spec = sim.load_scenario(path, overrides={"anxiety.base": 0.25})
    assert spec.params["anxiety.base"] == 0.25
    assert spec.name == "baseline"
    with pytest.raises(sim.ScenarioError) as info:
        sim.load_scenario(path, overrides={"anxiety.bse": 0.25}, source="--set")
    assert info.value.file == "--set"
    assert info.value.key == "anxiety.bse"
    assert "anxiety.base" in str(info.value)


def test_from_overrides_builds_on_a_base():
    base = sim.Scenario.from_overrides({"quota.meetings_cut": 0.5}, name="cut")
    spec = sim.Scenario.from_overrides({"oversight.strength": 1.0}, name="both", base=base)
    assert spec.params.changed() == {"quota.meetings_cut": 0.5, "oversight.strength": 1.0}
    assert spec.bases == ("cut",)
    assert base.params.changed() == {"quota.meetings_cut": 0.5}


@pytest.mark.parametrize(
    ("key", "value"),
    [("no.such", 1), ("anxiety.base", "x"), ("anxiety.base", 3.0), ("turnover.leave_weeks", 1.5)],
)
def test_from_overrides_rejects_bad_input_naming_source_and_key(key, value):
    with pytest.raises(sim.ScenarioError) as info:
        sim.Scenario.from_overrides({key: value}, source="my sampler")
    assert info.value.file == "my sampler"
    assert info.value.key == key
    assert str(info.value).startswith(f"my sampler: {key}: ")


def test_with_overrides_keeps_identity_and_chain(write_toml):
    write_toml("b.toml", "[parameters]\nanxiety.base = 0.2\n")
    spec = sim.load_scenario(write_toml("a.toml", 'base = "b"\n'))
    same = spec.with_overrides({})
    assert same is spec
    derived = spec.with_overrides({"oversight.strength": 0.5})
    assert derived.name == spec.name
    assert derived.bases == spec.bases == ("b",)
    assert derived.path == spec.path
    assert derived.params.changed() == {"anxiety.base": 0.2, "oversight.strength": 0.5}


def test_with_overrides_keeps_the_chinese_title(root):
    spec = sim.load_scenario(root / "scenarios" / "baseline.toml")
    derived = spec.with_overrides({"anxiety.base": 0.2})
    assert derived.title == spec.title
    assert derived.title_zh == spec.title_zh
    assert derived.description_zh == spec.description_zh


def test_manifest_entry_records_what_the_files_set(write_toml):
    spec = sim.load_scenario(write_toml("a.toml", "[parameters]\nanxiety.base = 0.2\n"))
    entry = spec.to_manifest()
    assert entry["name"] == "a"
    assert entry["overrides"] == {"anxiety.base": 0.2}
    assert entry["bases"] == []


@bad_case
def test_bad_scenarios_raise_scenario_error_naming_file_and_key(tmp_path, case: BadCase):
    for name, text in case.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(sim.ScenarioError) as info:
        sim.load_scenario(tmp_path / case.load)
    err = info.value
    assert Path(err.file).name == case.file
    assert err.key == case.key
    message = str(err)
    assert case.file in message
    if case.key:
        assert case.key in message
    for fragment in case.says:
        assert fragment in message, (fragment, message)


@pytest.mark.parametrize("base", ['""', '"."'])
def test_an_empty_base_is_a_scenario_error(write_toml, base):
    path = write_toml("a.toml", f"base = {base}\n")
    with pytest.raises(sim.ScenarioError) as info:
        sim.load_scenario(path)
    assert info.value.key == "base"


def test_every_catalogue_parameter_can_be_set_from_a_file(write_toml):
    lines = ["[parameters]"]
    expected = {}
    for name, p in CATALOGUE.items():
        if p.kind == "choice":
            value = p.choices[-1]
            lines.append(f'{name} = "{value}"')
        elif p.kind in ("int", "float") and p.low is not None:
            value = p.low if p.kind == "int" else float(p.low)
            lines.append(f"{name} = {value!r}")
        else:
            continue
        if value != p.default:
            expected[name] = value
    spec = sim.load_scenario(write_toml("all.toml", "\n".join(lines) + "\n"))
    assert spec.params.changed() == expected


def test_a_file_that_is_not_utf8_is_a_scenario_error(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes('description = "基线现状"\n'.encode("gbk"))
    with pytest.raises(sim.ScenarioError) as info:
        sim.load_scenario(path)
    assert Path(info.value.file).name == "gbk.toml"


# ---- empty files, byte-order marks, folders -------------------------------------------------
@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "is empty"),
        ("\n  \n", "is empty"),
        ("# to do: cut meetings\n", "is empty"),
        ("[parameters]\n", "sets no parameters"),
        ('title = "draft"\n', "sets no parameters"),
    ],
    ids=["empty", "blank lines", "only a comment", "empty parameters", "only a title"],
)
def test_a_file_that_sets_nothing_warns_that_it_runs_as_the_baseline(write_toml, text, says):
    path = write_toml("draft.toml", text)
    with pytest.warns(ScenarioWarning, match="the baseline") as record:
        spec = sim.load_scenario(path)
    assert spec.params.changed() == {}
    message = str(record[0].message)
    assert str(path) in message and says in message
    assert record[0].filename == __file__  # points at the caller, not into the loader


@pytest.mark.parametrize(
    "text",
    [
        'description = "The status quo, on purpose."\n[parameters]\n',
        'base = "baseline"\n',
        "[parameters]\nanxiety.base = 0.2\n",
    ],
    ids=["described", "has a base", "sets a parameter"],
)
def test_a_file_that_says_or_sets_something_does_not_warn(write_toml, text):
    path = write_toml("a.toml", text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sim.load_scenario(path)


def test_no_library_scenario_warns():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for path in sorted(SCENARIO_DIR.glob("*.toml")):
            sim.load_scenario(path)


def test_an_empty_base_warns_naming_the_base(write_toml):
    empty = write_toml("empty.toml", "")
    path = write_toml("a.toml", 'base = "empty"\n[parameters]\nanxiety.base = 0.2\n')
    with pytest.warns(ScenarioWarning, match="as the base of a.toml it sets nothing") as record:
        spec = sim.load_scenario(path)
    assert str(empty) in str(record[0].message)
    assert record[0].filename == __file__
    assert spec.params.changed() == {"anxiety.base": 0.2}


def test_the_command_line_shows_the_empty_file_warning(tmp_path, capsys):
    path = tmp_path / "empty.toml"
    path.write_text("", encoding="utf-8")
    argv = ["run", str(path), "--preset", "classroom", "--steps", "2", "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 0
    # In the command line's own voice, once, without Python's file-and-line preamble.
    err = capsys.readouterr().err
    assert "oasim: warning: " in err and "empty.toml is empty" in err
    assert "ScenarioWarning" not in err


@pytest.mark.parametrize("sep", ["\n", "\r\n"], ids=["unix", "windows"])
def test_a_utf8_byte_order_mark_is_accepted(tmp_path, sep):
    path = tmp_path / "bom.toml"
    text = sep.join(['description = "基线加减负"', "[parameters]", "quota.meetings_cut = 0.4", ""])
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    spec = sim.load_scenario(path)
    assert spec.description == "基线加减负"
    assert spec.params.changed() == {"quota.meetings_cut": 0.4}


def test_a_byte_order_mark_elsewhere_is_still_invalid_toml(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"[parameters]\n\xef\xbb\xbfquota.meetings_cut = 0.4\n")
    with pytest.raises(sim.ScenarioError, match="not valid TOML"):
        sim.load_scenario(path)


def test_a_folder_given_as_the_scenario_says_it_is_a_directory(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    with pytest.raises(sim.ScenarioError) as info:
        sim.load_scenario(folder)
    err = info.value
    assert err.key is None
    assert Path(err.file) == folder
    assert "is a directory, not a scenario file" in str(err)
    assert "not found" not in str(err)
    assert "a .toml file path" in err.allowed and "library" in err.allowed


def test_a_folder_given_as_a_base_says_it_is_a_directory(write_toml, tmp_path):
    (tmp_path / "sub").mkdir()
    path = write_toml("a.toml", 'base = "sub"\n')
    with pytest.raises(sim.ScenarioError) as info:
        sim.load_scenario(path)
    err = info.value
    assert err.key == "base"
    assert Path(err.file).name == "a.toml"
    assert str(tmp_path / "sub") in str(err)
    assert "is a directory, not a scenario file" in str(err)


def test_a_scenario_file_beside_a_folder_of_the_same_name_still_loads(write_toml, tmp_path):
    (tmp_path / "sub").mkdir()
    write_toml("sub.toml", "[parameters]\nanxiety.base = 0.2\n")
    spec = sim.load_scenario(write_toml("a.toml", 'base = "sub"\n'))
    assert spec.bases == ("sub",)


@pytest.mark.parametrize(
    ("files", "load", "says"),
    [
        ({}, "", ("is a directory, not a scenario file",)),
        ({"a.toml": 'base = "sub"\n'}, "a.toml", ("a.toml: base:", "is a directory")),
        (
            {"a.toml": '[parameters]\n"quota.meetings_cut" = 0.3\nquota.meetings_cut = 0.5\n'},
            "a.toml",
            ("parameters.quota.meetings_cut", "set twice"),
        ),
    ],
    ids=["folder as scenario", "folder as base", "parameter set twice"],
)
def test_the_command_line_exits_2_on_these_scenarios(tmp_path, capsys, files, load, says):
    (tmp_path / "sub").mkdir()
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    scenario = tmp_path / load if load else tmp_path / "sub"
    out = tmp_path / "out"
    argv = ["run", str(scenario), "--preset", "classroom", "--steps", "2", "--quiet"]
    assert main([*argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("oasim: error: ")
    for fragment in says:
        assert fragment in err
    assert not out.exists()
