"""Policy effects under parameter uncertainty: compare with posterior draws
(sim.experiments.compare: posterior_draws, uncertainty_table; oasim compare --posterior)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
import sim.cli
from sim.errors import UsageError
from sim.experiments.compare import compare_scenarios, posterior_draws, uncertainty_table
from sim.outcomes import NAMES
from sim.params import CATALOGUE

POSTERIOR = pd.DataFrame(
    {"burnout.gain": [0.05, 0.07, 0.10], "demand.citizen_hours": [14.0, 18.0, 22.0],
     "weight": [0.2, 0.5, 0.3]}
)  # fmt: skip


def test_draws_are_by_weight_shared_by_consecutive_replicates_and_reproducible():
    a = posterior_draws(POSTERIOR, 8, 2, master_seed=3)
    assert a.equals(posterior_draws(POSTERIOR, 8, 2, master_seed=3))
    assert a["draw"].tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    for _, group in a.groupby("draw"):
        assert group.drop(columns="draw").nunique().max() == 1  # one parameter set per draw
    only = POSTERIOR.assign(weight=[0.0, 1.0, 0.0])
    assert set(posterior_draws(only, 6, 1, 0)["particle"]) == {1}  # weight 0 is never drawn
    with pytest.raises(UsageError, match="multiple"):
        posterior_draws(POSTERIOR, 5, 2, 0)


def _runs(effects: np.ndarray, noise: np.ndarray) -> pd.DataFrame:
    """Runs of a reference (all 0) and a treatment whose difference is effect[draw] + noise."""
    n = len(noise)
    draws = np.repeat(np.arange(len(effects)), n // len(effects))
    rows = []
    for name, values in (("ref", np.zeros(n)), ("arm", effects[draws] + noise)):
        for i in range(n):
            rows.append({"scenario": name, "replicate": i, "draw": draws[i],
                         **dict.fromkeys(NAMES, values[i])})  # fmt: skip
    return pd.DataFrame(rows)


def test_variance_is_split_between_parameters_and_seeds():
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.01, 40)
    driven = uncertainty_table(_runs(np.array([0.0, 1.0, 2.0, 3.0]), noise), ["ref", "arm"])
    assert (driven.share_parameters > 0.99).all()
    flat = uncertainty_table(_runs(np.zeros(4), rng.normal(0, 1.0, 40)), ["ref", "arm"])
    assert (flat.share_parameters < 0.3).all()
    assert np.allclose(flat.share_parameters + flat.share_seeds, 1.0)


def test_a_posterior_at_the_defaults_gives_the_plain_comparison():
    names = ["burnout.gain", "demand.citizen_hours"]
    at_defaults = pd.DataFrame({n: [CATALOGUE[n].default] for n in names} | {"weight": [1.0]})
    now = {"run.policy_start": 0}
    specs = [sim.load_scenario(n, overrides=now) for n in ("baseline", "devolve_finance")]
    kw = dict(replicates=4, master_seed=1, steps=60, preset="classroom")
    plain = compare_scenarios(specs, **kw)
    drawn = compare_scenarios(specs, posterior=at_defaults, seeds_per_draw=2, **kw)
    pd.testing.assert_frame_equal(plain.table, drawn.table)
    assert drawn.uncertainty is not None and plain.uncertainty is None
    moved = compare_scenarios(specs, posterior=POSTERIOR, seeds_per_draw=2, **kw)
    assert not moved.table.equals(plain.table)  # the drawn parameters are used


def test_oasim_compare_refuses_a_folder_without_a_posterior(tmp_path, capsys):
    argv = ["compare", "baseline", "devolve_finance", "--preset", "classroom", "--steps", "60",
            "--set", "run.policy_start=0", "--replicates", "2",
            "--posterior", str(tmp_path), "--out", str(tmp_path / "o")]  # fmt: skip
    assert sim.cli.main(argv) == 2
    assert "posterior.parquet" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
