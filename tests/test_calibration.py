"""Calibration by ABC-SMC (sim.calibration): statistics from the targets, a resumable history,
and recovery of the model's own parameters from synthetic targets (a small simulation-based
calibration check). Classroom preset, short runs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import sim
import sim.cli
from sim.calibration import Statistic, calibrate, model_statistics, statistics_from_targets
from sim.calibration.abc import CalibrationError
from sim.calibration.statistics import TOLERANCE, particle_seed
from sim.sensitivity import load_problem
from sim.targets import load_targets

PRIORS = """
description = "two parameters that set hours and burnout"
scenario = "baseline"
seeds = 1
steps = 60
preset = "classroom"
outcomes = ["township_hours", "burnout"]

[parameters]
"demand.citizen_hours" = { bounds = [12.0, 24.0] }
"burnout.gain" = { bounds = [0.04, 0.11] }
"""


@pytest.fixture
def problem(write_toml):
    return load_problem(write_toml("priors.toml", PRIORS))


def synthetic(problem, truth, seed=99, rel=0.03):
    """Statistics centred on what the model itself gives at ``truth``."""
    probe = (
        Statistic("hours", "township_hours", 1.0, 1.0),
        Statistic("burnout", "burnout", 1.0, 1.0),
    )
    got = model_statistics(problem, probe, truth, seed)
    return (
        Statistic("hours", "township_hours", got["hours"], rel * got["hours"]),
        Statistic("burnout", "burnout", got["burnout"], max(rel * got["burnout"], 0.02)),
    )


def test_statistics_come_from_the_calibration_targets_with_their_uncertainty():
    targets = {t.id: t for t in load_targets()}
    stats = statistics_from_targets(targets.values())
    assert stats and all(targets[s.name].use == "calibration" for s in stats)
    for s in stats:
        low, high = targets[s.name].bounds
        assert s.observed == pytest.approx((low + high) / 2)
        expected = (
            (high - low) / 2 if high > low else TOLERANCE[targets[s.name].quality] * s.observed
        )
        assert s.scale == pytest.approx(expected) and s.scale > 0
    held_out = statistics_from_targets(targets.values(), "validation")
    assert not {s.name for s in held_out} & {s.name for s in stats}
    # A campaign's cut compares two runs: not a statistic of one status-quo run.
    assert all(not s.quantity.endswith("_cut") for s in held_out)


def test_a_derived_quantity_is_computed_from_the_outcome_means():
    day = Statistic("day", "hours_per_day", 11.0, 1.0)
    assert day.of({"township_hours": 60.0}) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="scale"):
        Statistic("x", "burnout", 0.5, 0.0)


def test_a_particle_seed_depends_only_on_the_master_seed_and_the_values():
    a = particle_seed(3, {"x": 0.1, "y": 2.0})
    assert a == particle_seed(3, {"y": 2.0, "x": 0.1})
    assert (
        a != particle_seed(3, {"x": 0.1, "y": 2.0000001}) != particle_seed(4, {"x": 0.1, "y": 2.0})
    )


def test_statistics_are_the_window_means_of_a_run(problem):
    stats = (Statistic("h", "township_hours", 60.0, 5.0),)
    got = model_statistics(problem, stats, {"burnout.gain": 0.07}, 5)
    run = sim.simulate(
        problem.base.with_overrides({"burnout.gain": 0.07}),
        seed=sim.experiments.seeds.run_seed(5, 0),
        steps=60,
        preset="classroom",
    )
    assert got["h"] == pytest.approx(run.timeseries["township_hours"].iloc[-52:].mean())


@pytest.mark.parametrize(
    "truth",
    [
        {"demand.citizen_hours": 14.0, "burnout.gain": 0.09},
        {"demand.citizen_hours": 20.0, "burnout.gain": 0.06},
        {"demand.citizen_hours": 17.0, "burnout.gain": 0.10},
    ],
)
def test_calibration_recovers_the_models_own_parameters(problem, tmp_path, truth):
    stats = synthetic(problem, truth)
    cal = calibrate(problem, stats, tmp_path / "cal", population=40, generations=4, seed=1,
                    progress=False)  # fmt: skip
    table = cal.contraction().set_index("parameter")
    for name, value in truth.items():
        row = table.loc[name]
        # Coverage: the truth lies in the posterior's 90% interval ...
        assert row.q05 <= value <= row.q95, (name, value, row.q05, row.q95)
        # ... and the data informed the parameter: the posterior is narrower than the prior.
        assert row.contraction > 0.3, (name, row.contraction)


def test_a_killed_calibration_resumes_where_it_stopped(problem, tmp_path):
    stats = synthetic(problem, {"demand.citizen_hours": 18.0, "burnout.gain": 0.075})
    folder = tmp_path / "cal"
    first = calibrate(problem, stats, folder, population=20, generations=1, seed=2, progress=False)
    gen0 = first.posterior(0)
    with pytest.raises(CalibrationError, match="--resume"):
        calibrate(problem, stats, folder, population=20, generations=2, seed=2, progress=False)
    with pytest.raises(CalibrationError, match="another problem"):
        calibrate(problem, stats, folder, population=30, generations=2, seed=2, resume=True,
                  progress=False)  # fmt: skip
    more = calibrate(problem, stats, folder, population=20, generations=2, seed=2, resume=True,
                     progress=False)  # fmt: skip
    assert more.generations == 2
    assert more.posterior(0).equals(gen0)  # what was done is kept, not redone
    state = json.loads((folder / "state.json").read_text())
    assert state["generator"] == "oasim" and "abc.db" in state["files"]


def test_priors_must_be_continuous(write_toml):
    text = PRIORS.replace(
        '"burnout.gain" = { bounds = [0.04, 0.11] }',
        '"assessment.mode" = { choices = ["process", "result"] }',
    )
    bad = load_problem(write_toml("bad.toml", text))
    stats = (Statistic("h", "township_hours", 60.0, 5.0),)
    with pytest.raises(CalibrationError, match=r"parameters\.assessment\.mode"):
        calibrate(bad, stats, "unused", population=10, generations=1)


def test_oasim_calibrate_writes_posterior_diagnostics_figures_and_manifest(
    write_toml, tmp_path, capsys
):
    path = write_toml("priors.toml", PRIORS)
    out = tmp_path / "out"
    argv = ["calibrate", str(path), "--population", "10", "--generations", "2", "--draws", "3",
            "--out", str(out), "--quiet"]  # fmt: skip
    assert sim.cli.main(argv) == 0
    for name in ("posterior.parquet", "diagnostics.csv", "contraction.csv", "predictive.csv",
                 "marginals.png", "pairs.png", "contraction.png", "predictive.png",
                 "diagnostics.png", "manifest.json", "environment.json", "abc.db"):  # fmt: skip
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["command"] == "calibrate" and manifest["generations"] == 2
    assert set(manifest["posterior_point"]) == {"demand.citizen_hours", "burnout.gain"}
    post = pd.read_parquet(out / "posterior.parquet")
    assert np.isclose(post["weight"].sum(), 1.0) and len(post) == 10
    predictive = pd.read_csv(out / "predictive.csv")
    assert set(predictive.use) == {"calibration", "validation"}
    capsys.readouterr()
    assert sim.cli.main(argv) == 2  # the folder holds a calibration: --resume or another folder
    assert "--resume" in capsys.readouterr().err


def test_a_dask_cluster_runs_the_same_calibration(problem, tmp_path):
    stats = synthetic(problem, {"demand.citizen_hours": 16.0, "burnout.gain": 0.08})
    cal = calibrate(problem, stats, tmp_path / "dask", population=10, generations=2, seed=3,
                    scheduler="local:1", progress=False)  # fmt: skip
    assert cal.generations == 2
    post = cal.posterior()
    assert len(post) == 10 and np.isclose(post["weight"].sum(), 1.0)
    assert post["demand.citizen_hours"].between(12.0, 24.0).all()


def test_workers_and_a_scheduler_are_refused_together(write_toml, capsys):
    path = write_toml("priors.toml", PRIORS)
    argv = ["calibrate", str(path), "--workers", "2", "--scheduler", "local:1"]
    assert sim.cli.main(argv) == 2
    assert "not both" in capsys.readouterr().err
