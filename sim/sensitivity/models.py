"""What a sensitivity sweep evaluates: chunks of sample points, each with every seed and arm.

Module-level functions and frozen dataclasses only, so that tasks pickle to worker processes
and Dask workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..run import run_scenario
from .problem import ISHIGAMI_NAMES, Problem

__all__ = ["PointsTask", "evaluate_points"]


@dataclass(frozen=True)
class PointsTask:
    problem: Problem
    points: tuple[int, ...]  # row indices in the sample design
    X: np.ndarray  # the design rows of these points (SALib scale), kept for verification
    overrides: tuple[dict[str, Any], ...]  # decoded parameter values per point
    seeds: tuple[int, ...]


def _ishigami(problem: Problem, x: np.ndarray) -> dict[str, float]:
    from SALib.test_functions import Ishigami

    order = [problem.names.index(n) for n in ISHIGAMI_NAMES]
    return {"y": float(Ishigami.evaluate(x[order][None, :])[0])}


def evaluate_points(task: PointsTask) -> pd.DataFrame:
    """Outcomes of every (point, seed, arm) of the task, one row each, with the design row."""
    p = task.problem
    rows = []
    for point, x, overrides in zip(task.points, task.X, task.overrides, strict=True):
        xcols = {f"x{j}": float(v) for j, v in enumerate(x)}
        for k, seed in enumerate(task.seeds):
            for arm in p.arms:
                if p.model == "ishigami":
                    outcomes = _ishigami(p, x)
                else:
                    spec = p.treatment if arm == "treatment" else p.base
                    summary = run_scenario(
                        spec.with_overrides(overrides), seed=seed, steps=p.steps, preset=p.preset
                    )
                    outcomes = {o: summary[o] for o in p.outcomes}
                rows.append({"point": point, "seed_index": k, "arm": arm, **outcomes, **xcols})
    return pd.DataFrame(rows)
