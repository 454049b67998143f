"""Run the arms the patterns need, with common seeds, and decide each pattern.

Every arm (a scenario with its overrides) runs the same replicates: replicate i of every arm
uses seed ``replicate_seeds(seed, replicates)[i]``, so differences between arms are paired. A
run records every outcome of every week and, beside them, the meetings, documents and
inspections that each level of the hierarchy receives per unit (``meetings_received_county``
...), which no outcome reports and the 层层加码 pattern reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..experiments.seeds import replicate_seeds
from ..experiments.stats import mean_ci, paired_difference
from ..hierarchy import LEVELS
from ..model import GovernanceModel
from ..outcomes import BY_NAME, timeseries
from ..run import weeks_for_levers
from ..scenario import load_scenario
from ..targets import DERIVED, Target
from .patterns import (
    ITEMS_RECORDED,
    LEVELS_RECORDED,
    LOCAL,
    PATTERNS,
    Arm,
    Criterion,
    Pattern,
    criterion_for,
)

__all__ = [
    "PatternResult",
    "Settings",
    "evaluate",
    "plan_arms",
    "quantity",
    "run_arm",
    "run_arms",
    "settings_for",
]

QUICK_PRESET = "classroom"
QUICK_REPLICATES = 2


@dataclass(frozen=True)
class Settings:
    """What a validation ran: the same for every arm."""

    preset: str
    replicates: int
    seed: int
    seeds: tuple[int, ...]
    steps: int
    policy_start: int
    summary_weeks: int
    quick: bool = False

    def span(self, window) -> tuple[int, int]:
        return window.span(self.steps, self.policy_start, self.summary_weeks)

    def window_text(self, window) -> str:
        return window.text(self.steps, self.policy_start, self.summary_weeks)


def settings_for(
    preset: str = "region", replicates: int = 10, seed: int = 2025, quick: bool = False
) -> Settings:
    """The settings of a validation: the baseline's run parameters (``run.steps``,
    ``run.policy_start``, ``run.summary_weeks``); ``quick`` runs the classroom preset with two
    replicates and only as many weeks as the summary window needs after the policy start."""
    if quick:
        preset, replicates = QUICK_PRESET, QUICK_REPLICATES
    if replicates < 2:
        raise ValueError(f"replicates must be at least 2 for an interval, got {replicates}")
    run = load_scenario("baseline").params.run
    steps = weeks_for_levers(load_scenario("baseline").params) if quick else run.steps
    return Settings(
        preset=preset,
        replicates=int(replicates),
        seed=int(seed),
        seeds=tuple(replicate_seeds(int(seed), int(replicates))),
        steps=int(steps),
        policy_start=run.policy_start,
        summary_weeks=run.summary_weeks,
        quick=quick,
    )


def plan_arms(patterns: Sequence[Pattern] = PATTERNS) -> list[Arm]:
    """Every arm the patterns need, each once, in the order they first appear."""
    out: list[Arm] = []
    for p in patterns:
        for arm in p.arms:
            if arm not in out:
                out.append(arm)
    return out


def _received_columns() -> list[str]:
    return [f"{item}_received_{lv}" for lv in LEVELS_RECORDED for item in ITEMS_RECORDED]


def run_arm(arm: Arm, seed: int, steps: int, preset: str) -> pd.DataFrame:
    """One run of ``arm``: every outcome of every week (index ``week``, 1-based) and the items
    each level receives per unit and week.

    The run is the one ``sim.simulate`` makes with the same scenario, seed and preset (the
    weeks are stepped one at a time to read the units' state between them).
    """
    spec = load_scenario(arm.scenario, dict(arm.overrides) or None)
    spec = spec.with_overrides({"hierarchy.preset": preset})
    model = GovernanceModel(spec, rng=seed, datacollector=False, agents=False)
    levels = [LEVELS.index(lv) for lv in LEVELS_RECORDED]
    extra = np.empty((steps, len(levels), len(ITEMS_RECORDED)))
    for week in range(steps):
        model.run_for(1)
        received = model.state.units.received
        for j, level in enumerate(levels):
            extra[week, j] = received[:, model.tree.units(level)].mean(axis=1)
    ts = timeseries(model)
    received = pd.DataFrame(extra.reshape(steps, -1), columns=_received_columns(), index=ts.index)
    return pd.concat([ts, received], axis=1)


def run_arms(
    arms: Sequence[Arm], settings: Settings, progress: Callable[[int], None] | None = None
) -> dict[Arm, list[pd.DataFrame]]:
    """Every arm's replicates, in seed order (runs in this process: they are short)."""
    for arm in arms:  # fail on a bad scenario before any run
        load_scenario(arm.scenario, dict(arm.overrides) or None)
    out: dict[Arm, list[pd.DataFrame]] = {}
    for arm in arms:
        out[arm] = []
        for seed in settings.seeds:
            out[arm].append(run_arm(arm, seed, settings.steps, settings.preset))
            if progress:
                progress(1)
    return out


# ---- quantities ------------------------------------------------------------------------------
def quantity(name: str, s, reference=None):
    """An outcome, a derived quantity of sim.targets or a local quantity of the patterns, from
    window means (a Series) or from a run's weeks (a frame: one value per week)."""
    if name in BY_NAME:
        return s[name]
    if name in DERIVED:
        d = DERIVED[name]
        return d.formula(s, reference) if d.paired else d.formula(s)
    if name in LOCAL:
        return LOCAL[name].value(s)
    raise KeyError(f"unknown quantity {name!r}")


@dataclass
class PatternResult:
    """A pattern decided: its statistic per replicate, mean, interval, criterion and verdict,
    and the weekly series its figure draws."""

    pattern: Pattern
    criterion: Criterion
    values: np.ndarray
    mean: float
    ci_low: float
    ci_high: float
    verdict: str
    spans: list[tuple[int, int]]
    series: dict[str, pd.Series] = field(default_factory=dict)
    series_label: str = ""

    @property
    def n(self) -> int:
        return len(self.values)


def _means(frames: Sequence[pd.DataFrame], span: tuple[int, int]) -> list[pd.Series]:
    first, last = span
    return [df.loc[first:last].mean() for df in frames]


def _mean_over(frames: Sequence[pd.Series]) -> pd.Series:
    return pd.concat(frames, axis=1).mean(axis=1)


def evaluate(
    pattern: Pattern,
    runs: Mapping[Arm, Sequence[pd.DataFrame]],
    settings: Settings,
    targets: Mapping[str, Target],
    level: float = 0.95,
) -> PatternResult:
    """Compute the pattern's statistic over replicates and decide whether it holds."""
    p = pattern
    criterion = criterion_for(p, targets)
    span = settings.span(p.window)
    x_runs = runs[p.arm]
    xs = _means(x_runs, span)
    spans = [span]
    kind = p.kind
    if kind in ("paired", "difference"):
        r_runs = runs[p.reference]
        rs = _means(r_runs, settings.span(p.reference_window or p.window))
    elif kind == "change":
        r_runs = x_runs
        ref_span = settings.span(p.reference_window)
        spans.insert(0, ref_span)
        rs = _means(x_runs, ref_span)
    else:
        r_runs, rs = [], []

    per_quantity = []
    for q in p.quantities:
        if kind == "paired":
            pairs = zip(xs, rs, strict=True)
            per_quantity.append((np.array([float(quantity(q, x, r)) for x, r in pairs]), None))
            continue
        qx = np.array([float(quantity(q, x)) for x in xs])
        if kind in ("difference", "change"):
            qr = np.array([float(quantity(q, r)) for r in rs])
            per_quantity.append((qx - qr, (qx, qr)))
        else:
            per_quantity.append((qx, None))
    values = np.min(np.stack([v for v, _ in per_quantity]), axis=0)
    if len(per_quantity) == 1 and per_quantity[0][1] is not None:
        mean, lo, hi, _ = paired_difference(*per_quantity[0][1], level)
    else:
        mean, lo, hi = mean_ci(values, level)
    series, label = _series(p, kind, x_runs, r_runs)
    return PatternResult(
        p, criterion, values, mean, lo, hi, criterion.verdict(lo, hi), spans, series, label
    )


def _series(p: Pattern, kind: str, x_runs, r_runs) -> tuple[dict[str, pd.Series], str]:
    """Weekly means over replicates of what the pattern reads, for its figure."""
    unit = p.unit
    single = len(p.quantities) == 1
    out: dict[str, pd.Series] = {}
    if all(q in LOCAL for q in p.quantities) and kind == "level":
        # What the ratios are made of: the items each level receives per unit and week.
        for q in p.quantities:
            item = q.removesuffix("_growth_down")
            for lv in LEVELS_RECORDED:
                column = f"{item}_received_{lv}"
                out[f"{item}, {lv}"] = _mean_over([x[column] for x in x_runs])
        return out, "received per unit (1/week)"
    for q in p.quantities:
        if kind == "paired":
            out[q] = _mean_over([quantity(q, x, r) for x, r in zip(x_runs, r_runs, strict=True)])
        elif kind == "difference" and single:
            out[p.arm.label] = _mean_over([quantity(q, x) for x in x_runs])
            out[p.reference.label] = _mean_over([quantity(q, r) for r in r_runs])
        elif kind == "difference":
            out[q] = _mean_over(
                [quantity(q, x) - quantity(q, r) for x, r in zip(x_runs, r_runs, strict=True)]
            )
        else:
            out[p.arm.label if single else q] = _mean_over([quantity(q, x) for x in x_runs])
    if kind == "difference" and not single:
        label = f"difference from {p.reference.label} ({unit})"
    else:
        label = f"{p.quantities[0] if single else 'value'} ({unit})"
    return out, label
