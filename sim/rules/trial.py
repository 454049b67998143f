"""Room for trial and error (容错, 试错空间): what fault tolerance frees besides relief.

Forgiving honest errors lowers the expected cost of trying a new way of working, so officials
try more, the less anxious they are (anxiety narrows search; March 1991 on exploration and
exploitation, Edmondson 1999 on psychological safety and learning). Trials teach the township
better practices, which raise productivity toward a ceiling, and some trials fail: more honest
errors while trying. Fault tolerance also has a moral hazard, through deterrence (rules/effort).
"""

from __future__ import annotations

import numpy as np

from ..jit import jit


@jit
def trial_intensity(forgiven: float, anxiety: np.ndarray) -> np.ndarray:
    """How much an official (or a township, at its mean anxiety) tries: ``f * (1 - A)``."""
    return forgiven * (1.0 - anxiety)


@jit
def practice_step(
    practice: np.ndarray, intensity: np.ndarray, rate: float, gain: float
) -> np.ndarray:
    """Productivity multiplier of the township's practices, learnt toward ``1 + gain``:
    ``P <- P + rate * intensity * (1 + gain - P)``."""
    return practice + rate * intensity * (1.0 + gain - practice)


@jit
def trial_errors(intensity: float, slope: float) -> float:
    """Error multiplier of an official who tries: ``1 + slope * intensity``."""
    return 1.0 + slope * intensity
