"""compare_scenarios: replicates with common random numbers, paired statistics per outcome."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments.compare import compare_scenarios, comparison_table
from sim.experiments.seeds import replicate_seeds
from sim.experiments.stats import cohens_d_av, holm, mean_ci, paired_difference
from sim.outcomes import NAMES

CLASSROOM = {"hierarchy.preset": "classroom", "run.policy_start": 0}
STEPS = 20
REPLICATES = 3
SECONDED = 2.0


@pytest.fixture(scope="module")
def comparison():
    """Reference, an identical copy under another name, and a lever with a known cost."""
    scenarios = [
        sim.Scenario.from_overrides(CLASSROOM, name="reference"),
        sim.Scenario.from_overrides(CLASSROOM, name="copy"),
        sim.Scenario.from_overrides({**CLASSROOM, "secondment.staff": SECONDED}, name="seconded"),
    ]
    return compare_scenarios(scenarios, replicates=REPLICATES, master_seed=11, steps=STEPS)


def rows(table: pd.DataFrame, scenario: str) -> pd.DataFrame:
    return table[table.scenario == scenario].set_index("outcome")


def test_the_table_has_one_row_per_scenario_and_outcome(comparison):
    table = comparison.table
    assert len(table) == 3 * len(NAMES)
    assert list(table.scenario.unique()) == ["reference", "copy", "seconded"]
    assert list(rows(table, "copy").index) == list(NAMES)
    assert (table.n == REPLICATES).all()
    assert comparison.reference == "reference"


def test_the_reference_row_has_zero_difference_and_no_test(comparison):
    ref = rows(comparison.table, "reference")
    assert (ref["diff"] == 0.0).all()
    for column in ("diff_ci_low", "diff_ci_high", "effect_size_d", "p_value", "p_holm"):
        assert ref[column].isna().all(), column
    assert not ref.excludes_zero.any()


def test_a_scenario_identical_to_the_reference_shows_no_difference(comparison):
    copy, ref = rows(comparison.table, "copy"), rows(comparison.table, "reference")
    assert (copy["diff"] == 0.0).all()
    assert (copy.diff_ci_low == 0.0).all() and (copy.diff_ci_high == 0.0).all()
    assert (copy.p_value == 1.0).all() and (copy.p_holm == 1.0).all()
    assert (copy.effect_size_d == 0.0).all()
    assert not copy.excludes_zero.any()
    pd.testing.assert_series_equal(copy["mean"], ref["mean"])


def test_replicate_i_of_every_scenario_uses_the_same_seed(comparison):
    runs = comparison.runs
    seeds = runs.pivot(index="replicate", columns="scenario", values="seed")
    assert (seeds.nunique(axis=1) == 1).all()
    assert list(seeds["reference"]) == replicate_seeds(11, REPLICATES) == comparison.seeds
    assert len(set(comparison.seeds)) == REPLICATES


def test_each_run_is_the_simulation_at_its_seed(comparison):
    run = comparison.runs.query("scenario == 'seconded' and replicate == 1").iloc[0]
    spec = comparison.scenarios[2]
    summary = sim.run_scenario(spec, seed=int(run.seed), steps=STEPS)
    for key, value in summary.items():
        assert run[key] == value, key


def test_a_lever_with_a_known_cost_is_resolved_exactly(comparison):
    seconded = rows(comparison.table, "seconded").loc["lever_cost"]
    cost = SECONDED * sim.Parameters()["work.standard_hours"]
    # The cost is the same in every replicate: a zero-width interval that excludes zero.
    assert seconded["diff"] == seconded.diff_ci_low == seconded.diff_ci_high == cost
    assert seconded.p_value == 0.0
    assert seconded.excludes_zero
    assert seconded.effect_size_d == math.inf


def test_table_statistics_are_those_of_the_paired_runs(comparison):
    runs, table = comparison.runs, comparison.table
    ref = runs[runs.scenario == "reference"].sort_values("replicate")
    cur = runs[runs.scenario == "seconded"].sort_values("replicate")
    sub = rows(table, "seconded")
    for outcome in ("township_hours", "anxiety_township", "hours_substantive"):
        x, r = cur[outcome].to_numpy(), ref[outcome].to_numpy()
        diff, lo, hi, p = paired_difference(x, r)
        row = sub.loc[outcome]
        assert (row["mean"], row.ci_low, row.ci_high) == pytest.approx(mean_ci(x))
        assert (row["diff"], row.diff_ci_low, row.diff_ci_high) == pytest.approx((diff, lo, hi))
        assert row.p_value == pytest.approx(p)
        assert row.effect_size_d == pytest.approx(cohens_d_av(x, r))
        assert row.excludes_zero == (lo > 0 or hi < 0)
    # Holm is applied across every test in the table at once.
    assert np.allclose(table.p_holm, holm(table.p_value.to_numpy()), equal_nan=True)


def test_bands_summarise_the_replicates_week_by_week(comparison):
    bands = comparison.bands
    assert len(bands) == 3 * STEPS * len(NAMES)
    assert list(bands.columns) == ["scenario", "week", "outcome", "mean", "p05", "p95"]
    assert (bands.p05 <= bands["mean"] + 1e-12).all() and (bands["mean"] <= bands.p95 + 1e-12).all()
    # The last week's mean over replicates is the mean of the runs' final values.
    last = bands[(bands.week == STEPS) & (bands.outcome == "township_hours")].set_index("scenario")
    finals = comparison.runs.groupby("scenario")["township_hours_final"].mean()
    assert last["mean"].to_dict() == pytest.approx(finals.to_dict())


def test_the_master_seed_changes_every_replicates_seed():
    a = replicate_seeds(11, REPLICATES)
    b = replicate_seeds(12, REPLICATES)
    assert not set(a) & set(b)


def test_progress_is_reported_for_every_run(make_scenario):
    done = []
    specs = [make_scenario(), sim.Scenario.from_overrides(CLASSROOM, name="other")]
    compare_scenarios(specs, replicates=2, steps=2, progress=done.append)
    assert sum(done) == 4


def test_bad_comparisons_are_refused(make_scenario):
    spec = make_scenario()
    with pytest.raises(ValueError, match="replicates must be in"):
        compare_scenarios([spec], replicates=1, steps=2)
    with pytest.raises(ValueError, match="distinct"):
        compare_scenarios([spec, spec], replicates=2, steps=2)
    with pytest.raises(ValueError, match="scenario"):
        compare_scenarios([], replicates=2, steps=2)


def test_comparison_table_refuses_unpaired_replicates(comparison):
    runs = comparison.runs[
        ~((comparison.runs.scenario == "copy") & (comparison.runs.replicate == 2))
    ]
    with pytest.raises(ValueError, match="different replicates"):
        comparison_table(runs, ["reference", "copy"])
