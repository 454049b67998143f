"""The sensitivity pipeline end to end: SALib's estimators recover the analytic Ishigami indices
through the same sampling, chunked storage and analysis the model uses, and tiny real-model
sweeps (plain and policy effect) run and give sensible indices.

(That serial, process and Dask evaluators give identical indices is checked in
tests/experiments/test_evaluators.py, which starts each pool once for the whole module.)
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments.seeds import replicate_seeds
from sim.sensitivity import load_problem, run_sensitivity

ISHIGAMI = Path(__file__).resolve().parents[2] / "scenarios" / "sensitivity" / "ishigami.toml"
# Analytic indices of y = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1 on [-pi, pi]^3.
S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
STANDARD_WEEK = sim.Parameters()["work.standard_hours"]


def values(indices: pd.DataFrame, kind: str) -> pd.DataFrame:
    return indices[indices["index"] == kind].set_index("parameter")[["value", "confidence"]]


@pytest.fixture(scope="module")
def ishigami():
    return load_problem(ISHIGAMI)


# ---- Ishigami: known answers ----------------------------------------------------------------
def test_sobol_recovers_the_analytic_ishigami_indices(ishigami, tmp_path):
    sweep = run_sensitivity(ishigami, "sobol", 2048, folder=tmp_path / "sobol", seed=1)
    assert len(sweep.X) == 2048 * (3 + 2)
    for kind, truth in (("S1", S1), ("ST", ST)):
        got = values(sweep.indices, kind)
        for name, expected in truth.items():
            value, conf = got.loc[name]
            # Honest Monte Carlo tolerance: the reported 95% interval, and a tight one at that.
            assert 0 < conf < 0.1, (kind, name)
            assert abs(value - expected) <= 2 * conf, (kind, name, value, conf)
    # Ranking: x1 has the largest total effect, x3 acts only through its interaction with x1.
    st = values(sweep.indices, "ST")["value"]
    assert st.idxmax() == "x1"
    assert st["x3"] > values(sweep.indices, "S1").loc["x3", "value"] + 0.15
    # Convergence: indices at N/4, N/2, N, with the ranking stable at the end.
    assert sorted(sweep.convergence.samples.unique()) == [512, 1024, 2048]
    last = sweep.convergence[sweep.convergence.samples == 2048].set_index("parameter")
    assert last["rank"].to_dict() == {"x1": 1.0, "x2": 2.0, "x3": 3.0}
    # One seed per point: no seed noise to report.
    assert sweep.noise.seed_noise_share.isna().all()


def test_morris_ranks_ishigami_inputs_as_the_analysis_predicts(ishigami, tmp_path):
    trajectories = 200
    sweep = run_sensitivity(ishigami, "morris", trajectories, folder=tmp_path / "m", seed=1)
    assert len(sweep.X) == trajectories * (3 + 1)
    mu_star = values(sweep.indices, "mu_star")
    # With 4 levels a step is 2/3 of the range: x2 moves between sin^2 = 0 and 3/4, so every
    # elementary effect of x2 is 7 * 3/4 / (2/3) = 7.875 in size.
    assert mu_star.loc["x2", "value"] == pytest.approx(7.875, rel=1e-9)
    # x1's effect is scaled by 1 + 0.1 x3^4 (x3 = +-pi half the time): mean 7.70; x3 matters
    # only when sin x1 != 0 (half the time): mean 6.25.
    for name, expected in (("x1", 7.704), ("x3", 6.249)):
        value, conf = mu_star.loc[name]
        assert abs(value - expected) <= 2 * conf, (name, value, conf)
    assert min(mu_star.loc["x1", "value"], mu_star.loc["x2", "value"]) > mu_star.loc["x3", "value"]
    # Morris convergence is checked at N/4, N/2 and N trajectories.
    assert sorted(sweep.convergence.samples.unique()) == [50, 100, 200]


@pytest.mark.filterwarnings("ignore:FAST confidence intervals:UserWarning")
def test_efast_first_order_indices_are_close_to_the_analytic_ones(ishigami, tmp_path):
    sweep = run_sensitivity(ishigami, "fast", 1024, folder=tmp_path / "fast", seed=1)
    got = values(sweep.indices, "S1")["value"]
    for name, expected in S1.items():
        assert got[name] == pytest.approx(expected, abs=0.03), name
    st = values(sweep.indices, "ST")["value"]
    assert st.idxmax() == "x1" and (st >= got - 1e-9).all()
    assert sweep.convergence.empty  # eFAST designs are not nested


def test_the_same_seed_gives_the_same_sweep_and_another_seed_another(ishigami, tmp_path):
    a = run_sensitivity(ishigami, "sobol", 64, folder=tmp_path / "a", seed=3)
    b = run_sensitivity(ishigami, "sobol", 64, folder=tmp_path / "b", seed=3)
    c = run_sensitivity(ishigami, "sobol", 64, folder=tmp_path / "c", seed=4)
    pd.testing.assert_frame_equal(a.indices, b.indices, check_exact=True)
    assert not np.array_equal(a.X, c.X)


def test_the_default_seed_gives_reproducible_confidence_intervals(ishigami, tmp_path):
    a = run_sensitivity(ishigami, "sobol", 16, folder=tmp_path / "a", seed=0)
    b = run_sensitivity(ishigami, "sobol", 16, folder=tmp_path / "b", seed=0)
    np.testing.assert_array_equal(a.Y, b.Y)  # the runs agree ...
    pd.testing.assert_frame_equal(a.indices, b.indices, check_exact=True)  # ... the intervals not


def test_bad_sample_sizes_and_methods_are_refused(ishigami, tmp_path):
    for method, n, message in (
        ("sobol", 100, "power of 2"),
        ("fast", 64, "more than"),
        ("morris", 1, "at least 2"),
        ("bogus", 8, "unknown method"),
    ):
        with pytest.raises(ValueError, match=message):
            run_sensitivity(ishigami, method, n, folder=tmp_path / "x")
    with pytest.raises(ValueError, match="sobol only"):
        run_sensitivity(ishigami, "morris", 4, folder=tmp_path / "x", until_ci=0.1)
    assert not (tmp_path / "x").exists()  # nothing was started


# ---- tiny real-model sweeps ---------------------------------------------------------------
TINY = """
description = "tiny"
scenario = "baseline"
preset = "classroom"
steps = 20
seeds = 2
outcomes = ["township_hours", "hours_platforms", "lever_cost"]

[fixed]
"run.policy_start" = 0

[parameters]
"secondment.staff" = { bounds = [0.0, 3.0] }
"platforms.count" = { bounds = [2, 12] }
"assessment.mode" = { choices = ["process", "result"] }
"""


@pytest.fixture(scope="module")
def tiny_sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    path = folder / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return run_sensitivity(load_problem(path), "morris", 3, folder=folder / "out", seed=1)


def test_a_tiny_model_sweep_runs_end_to_end(tiny_sweep):
    sweep = tiny_sweep
    n_points = 3 * (3 + 1)
    assert sweep.X.shape == (n_points, 3)
    assert len(sweep.raw) == n_points * 2  # two seeds per point
    assert set(sweep.raw.seed_index) == {0, 1}
    mu_star = sweep.indices[sweep.indices["index"] == "mu_star"]
    assert len(mu_star) == 3 * 3
    assert np.isfinite(mu_star.value).all() and (mu_star.value >= 0).all()
    assert np.isfinite(sweep.Y).all()


def test_a_tiny_sweep_decodes_points_and_sees_the_levers_mechanisms(tiny_sweep):
    table = tiny_sweep.table
    assert set(table["assessment.mode"]) <= {"process", "result"}
    assert table["platforms.count"].between(2, 12).all()
    # Secondment is the only cost in play: seconded staff x the standard week, at every point.
    assert np.allclose(table["lever_cost"], table["secondment.staff"] * STANDARD_WEEK)
    mu_star = tiny_sweep.indices.query("index == 'mu_star' and outcome == 'lever_cost'")
    by_name = mu_star.set_index("parameter")["value"]
    assert by_name["secondment.staff"] > 0
    assert by_name["platforms.count"] == 0.0 and by_name["assessment.mode"] == 0.0


def test_two_seeds_per_point_report_the_seed_noise_share(tiny_sweep):
    noise = tiny_sweep.noise.set_index("outcome")
    assert (noise.seeds == 2).all()
    hours = noise.loc["township_hours"]
    assert math.isfinite(hours.seed_noise_share) and hours.seed_noise_share > 0
    assert hours.seed_noise_variance > 0
    # The lever cost does not depend on the seed at all.
    assert noise.loc["lever_cost", "seed_noise_variance"] == 0.0
    assert noise.loc["lever_cost", "seed_noise_share"] == 0.0


POLICY = """
scenario = "baseline"
preset = "classroom"
steps = 12
seeds = 2
outcomes = ["township_hours", "lever_cost"]

[fixed]
"run.policy_start" = 0

[policy_effect]
treatment = "secondment"
reference = "baseline"

[parameters]
"anxiety.from_peers" = { bounds = [0.05, 0.25] }
"demand.citizen_hours" = { bounds = [10.0, 25.0] }
"""


def test_a_policy_effect_is_treatment_minus_reference_at_each_point(write_toml, tmp_path):
    problem = load_problem(write_toml("policy.toml", POLICY))
    sweep = run_sensitivity(problem, "morris", 2, folder=tmp_path / "out", seed=2)
    assert set(sweep.raw.arm) == {"reference", "treatment"}
    seeds = replicate_seeds(2, 2)
    treatment = sim.load_scenario("secondment").with_overrides({"run.policy_start": 0})
    reference = sim.load_scenario("baseline").with_overrides({"run.policy_start": 0})
    for point, overrides in enumerate(problem.decode(sweep.X)):
        effects = []
        for seed in seeds:
            kwargs = {"seed": seed, "steps": 12, "preset": "classroom", "overrides": overrides}
            t = sim.run_scenario(treatment, **kwargs)
            r = sim.run_scenario(reference, **kwargs)
            effects.append([t[o] - r[o] for o in problem.outcomes])
        assert sweep.Y[point] == pytest.approx(np.mean(effects, axis=0), rel=1e-12, abs=1e-12)
    staff = sim.load_scenario("secondment").params["secondment.staff"]
    assert np.allclose(sweep.Y[:, 1], staff * STANDARD_WEEK)  # the policy's cost, at every point
    assert (sweep.Y[:, 0] < 0).all()  # seconded officials lighten the week everywhere


def test_seed_noise_counts_the_seed_by_point_interaction_only():
    # Seeds are common to all points: a pure seed main effect shifts every point alike and
    # cancels in the indices, so it is not noise; a seed-by-point interaction is.
    from types import SimpleNamespace

    from sim.sensitivity.analysis import noise_table

    rng = np.random.default_rng(3)
    points = rng.normal(0.0, 1.0, size=(40, 1))
    shift = np.array([[0.0, 5.0, -3.0]])  # seed main effect, large
    problem = SimpleNamespace(outcomes=("y",))
    common = (points + shift)[:, :, None]
    table = noise_table(problem, common.mean(axis=1), common)
    assert table.seed_noise_variance[0] == pytest.approx(0.0, abs=1e-12)

    interaction = rng.normal(0.0, 0.5, size=(40, 3))
    noisy = (points + shift + interaction)[:, :, None]
    table = noise_table(problem, noisy.mean(axis=1), noisy)
    expected = 0.5**2 / 3  # interaction variance, averaged over three seeds
    assert table.seed_noise_variance[0] == pytest.approx(expected, rel=0.35)
    assert 0.0 < table.seed_noise_share[0] < 1.0
