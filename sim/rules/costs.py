"""What the levers cost, in staff-hour equivalents per township and week.

Staff (temporary hires, posts added by workload-following staffing, officials seconded down)
cost their standard hours, services a township buys (政府购买服务) their price per contracted
hour; the oversight body and the data bureau cost a fixed budget each;
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
    services: np.ndarray,
    service_price: float,
) -> np.ndarray:
    """(T,) staff and money the levers spend at each township, in standard staff-hours
    (services of ``S`` staff equivalents cost ``price * S`` standard weeks); verification in
    the field costs inspectors ``v * n * h_v`` for ``n`` inspections."""
    staff = (temp_staff + added_staff + seconded + service_price * services) * standard_hours
    money = (
        oversight * oversight_hours
        + merge * bureau_hours
        + anonymity * anonymity_hours
        + finance * reward_hours * posts
    )
    return staff + money + verification * inspections * verification_hours
