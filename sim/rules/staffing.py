"""Staffing that follows workload (职责-任务-工作量-编制) and temporary hires.

Posts are fixed by the staffing quota (编制); the dynamic-staffing lever adds capacity toward the
measured shortfall with a lag, and townships holding personnel and financial authority can hire
temporary staff quickly. Both cost staff-hours.
"""

from __future__ import annotations

import numpy as np

from ..jit import jit, where


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
    work: np.ndarray,
    extra_staff: np.ndarray,
    standard_hours: float,
    formal_hours: np.ndarray,
    productivity: np.ndarray,
) -> np.ndarray:
    """Substantive work done by temporary, added and seconded staff: each works the standard
    week, of which the formal work of a post comes first, the rest at ``productivity`` (never
    more than there is): ``min(W, E * max(standard - formal, 0) * q)``."""
    return np.minimum(
        work, extra_staff * np.maximum(standard_hours - formal_hours, 0.0) * productivity
    )


@jit
def arrivals(
    extra_staff: np.ndarray, last_week: np.ndarray, seconded: float, term_weeks: float
) -> np.ndarray:
    """Newcomers among the extra staff this week: the growth of the pool, plus the seconded
    officials who rotate in as others go back after their term."""
    return np.maximum(extra_staff - last_week, 0.0) + seconded / term_weeks


@jit
def knowledge_step(
    knowledge: np.ndarray,
    extra_staff: np.ndarray,
    newcomers: np.ndarray,
    newcomer_knowledge: float,
    onboarding_weeks: float,
) -> np.ndarray:
    """Local knowledge of the extra staff (1: that of an onboarded official): newcomers join with
    ``k0`` and everyone learns ``(1 - K) / onboarding_weeks`` a week; 1 when there is nobody."""
    stay = np.maximum(extra_staff - newcomers, 0.0)
    mixed = where(
        extra_staff > 0.0,
        (knowledge * stay + newcomer_knowledge * np.minimum(newcomers, extra_staff))
        / np.maximum(extra_staff, 1e-12),
        1.0,
    )
    return mixed + (1.0 - mixed) / max(onboarding_weeks, 1.0)


@jit
def climate(performance: np.ndarray, fatigue: np.ndarray, fatigue_penalty: float) -> np.ndarray:
    """Productivity factor of the extra staff, who are not tracked one by one but work in the
    township's climate: Yerkes-Dodson performance at its officials' mean anxiety, times
    ``1 - p_B * B`` at their mean fatigue."""
    return performance * (1.0 - fatigue_penalty * fatigue)


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
