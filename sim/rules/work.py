"""Township work: allocation among staff, hours, and the distortion of effort toward traces.

能者多劳 ("the more capable, the more work"): the head gives each official a share of the
township's work proportional to ``competence ** g``; ``g = 1`` equalises substantive hours
(formal work is not done faster by the capable), ``g > 1`` piles
work on the capable. Formal work (meetings, documents, data, platforms, inspection preparation)
is checked, so it is done first; substantive work gets the hours left, and every substantive
hour carries a trace-leaving overhead (留痕) that grows with anxiety when process is inspected
(Holmstrom & Milgrom 1991: effort flows to what is measured).
"""

from __future__ import annotations

import numpy as np


def allocation_weights(competence: np.ndarray, bias: float, active: np.ndarray) -> np.ndarray:
    """Allocation weight ``competence ** g`` for active officials, 0 for absent ones."""
    return np.where(active, competence**bias, 0.0)


def allocation_shares(weights: np.ndarray, township: np.ndarray, n_townships: int) -> np.ndarray:
    """Each official's share of their township's work (shares sum to 1 where anyone works)."""
    total = np.bincount(township, weights=weights, minlength=n_townships)[township]
    return np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)


def trace_intensity(
    anxiety: np.ndarray,
    necessary: float,
    per_anxiety: float,
    process_weight: float,
    indicator_factor: float,
) -> np.ndarray:
    """Trace hours per substantive hour: ``t0 + t1 * A * w_process * f(indicators)``."""
    return necessary + per_anxiety * anxiety * process_weight * indicator_factor


def indicator_factor(count: float, reference: float, elasticity: float) -> float:
    """Scale of preparation and trace demand with the number of indicators: (I/I_ref)^e."""
    return (count / reference) ** elasticity


def work_hours(
    formal: np.ndarray,
    substantive_needed: np.ndarray,
    traces_per_hour: np.ndarray,
    max_hours: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split a week into (formal, substantive, trace) hours, in that priority, within max_hours.

    ``formal`` and ``substantive_needed`` are the hours demanded; substantive hours ``s`` cost
    ``s * (1 + traces_per_hour)`` in total.
    """
    f = np.minimum(formal, max_hours)
    s = np.minimum(substantive_needed, (max_hours - f) / (1.0 + traces_per_hour))
    return f, s, traces_per_hour * s
