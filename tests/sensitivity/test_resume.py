"""Resumable sweeps: a killed sweep resumes to exactly the result of an uninterrupted one,
without recomputing finished chunks; a folder holding another sweep is refused; --until-ci
doubles N and reuses the smaller design's runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.sensitivity import load_problem, run_sensitivity
from sim.sensitivity.analysis import design

ROOT = Path(__file__).resolve().parents[2]
ISHIGAMI = ROOT / "scenarios" / "sensitivity" / "ishigami.toml"
OASIM = Path(sys.executable).with_name("oasim")

# A real-model problem slow enough to interrupt: 16 x (3 + 2) = 80 runs in 4 chunks.
SLOW = """
description = "a sweep to interrupt"
scenario = "baseline"
preset = "classroom"
steps = 16
seeds = 1
outcomes = ["township_hours", "lever_cost"]

[fixed]
"run.policy_start" = 0

[parameters]
"secondment.staff" = { bounds = [0.0, 3.0] }
"bottom_up.weight" = { bounds = [0.0, 1.0] }
"platforms.count" = { bounds = [2, 12] }
"""
SLOW_N = 16


SEED = "1"


def sensitivity(problem: Path, out: Path, *extra: str, samples: int = SLOW_N) -> int:
    argv = ["sensitivity", str(problem), "--method", "sobol", "--samples", str(samples)]
    return main([*argv, "--out", str(out), "--workers", "1", "--quiet", "--seed", SEED, *extra])


def chunk_files(out: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.name: (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted((out / "chunks").glob("chunk-*.parquet"))
    }


def hidden_files(out: Path) -> list[str]:
    """Temporary files (written under hidden names, then renamed) anywhere in the sweep."""
    return sorted(str(p.relative_to(out)) for p in out.rglob(".*"))


def stored_points(out: Path) -> np.ndarray:
    frames = [pd.read_parquet(p) for p in sorted((out / "chunks").glob("chunk-*.parquet"))]
    return np.sort(pd.concat(frames).point.to_numpy())


@pytest.fixture
def slow_problem(tmp_path) -> Path:
    path = tmp_path / "slow.toml"
    path.write_text(SLOW, encoding="utf-8")
    return path


def start_and_kill(problem: Path, out: Path) -> None:
    """Start ``oasim sensitivity`` in a subprocess and SIGKILL it once a chunk is on disk."""
    command = [str(OASIM)] if OASIM.exists() else [sys.executable, "-m", "sim"]
    argv = ["sensitivity", str(problem), "--method", "sobol", "--samples", str(SLOW_N)]
    proc = subprocess.Popen(
        [*command, *argv, "--out", str(out), "--workers", "1", "--quiet", "--seed", SEED],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not list((out / "chunks").glob("chunk-*.parquet")):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "no chunk written in time"
            time.sleep(0.005)
        assert proc.poll() is None, "the sweep finished before it could be interrupted"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()


# ---- (a) kill and resume --------------------------------------------------------------------
def test_a_killed_sweep_resumes_to_the_uninterrupted_result(slow_problem, tmp_path):
    out = tmp_path / "killed"
    start_and_kill(slow_problem, out)
    before = chunk_files(out)
    n_points = SLOW_N * (3 + 2)
    assert 0 < len(stored_points(out)) < n_points  # interrupted part-way
    assert not (out / "indices.csv").exists() and not (out / "manifest.json").exists()

    assert sensitivity(slow_problem, out, "--resume") == 0
    reference = tmp_path / "uninterrupted"
    assert sensitivity(slow_problem, reference) == 0

    # The same indices, byte for byte, and the same sample table.
    assert (out / "indices.csv").read_bytes() == (reference / "indices.csv").read_bytes()
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "samples.parquet"), pd.read_parquet(reference / "samples.parquet")
    )
    # Finished chunks were kept as they were, and every point was run exactly once.
    after = chunk_files(out)
    assert {name: after[name] for name in before} == before
    assert np.array_equal(stored_points(out), np.arange(n_points))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs"] == n_points and manifest["points"] == n_points
    # No temporary file is left behind.
    assert hidden_files(out) == []


# ---- (b), (c) refusing to mix sweeps --------------------------------------------------------
@pytest.fixture
def ishigami_sweep(tmp_path):
    problem = tmp_path / "ishigami.toml"
    problem.write_text(ISHIGAMI.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "sweep"
    assert sensitivity(problem, out, samples=8) == 0
    return problem, out


def test_resuming_with_a_changed_problem_is_refused(ishigami_sweep, capsys):
    problem, out = ishigami_sweep
    before = (out / "indices.csv").read_bytes(), chunk_files(out)
    text = problem.read_text(encoding="utf-8")
    problem.write_text(text.replace("x3 = { bounds = [-3.14159", "x3 = { bounds = [-3.0"))
    capsys.readouterr()
    assert sensitivity(problem, out, "--resume", samples=8) == 2
    err = capsys.readouterr().err
    assert str(out) in err
    assert "different problem" in err and "changed: problem" in err
    assert ((out / "indices.csv").read_bytes(), chunk_files(out)) == before


def test_running_again_without_resume_is_refused(ishigami_sweep, capsys):
    problem, out = ishigami_sweep
    before = (out / "indices.csv").read_bytes(), chunk_files(out)
    capsys.readouterr()
    assert sensitivity(problem, out, samples=8) == 2
    err = capsys.readouterr().err
    assert "already holds this sweep" in err and "--resume" in err
    assert ((out / "indices.csv").read_bytes(), chunk_files(out)) == before


def test_another_method_into_the_same_folder_is_refused(ishigami_sweep, capsys):
    problem, out = ishigami_sweep
    capsys.readouterr()
    argv = ["sensitivity", str(problem), "--method", "morris", "--samples", "4", "--seed", SEED]
    assert main([*argv, "--out", str(out), "--workers", "1", "--quiet", "--resume"]) == 2
    assert "changed: method" in capsys.readouterr().err


def test_resuming_a_finished_sweep_recomputes_nothing(ishigami_sweep):
    problem, out = ishigami_sweep
    before = chunk_files(out)
    indices = (out / "indices.csv").read_bytes()
    assert sensitivity(problem, out, "--resume", samples=8) == 0
    assert chunk_files(out) == before
    assert (out / "indices.csv").read_bytes() == indices


def test_resume_removes_temporary_files_of_a_write_cut_short(ishigami_sweep):
    problem, out = ishigami_sweep
    # What a SIGKILL during ChunkStore.save or an output write leaves behind: temporaries
    # named after the process that was writing them, which no longer exists.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    chunk = f".chunk-00000099-00000099.parquet.tmp-{dead.pid}-k1ll3d.parquet"
    (out / "chunks" / chunk).write_bytes(b"PAR1 half a chunk")
    (out / f".indices.csv.tmp-{dead.pid}-k1ll3d.csv").write_text("outcome,parameter\n")
    assert sensitivity(problem, out, "--resume", samples=8) == 0
    assert hidden_files(out) == []


def test_a_users_hidden_file_in_a_sweep_folder_is_never_deleted(ishigami_sweep, capsys):
    problem, out = ishigami_sweep
    (out / ".env.local").write_text("SECRET=1")
    assert sensitivity(problem, out, "--resume", samples=8) == 2
    assert "did not write" in capsys.readouterr().err
    assert sensitivity(problem, out, "--resume", "--overwrite", samples=8) == 0
    assert (out / ".env.local").read_text() == "SECRET=1"


# ---- (d) --until-ci ---------------------------------------------------------------------------
def test_the_sobol_design_of_n_is_a_prefix_of_that_of_2n():
    problem = load_problem(ISHIGAMI)
    rows = 3 + 2  # per base sample: A, B and one mixed row per parameter
    for n in (4, 16, 64):
        small, large = design(problem, "sobol", n, 0), design(problem, "sobol", 2 * n, 0)
        assert np.array_equal(small, large[: n * rows])


def test_until_ci_doubles_n_and_reuses_the_smaller_designs_runs(tmp_path):
    out = tmp_path / "ci"
    argv = ["--until-ci", "1e-9", "--max-samples", "64"]  # a target it cannot reach
    assert sensitivity(ISHIGAMI, out, *argv, samples=16) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    history = manifest["until_ci_history"]
    assert [h["samples"] for h in history] == [16, 32, 64]
    assert [h["runs"] for h in history] == [16 * 5, 32 * 5, 64 * 5]
    widths = [h["widest_ST_interval"] for h in history]
    assert all(w > 1e-9 for w in widths)
    assert manifest["samples"] == 64 and manifest["points"] == 64 * 5
    # Every point of the final design was evaluated once: the first rounds' runs were reused.
    assert np.array_equal(stored_points(out), np.arange(64 * 5))


def test_until_ci_evaluates_only_the_new_points_of_each_round(tmp_path):
    problem = load_problem(ISHIGAMI)
    totals = []
    sweep = run_sensitivity(
        problem,
        "sobol",
        16,
        folder=tmp_path / "ci",
        seed=1,
        until_ci=1e-9,
        max_samples=64,
        on_total=totals.append,
    )
    assert totals == [16 * 5, 16 * 5, 32 * 5]  # 16, then 32 - 16, then 64 - 32 base samples
    assert sweep.samples == 64 and len(sweep.X) == 64 * 5


def test_until_ci_stops_as_soon_as_the_target_is_met(tmp_path):
    sweep = run_sensitivity(
        load_problem(ISHIGAMI), "sobol", 16, folder=tmp_path / "ci", until_ci=5.0, max_samples=64
    )
    assert [h["samples"] for h in sweep.history] == [16]
    assert sweep.history[0]["widest_ST_interval"] < 10.0


def test_a_larger_n_resumes_from_a_smaller_sweep(tmp_path):
    out = tmp_path / "grow"
    assert sensitivity(ISHIGAMI, out, samples=16) == 0
    before = chunk_files(out)
    assert sensitivity(ISHIGAMI, out, "--resume", samples=32) == 0
    after = chunk_files(out)
    assert {name: after[name] for name in before} == before
    assert np.array_equal(stored_points(out), np.arange(32 * 5))
