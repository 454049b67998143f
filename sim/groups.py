"""Group operations over agent arrays: townships' blocks of posts, peer groups, subtrees.

Compiled with the phases. Sums add in the order numpy does (``bincount`` in index order,
``add.reduceat`` pairwise within each block), so a compiled week gives the same bits as the
numpy expressions these functions replace.
"""

from __future__ import annotations

import numpy as np

from .jit import jit, ratio

__all__ = [
    "group_mean",
    "group_sum",
    "per_staff",
    "rows_sum",
    "subtree_sum",
    "township_mean",
    "township_sum",
]


@jit
def group_sum(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum of ``values`` per group id (``np.bincount(groups, weights=values)``)."""
    out = np.zeros(n_groups)
    for i in range(values.size):
        out[groups[i]] += values[i]
    return out


@jit
def group_mean(
    values: np.ndarray, groups: np.ndarray, n_groups: int, empty: float = 0.0
) -> np.ndarray:
    """Mean of ``values`` per group id (``empty`` for a group with no member)."""
    total = group_sum(values, groups, n_groups)
    count = np.zeros(n_groups)
    for i in range(groups.size):
        count[groups[i]] += 1.0
    return ratio(total, count, empty)


@jit
def rows_sum(a: np.ndarray) -> np.ndarray:
    """Sum over the first axis, row after row (numpy's order for ``a.sum(axis=0)``)."""
    total = a[0].copy()
    for row in range(1, a.shape[0]):
        total += a[row]
    return total


@jit
def per_staff(township_values: np.ndarray, posts: np.ndarray) -> np.ndarray:
    """Spread a per-township array to the township's posts (blocks are contiguous)."""
    return np.repeat(township_values, posts)


@jit
def _pairwise_sum(a: np.ndarray, lo: int, n: int) -> float:
    # numpy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src): a plain loop below 8
    # terms, 8 interleaved partial sums up to 128, halves above.
    if n < 8:
        res = -0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    if n <= 128:
        r = a[lo : lo + 8].copy()
        i = 8
        while i < n - (n % 8):
            r += a[lo + i : lo + i + 8]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += a[lo + i]
            i += 1
        return res
    half = n // 2
    half -= half % 8
    return _pairwise_sum(a, lo, half) + _pairwise_sum(a, lo + half, n - half)


@jit
def township_sum(staff_values: np.ndarray, head_row: np.ndarray) -> np.ndarray:
    """Sum a per-post array over each township's block of posts (``np.add.reduceat``)."""
    out = np.empty(head_row.size)
    n = staff_values.size
    for t in range(head_row.size):
        lo = head_row[t]
        hi = head_row[t + 1] if t + 1 < head_row.size else n
        out[t] = staff_values[lo] + _pairwise_sum(staff_values, lo + 1, hi - lo - 1)
    return out


@jit
def township_mean(
    staff_values: np.ndarray, mask: np.ndarray, head_row: np.ndarray, empty: float = 0.0
) -> np.ndarray:
    """Mean over the posts of each township where ``mask`` holds (``empty`` if none)."""
    count = township_sum(mask.astype(np.float64), head_row)
    total = township_sum(np.where(mask, staff_values, 0.0), head_row)
    return ratio(total, count, empty)


@jit
def subtree_sum(
    township_values: np.ndarray, township_ancestor: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    """(U,) sum of a per-township quantity over each unit's subtree (``starts``: level blocks)."""
    bottom = starts.size - 2
    out = np.zeros(starts[-1])
    out[starts[bottom] :] = township_values
    for lvl in range(bottom):
        out[starts[lvl] : starts[lvl + 1]] = group_sum(
            township_values, township_ancestor[lvl] - starts[lvl], starts[lvl + 1] - starts[lvl]
        )
    return out
