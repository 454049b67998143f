"""The Morris and forest figures stay legible: few labels, none overlapping, nothing clipped."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.container import ErrorbarContainer
from matplotlib.text import Annotation, Text

from sim import i18n, plots
from sim.experiments.stats import mean_ci, paired_difference

HAN = re.compile(r"[\u4e00-\u9fff]")
PARAMETERS = [
    "allocation.capable_bias",
    "assessment.mode",
    "bottom_up.weight",
    "data_bureau.merge",
    "devolution.tasks",
    "fault_tolerance.share",
    "indicators.count",
    "oversight.strength",
    "platforms.count",
    "quota.inspections_cut",
    "quota.meetings_cut",
    "tournament.intensity",
]


def morris_table(panels: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """Tidy Morris indices (as a sweep writes them) from mu*, sigma and mu* intervals."""
    rows = []
    for outcome, (mu_star, sigma, ci) in panels.items():
        for name, m, s, c in zip(PARAMETERS, mu_star, sigma, ci, strict=True):
            rows += [
                (outcome, name, "mu", -m, np.nan),
                (outcome, name, "mu_star", m, c),
                (outcome, name, "sigma", s, np.nan),
            ]
    return pd.DataFrame(rows, columns=["outcome", "parameter", "index", "value", "confidence"])


@pytest.fixture(scope="module")
def crowded() -> pd.DataFrame:
    """Six panels like the levers demo: crowded corners, wide intervals, a tight cluster, a panel
    that is nearly all zeros and one that is all zeros."""
    rng = np.random.default_rng(7)
    n = len(PARAMETERS)

    def spread(scale):
        mu = rng.gamma(1.5, scale, n)
        return mu, rng.gamma(1.5, scale / 2, n), 0.5 * mu

    cluster = 1 + 0.01 * np.arange(n)
    cost = np.zeros(n)
    cost[[3, 7]] = [1.0, 4.0]
    return morris_table(
        {
            "township_hours": spread(3.0),
            "hours_pure_formalism": spread(2.0),
            "service_quality": spread(0.02),
            "burnout": (cluster, cluster / 2, 0.3 * cluster),
            "lever_cost": (cost, np.full(n, 1e-16), np.zeros(n)),
            "anxiety_township": (np.zeros(n), np.zeros(n), np.zeros(n)),
        }
    )


@pytest.fixture(scope="module")
def morris(crowded):
    fig = plots.morris_figure(crowded, title="levers: morris", lang="en")
    fig.canvas.draw()
    yield fig
    plt.close(fig)


def labels(ax) -> list[Annotation]:
    return [t for t in ax.texts if isinstance(t, Annotation)]


def text_box(text: Text, renderer):
    """The text's own extent (an annotation's would include its leader line)."""
    if isinstance(text, Annotation):
        text.update_positions(renderer)
    return Text.get_window_extent(text, renderer)


def inside(box, outer, tolerance: float = 0.5) -> bool:
    return (
        box.x0 >= outer.x0 - tolerance
        and box.y0 >= outer.y0 - tolerance
        and box.x1 <= outer.x1 + tolerance
        and box.y1 <= outer.y1 + tolerance
    )


def panel(fig, outcome: str):
    title = i18n.outcome_label(outcome, "en")
    return next(ax for ax in fig.axes if ax.get_title().startswith(title))


# ---- Morris ---------------------------------------------------------------------------------
def test_morris_names_only_the_largest_mu_star_of_each_panel(morris, crowded):
    for ax in morris.axes:
        assert len(labels(ax)) <= 4
    for outcome in ("township_hours", "hours_pure_formalism", "service_quality", "burnout"):
        sub = crowded[(crowded.outcome == outcome) & (crowded["index"] == "mu_star")]
        top = set(sub.nlargest(4, "value").parameter)
        assert {t.get_text() for t in labels(panel(morris, outcome))} == top, outcome


def test_morris_labels_do_not_overlap_and_stay_inside_their_axes(morris):
    renderer = morris.canvas.get_renderer()
    for ax in morris.axes:
        boxes = [text_box(t, renderer) for t in labels(ax)]
        frame = ax.get_window_extent(renderer)
        for i, box in enumerate(boxes):
            assert inside(box, frame), labels(ax)[i].get_text()
            for other in boxes[i + 1 :]:
                assert not box.overlaps(other), ax.get_title()


def test_nothing_of_the_morris_figure_is_drawn_outside_it(morris):
    renderer = morris.canvas.get_renderer()
    assert inside(morris.get_tightbbox(renderer), morris.bbox_inches)
    for text in [morris._suptitle, *(ax.title for ax in morris.axes)]:
        assert inside(text_box(text, renderer), morris.bbox), text.get_text()


def test_morris_error_bars_fit_the_axes(morris, crowded):
    for outcome in ("township_hours", "hours_pure_formalism", "service_quality", "burnout"):
        ax = panel(morris, outcome)
        sub = crowded[(crowded.outcome == outcome) & (crowded["index"] == "mu_star")]
        low, high = ax.get_xlim()
        assert low <= 0 and high >= float((sub.value + sub.confidence).max())
        assert (
            ax.get_ylim()[1]
            > crowded[(crowded.outcome == outcome)].query("index == 'sigma'").value.max()
        )


def test_a_panel_of_zeros_says_so_instead_of_naming_parameters(morris):
    ax = panel(morris, "anxiety_township")
    assert labels(ax) == []
    assert any("no parameter changes this outcome" in t.get_text() for t in ax.texts)


def test_parameters_at_zero_are_counted_not_named(morris):
    ax = panel(morris, "lever_cost")
    assert {t.get_text() for t in labels(ax)} == {"oversight.strength", "data_bureau.merge"}
    assert any(t.get_text() == "10 more with mu* ≈ 0" for t in ax.texts)


def test_morris_label_count_is_a_parameter(crowded):
    fig = plots.morris_figure(crowded, label_top=2)
    assert max(len(labels(ax)) for ax in fig.axes) == 2
    plt.close(fig)


@pytest.mark.skipif(i18n.cjk_font() is None, reason="no CJK font installed")
def test_chinese_morris_labels_use_the_cjk_font_and_do_not_overlap(crowded):
    fig = plots.morris_figure(crowded, lang="zh")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    assert any(HAN.search(t.get_text()) for t in texts)
    assert all(t.get_fontfamily()[0] == i18n.cjk_font() for t in texts)
    for ax in fig.axes:
        boxes = [text_box(t, renderer) for t in ax.texts]
        assert all(inside(b, ax.get_window_extent(renderer)) for b in boxes)
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    plt.close(fig)


# ---- forest ---------------------------------------------------------------------------------
def comparison(scenarios: dict[str, dict[str, np.ndarray]]) -> pd.DataFrame:
    """A comparison table (as compare_scenarios makes it) from replicate values per outcome;
    the first scenario is the reference."""
    names = list(scenarios)
    ref = scenarios[names[0]]
    rows = []
    for name, values in scenarios.items():
        for outcome, x in values.items():
            mean, lo, hi = mean_ci(x)
            if name == names[0]:
                diff, dlo, dhi = 0.0, np.nan, np.nan
            else:
                diff, dlo, dhi, _ = paired_difference(x, ref[outcome])
            rows.append(
                {
                    "scenario": name,
                    "outcome": outcome,
                    "mean": mean,
                    "ci_low": lo,
                    "ci_high": hi,
                    "diff": diff,
                    "diff_ci_low": dlo,
                    "diff_ci_high": dhi,
                    "excludes_zero": bool(dlo > 0 or dhi < 0),
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def replicates() -> dict[str, dict[str, np.ndarray]]:
    rng = np.random.default_rng(3)
    noise = rng.normal(0, 1, (len(plots.COMPARE_OUTCOMES), 20))
    base = {
        "township_hours": 58.8 + noise[0],
        "hours_pure_formalism": 16.0 + 0.5 * noise[1],
        "formalism_share": 0.43 + 0.005 * noise[2],
        "anxiety_township": 0.49 + 0.02 * noise[3],
        "service_quality": 0.84 + 0.03 * noise[4],
        "burnout": np.clip(0.5 + 0.05 * noise[5], 0, 1),
        "inspections_per_township": 1.36 + 0.05 * noise[6],
        "data_requests_per_township": 14.6 + 0.2 * noise[7],
        "lever_cost": np.zeros(20),
    }
    punch = {k: 0.6 * v + 0.01 * rng.normal(0, 1, 20) for k, v in base.items()}
    punch["burnout"] = np.zeros(20)
    punch["lever_cost"] = 47.3 + 0.5 * rng.normal(0, 1, 20)
    noop = {k: v + 0.001 * rng.normal(0, 1, 20) for k, v in base.items()}
    return {"baseline": base, "combination_punch": punch, "noop": noop}


def test_forest_is_one_panel_with_one_row_per_outcome(replicates):
    table = comparison({k: replicates[k] for k in ("baseline", "combination_punch")})
    fig = plots.forest_figure(table, reference="baseline", lang="en")
    fig.canvas.draw()
    (ax,) = fig.axes
    outcomes = plots.COMPARE_OUTCOMES
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        i18n.outcome_label(o, "en") for o in outcomes
    ]
    points = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(points) == len(outcomes) - 1  # lever cost: the baseline is 0, no percentage
    column = [t for t in ax.texts if t.get_text().startswith(("+", "\N{MINUS SIGN}"))]
    assert len(column) == len(outcomes)
    assert any(t.get_text() == "baseline is 0: no % change" for t in ax.texts)
    renderer = fig.canvas.get_renderer()
    assert inside(fig.get_tightbbox(renderer), fig.bbox_inches)
    for text in ax.texts:
        assert inside(text_box(text, renderer), fig.bbox), text.get_text()
    plt.close(fig)


def test_forest_rows_of_several_scenarios_are_grouped_by_outcome(replicates):
    fig = plots.forest_figure(comparison(replicates), reference="baseline", lang="en")
    (ax,) = fig.axes
    points = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(points) == 2 * (len(plots.COMPARE_OUTCOMES) - 1)
    assert len(ax.get_yticks()) == len(plots.COMPARE_OUTCOMES)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["combination_punch", "noop"]
    plt.close(fig)


def test_forest_prints_the_difference_in_the_outcomes_unit(replicates):
    table = comparison({k: replicates[k] for k in ("baseline", "combination_punch")})
    row = table[(table.scenario == "combination_punch") & (table.outcome == "lever_cost")].iloc[0]
    fig = plots.forest_figure(table, reference="baseline", outcomes=("lever_cost",))
    expected = plots._interval_text(row["diff"], row.diff_ci_low, row.diff_ci_high)
    assert expected.startswith("+47.") and expected.count("[") == 1
    assert expected in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)


def test_relative_change_interval_knows_the_two_means_move_together(replicates):
    table = comparison({k: replicates[k] for k in ("baseline", "combination_punch")}).set_index(
        ["scenario", "outcome"]
    )
    ref = table.loc[("baseline", "burnout")]
    # Burnout is 0 in every replicate of the policy: exactly -100 %, with no uncertainty.
    pct, half = plots._relative_change(table.loc[("combination_punch", "burnout")], ref)
    assert pct == pytest.approx(-100)
    assert half < 1
    # A constant reference has no uncertainty of its own: the difference's interval, scaled.
    row = table.loc[("combination_punch", "lever_cost")]
    assert np.isnan(plots._relative_change(row, table.loc[("baseline", "lever_cost")])[0])
    hours = table.loc[("combination_punch", "township_hours")]
    pct, half = plots._relative_change(hours, table.loc[("baseline", "township_hours")])
    assert pct == pytest.approx(-40, abs=1)
    assert 0 < half < 5


def test_forest_draws_changes_beyond_the_axis_as_arrows_at_the_edge(replicates):
    table = comparison({k: replicates[k] for k in ("baseline", "combination_punch")})
    big = table.outcome == "burnout"
    table.loc[big & (table.scenario == "baseline"), ["mean", "ci_low", "ci_high"]] = 0.001
    fig = plots.forest_figure(table, reference="baseline", outcomes=("burnout", "township_hours"))
    (ax,) = fig.axes
    low, high = ax.get_xlim()
    assert -500 < low < high < 500  # the axis stays readable; the text carries the value
    markers = [c.lines[0].get_marker() for c in ax.containers]
    assert "<" in markers and "o" in markers
    plt.close(fig)
