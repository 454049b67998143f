"""Fatigue, burnout, leave and quitting (Job Demands-Resources; Homer 1985).

Net strain is demand over resources: hours beyond the standard week and anxiety, minus job
resources. Fatigue accumulates with strain (slowing as it nears 1) and recovers with rest; the cap
on weekly hours keeps it bounded. Burnt-out officials take leave or quit.
"""

from __future__ import annotations

import numpy as np

from ..jit import jit, where


@jit
def strain(
    hours: np.ndarray,
    standard: float,
    anxiety: np.ndarray,
    resources: np.ndarray,
    anxiety_weight: float,
    resource_weight: float,
) -> np.ndarray:
    """``(h - H) / H + w_A * A - w_R * resources``; negative when the week leaves slack."""
    return (hours - standard) / standard + anxiety_weight * anxiety - resource_weight * resources


@jit
def fatigue_step(
    fatigue: np.ndarray, strain: np.ndarray, gain: float, recovery: float
) -> np.ndarray:
    """``B + k_up max(s, 0) (1 - B) - k_rec (1 + max(-s, 0)) B``, within [0, 1]."""
    new = (
        fatigue
        + gain * np.maximum(strain, 0.0) * (1.0 - fatigue)
        - recovery * (1.0 + np.maximum(-strain, 0.0)) * fatigue
    )
    return np.minimum(np.maximum(new, 0.0), 1.0)


@jit
def quit_probability(
    fatigue: np.ndarray, threshold: float, full: float, maximum: float
) -> np.ndarray:
    """Weekly quit probability: 0 at the burnout ``threshold``, rising linearly to ``maximum``
    at fatigue ``full`` (the leave threshold) and constant above it."""
    over = np.minimum(np.maximum((fatigue - threshold) / max(full - threshold, 1e-9), 0.0), 1.0)
    return maximum * over


@jit
def leave_probability(fatigue: np.ndarray, threshold: float, probability: float) -> np.ndarray:
    """Weekly probability of sick leave above the leave threshold."""
    return where(fatigue > threshold, probability, 0.0)


@jit
def overload(hours: np.ndarray, standard_hours: float) -> np.ndarray:
    """Hours beyond the standard week, as a share of it."""
    return np.maximum(hours / standard_hours - 1.0, 0.0)
