"""What the levers cost, in staff-hour equivalents per township and week.

Staff (temporary hires, posts added by workload-following staffing, officials seconded down)
cost their standard hours; the oversight body and the data bureau cost a fixed budget each;
finance devolved to the township (财权) pays rewards per post.
"""

from __future__ import annotations

import numpy as np

from ..jit import jit


@jit
def lever_cost(
    temp_staff: np.ndarray,
    added_staff: np.ndarray,
    seconded: float,
    standard_hours: float,
    oversight: float,
    oversight_hours: float,
    merge: float,
    bureau_hours: float,
    finance: np.ndarray,
    reward_hours: float,
    posts: np.ndarray,
    verification: float,
    inspections: np.ndarray,
    verification_hours: float,
    anonymity: float,
    anonymity_hours: float,
) -> np.ndarray:
    """(T,) staff and money the levers spend at each township, in standard staff-hours;
    verification in the field costs inspectors ``v * n * h_v`` for ``n`` inspections."""
    staff = (temp_staff + added_staff + seconded) * standard_hours
    money = (
        oversight * oversight_hours
        + merge * bureau_hours
        + anonymity * anonymity_hours
        + finance * reward_hours * posts
    )
    return staff + money + verification * inspections * verification_hours
