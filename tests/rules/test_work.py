"""sim.rules.work: allocation (能者多劳), hours within the weekly maximum, traces (留痕)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.rules import assessment, work

COMPETENCE = np.array([0.5, 1.0, 1.5, 2.0])
ALL = np.ones(4, dtype=bool)


def test_process_mode_leaves_more_traces_than_result_mode():
    a = np.array([0.1, 0.4, 0.8])
    process = work.trace_intensity(a, 0.05, 0.25, assessment.process_weight("process", 0.25), 1)
    result = work.trace_intensity(a, 0.05, 0.25, assessment.process_weight("result", 0.25), 1)
    campaigns = work.trace_intensity(
        a, 0.05, 0.25, assessment.process_weight("result_campaigns", 0.25), 1
    )
    assert np.all(process > campaigns)
    assert np.all(campaigns > result)
    assert np.allclose(result, 0.05)  # result mode: only the necessary documentation


def test_traces_rise_with_anxiety_and_indicators_in_process_mode():
    a = np.array([0.0, 0.3, 0.6, 0.9])
    t = work.trace_intensity(a, 0.05, 0.25, 1.0, 1.0)
    assert np.all(np.diff(t) > 0)
    assert t[0] == pytest.approx(0.05)
    assert np.allclose(t, 0.05 + 0.25 * a)
    more = work.trace_intensity(a[1:], 0.05, 0.25, 1.0, 2.0)
    assert np.all(more > t[1:])


def test_indicator_factor_is_a_power_law():
    assert work.indicator_factor(100, 100, 0.7) == pytest.approx(1.0)
    assert work.indicator_factor(50, 100, 0.7) == pytest.approx(0.5**0.7)
    assert work.indicator_factor(10, 100, 0.7) < work.indicator_factor(50, 100, 0.7)
    assert work.indicator_factor(10, 100, 0.0) == pytest.approx(1.0)


def shares_of(weights: np.ndarray, township: np.ndarray, n_townships: int) -> np.ndarray:
    total = np.bincount(township, weights=weights, minlength=n_townships)[township]
    return work.allocation_shares(weights, total)


def test_capable_bias_above_one_gives_the_competent_more():
    shares = shares_of(work.allocation_weights(COMPETENCE, 1.5, ALL), np.zeros(4, dtype=int), 1)
    assert np.all(np.diff(shares) > 0)
    assert shares.sum() == pytest.approx(1.0)
    # More bias, more concentration on the most competent.
    steeper = shares_of(work.allocation_weights(COMPETENCE, 3.0, ALL), np.zeros(4, dtype=int), 1)
    assert steeper[-1] > shares[-1]
    assert steeper[0] < shares[0]


def test_capable_bias_zero_gives_equal_shares():
    shares = shares_of(work.allocation_weights(COMPETENCE, 0.0, ALL), np.zeros(4, dtype=int), 1)
    assert np.allclose(shares, 0.25)


def test_capable_bias_one_gives_shares_proportional_to_competence():
    w = work.allocation_weights(COMPETENCE, 1.0, ALL)
    shares = shares_of(w, np.zeros(4, dtype=int), 1)
    assert np.allclose(shares, COMPETENCE / COMPETENCE.sum())


def test_absent_officials_get_no_work_and_shares_sum_to_one_per_township():
    active = np.array([True, False, True, True])
    township = np.array([0, 0, 1, 1])
    w = work.allocation_weights(COMPETENCE, 1.5, active)
    assert w[1] == 0.0
    shares = shares_of(w, township, 2)
    assert shares[0] == pytest.approx(1.0)
    assert shares[2] + shares[3] == pytest.approx(1.0)
    nobody = shares_of(np.zeros(2), np.array([0, 0]), 1)
    assert np.array_equal(nobody, [0.0, 0.0])


def test_work_hours_fill_formal_first():
    formal = np.array([10.0, 60.0, 80.0])
    sub = np.array([20.0, 20.0, 20.0])
    traces = np.array([0.25, 0.25, 0.25])
    f, s, t = work.work_hours(formal, sub, traces, 70.0)
    assert np.allclose(f, [10.0, 60.0, 70.0])
    assert np.allclose(s, [20.0, 10.0 / 1.25, 0.0])
    assert np.allclose(t, 0.25 * s)
    assert np.allclose((f + s + t)[1:], 70.0)  # the overloaded work the full week


def test_work_hours_do_what_is_needed_when_there_is_room():
    f, s, t = work.work_hours(np.array([5.0]), np.array([10.0]), np.array([0.1]), 70.0)
    assert f[0] == 5.0 and s[0] == 10.0 and t[0] == pytest.approx(1.0)


hours = st.floats(0, 500, allow_nan=False)


@settings(max_examples=100, deadline=None)
@given(
    formal=st.lists(hours, min_size=1, max_size=8),
    sub=st.lists(hours, min_size=8, max_size=8),
    traces=st.lists(st.floats(0, 10), min_size=8, max_size=8),
    max_hours=st.floats(20, 120),
)
def test_work_hours_never_exceed_the_maximum(formal, sub, traces, max_hours):
    n = len(formal)
    formal, sub, traces = np.array(formal), np.array(sub[:n]), np.array(traces[:n])
    f, s, t = work.work_hours(formal, sub, traces, max_hours)
    total = f + s + t
    assert np.all(total <= max_hours * (1 + 1e-12))
    assert np.all(f >= 0) and np.all(s >= 0) and np.all(t >= 0)
    assert np.all(f <= formal) and np.all(s <= sub + 1e-9)
    # Substantive work only starts once the formal work is all done.
    assert np.all((s == 0) | (f == formal))
    # Work stops short only at the maximum.
    short = s < sub - 1e-9
    assert np.allclose(total[short], max_hours)


def test_share_is_one_where_nothing_was_received():
    assert work.share(np.array([1.0, 0.0]), np.array([4.0, 0.0])).tolist() == [0.25, 1.0]


def test_formal_hours_by_kind_scale_with_posts_and_what_platforms_save():
    hours = work.formal_hours(
        np.array([10]), np.array([2.0]), np.array([5.0]), np.array([4.0]), np.array([1.0]),
        meeting_hours=1.5, document_hours=0.5, data_request_hours=0.5, time_saved=0.5,
        preparation=6.0,
    )  # fmt: skip
    assert hours[:, 0].tolist() == [30.0, 25.0, 10.0, 60.0]


def test_unnecessary_hours_are_what_the_necessary_share_leaves():
    formal = np.array([[10.0], [20.0]])
    assert work.unnecessary_hours(formal, np.array([[1.0], [0.25]])).tolist() == [15.0]


def test_completion_is_one_where_no_formal_work_was_demanded():
    got = work.completion(np.array([5.0, 0.0]), np.array([10.0, 0.0]))
    assert got.tolist() == [0.5, 1.0]


def test_pure_formalism_counts_unneeded_platforms_and_excess_traces_only():
    pure = work.pure_formalism(
        np.array([2.0, 2.0]), np.array([4.0, 4.0]), 0.25, np.array([1.0, 6.0]), 0.1,
        np.array([20.0, 20.0]),
    )  # fmt: skip
    # 2 formal + 3 of 4 platform hours; traces beyond 0.1 per substantive hour: 0 and 4.
    assert pure.tolist() == [5.0, 9.0]
