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
    "township_count",
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
def _term(a: np.ndarray, where, i: int) -> float:
    # ``np.where(where, a, 0.0)[i]`` without the masked copy; with no mask (None) the test is
    # compiled away.
    if where is None:
        return a[i]
    return a[i] if where[i] else 0.0


@jit
def _pairwise_sum(a: np.ndarray, where, lo: int, n: int) -> float:
    # numpy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src): a plain loop below 8
    # terms, 8 interleaved partial sums up to 128, halves above.
    if n < 8:
        res = -0.0
        for i in range(lo, lo + n):
            res += _term(a, where, i)
        return res
    if n <= 128:
        # Eight scalar partial sums, not an array of eight: no allocation per township.
        r0, r1 = _term(a, where, lo), _term(a, where, lo + 1)
        r2, r3 = _term(a, where, lo + 2), _term(a, where, lo + 3)
        r4, r5 = _term(a, where, lo + 4), _term(a, where, lo + 5)
        r6, r7 = _term(a, where, lo + 6), _term(a, where, lo + 7)
        i = 8
        while i < n - (n % 8):
            j = lo + i
            r0, r1 = r0 + _term(a, where, j), r1 + _term(a, where, j + 1)
            r2, r3 = r2 + _term(a, where, j + 2), r3 + _term(a, where, j + 3)
            r4, r5 = r4 + _term(a, where, j + 4), r5 + _term(a, where, j + 5)
            r6, r7 = r6 + _term(a, where, j + 6), r7 + _term(a, where, j + 7)
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res += _term(a, where, lo + i)
            i += 1
        return res
    half = n // 2
    half -= half % 8
    return _pairwise_sum(a, where, lo, half) + _pairwise_sum(a, where, lo + half, n - half)


@jit
def township_sum(staff_values: np.ndarray, head_row: np.ndarray, where=None) -> np.ndarray:
    """Sum a per-post array over each township's block of posts (``np.add.reduceat``), over the
    posts where ``where`` holds if given (``np.add.reduceat(np.where(where, values, 0.0))``)."""
    out = np.empty(head_row.size)
    n = staff_values.size
    for t in range(head_row.size):
        lo = head_row[t]
        hi = head_row[t + 1] if t + 1 < head_row.size else n
        out[t] = _term(staff_values, where, lo) + _pairwise_sum(
            staff_values, where, lo + 1, hi - lo - 1
        )
    return out


@jit
def township_count(mask: np.ndarray, head_row: np.ndarray) -> np.ndarray:
    """Posts of each township where ``mask`` holds, as floats: the township sum of the mask as
    0.0 and 1.0, whose partial sums are whole numbers and so exact in any order."""
    out = np.zeros(head_row.size)
    n = mask.size
    for t in range(head_row.size):
        hi = head_row[t + 1] if t + 1 < head_row.size else n
        for i in range(head_row[t], hi):
            out[t] += mask[i]
    return out


@jit
def township_mean(
    staff_values: np.ndarray, mask: np.ndarray, head_row: np.ndarray, empty: float = 0.0
) -> np.ndarray:
    """Mean over the posts of each township where ``mask`` holds (``empty`` if none)."""
    return ratio(township_sum(staff_values, head_row, mask), township_count(mask, head_row), empty)


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
