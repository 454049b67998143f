"""What counties push down, and what townships do with the authority they hold.

Counties under pressure push their own work down to the townships (属地管理 used to shift work
and responsibility, 甩锅) without the people or money to do it: the pushed share grows with the
county leadership's anxiety, less the restraint bottom-up ratings taught it, less what an
oversight body catches of push-downs outside the list of devolved matters (Hu 2025; Zhou Li-An
2014 on the "administrative subcontract", 行政发包制, between county and township). Formal
devolution of task authority (事权) sets the share pushed down outright, and brings the
authority to decide on the spot: matters are no longer referred up and back (fewer hand-offs).

Personnel (人权) and financial (财权) authority change nothing by themselves; they act through
what a township does with them:

- it hires temporary staff (needs both; :func:`sim.rules.staffing.temp_hire_target`) and
  refills vacated posts faster (:func:`sim.rules.staffing.replacement_weeks`);
- it keeps its capable officials by promoting them locally (留人), but hires by ties as well as
  merit (人情, patronage: an assumption, swept in scenarios/sensitivity/assumptions.toml);
- it buys services for work its staff cannot do (政府购买服务), at a price and with contractors
  who know the locality less;
- it pays performance rewards for diligent work (:func:`sim.rules.effort.diligence`).
"""

from __future__ import annotations

import numpy as np

from ..jit import jit, where


@jit
def pushdown_target(
    authority: np.ndarray,
    pushdown: float,
    anxiety: np.ndarray,
    restraint: np.ndarray,
    caught: float,
) -> np.ndarray:
    """Share of county task authority a township ends up doing:
    ``a + (1 - a) * k_p * A_c * (1 - R_c) * (1 - P_caught)`` for formal devolution ``a``."""
    return authority + (1.0 - authority) * pushdown * anxiety * (1.0 - restraint) * (1.0 - caught)


@jit
def handoff_overhead(overhead: float, authority: np.ndarray, saved: float) -> np.ndarray:
    """Hand-off overhead of a township holding task authority ``a``: ``h * (1 - s * a)``."""
    return overhead * (1.0 - saved * authority)


@jit
def quit_retention(
    quit_probability: np.ndarray,
    competence: np.ndarray,
    personnel: np.ndarray,
    retention: float,
) -> np.ndarray:
    """Quit probability where the township may promote locally: capable officials (competence
    at least the mean, 1) quit ``1 - r * tau_P`` times as often; others as before."""
    kept = quit_probability * (1.0 - retention * personnel)
    return where(competence >= 1.0, kept, quit_probability)


@jit
def hired_competence(competence: np.ndarray, personnel: np.ndarray, patronage: float) -> np.ndarray:
    """Competence of officials a township hires itself: ``c * (1 - k_pat * tau_P)``."""
    return competence * (1.0 - patronage * personnel)


@jit
def services_target(
    finance: np.ndarray,
    max_share: float,
    posts: np.ndarray,
    shortfall: np.ndarray,
    covered: np.ndarray,
) -> np.ndarray:
    """Services a township buys, in staff equivalents: the shortfall not met by added posts and
    temporary hires, up to ``m * posts * tau_F``."""
    return np.minimum(max_share * posts * finance, np.maximum(shortfall - covered, 0.0))


@jit
def services_output(
    work: np.ndarray, services: np.ndarray, standard_hours: float, productivity: float
) -> np.ndarray:
    """Substantive work contractors do: ``min(W, S * H * q_s)``."""
    return np.minimum(work, services * standard_hours * productivity)
