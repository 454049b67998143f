"""Weeks in compiled calls: one with its outcomes (a step of the Mesa-facing model), or many
(how runs in sweeps advance).

:meth:`sim.GovernanceModel.step` runs one week at a time, which is what Mesa's clock, agents and
DataCollector expect. A run nobody watches week by week (``sim.simulate``, and through it
comparisons, sensitivity sweeps and calibration) runs all its weeks here instead, observing the
outcomes of each week into a row of an array, with no Python between weeks. The weeks are the
same function (:func:`sim.phases.run_week`), so the results are the same numbers.
"""

from __future__ import annotations

import numpy as np

from .jit import jit
from .observe import observe
from .phases import run_week

__all__ = ["run_weeks", "step_week"]


@jit
def run_weeks(before, k_before, after, k_after, policy_start, first, tree, u, tw, st, rng, rows):
    """Run ``len(rows)`` weeks from week ``first`` (0-based), the levers in force from week
    ``policy_start``; each week's outcomes go to its row of ``rows``."""
    for i in range(rows.shape[0]):
        p, k = (after, k_after) if first + i >= policy_start else (before, k_before)
        run_week(p, k, tree, u, tw, st, rng)
        rows[i] = observe(p, tree, u, tw, st)
    return np.int64(rows.shape[0])


@jit
def step_week(p, k, tree, u, tw, st, rng):
    """One week and the outcomes it leaves, in one call: the rows of the officials who quit,
    the rows filled (:class:`sim.phases.Turnover`) and the week's outcomes."""
    quits, refills = run_week(p, k, tree, u, tw, st, rng)
    return quits, refills, observe(p, tree, u, tw, st)
