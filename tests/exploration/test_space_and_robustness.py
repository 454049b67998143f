"""Exploration spaces are validated data; criteria, regret and satisficing are computed right;
PRIM and CART find a region of failure planted in the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.exploration import Criterion, SpaceError, load_space
from sim.exploration import robustness as rb
from sim.exploration.discovery import cart_leaves, feature_scores, prim_boxes
from sim.params import CATALOGUE
from sim.scenario import ScenarioError

GOOD = """
reference = "baseline"
seeds = 1
steps = 60
preset = "classroom"
[outcomes]
township_hours = "minimize"
service_quality = "maximize"
[criteria]
burnout = "lower"
service_quality = { rule = "not_lower", tolerance = 0.01 }
[fixed]
"run.policy_start" = 52
[uncertainties]
"anxiety.from_superior" = { bounds = [0.2, 0.5] }
"output.yd_width" = { bounds = [0.15, 0.3] }
"""


def test_the_library_space_loads_with_uncertainties_only():
    space = load_space("beliefs")
    assert len(space.uncertainties) >= 10
    assert all(CATALOGUE[d.name].role == "uncertainty" for d in space.uncertainties)
    assert {c.outcome for c in space.criteria} <= set(space.outcomes)
    assert space.reference.name == "baseline"
    assert space.interactions == "remedies"


def test_a_space_file_loads(write_toml):
    space = load_space(write_toml("s.toml", GOOD))
    assert space.names == ["anxiety.from_superior", "output.yd_width"]
    assert space.goals == {"township_hours": "minimize", "service_quality": "maximize"}
    assert space.criteria == (
        Criterion("burnout", "lower"),
        Criterion("service_quality", "not_lower", 0.01),
    )
    assert space.outcomes == ("township_hours", "service_quality", "burnout")
    assert space.reference.params.hierarchy.preset == "classroom"


@pytest.mark.parametrize(
    ("edit", "key", "says"),
    [
        (("seeds = 1", "seeds = 1\ncolour = 3"), "colour", "unknown top-level key"),
        (("seeds = 1", 'seeds = "two"'), "seeds", "a int"),
        (('"output.yd_width"', '"quota.meetings_cut"'), "uncertainties.quota.meetings_cut",
         "lever parameter, not an uncertainty"),
        (("[0.15, 0.3]", "[0.15, 9.0]"), "uncertainties.output.yd_width.bounds", "outside"),
        (('burnout = "lower"', 'burnout = "smaller"'), "criteria.burnout.rule", "lower |"),
        (("tolerance = 0.01", "tolerance = -1"), "criteria.service_quality.tolerance", ">= 0"),
        (('township_hours = "minimize"', 'township_hours = "least"'), "outcomes.township_hours",
         "minimize | maximize | info"),
        (('township_hours = "minimize"', 'happiness = "maximize"'), "outcomes.happiness",
         "unknown outcome"),
        (('reference = "baseline"', 'reference = "utopia"'), "reference", "not found"),
        (('"run.policy_start" = 52', '"anxiety.from_superior" = 0.3'), "fixed",
         "both fixed and uncertain"),
    ],
)  # fmt: skip
def test_a_bad_space_is_refused_naming_file_and_key(write_toml, edit, key, says):
    path = write_toml("bad.toml", GOOD.replace(*edit))
    with pytest.raises(SpaceError) as err:
        load_space(path)
    assert str(path) in str(err.value)
    assert err.value.key == key
    assert says in str(err.value)


def test_a_missing_space_names_the_library():
    with pytest.raises(SpaceError, match="beliefs"):
        load_space("no_such_space")


def test_a_policy_may_not_set_an_uncertainty(write_toml):
    space = load_space(write_toml("s.toml", GOOD))
    policy = write_toml(
        "p.toml", 'base = "baseline"\n[parameters]\n"anxiety.from_superior" = 0.45\n'
    )
    with pytest.raises(ScenarioError, match="uncertainty this exploration"):
        space.policy(policy)


def test_worlds_are_a_latin_hypercube_within_the_bounds(write_toml):
    space = load_space(write_toml("s.toml", GOOD))
    worlds = space.sample(40, seed=3)
    assert list(worlds.columns) == space.names and len(worlds) == 40
    for d in space.uncertainties:
        values = worlds[d.name].to_numpy()
        assert values.min() >= d.low and values.max() <= d.high
        # Latin hypercube: one point in each of the 40 strata of every uncertainty.
        strata = np.floor((values - d.low) / (d.high - d.low) * 40).astype(int)
        assert sorted(strata) == list(range(40))
    pd.testing.assert_frame_equal(worlds, space.sample(40, seed=3))
    assert not worlds.equals(space.sample(40, seed=4))


def test_posterior_parameters_are_drawn_from_the_particles(write_toml):
    space = load_space(write_toml("s.toml", GOOD))
    posterior = pd.DataFrame(
        {"anxiety.from_superior": [0.21, 0.49], "burnout.gain": [0.06, 0.09], "weight": [0.9, 0.1]}
    )
    worlds = space.sample(200, seed=1, posterior=posterior)
    assert set(worlds["anxiety.from_superior"]) <= {0.21, 0.49}
    assert set(worlds["burnout.gain"]) <= {0.06, 0.09}
    # Drawn jointly: a particle's parameters stay together.
    pairs = set(zip(worlds["anxiety.from_superior"], worlds["burnout.gain"], strict=True))
    assert pairs <= {(0.21, 0.06), (0.49, 0.09)}
    assert 0.8 < (worlds["anxiety.from_superior"] == 0.21).mean() < 0.97
    assert worlds["output.yd_width"].between(0.15, 0.3).all()


@pytest.mark.parametrize(
    ("rule", "tolerance", "expected"),
    [
        ("lower", 0.0, [True, False, False, False]),
        ("not_lower", 0.0, [False, True, True, True]),
        ("not_lower", 0.5, [False, True, True, True]),
        ("not_lower", 2.0, [True, True, True, True]),
        ("higher", 0.0, [False, False, False, True]),
        ("not_higher", 0.0, [True, True, True, False]),
    ],
)
def test_criteria_compare_the_effect_with_the_tolerance(rule, tolerance, expected):
    effect = np.array([-1.0, 0.0, 0.0, 1.0])
    assert Criterion("x", rule, tolerance).met(effect).tolist() == expected


@pytest.fixture
def table() -> pd.DataFrame:
    """Three policies in three worlds; A is the status quo."""
    return pd.DataFrame(
        {
            "world": [0, 0, 0, 1, 1, 1, 2, 2, 2],
            "policy": ["A", "B", "C"] * 3,
            "hours": [50.0, 45.0, 48.0, 50.0, 52.0, 47.0, 60.0, 50.0, 49.0],
            "service": [0.5, 0.6, 0.4, 0.5, 0.5, 0.7, 0.5, 0.45, 0.6],
        }
    )


def test_regret_is_the_shortfall_from_the_best_policy_of_each_world(table):
    reg = rb.regret(table, {"hours": "minimize", "service": "maximize"})
    hours = reg.pivot(index="world", columns="policy", values="hours")
    np.testing.assert_allclose(hours.to_numpy(), [[5, 0, 3], [3, 5, 0], [11, 1, 0]])
    service = reg.pivot(index="world", columns="policy", values="service")
    np.testing.assert_allclose(service.to_numpy(), [[0.1, 0, 0.2], [0.2, 0.2, 0], [0.1, 0.15, 0]])
    assert (reg[["hours", "service"]] >= 0).all().all()


def test_robustness_table_ranks_by_maximum_and_90th_percentile_regret(table):
    robust = rb.robustness_table(table, "A", {"hours": "minimize", "service": "info"})
    hours = robust[robust.outcome == "hours"].set_index("policy")
    assert hours.max_regret.to_dict() == {"A": 11.0, "B": 5.0, "C": 3.0}
    assert hours.loc["C", "p90_regret"] == pytest.approx(np.quantile([3, 0, 0], 0.9))
    assert hours.rank_max_regret.to_dict() == {"A": 3.0, "B": 2.0, "C": 1.0}
    assert hours.loc["B", "mean_effect"] == pytest.approx(np.mean([-5, 2, -10]))
    service = robust[robust.outcome == "service"]
    assert service.max_regret.isna().all()  # "info": recorded, not scored


def test_satisficing_share_counts_worlds_meeting_every_criterion(table):
    criteria = [Criterion("hours", "lower"), Criterion("service", "not_lower", 0.06)]
    met = rb.meets(table, "A", criteria)
    share = rb.satisficing(met[met.policy != "A"]).set_index("policy")
    # B: hours lower in worlds 0 and 2, service down 0.05 (within 0.06) in world 2: 2 of 3.
    assert share.loc["B", "satisficing_share"] == pytest.approx(2 / 3)
    # C: hours lower everywhere, service down 0.1 in world 0: 2 of 3.
    assert share.loc["C", "meets_hours"] == 1.0
    assert share.loc["C", "meets_service"] == pytest.approx(2 / 3)
    assert rb.failures(met, "C").tolist() == [True, False, False]


def test_prim_finds_a_planted_region_of_failure():
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.uniform(size=(400, 3)), columns=["a", "b", "c"])
    failed = (x.a > 0.7).to_numpy()
    result = prim_boxes(x, failed)
    first = result.boxes[result.boxes.box == 1]
    assert first.parameter.iloc[0] == "a"
    row = first.iloc[0]
    # The chosen box: the widest (highest coverage) whose density reaches the threshold.
    assert 0.6 <= row.low <= 0.7 and row.high == pytest.approx(x.a.max())
    assert row.coverage == 1.0 and 0.8 <= row.density < 1.0
    assert row.failures == failed.sum() and row.worlds == (x.a >= row.low).sum()
    assert result.trajectories and result.trajectories[0].selected.sum() == 1


def test_prim_and_cart_report_nothing_when_nothing_or_everything_fails():
    x = pd.DataFrame({"a": np.linspace(0, 1, 50), "b": np.linspace(1, 0, 50)})
    for failed in (np.zeros(50, bool), np.ones(50, bool)):
        assert prim_boxes(x, failed).boxes.empty
        assert cart_leaves(x, failed, seed=0).empty


def test_cart_separates_the_planted_region_and_is_repeatable():
    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.uniform(size=(300, 2)), columns=["a", "b"])
    failed = (x.b < 0.3).to_numpy()
    leaves = cart_leaves(x, failed, seed=5)
    failing = leaves[leaves.failing]
    assert set(failing.parameter) == {"b"}
    assert failing.high.max() == pytest.approx(0.3, abs=0.03)
    pd.testing.assert_frame_equal(leaves, cart_leaves(x, failed, seed=5))


def test_feature_scores_rank_the_driving_uncertainty_first():
    rng = np.random.default_rng(2)
    x = pd.DataFrame(rng.uniform(size=(300, 3)), columns=["a", "b", "c"])
    y = {"out": 5 * x.b.to_numpy() + 0.1 * rng.normal(size=300)}
    scores = feature_scores(x, y, seed=0)
    assert scores.out.idxmax() == "b"
    assert scores.out.sum() == pytest.approx(1.0)
    pd.testing.assert_frame_equal(scores, feature_scores(x, y, seed=0))
