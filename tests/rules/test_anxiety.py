"""sim.rules.anxiety: the anxiety target and its partial adjustment (contagion down the chain)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.params import Parameters
from sim.rules import anxiety

W = anxiety.AnxietyWeights.of(Parameters().anxiety)  # default weights
LOW = np.array([0.2])
HIGH = np.array([0.8])


def target(**kw) -> float:
    kw.setdefault("superior", 0.3)
    kw.setdefault("peers", 0.3)
    return float(np.asarray(anxiety.anxiety_target(W, **kw)).item())


def test_higher_superior_anxiety_raises_the_target():
    assert target(superior=HIGH) > target(superior=LOW)


def test_superior_pulls_harder_than_subordinates_with_default_weights():
    assert W.from_superior > W.from_subordinates
    from_above = target(superior=HIGH) - target(superior=LOW)
    from_below = target(subordinates=HIGH) - target(subordinates=LOW)
    assert from_below > 0
    assert from_above > from_below


@pytest.mark.parametrize(
    "source",
    [
        "peers",
        "subordinates",
        "record",
        "seen_events",
        "expected_events",
        "tournament",
        "overload",
        "distrust",
    ],
)
def test_every_source_of_pressure_raises_the_target(source):
    low = target(**{source: np.array([0.05])})
    high = target(**{source: np.array([0.3])})
    assert high > low


def test_resources_buffer_anxiety():
    assert target(resources=np.array([0.6])) < target(resources=np.array([0.0]))


def test_target_equation_inside_the_unit_interval():
    # (base + weighted pressures) * (1 - buffer * resources), as documented in the rule.
    w = Parameters(
        {
            "anxiety.base": 0.1,
            "anxiety.from_superior": 0.4,
            "anxiety.from_peers": 0.2,
            "anxiety.buffer": 0.5,
        }
    ).anxiety
    w = anxiety.AnxietyWeights.of(w)
    got = anxiety.anxiety_target(w, superior=0.5, peers=0.25)
    assert got == pytest.approx(0.1 + 0.4 * 0.5 + 0.2 * 0.25)
    buffered = anxiety.anxiety_target(w, superior=0.5, peers=0.25, resources=0.2)
    assert buffered == pytest.approx((0.1 + 0.4 * 0.5 + 0.2 * 0.25) * (1 - 0.5 * 0.2))


def test_target_is_clipped_to_the_unit_interval():
    very = anxiety.anxiety_target(
        W, superior=np.ones(3), peers=np.ones(3), record=50.0, seen_events=5.0, overload=3.0
    )
    calm = anxiety.anxiety_target(W, superior=np.zeros(3), peers=np.zeros(3), resources=5.0)
    assert np.all(very == 1.0)
    assert np.all(calm == 0.0)


def test_fear_of_record_rises_and_saturates():
    rec = np.array([0.0, 0.5, 1.0, 5.0, 50.0])
    fear = anxiety.fear_of_record(rec)
    assert fear[0] == 0.0
    assert np.all(np.diff(fear) > 0)
    assert np.all(fear < 1.0 + 1e-12)
    assert fear[-1] == pytest.approx(1.0)


def test_relax_closes_a_share_of_the_gap():
    cur = np.array([0.2, 0.8])
    tgt = np.array([0.6, 0.4])
    assert np.allclose(anxiety.relax(cur, tgt, 0.25), [0.3, 0.7])
    assert np.array_equal(anxiety.relax(cur, tgt, 0.0), cur)
    assert np.allclose(anxiety.relax(cur, tgt, 1.0), tgt)


@settings(max_examples=50, deadline=None)
@given(
    cur=st.floats(0, 1),
    tgt=st.floats(0, 1),
    rate=st.floats(0.001, 1),
)
def test_relax_stays_between_current_and_target(cur, tgt, rate):
    new = anxiety.relax(np.array([cur]), np.array([tgt]), rate)[0]
    assert min(cur, tgt) - 1e-12 <= new <= max(cur, tgt) + 1e-12


def test_restraint_target_follows_the_pure_formalism_imposed_below():
    honest = np.zeros(3)
    got = anxiety.restraint_target(
        0.8, np.array([10.0, 0.0, 5.0]), np.array([40.0, 0.0, 50.0]), honest
    )
    assert got == pytest.approx([0.2, 0.8, 0.08])  # 1 where nobody worked


def test_inflated_ratings_teach_less_restraint():
    pure, hours = np.full(3, 10.0), np.full(3, 40.0)
    got = anxiety.restraint_target(1.0, pure, hours, np.array([0.0, 0.5, 1.0]))
    assert got == pytest.approx([0.25, 0.125, 0.0])


def test_anxious_raters_inflate_unless_ratings_are_anonymous():
    a = np.array([0.0, 0.3, 0.6, 1.0])
    signed = anxiety.rating_inflation(a, 0.8, 0.0)
    assert signed == pytest.approx([0.0, 0.24, 0.48, 0.8])
    assert np.all(np.diff(signed) > 0)
    assert np.all(anxiety.rating_inflation(a, 0.8, 1.0) == 0.0)
    assert anxiety.rating_inflation(a, 0.8, 0.5) == pytest.approx(signed / 2)
    assert np.all(anxiety.rating_inflation(a, 5.0, 0.0) <= 1.0)


def test_peers_are_the_others_in_the_group():
    # Three members with anxieties 0.2, 0.4, 0.9 (total 1.5): each sees the mean of the other two.
    assert anxiety.others_mean(1.5, 3.0, 0.2, True) == pytest.approx(0.65)
    assert anxiety.others_mean(1.5, 3.0, 0.9, True) == pytest.approx(0.3)
    # Someone outside the group (on leave) sees all of it.
    assert anxiety.others_mean(1.5, 3.0, 0.7, False) == pytest.approx(0.5)
    # Alone, an official feels no pull from peers: its own value.
    assert anxiety.others_mean(0.4, 1.0, 0.4, True) == 0.4
    assert anxiety.others_mean(0.0, 0.0, 0.3, False) == 0.3


def test_the_weights_are_a_plain_record_read_by_name():
    w = anxiety.AnxietyWeights.of(Parameters({"anxiety.tournament": 0.3}).anxiety)
    assert w.tournament == 0.3 and isinstance(w.base, float)
    with pytest.raises(AttributeError):
        w.base = 1.0  # frozen


def test_a_superior_passes_its_anxiety_down_further_the_more_it_marks_targets_up():
    a, m = np.array([0.5, 0.5, 0.5]), np.array([0.0, 0.3, 0.6])
    assert np.array_equal(anxiety.transmitted(a, m, 0.0), a)  # no escalated pressure: as is
    got = anxiety.transmitted(a, m, 1.0)
    assert got == pytest.approx([0.5, 0.65, 0.8])
    assert anxiety.transmitted(0.5, 0.3, 2.0) == pytest.approx(0.8)
