"""Pattern-oriented validation (sim.validation): the declared patterns name scenarios, outcomes
and held-out targets that exist, verdicts follow the intervals, statistics are computed as
declared, and a quick run writes a TRACE report with every section and a verdict per pattern."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments.stats import mean_ci
from sim.outcomes import BY_NAME
from sim.targets import DERIVED, Target, load_targets
from sim.validation import MARKER, PATTERNS, Criterion, validate
from sim.validation.patterns import (
    FINAL,
    LOCAL,
    ORDER_FACTOR,
    Arm,
    Pattern,
    Window,
    criterion_for,
    quantity_unit,
)
from sim.validation.report import odd_sections
from sim.validation.runner import Settings, evaluate, run_arm

TRACE = (
    "1 Problem formulation",
    "2 Model description",
    "3 Data evaluation",
    "4 Conceptual model evaluation",
    "5 Implementation verification",
    "6 Model output verification",
    "7 Model analysis",
    "8 Model output corroboration",
)
TARGETS = {t.id: t for t in load_targets()}


# ---- the declared patterns ----------------------------------------------------------------------
def test_pattern_ids_are_unique_file_names():
    ids = [p.id for p in PATTERNS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_every_scenario_and_outcome_a_pattern_names_exists(pattern):
    for arm in pattern.arms:
        spec = sim.load_scenario(arm.scenario, dict(arm.overrides) or None)
        for key, value in arm.overrides:
            assert spec.params.to_dict()[key] == value
    for q in pattern.quantities:
        assert q in BY_NAME or q in DERIVED or q in LOCAL, q
    # The parts of a combined statistic are comparable: one unit.
    assert len({quantity_unit(q) for q in pattern.quantities}) == 1
    # A quantity that compares a run with its reference run needs a reference arm.
    if any(q in DERIVED and DERIVED[q].paired for q in pattern.quantities):
        assert pattern.kind == "paired"
    assert pattern.claim and pattern.claim_zh and pattern.source


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_windows_fit_the_default_run_and_read_past_the_policy_start(pattern):
    run = sim.load_scenario("baseline").params.run
    for window in (pattern.window, pattern.reference_window):
        if window is None:
            continue
        first, last = window.span(run.steps, run.policy_start, run.summary_weeks)
        assert 1 <= first <= last <= run.steps
        if pattern.kind != "level" or pattern.arm.scenario != "baseline":
            assert first > run.policy_start  # levers are on in every week read


def test_patterns_point_to_odd_sections_that_exist():
    sections = odd_sections()
    assert sections, "docs/ODD.md not found"
    missing = {p.id: p.odd for p in PATTERNS if p.odd not in sections}
    assert not missing


def test_held_out_targets_are_tested_and_only_held_out_ones():
    tested = {p.target: p for p in PATTERNS if p.target}
    held_out = {t.id for t in TARGETS.values() if t.use == "validation"}
    assert set(tested) == held_out
    for target_id, p in tested.items():
        assert p.quantities == (TARGETS[target_id].outcome,)
        assert p.criterion is None  # the numbers come from targets.toml, not the pattern


class _Probe(dict):
    """A run summary that records which outcomes a formula reads."""

    def __getitem__(self, key):
        self.setdefault(key, 1.0)
        return 1.0


def _reads(name: str) -> set[str]:
    """The outcomes a quantity is computed from."""
    if name in BY_NAME:
        return {name}
    probe = _Probe()
    if name in DERIVED:
        d = DERIVED[name]
        d.formula(probe, _Probe()) if d.paired else d.formula(probe)
    else:
        LOCAL[name].value(probe)
    return set(probe)


def test_no_level_pattern_reads_what_calibration_fits():
    # Levels of burnout or hours are fitted in calibration: a level computed from fitted outcomes
    # alone would test the fit. A share with hours as denominator reads an outcome no target
    # fits; differences between arms (what a lever does) are tests of mechanism.
    fitted = set().union(*(_reads(t.outcome) for t in TARGETS.values() if t.use == "calibration"))
    assert {"burnout", "township_hours", "platforms_per_township"} <= fitted
    for p in PATTERNS:
        if p.kind in ("level", "change"):
            for q in p.quantities:
                assert not _reads(q) <= fitted, (p.id, q)


def test_qualitative_patterns_state_their_criterion():
    for p in PATTERNS:
        if not p.target:
            assert isinstance(p.criterion, Criterion), p.id
        assert isinstance(criterion_for(p, TARGETS), Criterion)


# ---- verdicts -----------------------------------------------------------------------------------
def test_lower_bound_verdicts():
    at_least = Criterion(low=60.0)
    assert at_least.verdict(61.0, 70.0) == "holds"  # wholly above
    assert at_least.verdict(60.0, 70.0) == "holds"  # at the bound counts for "at least"
    assert at_least.verdict(55.0, 65.0) == "inconclusive"  # straddles
    assert at_least.verdict(40.0, 59.0) == "fails"  # wholly below
    assert at_least.verdict(math.nan, math.nan) == "inconclusive"


def test_strict_bounds_refuse_an_interval_on_the_bound():
    above = Criterion(low=0.0, strict=True)
    assert above.verdict(0.0, 0.0) == "fails"  # exactly zero is not "> 0"
    assert above.verdict(-0.1, 0.2) == "inconclusive"
    assert above.verdict(0.01, 0.2) == "holds"
    below = Criterion(high=0.0, strict=True)
    assert below.verdict(-0.3, -0.1) == "holds"
    assert below.verdict(0.1, 0.3) == "fails"


def test_interval_verdicts():
    wuhu = Criterion(0.35, 0.40)
    assert wuhu.verdict(0.36, 0.39) == "holds"
    assert wuhu.verdict(0.38, 0.45) == "inconclusive"
    assert wuhu.verdict(0.30, 0.45) == "inconclusive"  # wider than the target on both sides
    assert wuhu.verdict(0.41, 0.50) == "fails"
    assert wuhu.verdict(0.20, 0.30) == "fails"


def test_criteria_come_from_the_targets_numbers():
    def target(value=None, interval=None) -> Target:
        return Target(
            "t", "1/year", "meetings_per_year", "p", 2005, 20, "s", "B", "validation", True,
            value=value, interval=interval,
        )  # fmt: skip

    def pattern(against: str) -> Pattern:
        return Pattern(
            "x", "x", "x", "x", "x", "7.3", "meetings_per_year", target="t", against=against
        )

    ranged = {"t": target(interval=(300.0, 500.0))}
    assert criterion_for(pattern("at_least"), ranged) == Criterion(low=300.0)
    assert criterion_for(pattern("interval"), ranged) == Criterion(300.0, 500.0)
    single = {"t": target(value=0.2)}
    order = criterion_for(pattern("order"), single)
    assert (order.low, order.high) == pytest.approx((0.2 / ORDER_FACTOR, 0.2 * ORDER_FACTOR))
    with pytest.raises(ValueError, match="against"):
        criterion_for(pattern("roughly"), ranged)


# ---- statistics on constructed runs --------------------------------------------------------------
SETTINGS = Settings(
    preset="classroom", replicates=4, seed=0, seeds=(1, 2, 3, 4), steps=20, policy_start=10,
    summary_weeks=5,
)  # fmt: skip


def _runs(levels: dict[str, list[float]], before: float = 0.0) -> list[pd.DataFrame]:
    """Runs whose columns are ``before`` up to the policy start and then the replicate's level."""
    frames = []
    for i in range(SETTINGS.replicates):
        weeks = pd.RangeIndex(1, SETTINGS.steps + 1, name="week")
        df = pd.DataFrame(index=weeks)
        for column, values in levels.items():
            df[column] = np.where(weeks > SETTINGS.policy_start, values[i], before)
        frames.append(df)
    return frames


def test_a_level_is_the_window_mean_with_its_t_interval():
    values = [0.2, 0.3, 0.25, 0.35]
    runs = {Arm("a"): _runs({"evasion_share": values})}
    p = Pattern("x", "x", "x", "x", "x", "7.5", "evasion_share", Arm("a"),
                criterion=Criterion(low=0.0, strict=True))  # fmt: skip
    r = evaluate(p, runs, SETTINGS, TARGETS)
    assert r.values == pytest.approx(values)
    assert (r.mean, r.ci_low, r.ci_high) == pytest.approx(mean_ci(np.array(values)))
    assert r.verdict == "holds"
    assert r.spans == [(16, 20)]


def test_a_difference_is_paired_by_replicate():
    runs = {
        Arm("a"): _runs({"township_hours": [61.0, 52.0, 70.0, 58.0]}),
        Arm("b"): _runs({"township_hours": [60.0, 51.0, 69.5, 57.0]}),
    }
    p = Pattern("x", "x", "x", "x", "x", "7.1", "township_hours", Arm("a"), reference=Arm("b"),
                criterion=Criterion(low=0.0, strict=True))  # fmt: skip
    r = evaluate(p, runs, SETTINGS, TARGETS)
    assert r.values == pytest.approx([1.0, 1.0, 0.5, 1.0])
    # Levels vary by 18 h between replicates, the paired differences by 0.5 h: the paired
    # interval excludes zero where an unpaired one would not.
    assert r.ci_low > 0 and r.verdict == "holds"


def test_a_paired_quantity_compares_each_run_with_its_reference_run():
    runs = {
        Arm("cut"): _runs({"meetings_per_township": [3.0, 6.0, 3.0, 6.0]}),
        Arm("ref"): _runs({"meetings_per_township": [5.0, 10.0, 5.0, 10.0]}),
    }
    p = Pattern("x", "x", "x", "x", "x", "7.5", "meetings_cut", Arm("cut"), reference=Arm("ref"),
                criterion=Criterion(0.35, 0.40))  # fmt: skip
    r = evaluate(p, runs, SETTINGS, TARGETS)
    assert r.values == pytest.approx([0.4] * 4)  # 1 - 3/5 and 1 - 6/10
    assert (r.ci_low, r.ci_high) == pytest.approx((0.4, 0.4))
    assert r.verdict == "holds"  # at the end of [0.35, 0.40], which is closed


def test_a_change_compares_two_windows_of_the_same_runs():
    frames = _runs({"quota_ratio": [1.0] * 4}, before=1.0)
    for k, df in enumerate(frames):  # rises after week 15 in every replicate
        df.loc[16:, "quota_ratio"] = 1.5 + 0.1 * k
    runs = {Arm("a"): frames}
    after = Window("policy", 5)
    p = Pattern("x", "x", "x", "x", "x", "7.5", "quota_ratio", Arm("a"),
                reference_window=after, criterion=Criterion(low=0.0, strict=True))  # fmt: skip
    r = evaluate(p, runs, SETTINGS, TARGETS)
    assert r.values == pytest.approx([0.5, 0.6, 0.7, 0.8])
    assert r.spans == [(11, 15), (16, 20)] and r.verdict == "holds"


def test_combined_quantities_take_the_smallest_per_replicate():
    runs = {
        Arm("a"): _runs(
            {"anxiety_city": [0.5, 0.5, 0.5, 0.5], "anxiety_county": [0.6, 0.4, 0.6, 0.6]}
        ),
        Arm("b"): _runs({"anxiety_city": [0.45] * 4, "anxiety_county": [0.5] * 4}),
    }
    p = Pattern("x", "x", "x", "x", "x", "7.11", ("anxiety_city", "anxiety_county"), Arm("a"),
                reference=Arm("b"), criterion=Criterion(low=0.0, strict=True))  # fmt: skip
    r = evaluate(p, runs, SETTINGS, TARGETS)
    assert r.values == pytest.approx([0.05, -0.1, 0.05, 0.05])
    assert r.verdict == "inconclusive"


def test_escalation_down_reads_the_levels_received():
    cols = {}
    for item, per_level in {"meetings": (2.0, 3.0, 4.5), "documents": (5.0, 8.0, 9.0)}.items():
        for level, v in zip(("city", "county", "township"), per_level, strict=True):
            cols[f"{item}_received_{level}"] = [v] * 4
    runs = {Arm("baseline"): _runs(cols)}
    p = Pattern("x", "x", "x", "x", "x", "7.3", tuple(LOCAL), window=FINAL,
                criterion=Criterion(low=1.0, strict=True))  # fmt: skip
    r = evaluate(p, runs, SETTINGS, TARGETS)
    assert r.values == pytest.approx([9.0 / 8.0] * 4)  # the township/county ratio of documents


def test_a_run_of_an_arm_is_the_run_simulate_makes():
    ts = run_arm(Arm("quota_cut_no_oversight"), seed=3, steps=12, preset="classroom")
    ref = sim.simulate("quota_cut_no_oversight", seed=3, steps=12, preset="classroom").timeseries
    assert ts[ref.columns].equals(ref)
    assert ts["meetings_received_township"].to_numpy() == pytest.approx(
        ref["meetings_per_township"].to_numpy()
    )


# ---- a quick run --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    folder = tmp_path_factory.mktemp("validation")
    calibration = folder / "calibration"
    calibration.mkdir()
    pd.DataFrame(
        [{"target": "burnout_west", "use": "calibration", "quantity": "burnout",
          "observed": 0.554, "low": 0.499, "high": 0.609, "model_median": 0.6123,
          "model_q05": 0.5, "model_q95": 0.7, "median_inside": False}]
    ).to_csv(calibration / "predictive.csv", index=False)  # fmt: skip
    docs, images = folder / "docs" / "VALIDATION.md", folder / "docs" / "images" / "validation"
    table = validate(
        quick=True, docs=docs, images=images, calibration=calibration, progress=False, seed=7
    )
    return table, docs.read_text(encoding="utf-8"), images


def test_quick_run_gives_a_verdict_for_every_pattern(quick):
    table, _, images = quick
    assert list(table["id"]) == [p.id for p in PATTERNS]
    assert set(table["verdict"]) <= {"holds", "fails", "inconclusive"}
    assert (table["n"] == 2).all()
    assert (table["ci_low"] <= table["mean"]).all() and (table["mean"] <= table["ci_high"]).all()
    for pid in table["id"]:
        assert (images / f"{pid}.png").stat().st_size > 1000
    assert sorted(p.name for p in images.iterdir()) == sorted(f"{i}.png" for i in table["id"])


def test_quick_report_has_the_eight_trace_sections_in_order(quick):
    table, text, _ = quick
    assert text.splitlines()[0] == MARKER
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    trace = [h for h in headings if h[:1].isdigit()]
    assert trace == list(TRACE)
    # Every pattern has its row with its verdict, and a linked figure that resolves.
    section8 = text.split("## 8 Model output corroboration")[1]
    for row in table.itertuples():
        assert re.search(rf"^\| `{row.id}` \|.*\| \*\*{row.verdict}\*\* \|$", section8, re.M)
        assert f"](images/validation/{row.id}.png)" in section8
    counts = table["verdict"].value_counts()
    for verdict, n in counts.items():
        assert f"**{verdict}** ({n})" in text
    assert "replicate seeds" in text and sim.__version__ in text and "`classroom`" in text


def test_quick_report_reads_the_calibration_folder(quick):
    _, text, _ = quick
    section6 = text.split("## 6 ")[1].split("## 7 ")[0]
    assert "Posterior predictive check" in section6
    assert "0.612 [0.500, 0.700]" in section6  # the predictive.csv row, as read
    # The defaults table covers every calibration target.
    for t in TARGETS.values():
        if t.use == "calibration":
            assert f"`{t.id}`" in section6


def test_a_calibration_folder_without_predictive_check_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"predictive\.csv"):
        validate(quick=True, docs=tmp_path / "v.md", images=tmp_path, calibration=tmp_path)
    assert not (tmp_path / "v.md").exists()


def test_oasim_validate_writes_the_report_and_prints_the_verdicts(tmp_path, capsys):
    import sim.cli

    docs, images = tmp_path / "VALIDATION.md", tmp_path / "images"
    argv = ["validate", "--quick", "--quiet", "--docs", str(docs), "--images", str(images)]
    assert sim.cli.main(argv) == 0
    out = capsys.readouterr().out
    assert docs.read_text(encoding="utf-8").startswith(MARKER)
    assert all(p.id in out for p in PATTERNS)
    assert sorted(images.glob("*.png"))
