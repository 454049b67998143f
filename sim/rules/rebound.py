"""Quota caps and their rebound (反弹回潮).

A quota caps the items a level may send a subordinate. Without oversight, enforcement decays at
a rate set by the issuing leader's anxiety, so the effective cap drifts back toward what anxiety
demands (March, Schulz & Zhou 2000 on rule decay), and part of what is cut reappears as platform
data requests (the Taizhou pattern: inspections replaced by photo and video uploads). An
oversight body stops both.
"""

from __future__ import annotations

import numpy as np

from ..jit import jit


@jit
def effective_cap(nominal: np.ndarray, desired: np.ndarray, enforcement: np.ndarray) -> np.ndarray:
    """``cap + (1 - E) * max(0, desired - cap)``; infinite where no quota is set."""
    drift = (1.0 - enforcement) * np.maximum(desired - nominal, 0.0)
    # Where no quota is set the sum may be nan (inf - inf in the drift): it is masked.
    return np.where(np.isinf(nominal), np.inf, nominal + drift)


@jit
def enforcement_step(
    enforcement: np.ndarray, anxiety: np.ndarray, drift_weeks: float, oversight: float
) -> np.ndarray:
    """Weekly decay of quota enforcement: ``E <- E * (1 - (1 - o) * A / tau)``."""
    rate = np.minimum(np.maximum((1.0 - oversight) * anxiety / drift_weeks, 0.0), 1.0)
    return enforcement * (1.0 - rate)


@jit
def displaced_requests(cut: np.ndarray, leakage: float, oversight: float) -> np.ndarray:
    """Data requests that replace cut items: ``s * (1 - o) * cut``."""
    return leakage * (1.0 - oversight) * cut


@jit
def quota_from_level(cut: float, desired: np.ndarray) -> np.ndarray:
    """A quota set when the campaign starts: ``(1 - cut)`` of the level reached then."""
    return (1.0 - cut) * desired
