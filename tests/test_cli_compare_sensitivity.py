"""The oasim command line: compare and sensitivity write complete, reproducible result folders;
bad input exits with status 2 and writes nothing."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.params import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
BASELINE = str(ROOT / "scenarios" / "baseline.toml")
SECONDMENT = str(ROOT / "scenarios" / "secondment.toml")
ISHIGAMI = str(ROOT / "scenarios" / "sensitivity" / "ishigami.toml")
COMPARE_FILES = {
    "runs.csv",
    "comparison.csv",
    "timeseries_bands.csv",
    "timeseries.png",
    "forest.png",
    "manifest.json",
    "environment.json",
}
REPLICATES, STEPS = 3, 20


def compare(out: Path, *extra: str, scenarios=(BASELINE, SECONDMENT)) -> int:
    argv = ["compare", *scenarios, "--preset", "classroom", "--set", "run.policy_start=0"]
    sizes = ["--replicates", str(REPLICATES), "--steps", str(STEPS)]
    return main([*argv, *sizes, "--quiet", "--out", str(out), *extra])


def sensitivity(out: Path, *extra: str, problem: str = ISHIGAMI) -> int:
    argv = ["sensitivity", problem, "--out", str(out), "--workers", "1", "--quiet"]
    return main([*argv, "--seed", "1", *extra])


def check_checksums(folder: Path, manifest: dict) -> None:
    for name, digest in manifest["files"].items():
        actual = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert digest == f"sha256:{actual}", name


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """The same comparison with one worker and with two."""
    parent = tmp_path_factory.mktemp("compare")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert compare(parent / "serial", "--workers", "1") == 0
        assert compare(parent / "pool", "--workers", "2") == 0
    return parent / "serial", parent / "pool", printed.getvalue()


# ---- compare -------------------------------------------------------------------------------------
def test_compare_writes_its_files_and_nothing_else(compared):
    serial, pool, _ = compared
    for out in (serial, pool):
        assert {p.name for p in out.iterdir()} == COMPARE_FILES
    assert sorted(p.name for p in serial.parent.iterdir()) == ["pool", "serial"]  # no temp dirs


def test_runs_csv_has_one_row_per_scenario_and_replicate(compared):
    runs = pd.read_csv(compared[0] / "runs.csv")
    assert len(runs) == 2 * REPLICATES
    assert sorted(zip(runs.scenario, runs.replicate, strict=True)) == [
        (s, r) for s in ("baseline", "secondment") for r in range(REPLICATES)
    ]
    for outcome in (o.name for o in sim.OUTCOMES):
        assert outcome in runs.columns and f"{outcome}_final" in runs.columns
    per_replicate = runs.groupby("replicate").seed.nunique()
    assert (per_replicate == 1).all()  # common random numbers


def test_comparison_csv_has_every_statistic(compared):
    table = pd.read_csv(compared[0] / "comparison.csv")
    for column in (
        "scenario",
        "outcome",
        "mean",
        "ci_low",
        "ci_high",
        "diff",
        "diff_ci_low",
        "diff_ci_high",
        "effect_size_d",
        "p_value",
        "p_holm",
        "excludes_zero",
        "replicates_for_half_width",
        "replicates_to_exclude_zero",
    ):
        assert column in table.columns, column
    assert len(table) == 2 * len(sim.OUTCOMES)
    cost = table.set_index(["scenario", "outcome"]).loc[("secondment", "lever_cost")]
    staff = sim.load_scenario(SECONDMENT).params["secondment.staff"]
    assert cost["diff"] == pytest.approx(staff * sim.Parameters()["work.standard_hours"])
    assert bool(cost.excludes_zero)


def test_bands_cover_every_scenario_week_and_outcome(compared):
    bands = pd.read_csv(compared[0] / "timeseries_bands.csv")
    assert len(bands) == 2 * STEPS * len(sim.OUTCOMES)
    assert set(bands.week) == set(range(1, STEPS + 1))
    assert list(bands.columns) == ["scenario", "week", "outcome", "mean", "p05", "p95"]


def test_figures_are_real_pngs(compared):
    for name in ("timeseries.png", "forest.png"):
        assert (compared[0] / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_compare_manifest_records_seeds_replicates_and_every_parameter(compared):
    serial, pool, _ = compared
    manifest = json.loads((serial / "manifest.json").read_text())
    assert manifest["command"] == "compare"
    assert manifest["replicates"] == REPLICATES and manifest["steps"] == STEPS
    assert manifest["reference"] == "baseline"
    assert len(manifest["seeds"]) == REPLICATES
    runs = pd.read_csv(serial / "runs.csv")
    assert sorted(set(runs.seed)) == sorted(manifest["seeds"])
    assert set(manifest["parameters"]) == {"baseline", "secondment"}
    for params in manifest["parameters"].values():
        assert set(params) == set(CATALOGUE)
        assert params["hierarchy.preset"] == "classroom" and params["run.policy_start"] == 0
    assert manifest["parameters"]["secondment"]["secondment.staff"] > 0
    assert json.loads((serial / "environment.json").read_text())["workers"] == 1
    assert json.loads((pool / "environment.json").read_text())["workers"] == 2
    # The manifest says what was computed, not how: the same for one worker or two.
    assert (pool / "manifest.json").read_bytes() == (serial / "manifest.json").read_bytes()
    check_checksums(serial, manifest)


def test_results_do_not_depend_on_the_number_of_workers(compared):
    serial, pool, _ = compared
    for name in ("runs.csv", "comparison.csv", "timeseries_bands.csv"):
        assert (serial / name).read_bytes() == (pool / name).read_bytes(), name


def test_compare_prints_paired_differences(compared):
    printed = compared[2]
    assert "secondment - baseline:" in printed
    assert "township_hours" in printed and "replicates" in printed


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        ([BASELINE, str(ROOT / "scenarios" / "no_such_scenario.toml")], "no_such_scenario"),
        ([BASELINE, BASELINE], "scenario names must be distinct"),
        ([BASELINE, SECONDMENT, "--set", "quota.meeting_cut=0.5"], "did you mean"),
    ],
    ids=["unknown scenario", "duplicate names", "unknown parameter"],
)
def test_bad_compare_input_exits_2_and_writes_nothing(tmp_path, capsys, argv, says):
    out = tmp_path / "out"
    command = ["compare", *argv, "--preset", "classroom", "--steps", "2", "--replicates", "2"]
    assert main([*command, "--workers", "1", "--quiet", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("oasim: error: ") and says in err
    assert list(tmp_path.iterdir()) == []


def test_compare_needs_two_replicates(tmp_path, capsys):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as info:
        main(["compare", BASELINE, SECONDMENT, "--replicates", "1", "--out", str(out)])
    assert info.value.code == 2
    assert "must be in [2, " in capsys.readouterr().err
    assert not out.exists()


# ---- sensitivity ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sobol_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("sa") / "sobol"
    with contextlib.redirect_stdout(io.StringIO()):
        assert sensitivity(out, "--method", "sobol", "--samples", "64") == 0
    return out


def test_sensitivity_writes_its_files(sobol_out):
    names = {p.name for p in sobol_out.iterdir()}
    assert names == {
        "indices.csv",
        "samples.parquet",
        "noise.csv",
        "convergence.csv",
        "sobol.png",
        "manifest.json",
        "environment.json",
        "state.json",
        "chunks",
    }
    assert (sobol_out / "sobol.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p.name for p in sobol_out.rglob(".*")]  # no temporary files left


def test_indices_csv_is_tidy(sobol_out):
    indices = pd.read_csv(sobol_out / "indices.csv")
    assert list(indices.columns) == ["outcome", "parameter", "index", "value", "confidence"]
    assert len(indices) == 2 * 3
    assert set(indices["index"]) == {"S1", "ST"}
    assert set(indices.parameter) == {"x1", "x2", "x3"} and set(indices.outcome) == {"y"}


def test_samples_noise_and_convergence_tables(sobol_out):
    samples = pd.read_parquet(sobol_out / "samples.parquet")
    assert list(samples.columns) == ["point", "x1", "x2", "x3", "y"]
    assert len(samples) == 64 * 5 and list(samples.point) == list(range(64 * 5))
    noise = pd.read_csv(sobol_out / "noise.csv")
    assert list(noise.outcome) == ["y"] and "seed_noise_share" in noise.columns
    convergence = pd.read_csv(sobol_out / "convergence.csv")
    assert sorted(set(convergence.samples)) == [16, 32, 64]
    assert set(convergence["index"]) == {"ST"}


def test_sensitivity_manifest(sobol_out):
    manifest = json.loads((sobol_out / "manifest.json").read_text())
    assert manifest["command"] == "sensitivity"
    assert manifest["method"] == "sobol" and manifest["samples"] == 64
    assert manifest["master_seed"] == 1 and len(manifest["seeds"]) == 1
    assert manifest["runs"] == manifest["points"] == 64 * 5
    assert manifest["problem"]["model"] == "ishigami"
    assert set(manifest["problem"]["parameters"]) == {"x1", "x2", "x3"}
    assert json.loads((sobol_out / "environment.json").read_text())["workers"] == 1
    assert set(manifest["files"]) == {
        "indices.csv",
        "samples.parquet",
        "noise.csv",
        "convergence.csv",
        "sobol.png",
    }
    check_checksums(sobol_out, manifest)


@pytest.mark.filterwarnings("ignore:FAST confidence intervals:UserWarning")
@pytest.mark.parametrize(
    ("method", "samples", "figure", "convergence"),
    [("morris", "8", "morris.png", True), ("fast", "128", "fast.png", False)],
)
def test_other_methods_write_their_figure(tmp_path, capsys, method, samples, figure, convergence):
    out = tmp_path / method
    assert sensitivity(out, "--method", method, "--samples", samples) == 0
    names = {p.name for p in out.iterdir()}
    assert figure in names and "indices.csv" in names
    assert ("convergence.csv" in names) == convergence
    indices = pd.read_csv(out / "indices.csv")
    expected = {"mu", "mu_star", "sigma"} if method == "morris" else {"S1", "ST"}
    assert set(indices["index"]) == expected
    assert "Most influential" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--method", "sobol", "--samples", "100"], "power of 2"),
        (["--method", "morris", "--until-ci", "0.1"], "--until-ci works with --method sobol"),
        (["--method", "fast", "--samples", "64"], "eFAST needs more than"),
        (["--scheduler", "local:2"], "not both"),
    ],
    ids=["sobol not a power of 2", "until-ci with morris", "fast too small", "workers and dask"],
)
def test_bad_sensitivity_options_exit_2_and_write_nothing(tmp_path, capsys, extra, says):
    out = tmp_path / "out"
    assert sensitivity(out, *extra) == 2
    err = capsys.readouterr().err
    assert err.startswith("oasim: error: ") and says in err
    assert not out.exists()


def test_a_bad_problem_file_exits_2(tmp_path, capsys):
    problem = tmp_path / "p.toml"
    problem.write_text('model = "ishigami"\n[parameters]\nx1 = { bounds = [1, 0] }\n')
    out = tmp_path / "out"
    assert sensitivity(out, problem=str(problem)) == 2
    err = capsys.readouterr().err
    assert str(problem) in err and "parameters.x1.bounds" in err
    assert not out.exists()
