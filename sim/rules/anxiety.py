"""Organizational anxiety (组织焦虑): its target level and its transmission down the chain.

Emotional contagion (Barsade 2002) and network contagion (Hill et al. 2010): each official moves
a share ``d`` of the way toward a target that weighs the superior's anxiety (transmitted down,
strong), peers' anxiety, subordinates' anxiety (upward, weak), fear from one's own record and
from events seen among peers, the expected penalty of being caught (Hood 2011), tournament
pressure, overload, distrust of subordinates (superiors' trust anxiety), all damped by job
resources (Bakker & Demerouti 2007).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..jit import expm1, jit, ratio


class AnxietyWeights(NamedTuple):
    """The weights of :func:`anxiety_target`: the base level, one weight per pressure, and the
    buffer of job resources (JD-R)."""

    base: float
    from_superior: float
    from_peers: float
    from_subordinates: float
    own_record: float
    seen_events: float
    expected_penalty: float
    tournament: float
    overload: float
    distrust: float
    buffer: float

    @classmethod
    def of(cls, source) -> AnxietyWeights:
        """The weights read by name from any object that has them (e.g. a parameter group)."""
        return cls(*(float(getattr(source, name)) for name in cls._fields))


@jit
def fear_of_record(record: np.ndarray) -> np.ndarray:
    """Fear from one's own accountability record, saturating: ``1 - exp(-record)``."""
    return -expm1(-record)


@jit
def anxiety_target(
    w: AnxietyWeights,
    superior,
    peers,
    subordinates=0.0,
    record=0.0,
    seen_events=0.0,
    expected_events=0.0,
    tournament=0.0,
    overload=0.0,
    distrust=0.0,
    resources=0.0,
) -> np.ndarray:
    """The anxiety an official's situation calls for, clipped to [0, 1].

    ``(base + sum of weighted pressures) * (1 - buffer * resources)``: job resources buffer
    the pressures multiplicatively, as in the JD-R model, so they can calm but never push
    anxiety below zero. Every argument is an array or scalar in the units its weight describes
    (see the ``anxiety`` section of sim.params).
    """
    pressure = (
        w.base
        + w.from_superior * superior
        + w.from_peers * peers
        + w.from_subordinates * subordinates
        + w.own_record * fear_of_record(record)
        + w.seen_events * seen_events
        + w.expected_penalty * -expm1(-expected_events)
        + w.tournament * tournament
        + w.overload * overload
        + w.distrust * distrust
    )
    return np.minimum(np.maximum(pressure * (1.0 - w.buffer * resources), 0.0), 1.0)


@jit
def transmitted(superior_anxiety, superior_markup, escalated: float):
    """Pressure passed down by a superior: its anxiety, carried further by the targets it marks
    up (层层加码): ``A_s * (1 + tau * m_s)``. With ``tau > 0`` anxiety can grow on its way down."""
    return superior_anxiety * (1.0 + escalated * superior_markup)


@jit
def others_mean(total: float, count: float, own: float, member: bool) -> float:
    """Mean over the others in a group, from the group's total and count over its members: a
    member takes itself out, ``(S - x_i) / (n - 1)``; a non-member sees the whole group. With
    nobody else, the official's own value (no pull either way)."""
    if member:
        total, count = total - own, count - 1.0
    return total / count if count > 0.5 else own


@jit
def relax(current: np.ndarray, target: np.ndarray, rate: float) -> np.ndarray:
    """Partial adjustment: ``A <- (1 - d) A + d A_target``."""
    return current + rate * (target - current)


@jit
def rating_inflation(raters_anxiety: np.ndarray, propensity: float, anonymity: float) -> np.ndarray:
    """Share of the burden raters leave out of their ratings for fear of retaliation:
    ``min(phi * A_raters * (1 - anon), 1)``; anonymous ratings remove the fear."""
    return np.minimum(propensity * raters_anxiety * (1.0 - anonymity), 1.0)


@jit
def restraint_target(
    weight: float, pure_below: np.ndarray, hours_below: np.ndarray, inflation: np.ndarray
) -> np.ndarray:
    """What bottom-up ratings (以下考上) teach a leader: restraint in proportion to the share
    of hours below it lost to pure formalism, as the raters report it (1 where no hours were
    worked): ``w * (1 - inflation) * pure / hours``."""
    return weight * (1.0 - inflation) * ratio(pure_below, hours_below, 1.0)
