"""Superiors' trust in subordinate units (信任焦虑 is its complement, 1 - T).

Trust rises on good results and falls on detected errors, about twice as fast as it rises
(negativity bias; Falk & Kosfeld 2006 on the link between distrust and control).
"""

from __future__ import annotations

import numpy as np

from ..jit import expm1, jit


@jit
def bad_news(detected_per_post: np.ndarray, scale: float) -> np.ndarray:
    """Strength of bad news from detected errors: ``1 - exp(-d / d_ref)``."""
    return -expm1(-detected_per_post / scale)


@jit
def trust_step(
    trust: np.ndarray, good: np.ndarray, bad: np.ndarray, gain: float, asymmetry: float
) -> np.ndarray:
    """``T + g (1 - T) good (1 - bad) - a g T bad``, within [0, 1]."""
    good = np.minimum(np.maximum(good, 0.0), 1.0)
    new = trust + gain * (1.0 - trust) * good * (1.0 - bad) - asymmetry * gain * trust * bad
    return np.minimum(np.maximum(new, 0.0), 1.0)
