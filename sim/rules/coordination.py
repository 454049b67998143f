"""Coordination: what necessary meetings and documents are for.

A well-run government still needs some meetings and documents: they tell each office what the
others are doing and settle who does what (March & Simon 1958; Thompson 1967 on coordination
by plan and by mutual adjustment). Take the necessary ones away (a quota does not know which
items are necessary) and township work is duplicated or done at cross purposes: rework that
joins the week's work. Items beyond the necessary carry no further coordination.
"""

from __future__ import annotations

import numpy as np

from ..jit import jit, ratio


@jit
def necessary_kept(
    necessary: np.ndarray, desired: np.ndarray, issued: np.ndarray, protected: float
) -> np.ndarray:
    """The necessary items that survive a cap from ``desired`` down to ``issued``: a share
    ``pi`` of superiors cut the unnecessary first, the rest cut across the board:
    ``pi * min(n, issued) + (1 - pi) * n * issued / desired``."""
    return protected * np.minimum(necessary, issued) + (1.0 - protected) * necessary * ratio(
        issued, desired, 1.0
    )


@jit
def coordination_gap(kept: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Share of the necessary coordination items lost: ``1 - kept / needed`` (0 when none are
    needed)."""
    return np.maximum(1.0 - ratio(kept, needed, 1.0), 0.0)


@jit
def rework_share(gap: np.ndarray, max_rework: float) -> np.ndarray:
    """Duplicated or conflicting work as a share of new work: ``r_max * gap``."""
    return max_rework * gap
