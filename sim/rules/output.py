"""Substantive output and errors.

Productivity follows an inverted U in anxiety (Yerkes & Dodson 1908), taken as a Gaussian above
a floor because its empirical support is weak (Teigen 1994) and its shape is varied in the
sensitivity analysis. Errors rise with hours, overload and fatigue (queueing: utilisation near
or above 1 multiplies mistakes).
"""

from __future__ import annotations

import numpy as np

from ..jit import exp, jit, ratio


@jit
def yerkes_dodson(anxiety: np.ndarray, optimum: float, width: float, floor: float) -> np.ndarray:
    """``floor + (1 - floor) * exp(-(A - A*)^2 / (2 w^2))``; equal to 1 at the optimum."""
    return floor + (1.0 - floor) * exp(-((anxiety - optimum) ** 2) / (2.0 * width**2))


@jit
def productivity(
    competence: np.ndarray,
    performance: np.ndarray,
    fatigue: np.ndarray,
    fatigue_penalty: float,
    control_loss: np.ndarray,
    time_saved: float,
) -> np.ndarray:
    """Output per hour: ``c * YD(A) * (1 - p_B * B) * (1 - crowd_out) / (1 - time_saved)``.

    ``time_saved`` is the share of substantive handling time that digital tools remove.
    """
    return (
        competence
        * performance
        * (1.0 - fatigue_penalty * fatigue)
        * (1.0 - control_loss)
        / (1.0 - time_saved)
    )


@jit
def error_rate(
    hours: np.ndarray,
    standard: float,
    base: float,
    overload_slope: float,
    fatigue: np.ndarray,
    fatigue_slope: float,
) -> np.ndarray:
    """Expected errors in a week: ``e0 * h/H * (1 + k_o * max(0, h/H - 1) + k_B * B)``."""
    load = hours / standard
    return (
        base * load * (1.0 + overload_slope * np.maximum(load - 1.0, 0.0) + fatigue_slope * fatigue)
    )


@jit
def delivered_service(
    output: np.ndarray, unfound_errors: np.ndarray, harm_hours: float, work: np.ndarray
) -> np.ndarray:
    """Service citizens actually get, as a share of the work on the books: the work done less
    what errors that reach them undo, ``(O - h_e * e_unfound) / W`` (1 with no work)."""
    return ratio(output - harm_hours * unfound_errors, work, 1.0)
