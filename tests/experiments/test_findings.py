"""The findings report: its statistics on numbers whose answer is known, and one tiny run of
``oasim findings --quick`` whose report must carry the numbers of its own tables."""

from __future__ import annotations

import hashlib
import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.experiments import findings as fx
from sim.outputs import OutputError
from sim.scenario import Scenario

HOURS, SERVICE = -1, +1  # which way is better


def replicates(mean: float, noise: np.ndarray) -> np.ndarray:
    return mean + noise


# ---- effects and interactions ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("low", "high", "better", "expected"),
    [
        (-3.0, -1.0, HOURS, fx.BENEFICIAL),  # fewer hours
        (1.0, 3.0, HOURS, fx.HARMFUL),
        (-1.0, 2.0, HOURS, fx.NO_EFFECT),
        (0.01, 0.05, SERVICE, fx.BENEFICIAL),  # more service
        (-0.05, -0.01, SERVICE, fx.HARMFUL),
        (0.0, 0.0, SERVICE, fx.NO_EFFECT),  # identical runs: no effect, not a tiny one
    ],
)
def test_effect_class_reads_the_interval_in_the_outcomes_better_direction(
    low, high, better, expected
):
    assert fx.effect_class(low, high, better) == expected


def test_a_pair_that_saves_more_hours_than_its_parts_is_super_additive(rng):
    noise = rng.normal(0, 0.3, size=(4, 8))
    base = replicates(60, noise[0])
    a = replicates(55, noise[1])  # -5 h alone
    b = replicates(56, noise[2])  # -4 h alone
    ab = replicates(45, noise[3])  # -15 h together: 6 h more than the sum
    mean, lo, hi = fx.interaction(base, a, b, ab)
    assert mean == pytest.approx(-6, abs=0.6)
    assert hi < 0
    assert fx.classify_interaction(lo, hi, HOURS) == fx.SUPER_ADDITIVE
    # The same numbers for an outcome where higher is better: doing "less" is sub-additive.
    assert fx.classify_interaction(lo, hi, SERVICE) == fx.SUB_ADDITIVE


def test_an_additive_pair_is_additive_and_a_saturating_one_sub_additive(rng):
    noise = rng.normal(0, 0.3, size=(4, 8))
    base, a, b = (replicates(m, noise[i]) for i, m in enumerate((60, 55, 56)))
    additive = replicates(51, noise[3])  # exactly the sum: -9 h
    _, lo, hi = fx.interaction(base, a, b, additive)
    assert lo < 0 < hi
    assert fx.classify_interaction(lo, hi, HOURS) == fx.ADDITIVE
    saturating = replicates(54, noise[3])  # -6 h: less than either alone plus the other
    _, lo, hi = fx.interaction(base, a, b, saturating)
    assert fx.classify_interaction(lo, hi, HOURS) == fx.SUB_ADDITIVE


def test_interaction_cancels_noise_shared_by_a_replicate():
    # Every replicate shifts all four settings alike (common random numbers): the interaction
    # is exact and its interval has no width.
    shift = np.array([-5.0, 0.0, 3.0, 9.0])
    mean, lo, hi = fx.interaction(50 + shift, 45 + shift, 48 + shift, 43 + shift)
    assert (mean, lo, hi) == pytest.approx((0.0, 0.0, 0.0))
    with pytest.raises(ValueError):
        fx.interaction(shift, shift, shift, shift[:3])


# ---- dose-response shapes -------------------------------------------------------------------
LEVELS = (0.0, 0.5, 1.0, 2.0, 4.0)


def curve(means, rng, sd=0.2, r=6):
    common = rng.normal(0, 1.0, size=r)  # shared by every level of a replicate
    return np.array([m + common + rng.normal(0, sd, size=r) for m in means])


def test_a_rising_curve_is_increasing_and_monotone(rng):
    shape = fx.curve_shape(LEVELS, curve([50, 52, 55, 60, 68], rng))
    assert shape.kind == "increasing" and shape.monotone
    assert shape.change == pytest.approx(18, abs=1)
    assert shape.change_low > 0
    assert not shape.optimum(HOURS)


def test_a_u_shaped_curve_has_an_interior_optimum_where_lower_is_better(rng):
    shape = fx.curve_shape(LEVELS, curve([58, 55, 52, 55, 59], rng))
    assert shape.kind == "trough" and shape.at == 1.0
    assert shape.optimum(HOURS) and not shape.optimum(SERVICE)


def test_a_dip_within_the_noise_is_not_an_optimum(rng):
    # The middle is lower, but by less than the replicates resolve: no interior extreme, and
    # ends that do not differ make the curve flat.
    shape = fx.curve_shape(LEVELS, curve([55, 54.9, 54.8, 54.9, 55], rng, sd=2.0))
    assert shape.kind == "flat"


def test_a_rise_with_a_step_back_is_increasing_but_not_monotone(rng):
    shape = fx.curve_shape(LEVELS, curve([50, 55, 54, 60, 65], rng, sd=0.05))
    assert shape.kind == "increasing" and not shape.monotone


def test_a_constant_outcome_is_flat():
    shape = fx.curve_shape(LEVELS, np.zeros((5, 4)))  # gaming under process assessment
    assert shape.kind == "flat" and shape.change == 0


def test_curve_shape_refuses_values_that_do_not_match_the_levels():
    with pytest.raises(ValueError):
        fx.curve_shape(LEVELS, np.zeros((4, 3)))


# ---- rank correlation and sign stability ------------------------------------------------------
def test_spearman_summary_leaves_out_undefined_correlations():
    s = fx.spearman_summary([0.9, 0.5, math.nan, 1.0])
    assert s == {"median": 0.9, "min": 0.5, "max": 1.0, "n": 3}
    assert math.isnan(fx.spearman_summary([math.nan])["median"])


def test_rank_correlation_of_the_same_ranking_is_one_and_of_the_reverse_minus_one():
    default = pd.Series({"a": -10.0, "b": -5.0, "c": -1.0, "d": 2.0})
    assert fx.rank_correlation(default, default * 3 + 1) == pytest.approx(1.0)
    assert fx.rank_correlation(default, -default) == pytest.approx(-1.0)
    assert math.isnan(fx.rank_correlation(default, default * 0))  # a constant ranking


def test_sign_stability_flags_a_remedy_whose_effect_changes_sign():
    default = pd.Series({"steady": -4.0, "fragile": -0.5})
    perturbed = pd.DataFrame(
        {0: [-3.0, -0.2], 1: [-5.0, 0.4], 2: [-4.5, -0.1]}, index=default.index
    )
    table = fx.sign_stability(default, perturbed).set_index("remedy")
    assert not table.loc["steady", "changes_sign"]
    assert table.loc["steady", "share_same_sign"] == 1.0
    assert table.loc["fragile", "changes_sign"]
    assert table.loc["fragile", "share_same_sign"] == pytest.approx(2 / 3)
    assert (table.loc["fragile", "min"], table.loc["fragile", "max"]) == (-0.2, 0.4)


# ---- combining scenarios ---------------------------------------------------------------------
def test_conflicting_settings_cannot_be_combined_and_nested_ones_are_recognised():
    result = Scenario.from_overrides({"assessment.mode": "result"}, name="r")
    campaigns = Scenario.from_overrides({"assessment.mode": "result_campaigns"}, name="c")
    checked = Scenario.from_overrides(
        {"assessment.mode": "result", "verification.intensity": 0.5}, name="v"
    )
    assert fx.merged_overrides(result, campaigns) is None
    assert fx.merged_overrides(result, checked) == dict(checked.overrides)
    assert fx.contains(checked, result) and not fx.contains(result, checked)


def test_the_perturbations_stay_within_the_declared_bounds_and_follow_the_seed():
    bounds = {"burnout.gain": (0.05, 0.1), "rebound.drift_weeks": (20.0, 80.0)}
    a = fx.latin_hypercube(bounds, 8, seed=3)
    assert a == fx.latin_hypercube(bounds, 8, seed=3)
    assert a != fx.latin_hypercube(bounds, 8, seed=4)
    for name, (low, high) in bounds.items():
        values = sorted(p[name] for p in a)
        assert low <= values[0] and values[-1] <= high
        # Latin hypercube: one value in each eighth of the range.
        strata = [int((v - low) / (high - low) * 8) for v in values]
        assert strata == list(range(8))


# ---- the command, end to end -----------------------------------------------------------------
QUICK = ["findings", "--quick", "--quiet"]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """``oasim findings --quick`` with one worker (and its docs copy), and with two."""
    parent = tmp_path_factory.mktemp("findings")
    docs = parent / "docs" / "FINDINGS.md"
    assert main([*QUICK, "--workers", "1", "--out", str(parent / "one"), "--docs", str(docs)]) == 0
    assert main([*QUICK, "--workers", "2", "--out", str(parent / "two")]) == 0
    return parent


def test_quick_writes_every_table_figure_and_the_report(quick):
    out = quick / "one"
    expected = {*fx.TABLES, *fx.FIGURES, fx.REPORT, "manifest.json", "environment.json"}
    assert expected <= {p.name for p in out.iterdir()}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["generator"] == "oasim" and manifest["command"] == "findings"
    assert manifest["settings"]["quick"] is True
    for name, digest in manifest["files"].items():
        assert digest == "sha256:" + hashlib.sha256((out / name).read_bytes()).hexdigest()
    assert set(manifest["files"]) == {*fx.TABLES, *fx.FIGURES, fx.REPORT}


def test_the_report_is_bilingual_and_carries_the_numbers_of_its_tables(quick):
    out = quick / "one"
    text = (out / fx.REPORT).read_text(encoding="utf-8")
    assert text.startswith(fx.MARKER)
    assert "**Summary.**" in text and "**摘要。**" in text
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 200  # a Chinese paragraph, not a word
    for section in ("## 1.", "## 2.", "## 3.", "## 4.", "## 5.", "## 6."):
        assert section in text
    # A remedy's effect on hours, as effects.csv has it.
    effects = pd.read_csv(out / "effects.csv")
    row = effects[(effects.kind == "remedy") & (effects.outcome == "township_hours")].iloc[0]
    o = "township_hours"
    cell = f"{fx.num(row['diff'], o)} [{fx.num(row.diff_ci_low, o)}, {fx.num(row.diff_ci_high, o)}]"
    assert cell in text
    # An interaction, as interactions.csv has it.
    it = pd.read_csv(out / "interactions.csv").dropna(subset=["interaction"]).iloc[0]
    assert fx.with_ci(it.interaction, it.ci_low, it.ci_high, it.outcome) in text
    # The median rank correlation, as robustness_rank.csv gives it.
    rank = pd.read_csv(out / "robustness_rank.csv")
    hours = rank[(rank.outcome == "township_hours") & (rank.weights == "perturbed")].spearman
    assert f"median Spearman correlation of {hours.median():.2f}" in text
    chance = rank[(rank.outcome == "township_hours") & (rank.weights != "perturbed")].spearman
    assert f"against {chance.iloc[0]:.2f}" in text
    # Figures are referenced beside the report.
    for figure in fx.FIGURES:
        assert f"]({figure})" in text


def test_the_results_do_not_depend_on_the_number_of_workers(quick):
    for name in fx.TABLES:
        assert (quick / "one" / name).read_bytes() == (quick / "two" / name).read_bytes(), name
    one = (quick / "one" / fx.REPORT).read_text(encoding="utf-8")
    assert one == (quick / "two" / fx.REPORT).read_text(encoding="utf-8")


def test_docs_copy_references_its_figures_relatively(quick):
    docs = quick / "docs" / "FINDINGS.md"
    text = docs.read_text(encoding="utf-8")
    assert text.startswith(fx.MARKER)
    for figure in fx.FIGURES:
        assert f"](images/findings/{figure})" in text
        assert (quick / "docs" / "images" / "findings" / figure).is_file()
    assert not (quick / "docs" / "images" / "findings" / "environment.json").exists()
    # The report is the output folder's, with the figures' path in front.
    own = (quick / "one" / fx.REPORT).read_text(encoding="utf-8")
    assert text == own.replace("](effects.png)", "](images/findings/effects.png)").replace(
        "](dose_response.png)", "](images/findings/dose_response.png)"
    ).replace("](interactions.png)", "](images/findings/interactions.png)").replace(
        "](robustness.png)", "](images/findings/robustness.png)"
    )
    # It is oasim's to replace; a file oasim did not write is not.
    fx.DocsTarget(docs).release()
    mine = quick / "docs" / "NOTES.md"
    mine.write_text("# my notes\n")
    with pytest.raises(OutputError, match="did not write"):
        fx.DocsTarget(mine)
    assert mine.read_text() == "# my notes\n"


def test_a_folder_with_foreign_files_is_refused_before_anything_runs(tmp_path, capsys, monkeypatch):
    def no_run(*args, **kwargs):
        raise AssertionError("findings ran although the output folder was refused")

    monkeypatch.setattr(fx, "run_findings", no_run)
    folder = tmp_path / "x"
    (folder / "Documents").mkdir(parents=True)
    (folder / "Documents" / "a.txt").write_text("hi")
    assert main([*QUICK, "--workers", "1", "--out", str(folder)]) == 2
    assert "not a folder of oasim results" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["Documents"]
    assert (folder / "Documents" / "a.txt").read_text() == "hi"
    # A markdown file of the user's as --docs: refused too, and kept.
    notes = tmp_path / "notes.md"
    notes.write_text("mine")
    assert main([*QUICK, "--out", str(tmp_path / "new"), "--docs", str(notes)]) == 2
    assert "did not write" in capsys.readouterr().err
    assert notes.read_text() == "mine"
    assert not (tmp_path / "new").exists()
