"""Digital platforms (技术赋能 or 指尖上的形式主义) and the data bureau (数据局, 报一次).

Each platform costs every official a fixed weekly check-in time; tools save handling time. The
platforms are state: the departments above a township launch new ones to show digital
achievement (数字政绩), the more the more anxious they are and the less restraint bottom-up
evaluation has taught them, and retire them rarely. A data bureau merges duplicate requests
across lines at once, and folds surplus platforms into shared ones only with a lag and at a
limited pace (one city reported forms -57%, data items -83%).
"""

from __future__ import annotations

import numpy as np

from ..jit import jit


@jit
def merged_requests(requests: np.ndarray, duplicate_share: float, merge: float) -> np.ndarray:
    """Requests left after the bureau merges a share ``merge`` of the duplicates."""
    return requests * (1.0 - merge * duplicate_share)


@jit
def launch_pressure(anxiety: np.ndarray, restraint: np.ndarray) -> np.ndarray:
    """A leader's push to launch platforms: ``A * (1 - R)``, anxiety less learned restraint."""
    return anxiety * (1.0 - restraint)


@jit
def ordered_platforms(count: np.ndarray, ordered: np.ndarray, order: float) -> np.ndarray:
    """Platforms in use once an order changes the required count from ``ordered`` to ``order``:
    ``max(P + order - ordered, 0)``."""
    return np.maximum(count + order - ordered, 0.0)


@jit
def platform_step(
    count: np.ndarray, pressure: np.ndarray, launch: float, life: float
) -> np.ndarray:
    """Platforms in use after a week: ``P + lambda * pressure - P / L``, with ``pressure`` the
    mean launch pressure of the levels above. Each platform is retired after ``L`` weeks on
    average, so the count settles at ``lambda * pressure * L``."""
    return count + launch * pressure - count / life


@jit
def consolidation_step(
    consolidated: np.ndarray,
    count: np.ndarray,
    necessary: float,
    merge: float,
    lag: float,
    capacity: float,
) -> np.ndarray:
    """Platforms the bureau has folded into shared ones after a week: they move toward
    ``merge * max(P - P_nec, 0)`` over ``lag`` weeks, at most ``capacity * merge`` a week, and
    never exceed that target: folded platforms retire with the rest, so the necessary ones
    stay in use."""
    target = merge * np.maximum(count - necessary, 0.0)
    step = consolidated + np.minimum((target - consolidated) / lag, capacity * merge)
    return np.minimum(step, target)


@jit
def effective_platforms(count, consolidated):
    """Platforms each official still checks in on: those in use less those folded in (scalars
    or arrays)."""
    return np.maximum(count - consolidated, 0.0)


@jit
def necessary_platform_share(count: float, necessary: float) -> float:
    """Share of platform time a well-run government would need anyway."""
    return 1.0 if count <= 0 else min(necessary / count, 1.0)


@jit
def necessary_requests(
    per_line: float, lines_above: float, duplicate_share: float, received: np.ndarray
) -> np.ndarray:
    """The necessary part of the data requests received: the calm base issue of every line
    above, less its duplicates, never more than what arrives."""
    return np.minimum(per_line * lines_above * (1.0 - duplicate_share), received)
