"""Demand: substantive work arriving at each township each week."""

from __future__ import annotations

import numpy as np

from ..jit import jit


def size_factors(n: int, cv: float, rng: np.random.Generator) -> np.ndarray:
    """Persistent demand multipliers of townships: log-normal with mean 1 and the given CV."""
    if cv == 0:
        return np.ones(n)
    sigma = np.sqrt(np.log1p(cv**2))
    return rng.lognormal(-0.5 * sigma**2, sigma, n)


@jit
def citizen_demand(mean: np.ndarray, cv: float, rng: np.random.Generator) -> np.ndarray:
    """Weekly citizen demand, gamma-distributed around ``mean`` with coefficient of variation cv.

    Gamma keeps demand positive and has the stated mean exactly: shape 1/cv^2, scale mean*cv^2.
    """
    # A cv so small that its square underflows is no noise at all (the shape would be inf).
    shape = 1.0 / cv**2 if cv * cv > 0.0 else np.inf
    if not np.isfinite(shape):
        return mean.copy()
    scale = mean / shape
    out = np.empty(scale.size)
    for i in range(scale.size):  # element by element: numba's Generator takes scalar scales
        out[i] = rng.gamma(shape, scale[i])
    return out


@jit
def handoff_load(work: np.ndarray, overhead: float, joint_share: float) -> np.ndarray:
    """Work after hand-offs between separate lines: ``work * (1 + overhead * (1 - joint))``.

    Joint enforcement / first-contact responsibility (联合执法, 首接负责) lets one team finish a
    case for all lines, removing the hand-off share.
    """
    return work * (1.0 + overhead * (1.0 - joint_share))


@jit
def top_down_tasks(
    posts: np.ndarray,
    task_hours: float,
    markup_chain: np.ndarray,
    authority_tasks: np.ndarray,
    devolved_task_hours: float,
) -> np.ndarray:
    """Substantive tasks from above: the base tasks marked up down the chain, plus the work of
    the task authority (事权) devolved to the township, per post."""
    return posts * (task_hours * markup_chain + authority_tasks * devolved_task_hours)


@jit
def backlog_step(work: np.ndarray, output: np.ndarray, lapse: float) -> np.ndarray:
    """Unfinished work carried over; a share ``lapse`` of it lapses (citizens give up)."""
    return (1.0 - lapse) * np.maximum(work - output, 0.0)
