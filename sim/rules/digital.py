"""Digital platforms (技术赋能 or 指尖上的形式主义) and the data bureau (数据局, 报一次).

Each platform costs every official a fixed weekly check-in time; tools save handling time. A data
bureau merges duplicate requests across lines and consolidates platforms (one city reported forms
-57%, data items -83%).
"""

from __future__ import annotations

import numpy as np

from ..jit import jit


@jit
def merged_requests(requests: np.ndarray, duplicate_share: float, merge: float) -> np.ndarray:
    """Requests left after the bureau merges a share ``merge`` of the duplicates."""
    return requests * (1.0 - merge * duplicate_share)


@jit
def effective_platforms(count: float, necessary: float, merge: float) -> float:
    """Platforms in use once the bureau consolidates a share of the unnecessary ones."""
    return count - merge * max(count - necessary, 0.0)


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
