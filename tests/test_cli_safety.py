"""The command line never loses a user's data, refuses jobs that cannot say anything or cannot
fit, and tells a user's mistake (exit 2, one line) from a bug (traceback, exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim import cli
from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASELINE = str(ROOT / "scenarios" / "baseline.toml")
PUNCH = str(ROOT / "scenarios" / "combination_punch.toml")
FAST = ["--preset", "classroom", "--steps", "8", "--quiet"]


def users_folder(parent: Path) -> Path:
    folder = parent / "x"
    (folder / "Documents").mkdir(parents=True)
    (folder / "Documents" / "a.txt").write_text("hi")
    (folder / ".env.local").write_text("SECRET=1")
    return folder


def intact(folder: Path) -> bool:
    return (folder / "Documents" / "a.txt").read_text() == "hi" and (
        folder / ".env.local"
    ).read_text() == "SECRET=1"


def tiny_problem(tmp_path: Path, policy_start: int = 0, parameters: int = 2) -> str:
    dims = [
        '"quota.inspections_cut" = { bounds = [0.0, 0.7] }',
        '"quota.meetings_cut" = { bounds = [0.0, 0.6] }',
    ]
    path = tmp_path / "tiny.toml"
    path.write_text(
        'description = "tiny"\nscenario = "baseline"\nseeds = 1\nsteps = 6\npreset = "classroom"\n'
        'outcomes = ["township_hours"]\n'
        f'[fixed]\n"run.policy_start" = {policy_start}\n'
        "[parameters]\n" + "\n".join(dims[:parameters]) + "\n"
    )
    return str(path)


# ---- a user's folder survives every command --------------------------------------------------
@pytest.mark.parametrize("command", ["run", "compare", "sensitivity"])
def test_out_at_a_users_folder_exits_2_before_running_and_keeps_every_file(
    tmp_path, capsys, in_root, command
):
    folder = users_folder(tmp_path)
    argv = {
        "run": ["run", BASELINE, *FAST],
        "compare": ["compare", BASELINE, "--replicates", "2", "--workers", "1", *FAST],
        "sensitivity": [
            "sensitivity",
            tiny_problem(tmp_path),
            "--method",
            "morris",
            "--samples",
            "2",
            "--workers",
            "1",
            "--quiet",
        ],
    }[command]
    assert main([*argv, "--out", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "not a folder of oasim results" in err and "--overwrite" in err
    assert intact(folder)
    assert sorted(p.name for p in folder.iterdir()) == [".env.local", "Documents"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.toml", "x"]


def test_overwrite_writes_beside_a_users_files_and_keeps_them(tmp_path, in_root):
    folder = users_folder(tmp_path)
    assert main(["run", BASELINE, *FAST, "--out", str(folder), "--overwrite"]) == 0
    assert intact(folder)
    assert (folder / "summary.json").is_file()
    # A second run replaces its own files there, still without touching the user's.
    assert main(["run", BASELINE, *FAST, "--seed", "9", "--out", str(folder), "--overwrite"]) == 0
    assert intact(folder)
    assert json.loads((folder / "summary.json").read_text())["seed"] == 9


def test_sensitivity_overwrite_keeps_a_users_hidden_files(tmp_path, in_root):
    folder = users_folder(tmp_path)
    argv = ["sensitivity", tiny_problem(tmp_path), "--method", "morris", "--samples", "2"]
    assert main([*argv, "--workers", "1", "--quiet", "--out", str(folder), "--overwrite"]) == 0
    assert intact(folder)
    assert (folder / "indices.csv").is_file()


@pytest.mark.parametrize("out", [".", ".."])
def test_out_at_the_current_folder_or_its_parent_exits_2(tmp_path, capsys, monkeypatch, out):
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    (tmp_path / "work" / "keep.txt").write_text("keep")
    assert main(["run", BASELINE, *FAST, "--out", out, "--overwrite"]) == 2
    assert "current folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["keep.txt", "work"]


@pytest.mark.parametrize("command", ["run", "sensitivity"])
def test_out_at_a_file_exits_2_and_keeps_it(tmp_path, capsys, in_root, command):
    target = tmp_path / "results"
    target.write_text("mine")
    argv = (
        ["run", BASELINE, *FAST]
        if command == "run"
        else ["sensitivity", tiny_problem(tmp_path), "--method", "morris", "--samples", "2"]
    )
    assert main([*argv, "--out", str(target)]) == 2
    assert "is a file" in capsys.readouterr().err
    assert target.read_text() == "mine"
    assert not list(tmp_path.glob(".*"))


def test_an_unwritable_out_is_refused_before_the_simulation(tmp_path, capsys, monkeypatch):
    ran = []
    monkeypatch.setattr("sim.run.simulate", lambda *a, **k: ran.append(1))
    assert main(["run", BASELINE, *FAST, "--out", "/proc/oasim/out"]) == 2
    assert "cannot" in capsys.readouterr().err
    assert ran == []


# ---- default folder names --------------------------------------------------------------------
def test_default_folders_differ_whenever_the_run_differs(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "RESULTS_DIR", tmp_path / "results")
    base = ["run", BASELINE, "--preset", "classroom", "--steps", "6", "--quiet"]
    variants = [
        base,
        [*base, "--set", "assessment.mode=result"],
        [*base, "--seed", "2"],
        [*base[:4], "--steps", "7", "--quiet"],
    ]
    for argv in variants:
        assert main(argv) == 0
    folders = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert len(folders) == 4, folders
    assert all(f.startswith("baseline-classroom-seed") for f in folders)
    # The same resolved run goes to the same folder (its own results, replaced).
    assert main(base) == 0
    assert len(list((tmp_path / "results").iterdir())) == 4


# ---- runs that could not show any effect -----------------------------------------------------
def test_compare_refuses_levers_that_never_switch_on(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["compare", BASELINE, PUNCH, "--preset", "classroom", "--steps", "50"]
    assert main([*argv, "--replicates", "3", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "before the levers switch on at week 104" in err and "--steps of at least 156" in err
    assert not out.exists()


def test_compare_of_the_status_quo_with_itself_may_be_short(tmp_path, capsys):
    argv = ["compare", BASELINE, "--preset", "classroom", "--steps", "5", "--replicates", "2"]
    assert main([*argv, "--workers", "1", "--out", str(tmp_path / "o"), "--quiet"]) == 0


def test_run_warns_when_its_levers_never_switch_on(tmp_path, capsys):
    assert main(["run", PUNCH, *FAST, "--out", str(tmp_path / "o")]) == 0
    captured = capsys.readouterr()
    assert "warning" in captured.err and "week 104" in captured.err
    assert "mean over all 8 weeks" in captured.out and "last year" not in captured.out


def test_sensitivity_refuses_levers_that_never_switch_on(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["sensitivity", tiny_problem(tmp_path, policy_start=100), "--method", "morris"]
    assert main([*argv, "--samples", "2", "--out", str(out), "--quiet"]) == 2
    assert "before the levers switch on" in capsys.readouterr().err
    assert not out.exists()


def test_a_one_parameter_problem_is_refused_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["sensitivity", tiny_problem(tmp_path, parameters=1), "--samples", "4"]
    assert main([*argv, "--out", str(out), "--quiet"]) == 2
    assert "at least 2 parameters" in capsys.readouterr().err
    assert not out.exists()


# ---- limits --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["run", BASELINE, "--steps", "5201"], "must be in [1, 5200]"),
        (["run", BASELINE, "--steps", "1000000000"], "must be in [1, 5200]"),
        (["compare", BASELINE, "--replicates", "100000000"], "must be in [2, 10000]"),
        (["compare", BASELINE, "--workers", "100"], "--workers"),
        (["sensitivity", "x.toml", "--until-ci", "-1"], "positive interval width"),
        (["sensitivity", "x.toml", "--samples", str(2**21)], "--samples"),
    ],
)
def test_options_beyond_their_limits_exit_2(capsys, argv, says):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert says in capsys.readouterr().err


def test_a_job_that_cannot_fit_is_refused_naming_the_limit(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["compare", BASELINE, PUNCH, "--preset", "national", "--replicates", "10000"]
    assert main([*argv, "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "GiB" in err and ("72 h" in err or "memory" in err)
    assert not out.exists()


# ---- mistakes and bugs -------------------------------------------------------------------------
def test_a_bug_shows_its_traceback_and_asks_for_a_report(monkeypatch, capsys):
    def broken(args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "cmd_params", broken)
    assert main(["params"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError" in err and "report" in err


def test_a_value_error_inside_the_library_is_not_reported_as_bad_input(monkeypatch, capsys):
    def broken(args):
        raise ValueError("internal inconsistency")

    monkeypatch.setattr(cli, "cmd_params", broken)
    assert main(["params"]) == 1
    assert "Traceback" in capsys.readouterr().err
