"""Summary statistics: what a run says about each calibration target.

A statistic is a model outcome averaged over the last :data:`WINDOW` weeks of a status-quo run
(the years the targets describe are years of a system long in place, not its start), or a
quantity derived from such means (hours a week to hours a working day, say:
:data:`sim.targets.DERIVED`), compared with the target's centre and scaled by its uncertainty,
so that a model one interval half-width away from every target is at distance 1 per target.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..experiments.seeds import run_seed
from ..run import simulate
from ..targets import DERIVED

__all__ = [
    "TOLERANCE",
    "WINDOW",
    "Statistic",
    "model_statistics",
    "particle_seed",
    "statistics_from_targets",
]

WINDOW = 52  # weeks averaged at the end of a run


# Relative uncertainty of a target given as a single value, by quality grade (sim.targets):
# sampling error is the least of it; a survey of one city stands for a country's townships.
TOLERANCE = {"A": 0.05, "B": 0.10, "C": 0.20}


@dataclass(frozen=True)
class Statistic:
    """One summary statistic: the target it stands for and how the model computes it."""

    name: str  # the target's id
    quantity: str  # a model outcome (sim.outcomes) or a derived quantity (sim.targets.DERIVED)
    observed: float  # the target's centre
    scale: float  # its uncertainty: half its interval, or a share of its value by grade

    def __post_init__(self):
        if not self.scale > 0:
            raise ValueError(f"statistic {self.name}: scale must be > 0, got {self.scale}")

    def of(self, means: Mapping[str, float]) -> float:
        """The statistic from the window means of every outcome."""
        if self.quantity in DERIVED:
            return float(DERIVED[self.quantity].value(means))
        return float(means[self.quantity])


def statistics_from_targets(targets: Iterable[Any], use: str = "calibration") -> tuple:
    """The statistics of the targets marked ``use``: centred on the middle of each target's
    interval, scaled by half its width, or by :data:`TOLERANCE` of a single value."""
    out = []
    for t in targets:
        if t.use != use or not t.outcome or t.bounds is None:
            continue
        if DERIVED.get(t.outcome) is not None and DERIVED[t.outcome].paired:
            continue  # a campaign's effect needs a reference run: a validation pattern
        low, high = t.bounds
        centre = (low + high) / 2
        scale = (high - low) / 2 if high > low else TOLERANCE[t.quality] * abs(centre)
        out.append(Statistic(t.id, t.outcome, centre, scale))
    if not out:
        raise ValueError(f"no target is marked use = {use!r} with a model quantity")
    return tuple(out)


def particle_seed(master: int, overrides: Mapping[str, Any]) -> int:
    """A run seed that depends only on the master seed and the parameter values, so a particle
    gives the same statistics on any worker and in any order."""
    text = repr(sorted((k, float(v)) for k, v in overrides.items()))
    key = int.from_bytes(hashlib.sha256(text.encode()).digest()[:7], "big")
    return run_seed(master, key)


def model_statistics(
    problem, statistics: Iterable[Statistic], overrides: Mapping[str, Any], seed: int
) -> dict[str, float]:
    """Every statistic for one parameter set: the mean over ``problem.seeds`` replicates (run
    seeds derived from ``seed``) of each outcome over the last :data:`WINDOW` weeks."""
    statistics = tuple(statistics)
    spec = problem.base.with_overrides({**problem.fixed, **overrides})
    weeks = problem.weeks
    window = min(WINDOW, weeks)
    total = None
    for replicate in range(problem.seeds):
        run = simulate(spec, seed=run_seed(seed, replicate), steps=weeks, preset=problem.preset)
        means = run.timeseries.iloc[-window:].mean()
        total = means if total is None else total + means
    means = (total / problem.seeds).to_dict()
    return {s.name: s.of(means) for s in statistics}
