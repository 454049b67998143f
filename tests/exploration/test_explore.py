"""oasim explore: every policy in the same worlds; the folder is complete, reproducible, resumable,
the same on EMA's evaluators and ours, and bad input writes nothing."""

from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.evaluators import ProcessEvaluator
from sim.experiments.seeds import replicate_seeds
from sim.exploration import (
    ema_model,
    ema_policies,
    ema_scenarios,
    explore,
    load_space,
)
from sim.exploration.explore import run_worlds, seed_means

SPACE = """
description = "A small space for tests: classroom, 60 weeks, levers on in week 52."
reference = "baseline"
seeds = 2
steps = 60
preset = "classroom"
interactions = "remedies"
[outcomes]
township_hours = "minimize"
hours_pure_formalism = "minimize"
service_quality = "maximize"
burnout = "minimize"
lever_cost = "info"
[criteria]
burnout = "lower"
hours_pure_formalism = "lower"
service_quality = { rule = "not_lower", tolerance = 0.005 }
[fixed]
"run.policy_start" = 52
[uncertainties]
"anxiety.from_superior" = { bounds = [0.2, 0.5] }
"cascade.escalation" = { bounds = [0.3, 0.9] }
"output.yd_optimum" = { bounds = [0.25, 0.45] }
"rebound.leakage" = { bounds = [0.5, 0.9] }
"""
POLICIES = ["quota_cut_no_oversight", "combination_realistic"]
FILES = {
    "experiments.parquet",
    "outcomes.parquet",
    "robustness.csv",
    "satisficing.csv",
    "prim_boxes.csv",
    "cart.csv",
    "feature_scores.csv",
    "robustness.png",
    "feature_scores.png",
    "manifest.json",
    "environment.json",
    "state.json",
}


@pytest.fixture(scope="module")
def space_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("space") / "small.toml"
    path.write_text(SPACE, encoding="utf-8")
    return path


def run_cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(["explore", *argv])
        except SystemExit as stop:  # argparse's own refusals
            status = stop.code
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def explored(space_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("explore") / "out"
    status, printed, _ = run_cli(
        *POLICIES, "--space", str(space_file), "--scenarios", "12", "--seed", "4",
        "--workers", "1", "--interactions", "2", "--quiet", "--out", str(folder),
    )  # fmt: skip
    assert status == 0
    return folder, printed


def test_explore_writes_every_table_and_figure(explored):
    folder, _ = explored
    names = {p.name for p in folder.iterdir() if p.is_file()}
    assert names >= FILES
    assert {"interactions.csv", "interactions.png"} <= names
    assert (
        any(n.startswith("prim_") and n.endswith(".png") for n in names)
        or pd.read_csv(folder / "prim_boxes.csv").empty
    )
    for png in folder.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_policy_runs_in_the_same_worlds(explored):
    folder, _ = explored
    experiments = pd.read_parquet(folder / "experiments.parquet")
    assert len(experiments) == 12 * 3  # the status quo joins the two policies
    assert list(dict.fromkeys(experiments.policy)) == ["baseline", *POLICIES]
    worlds = experiments.groupby("world")["anxiety.from_superior"].nunique()
    assert (worlds == 1).all()  # one world, one set of beliefs, whatever the policy
    outcomes = pd.read_parquet(folder / "outcomes.parquet")
    assert {"meets_burnout", "meets_all"} <= set(outcomes.columns)
    assert (outcomes.loc[outcomes.policy == "baseline", "meets_all"] == False).all()  # noqa: E712


def test_the_tables_agree_with_each_other(explored, space_file):
    folder, _ = explored
    outcomes = pd.read_parquet(folder / "outcomes.parquet")
    sat = pd.read_csv(folder / "satisficing.csv").set_index("policy")
    for policy in POLICIES:
        share = outcomes.loc[outcomes.policy == policy, "meets_all"].mean()
        assert sat.loc[policy, "satisficing_share"] == pytest.approx(share)
    robust = pd.read_csv(folder / "robustness.csv")
    hours = robust[robust.outcome == "township_hours"].set_index("policy")
    wide = outcomes.pivot(index="world", columns="policy", values="township_hours")
    worst = (wide.sub(wide.min(axis=1), axis=0)).max()
    for policy in hours.index:
        assert hours.loc[policy, "max_regret"] == pytest.approx(worst[policy], rel=1e-5)  # %.6g
    scores = pd.read_csv(folder / "feature_scores.csv", index_col="uncertainty")
    assert set(scores.index) == {*load_space(space_file).names, "policy"}
    np.testing.assert_allclose(scores.sum(), 1.0, rtol=1e-5)
    s2 = pd.read_csv(folder / "interactions.csv")
    assert len(s2) == 4 * 28  # 4 outcomes, 8 lever groups: 28 pairs


def test_the_manifest_records_provenance(explored, space_file):
    folder, _ = explored
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["command"] == "explore"
    assert manifest["oasim_version"]
    assert manifest["master_seed"] == 4
    assert manifest["seeds"] == replicate_seeds(4, 2)
    assert manifest["scenarios"] == 12
    assert manifest["reference"] == "baseline"
    assert [p["name"] for p in manifest["policies"]] == ["baseline", *POLICIES]
    assert manifest["criteria"] == {
        "burnout": "lower",
        "hours_pure_formalism": "lower",
        "service_quality": "not_lower",
    }
    assert manifest["uncertainties"]["cascade.escalation"] == {"low": 0.3, "high": 0.9}
    assert manifest["runs"] == 12 * 3 * 2
    assert manifest["interactions"]["samples"] == 2
    # The interactions are those of the hierarchy the policies ran on.
    assert manifest["interactions"]["problem"]["preset"] == "classroom"
    assert set(manifest["files"]) >= FILES - {"manifest.json", "environment.json", "state.json"}


def test_explore_prints_the_satisficing_ranking(explored):
    _, printed = explored
    assert "72 runs: 3 policies in 12 states of the world" in printed
    for policy in POLICIES:
        assert policy in printed


def test_results_do_not_depend_on_the_evaluator(space_file, tmp_path):
    space = load_space(space_file)
    serial = explore(space, POLICIES[:1], 10, folder=tmp_path / "serial", seed=9)
    with ProcessEvaluator(2) as pool:
        parallel = explore(space, POLICIES[:1], 10, folder=tmp_path / "pool", seed=9,
                           evaluator=pool)  # fmt: skip
    pd.testing.assert_frame_equal(serial.outcomes, parallel.outcomes)
    pd.testing.assert_frame_equal(serial.robustness, parallel.robustness)


def test_ema_workbench_evaluators_give_the_same_numbers(space_file):
    """EMA's SequentialEvaluator on ema_model() and oasim's fast path, same worlds and seeds."""
    from ema_workbench import SequentialEvaluator, perform_experiments

    space = load_space(space_file)
    worlds = space.sample(3, seed=2)
    seeds = replicate_seeds(2, space.seeds)
    model = ema_model(space, seeds)
    experiments, outcomes = perform_experiments(
        model,
        scenarios=ema_scenarios(worlds),
        policies=ema_policies(space, ["baseline", "combination_realistic"]),
        evaluator=SequentialEvaluator(model),
    )
    fast = seed_means(run_worlds(space, ["combination_realistic"], worlds, seeds), space.outcomes)
    fast = fast.set_index(["world", "policy"])
    for i, row in experiments.iterrows():
        key = (int(row["scenario"]), row["policy"])
        for name in space.outcomes:
            assert outcomes[name][i] == pytest.approx(fast.loc[key, name], rel=1e-12, abs=1e-15)


def test_a_killed_exploration_resumes_to_the_same_result(space_file, tmp_path):
    space = load_space(space_file)
    whole = explore(space, POLICIES[:1], 10, folder=tmp_path / "whole", seed=3)
    folder = tmp_path / "cut"
    explore(space, POLICIES[:1], 10, folder=folder, seed=3)
    chunks = sorted((folder / "chunks").glob("chunk-*.parquet"))
    for chunk in chunks[1:]:
        chunk.unlink()  # as if killed after the first chunk
    resumed = explore(space, POLICIES[:1], 10, folder=folder, seed=3, resume=True)
    pd.testing.assert_frame_equal(whole.outcomes, resumed.outcomes)


def test_running_again_or_changing_the_worlds_is_refused(explored, space_file):
    folder, _ = explored
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    common = [*POLICIES, "--space", str(space_file), "--workers", "1", "--quiet"]
    status, _, err = run_cli(*common, "--scenarios", "12", "--seed", "4", "--out", str(folder))
    assert status == 2 and "--resume" in err
    status, _, err = run_cli(*common, "--scenarios", "12", "--seed", "5", "--resume",
                             "--out", str(folder))  # fmt: skip
    assert status == 2 and "different problem" in err
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--scenarios", "5"], "in [10, 100000]"),
        (["--scenarios", "10", "--interactions", "3"], "power of 2"),
        (["--scenarios", "10", "--space", "nowhere.toml"], "not found"),
        (["--scenarios", "10", "--posterior", "nowhere"], "posterior.parquet"),
    ],
)
def test_bad_explore_input_exits_2_and_writes_nothing(tmp_path, argv, says):
    out = tmp_path / "out"
    status, _, err = run_cli(POLICIES[0], *argv, "--quiet", "--out", str(out))
    assert status == 2
    assert says in err
    assert not out.exists()


def test_a_policy_twice_is_refused(space_file, tmp_path):
    status, _, err = run_cli(POLICIES[0], POLICIES[0], "--space", str(space_file),
                             "--scenarios", "10", "--out", str(tmp_path / "o"))  # fmt: skip
    assert status == 2 and "twice" in err
    assert not (tmp_path / "o").exists()


def test_worlds_can_come_from_a_calibration_posterior(space_file, tmp_path):
    calibration = tmp_path / "calibration"
    calibration.mkdir()
    pd.DataFrame(
        {"burnout.gain": [0.06, 0.09], "anxiety.from_superior": [0.25, 0.45], "weight": [0.5, 0.5]}
    ).to_parquet(calibration / "posterior.parquet")
    out = tmp_path / "out"
    status, _, _ = run_cli(POLICIES[0], "--space", str(space_file), "--scenarios", "10",
                           "--posterior", str(calibration), "--workers", "1", "--quiet",
                           "--out", str(out))  # fmt: skip
    assert status == 0
    experiments = pd.read_parquet(out / "experiments.parquet")
    assert set(experiments["burnout.gain"]) <= {0.06, 0.09}
    assert set(experiments["anxiety.from_superior"]) <= {0.25, 0.45}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["posterior"].endswith("calibration")
    assert manifest["uncertainties"]["burnout.gain"]["from"] == "posterior"


def test_the_brief_of_an_exploration_draws_its_figures_in_its_language(explored, tmp_path):
    from sim.brief import text as brief_text
    from sim.brief import write_brief

    folder, _ = explored
    page = write_brief(folder, lang="zh", out=tmp_path / "brief-zh.html").read_text("utf-8")
    assert "政策" in page
    # Every exploration figure is drawn again in Chinese from the folder's tables: none needs
    # the note that a figure keeps the language it was made in.
    assert brief_text.t("figure_lang_note", "zh") not in page
    assert page.count("data:image/png;base64,") == len(list(folder.glob("*.png")))
