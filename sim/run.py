"""Running the model as a plain function: what SALib, EMA Workbench or a notebook call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .model import GovernanceModel, as_scenario
from .outcomes import summarise, timeseries
from .scenario import Scenario

__all__ = ["RunResult", "run_scenario", "simulate"]


@dataclass
class RunResult:
    scenario: Scenario
    seed: int
    steps: int
    timeseries: pd.DataFrame  # one row per week, one column per outcome
    summary: dict[str, float]
    model: GovernanceModel


def simulate(
    scenario: Scenario | str | Path | None = None,
    *,
    seed: int,
    steps: int | None = None,
    preset: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    progress: bool = False,
) -> RunResult:
    """Build the model, run it ``steps`` weeks (default ``run.steps``) and summarise it.

    ``progress`` shows a progress bar on stderr (for long runs from the command line).
    """
    spec = as_scenario(scenario).with_overrides(overrides)
    if preset is not None:
        spec = spec.with_overrides({"hierarchy.preset": preset})
    model = GovernanceModel(spec, rng=seed)
    n = spec.params.run.steps if steps is None else int(steps)
    if n < 1:
        raise ValueError(f"steps must be at least 1, got {n}")
    if progress:
        from tqdm import tqdm

        for _ in tqdm(range(n), desc=f"{spec.name} seed {seed}", unit="week", leave=False):
            model.step()
    else:
        model.run_for(n)
    ts = timeseries(model)
    summary = summarise(ts, min(spec.params.run.summary_weeks, n))
    return RunResult(spec, seed, n, ts, summary, model)


def run_scenario(
    scenario_or_path: Scenario | str | Path | None = None,
    *,
    seed: int,
    steps: int | None = None,
    preset: str | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, float]:
    """Run one replicate and return its summary: ``{outcome: mean over the last year, ...,
    outcome_final: value at the last week}``."""
    return simulate(
        scenario_or_path, seed=seed, steps=steps, preset=preset, overrides=overrides
    ).summary
