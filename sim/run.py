"""Running the model as a plain function: what SALib, EMA Workbench or a notebook call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import UsageError
from .limits import MAX_STEPS
from .model import GovernanceModel, as_scenario
from .outcomes import summarise, timeseries
from .params import LEVERS, Parameters
from .scenario import Scenario

__all__ = [
    "RunResult",
    "levers_differ",
    "policy_window_problem",
    "run_scenario",
    "simulate",
    "steps_advice",
    "summary_window_text",
    "weeks_for_levers",
]


@dataclass
class RunResult:
    scenario: Scenario
    seed: int
    steps: int
    timeseries: pd.DataFrame  # one row per week, one column per outcome
    summary: dict[str, float]
    model: GovernanceModel

    def save(self, folder, *, overwrite: bool = False, lang: str = "en", started=None):
        """Write the run to ``folder`` (see :func:`sim.results.save_run`)."""
        from .results import save_run

        return save_run(self, folder, overwrite=overwrite, lang=lang, started=started)


def policy_window_problem(params: Parameters, steps: int) -> str | None:
    """Why the summary of a ``steps``-week run cannot show any lever, or None if it can.

    Levers switch on at week ``run.policy_start`` (weeks count from 0); the summary averages
    the last ``run.summary_weeks`` weeks, so it sees a lever only if the run goes past the start.
    """
    start = params.run.policy_start
    if steps > start:
        return None
    return (
        f"a run of {steps} weeks ends before the levers switch on at week {start} "
        "(run.policy_start), so no lever can change its results"
    )


def weeks_for_levers(params: Parameters) -> int:
    """The shortest run whose whole summary window has the levers on."""
    return params.run.policy_start + params.run.summary_weeks


def steps_advice(params: Parameters) -> str:
    """What to change on the command line so that a run shows its levers."""
    return (
        f"use --steps of at least {weeks_for_levers(params)} (the policy start plus the "
        f"{params.run.summary_weeks}-week summary window), or --set run.policy_start=0 to switch "
        "the levers on from the start"
    )


def levers_differ(specs) -> list[str]:
    """Lever parameters whose values differ between the given scenarios (or from the default,
    for a single scenario)."""
    dicts = [s.params.to_dict() for s in specs]
    if len(dicts) == 1:
        dicts.append(Parameters().to_dict())
    return [name for name in LEVERS if len({repr(d.get(name)) for d in dicts}) > 1]


def summary_window_text(steps: int, window: int) -> str:
    """How a summary was computed, in words: the last year only when it was a year."""
    if window == 52:
        return "mean over the last year (52 weeks)"
    if window >= steps:
        return f"mean over all {steps} weeks"
    return f"mean over the last {window} weeks"


# Weeks between updates of a run's progress bar (a quarter: a national week takes ~0.3 s).
PROGRESS_WEEKS = 13


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

    ``progress`` shows a progress bar on stderr (for long runs from the command line). The
    model's outcomes are recorded in ``model.recorder`` (no DataCollector), and it has no Mesa
    agent objects: its officials are the rows of ``model.state``.
    """
    spec = as_scenario(scenario).with_overrides(overrides)
    if preset is not None:
        spec = spec.with_overrides({"hierarchy.preset": preset})
    n = spec.params.run.steps if steps is None else int(steps)
    if not 1 <= n <= MAX_STEPS:
        raise UsageError(f"steps must be in [1, {MAX_STEPS}], got {n}")
    # A run is read through its arrays and outcomes: no DataCollector and no agent objects,
    # which are the interactive model's face (GovernanceModel builds both by default).
    model = GovernanceModel(spec, rng=seed, datacollector=False, agents=False)
    if progress:
        from tqdm import tqdm

        with tqdm(total=n, desc=f"{spec.name} seed {seed}", unit="week", leave=False) as bar:
            for start in range(0, n, PROGRESS_WEEKS):
                weeks = min(PROGRESS_WEEKS, n - start)
                model.run_for(weeks)
                bar.update(weeks)
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
