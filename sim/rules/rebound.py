"""Quota caps and their rebound (反弹回潮).

A quota caps the items a level may send a subordinate. Without oversight, enforcement decays at
a rate set by the issuing leader's anxiety, so the effective cap drifts back toward what anxiety
demands (March, Schulz & Zhou 2000 on rule decay). Part of what is cut is sent anyway under
another name, which the quota does not count: meetings held as "research" or "symposia"
(调研/座谈), documents sent as notices or chat messages (creative compliance, McBarnet & Whelan
1991); part reappears as platform data requests (the Taizhou pattern: inspections replaced by
photo and video uploads). An oversight body catches each of the three with a probability below
one, never all of it. It does not see the fourth: superiors who see townships' hours freed
refill the slack with tasks through channels no quota counts (隐形负担), the more the more
anxious they are, unless bottom-up evaluation has taught them restraint.
"""

from __future__ import annotations

import numpy as np

from ..jit import jit, where


@jit
def effective_cap(nominal: np.ndarray, desired: np.ndarray, enforcement: np.ndarray) -> np.ndarray:
    """``cap + (1 - E) * max(0, desired - cap)``; infinite where no quota is set."""
    drift = (1.0 - enforcement) * np.maximum(desired - nominal, 0.0)
    # Where no quota is set the sum may be nan (inf - inf in the drift): it is masked.
    return where(np.isinf(nominal), np.inf, nominal + drift)


@jit
def caught(strength: float, detection: float) -> float:
    """Probability that the oversight body catches a given evasion of a quota (drift, relabelling
    or displacement): ``P = o * d``, with ``d`` the detection of a body at full strength."""
    return strength * detection


@jit
def enforcement_step(
    enforcement: np.ndarray, anxiety: np.ndarray, drift_weeks: float, caught: float
) -> np.ndarray:
    """Weekly decay of quota enforcement: ``E <- E * (1 - (1 - P) * A / tau)``."""
    rate = np.minimum(np.maximum((1.0 - caught) * anxiety / drift_weeks, 0.0), 1.0)
    return enforcement * (1.0 - rate)


@jit
def displaced_requests(cut: np.ndarray, leakage: float, caught: float) -> np.ndarray:
    """Data requests that replace cut items: ``s * (1 - P) * cut``."""
    return leakage * (1.0 - caught) * cut


@jit
def relabel_share(
    anxiety: np.ndarray, restraint: np.ndarray, propensity: float, caught: float
) -> np.ndarray:
    """Share of the items a cap cut that the superior sends anyway under another name, where the
    quota does not count them: ``rho * A * (1 - R) * (1 - P)``, at most 1. Anxiety is the wish to
    be seen doing something; the chance of being caught deters (Becker 1968)."""
    return np.minimum(propensity * anxiety * (1.0 - restraint) * (1.0 - caught), 1.0)


@jit
def with_relabelled(issued: np.ndarray, desired: np.ndarray, share: np.ndarray) -> np.ndarray:
    """What arrives when a share of the cut is relabelled: ``issued + r * (desired - issued)``
    (the relabelled items are a sample of the cut ones, necessary ones among them)."""
    return issued + share * (desired - issued)


@jit
def quota_from_level(cut: float, desired: np.ndarray) -> np.ndarray:
    """A quota set when the campaign starts: ``(1 - cut)`` of the level reached then."""
    return (1.0 - cut) * desired


@jit
def freed_hours(
    desired: np.ndarray, received: np.ndarray, hours_per_item: np.ndarray
) -> np.ndarray:
    """(U,) hours per post a quota frees: the items superiors wanted to send and could not,
    at the hours each kind takes, ``sum_k (desired_k - received_k) * h_k``."""
    freed = (desired[0] - received[0]) * hours_per_item[0]
    for item in range(1, desired.shape[0]):
        freed = freed + (desired[item] - received[item]) * hours_per_item[item]
    return freed


@jit
def refill_target(
    freed: np.ndarray, anxiety: np.ndarray, restraint: np.ndarray, rate: float
) -> np.ndarray:
    """Hours per post that anxious superiors put back, as tasks through channels no quota
    counts (工作群 assignments, "temporary" tasks, 隐形负担): ``rate * A * (1 - R) * freed``."""
    return rate * anxiety * (1.0 - restraint) * freed


@jit
def refill_step(hidden: np.ndarray, target: np.ndarray, weeks: float) -> np.ndarray:
    """Hidden work moves toward its target over ``weeks``: ``H <- H + (target - H) / weeks``."""
    return hidden + (target - hidden) / weeks
