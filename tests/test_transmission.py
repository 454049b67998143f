"""Anxiety can grow on its way down when targets marked up carry it (层层加码; docs/ODD.md
section 7.11): the level pattern is an outcome of the weights, not fixed by them."""

from __future__ import annotations

import numpy as np

SEEDS = (1, 2, 3)
LEVELS = ("anxiety_province", "anxiety_city", "anxiety_county")


def test_escalated_pressure_makes_anxiety_grow_down_the_chain(outcome_means):
    carried = outcome_means({"anxiety.escalated_pressure": 1.0}, seeds=SEEDS, steps=104, last=52)
    levels = [carried[k] for k in LEVELS]
    assert np.all(np.diff(levels) > 0), levels


def test_escalated_pressure_raises_anxiety_below_the_top(outcome_means):
    usual = outcome_means({}, seeds=SEEDS, steps=104, last=52)
    carried = outcome_means({"anxiety.escalated_pressure": 1.0}, seeds=SEEDS, steps=104, last=52)
    for level in ("anxiety_city", "anxiety_county", "anxiety_township"):
        assert carried[level] > usual[level], level
