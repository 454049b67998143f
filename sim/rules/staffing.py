"""Staffing that follows workload (职责-任务-工作量-编制) and temporary hires.

Posts are fixed by the staffing quota (编制); the dynamic-staffing lever adds capacity toward the
measured shortfall with a lag, and townships holding personnel and financial authority can hire
temporary staff quickly. Both cost staff-hours.
"""

from __future__ import annotations

import numpy as np

from ..jit import jit


@jit
def shortfall_staff(
    demanded_hours: np.ndarray, active: np.ndarray, standard: float, tolerance: float
) -> np.ndarray:
    """Officials missing to do the demanded hours within ``standard * (1 + tolerance)`` each."""
    return np.maximum(demanded_hours / (standard * (1.0 + tolerance)) - active, 0.0)


@jit
def follow(current: np.ndarray, target: np.ndarray, weeks: float) -> np.ndarray:
    """First-order lag toward a target with time constant ``weeks``."""
    return current + (target - current) / max(weeks, 1.0)


@jit
def replacement_weeks(base: float, personnel_authority: float, speedup: float) -> int:
    """Weeks a post stays empty; a township with personnel authority refills it faster."""
    return round(base * (1.0 - speedup * personnel_authority))


@jit
def extra_output(
    work: np.ndarray, extra_staff: np.ndarray, standard_hours: float, productivity: float
) -> np.ndarray:
    """Substantive work done by temporary, added and seconded staff (never more than there is)."""
    return np.minimum(work, extra_staff * standard_hours * productivity)


@jit
def temp_hire_target(
    max_share: float,
    posts: np.ndarray,
    personnel: np.ndarray,
    finance: np.ndarray,
    shortfall: np.ndarray,
    added: np.ndarray,
) -> np.ndarray:
    """Temporary hires a township wants: the shortfall not met by added posts, up to a share of
    its posts, and only as far as it holds both personnel (人权) and finance (财权) authority."""
    may_hire = np.minimum(personnel, finance)
    return np.minimum(max_share * posts * may_hire, np.maximum(shortfall - added, 0.0))
