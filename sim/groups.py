"""Vectorised group operations over agent arrays (the peer groups and townships of the tree)."""

from __future__ import annotations

import numpy as np

__all__ = ["group_mean"]


def group_mean(
    values: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    mask: np.ndarray | None = None,
    empty: float = 0.0,
) -> np.ndarray:
    """Mean of ``values`` per group, over members where ``mask`` is true (``empty`` if none)."""
    if mask is None:
        total = np.bincount(groups, weights=values, minlength=n_groups)
        count = np.bincount(groups, minlength=n_groups)
    else:
        w = mask.astype(float)
        total = np.bincount(groups, weights=values * w, minlength=n_groups)
        count = np.bincount(groups, weights=w, minlength=n_groups)
    out = np.full(n_groups, float(empty))
    np.divide(total, count, out=out, where=count > 0)
    return out
