"""Run seeds derived from a master seed and a run index with numpy's SeedSequence."""

from __future__ import annotations

import numpy as np

__all__ = ["replicate_seeds", "run_seed"]


def run_seed(master: int, *index: int) -> int:
    """The seed of run ``index`` (one or more integers) under ``master``: a 63-bit integer.

    ``SeedSequence(master, spawn_key=index)`` is the child that ``SeedSequence(master).spawn``
    would produce at that position, so seeds are independent streams, stable across
    executors, machines and numpy versions.
    """
    seq = np.random.SeedSequence(master, spawn_key=tuple(int(i) for i in index))
    return int(seq.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def replicate_seeds(master: int, n: int) -> list[int]:
    """Seeds of replicates 0..n-1: replicate i of every scenario uses the same seed (common
    random numbers), so scenario differences are paired."""
    return [run_seed(master, i) for i in range(n)]
