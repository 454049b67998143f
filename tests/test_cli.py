"""The oasim command line: run, scenarios, params; exit status 2 on bad input."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bad_scenarios import BadCase, bad_case

import sim
from sim.cli import main
from sim.params import CATALOGUE

OUTPUTS = {"timeseries.csv", "summary.json", "manifest.json", "overview.png", "environment.json"}


def run_cli(out: Path, *extra: str, scenario: str = "scenarios/baseline.toml", seed: str = "3"):
    argv = ["run", scenario, "--preset", "classroom", "--steps", "12", "--seed", seed]
    return main([*argv, "--out", str(out), "--quiet", *extra])


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    """Everything in ``folder`` (hidden entries included) except ``keep``."""
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    out = folder / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(Path(sim.__file__).resolve().parent.parent)
        assert run_cli(out) == 0
    return out


# ---- run: success ----------------------------------------------------------------------------
def test_run_writes_exactly_its_files_and_nothing_else(first_run):
    assert {p.name for p in first_run.iterdir()} == OUTPUTS
    assert leftovers(first_run.parent, {"out"}) == []  # no hidden temporary folder


def test_timeseries_has_one_row_per_week_and_one_column_per_outcome(first_run):
    with open(first_run / "timeseries.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert header == ["week", *(o.name for o in sim.OUTCOMES)]
    assert len(body) == 12
    assert [int(r[0]) for r in body] == list(range(1, 13))


def test_summary_names_the_run_and_every_outcome(first_run):
    summary = json.loads((first_run / "summary.json").read_text())
    assert summary["scenario"] == "baseline"
    assert summary["seed"] == 3 and summary["steps"] == 12
    assert summary["preset"] == "classroom"
    names = [o.name for o in sim.OUTCOMES]
    assert set(summary["outcomes"]) == set(names) | {f"{n}_final" for n in names}


def test_manifest_records_parameters_seed_version_and_checksums(first_run):
    manifest = json.loads((first_run / "manifest.json").read_text())
    assert manifest["generator"] == "oasim" and manifest["command"] == "run"
    assert manifest["seed"] == 3 and manifest["steps"] == 12
    assert manifest["oasim_version"] == sim.__version__
    assert manifest["scenario"]["path"] == "scenarios/baseline.toml"  # relative: stable
    params = manifest["parameters"]
    assert set(params) == set(CATALOGUE)
    assert params["hierarchy.preset"] == "classroom"
    assert params["anxiety.base"] == CATALOGUE["anxiety.base"].default
    assert manifest["hierarchy"]["township_officials"] == 48
    files = manifest["files"]
    assert set(files) == OUTPUTS - {"manifest.json", "environment.json"}
    for name, digest in files.items():
        actual = hashlib.sha256((first_run / name).read_bytes()).hexdigest()
        assert digest == f"sha256:{actual}", name


def test_environment_records_time_machine_and_versions(first_run):
    env = json.loads((first_run / "environment.json").read_text())
    assert env["started"] and env["finished"] and env["duration_seconds"] >= 0
    assert env["argv"] and env["cwd"]
    versions = env["environment"]
    assert versions["package_version"] == sim.__version__
    for dep in ("mesa", "numpy", "pandas", "networkx"):
        assert versions["dependencies"][dep]


def test_the_same_run_twice_writes_identical_results_and_manifest(first_run, tmp_path, in_root):
    assert run_cli(tmp_path / "again") == 0
    for name in OUTPUTS - {"environment.json"}:
        assert (tmp_path / "again" / name).read_bytes() == (first_run / name).read_bytes(), name


def test_overview_is_a_real_png(first_run):
    data = (first_run / "overview.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000


def test_same_seed_writes_the_same_timeseries(first_run, tmp_path, in_root):
    assert run_cli(tmp_path / "again") == 0
    assert (tmp_path / "again" / "timeseries.csv").read_bytes() == (
        first_run / "timeseries.csv"
    ).read_bytes()
    assert run_cli(tmp_path / "other", seed="4") == 0
    assert (tmp_path / "other" / "timeseries.csv").read_bytes() != (
        first_run / "timeseries.csv"
    ).read_bytes()


def test_run_replaces_its_own_earlier_results(tmp_path, in_root):
    out = tmp_path / "out"
    assert run_cli(out) == 0
    assert run_cli(out, seed="4") == 0
    assert json.loads((out / "summary.json").read_text())["seed"] == 4
    assert {p.name for p in out.iterdir()} == OUTPUTS
    assert leftovers(tmp_path, {"out"}) == []


def test_set_overrides_reach_the_run(tmp_path, in_root, capsys):
    out = tmp_path / "out"
    assert run_cli(out, "--set", "assessment.mode=result", "--set", "anxiety.base=0.2") == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["assessment.mode"] == "result"
    assert manifest["parameters"]["anxiety.base"] == 0.2
    assert "wrote" in capsys.readouterr().out


def test_a_library_scenario_runs_by_name(tmp_path, capsys):
    assert run_cli(tmp_path / "out", scenario="baseline") == 0
    assert (tmp_path / "out" / "timeseries.csv").is_file()


# ---- run: bad input --------------------------------------------------------------------------
@bad_case
def test_bad_scenario_exits_2_naming_file_and_key_and_writes_nothing(tmp_path, capsys, case):
    BadCase  # noqa: B018 (the table's type, for readers)
    for name, text in case.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(out, scenario=str(tmp_path / case.load)) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("oasim: error: ")
    assert case.file in captured.err
    if case.key:
        assert case.key in captured.err
    for fragment in case.says:
        assert fragment in captured.err
    assert not out.exists()
    assert leftovers(tmp_path, set(case.files)) == []  # no hidden temporary folder either


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("quota.meeting_cut=0.5", ("quota.meeting_cut", "quota.meetings_cut")),
        ("anxiety.base=high", ("anxiety.base", "'high'")),
        ("anxiety.base=2", ("anxiety.base", "out of range")),
        ("indicators.count=2.5", ("indicators.count", "whole number")),
        ("oversight.strength=true", ("oversight.strength", "boolean")),
        ("assessment.mode=results", ("assessment.mode", "'result'")),
        ("anxiety.base", ("KEY=VALUE",)),
        ("=0.5", ("KEY=VALUE",)),
    ],
)
def test_bad_set_exits_2_and_writes_nothing(tmp_path, capsys, in_root, setting, says):
    out = tmp_path / "out"
    assert run_cli(out, "--set", setting) == 2
    err = capsys.readouterr().err
    assert "--set" in err
    for fragment in says:
        assert fragment in err
    assert not out.exists()
    assert leftovers(tmp_path, set()) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "scenarios/baseline.toml", "--steps", "0"],
        ["run", "scenarios/baseline.toml", "--steps", "ten"],
        ["run", "scenarios/baseline.toml", "--seed", "-1"],
        ["run", "scenarios/baseline.toml", "--preset", "planet"],
        ["run"],
        [],
        ["fly"],
    ],
)
def test_bad_options_exit_2(argv, in_root, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert sim.__version__ in capsys.readouterr().out


# ---- scenarios and params --------------------------------------------------------------------
def test_scenarios_lists_the_library(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    names = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert "baseline" in names
    library = Path(sim.__file__).resolve().parent.parent / "scenarios"
    assert set(names) == {p.stem for p in library.glob("*.toml")}


def test_scenarios_of_a_folder_and_its_errors(tmp_path, capsys):
    (tmp_path / "one.toml").write_text('description = "first"\n[parameters]\nanxiety.base = 0.2\n')
    assert main(["scenarios", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "one" in out and "first" in out and "anxiety.base=0.2" in out
    (tmp_path / "two.toml").write_text("[parameters]\nanxiety.bass = 0.2\n")
    assert main(["scenarios", str(tmp_path)]) == 2
    assert "two.toml" in capsys.readouterr().err
    assert main(["scenarios", str(tmp_path / "missing")]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["scenarios", str(empty)]) == 2


def test_params_markdown_is_the_committed_docs(root, capsys):
    assert main(["params", "--markdown"]) == 0
    out = capsys.readouterr().out
    committed = (root / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert out == committed


def test_params_lists_every_parameter_with_its_range(capsys):
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    for name, p in CATALOGUE.items():
        assert f"{name} = " in out
        assert p.allowed() in out


def test_params_of_one_section(capsys):
    assert main(["params", "quota"]) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = [line.split(" = ")[0] for line in lines if " = " in line]
    assert listed == [n for n in CATALOGUE if n.startswith("quota.")]


def test_params_of_an_unknown_section_is_bad_input(capsys):
    assert main(["params", "anxeity"]) == 2
    assert "anxiety" in capsys.readouterr().err


def test_python_dash_m_sim(root):
    done = subprocess.run(
        [sys.executable, "-m", "sim", "params", "oversight"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "oversight.strength" in done.stdout


def test_a_gbk_scenario_exits_2(tmp_path, capsys):
    path = tmp_path / "gbk.toml"
    path.write_bytes('description = "基线现状"\n'.encode("gbk"))
    assert run_cli(tmp_path / "out", scenario=str(path)) == 2
    assert "gbk.toml" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_empty_scenario_path_exits_2(tmp_path, capsys):
    assert run_cli(tmp_path / "out", scenario="") == 2
    assert "not a scenario file name" in capsys.readouterr().err
