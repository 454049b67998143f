"""Many weeks in one compiled call: how runs in sweeps advance.

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

__all__ = ["run_weeks"]


@jit
def run_weeks(before, k_before, after, k_after, policy_start, first, tree, u, tw, st, rng, rows):
    """Run ``len(rows)`` weeks from week ``first`` (0-based), the levers in force from week
    ``policy_start``; each week's outcomes go to its row of ``rows``."""
    for i in range(rows.shape[0]):
        p, k = (after, k_after) if first + i >= policy_start else (before, k_before)
        run_week(p, k, tree, u, tw, st, rng)
        rows[i] = observe(p, tree, u, tw, st)
    return np.int64(rows.shape[0])
