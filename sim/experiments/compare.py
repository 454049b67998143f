"""Compare scenarios: R replicates each, common random numbers, paired statistics.

The first scenario is the reference. Replicate i of every scenario runs with the same seed, so
each difference is paired. Runs are independent tasks for an evaluator, so the results do not
depend on how many workers ran them.

With a calibration's posterior, replicate i also runs with the same parameter set drawn from the
posterior (by weight, from the master seed), every ``seeds_per_draw`` consecutive replicates
sharing one draw: each effect's interval then covers parameter uncertainty and seed noise
together, and a random-effects analysis of variance of the paired differences says how much of
each (:func:`uncertainty_table`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..limits import MAX_REPLICATES, MAX_STEPS
from ..outcomes import BY_NAME, NAMES
from ..run import levers_differ, policy_window_problem, simulate, steps_advice
from ..scenario import Scenario
from .evaluators import Evaluator, SerialEvaluator
from .seeds import replicate_seeds
from .stats import (
    cohens_d_av,
    holm,
    mean_ci,
    paired_difference,
    replicates_for_half_width,
    replicates_to_exclude_zero,
)

__all__ = [
    "Comparison",
    "RunTask",
    "check_comparison",
    "compare_scenarios",
    "comparison_table",
    "evaluate_run",
    "outcome_summary",
    "posterior_draws",
    "uncertainty_table",
]

BAND_QUANTILES = (0.05, 0.95)


@dataclass(frozen=True)
class RunTask:
    """One replicate of one scenario."""

    scenario: Scenario
    replicate: int
    seed: int
    steps: int | None = None
    preset: str | None = None
    overrides: tuple[tuple[str, float], ...] = ()  # a posterior draw, the same in every scenario


def evaluate_run(task: RunTask) -> tuple[dict[str, float], np.ndarray]:
    """Run one replicate; return its summary and its time series as a (weeks, outcomes) array."""
    spec = task.scenario.with_overrides(dict(task.overrides)) if task.overrides else task.scenario
    result = simulate(spec, seed=task.seed, steps=task.steps, preset=task.preset)
    return result.summary, result.timeseries[list(NAMES)].to_numpy()


@dataclass
class Comparison:
    scenarios: list[Scenario]
    seeds: list[int]
    runs: pd.DataFrame  # one row per scenario and replicate, every summary outcome
    table: pd.DataFrame  # per scenario and outcome: mean, CI, paired difference, tests
    bands: pd.DataFrame  # per scenario, week and outcome: mean and replicate quantiles
    level: float
    master_seed: int = 0
    steps: int = 0  # weeks per run
    preset: str = ""
    draws: pd.DataFrame | None = None  # posterior draw of each replicate (index: replicate)
    uncertainty: pd.DataFrame | None = None  # parameter and seed shares of each effect

    @property
    def reference(self) -> str:
        return self.scenarios[0].name

    def save(self, folder, *, overwrite: bool = False, lang: str = "en", **provenance):
        """Write the comparison to ``folder`` (see :func:`sim.results.save_comparison`)."""
        from ..results import save_comparison

        return save_comparison(self, folder, overwrite=overwrite, lang=lang, **provenance)


def check_comparison(
    scenarios: Sequence[Scenario], replicates: int, steps: int | None = None
) -> int:
    """Refuse a comparison that cannot say anything; return the weeks per run.

    Two replicates are the least that gives an interval. Scenarios that differ in their levers
    are compared only if the summary window reaches past the policy start: otherwise every
    difference would be zero and read as "no effect".
    """
    if len(scenarios) < 1:
        raise UsageError("need at least one scenario")
    if not 2 <= replicates <= MAX_REPLICATES:
        raise UsageError(
            f"replicates must be in [2, {MAX_REPLICATES}] (2 for an interval; the upper limit "
            f"keeps a comparison within memory), got {replicates}"
        )
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise UsageError(f"scenario names must be distinct, got {names}")
    n = scenarios[0].params.run.steps if steps is None else int(steps)
    if not 1 <= n <= MAX_STEPS:
        raise UsageError(f"steps must be in [1, {MAX_STEPS}], got {n}")
    differ = levers_differ(scenarios) if len(scenarios) > 1 else []
    if differ:
        why = policy_window_problem(scenarios[0].params, n)
        if why:
            raise UsageError(
                f"the scenarios differ in levers ({', '.join(differ[:4])}"
                f"{', ...' if len(differ) > 4 else ''}), but {why}; "
                + steps_advice(scenarios[0].params)
            )
    return n


def compare_scenarios(
    scenarios: Sequence[Scenario],
    *,
    replicates: int,
    master_seed: int = 0,
    steps: int | None = None,
    preset: str | None = None,
    evaluator: Evaluator | None = None,
    level: float = 0.95,
    progress: Callable[[int], None] | None = None,
    posterior: pd.DataFrame | None = None,
    seeds_per_draw: int = 2,
) -> Comparison:
    """Run every scenario ``replicates`` times with common random numbers and compare them
    with the first; with a ``posterior`` (parameter columns and ``weight``), each replicate
    also draws its parameters from it (see the module's docstring)."""
    n_steps = check_comparison(scenarios, replicates, steps)
    names = [s.name for s in scenarios]
    seeds = replicate_seeds(master_seed, replicates)
    draws = None
    if posterior is not None:
        draws = posterior_draws(posterior, replicates, seeds_per_draw, master_seed)
    sets = [()] * replicates if draws is None else _override_sets(draws)
    tasks = [
        RunTask(s, i, seed, steps, preset, sets[i])
        for s in scenarios
        for i, seed in enumerate(seeds)
    ]
    results = (evaluator or SerialEvaluator()).map(evaluate_run, tasks, progress=progress)

    rows = [
        {"scenario": t.scenario.name, "replicate": t.replicate, "seed": t.seed, **summary}
        for t, (summary, _) in zip(tasks, results, strict=True)
    ]
    runs = pd.DataFrame(rows)
    uncertainty = None
    if draws is not None:
        runs.insert(3, "draw", draws["draw"].to_numpy()[runs.replicate.to_numpy()])
        uncertainty = uncertainty_table(runs, names)
    series = np.stack([ts for _, ts in results]).reshape(len(scenarios), replicates, -1, len(NAMES))
    return Comparison(
        list(scenarios),
        seeds,
        runs,
        comparison_table(runs, names, level),
        _bands(series, names),
        level,
        master_seed=master_seed,
        steps=n_steps,
        preset=preset or scenarios[0].params.hierarchy.preset,
        draws=draws,
        uncertainty=uncertainty,
    )


def posterior_draws(
    posterior: pd.DataFrame, replicates: int, seeds_per_draw: int, master_seed: int
) -> pd.DataFrame:
    """The parameter set of each replicate: ``replicates / seeds_per_draw`` particles drawn by
    weight (with replacement) from the master seed, each shared by consecutive replicates."""
    if seeds_per_draw < 1 or replicates % seeds_per_draw:
        raise UsageError(
            f"replicates ({replicates}) must be a multiple of the seeds per posterior draw "
            f"({seeds_per_draw})"
        )
    if "weight" not in posterior or len(posterior) == 0:
        raise UsageError("a posterior needs particles and a weight column (posterior.parquet)")
    w = posterior["weight"].to_numpy(dtype=float)
    rng = np.random.default_rng(np.random.SeedSequence(master_seed, spawn_key=(0x5053,)))
    picks = rng.choice(len(posterior), size=replicates // seeds_per_draw, p=w / w.sum())
    params = posterior.drop(columns="weight").iloc[np.repeat(picks, seeds_per_draw)]
    out = params.reset_index(drop=True)
    out.insert(0, "draw", np.repeat(np.arange(len(picks)), seeds_per_draw))
    out.insert(1, "particle", np.repeat(picks, seeds_per_draw))
    return out


def _override_sets(draws: pd.DataFrame) -> list[tuple[tuple[str, float], ...]]:
    names = [c for c in draws.columns if c not in ("draw", "particle")]
    return [tuple((n, float(row[n])) for n in names) for _, row in draws.iterrows()]


def uncertainty_table(runs: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """How much of each effect's spread is parameter uncertainty and how much seed noise: a
    one-way random-effects analysis of variance of the paired differences, grouped by posterior
    draw (``sigma2_param = max((MS_between - MS_within) / S, 0)``, ``sigma2_seed = MS_within``
    for S seeds per draw; nan shares with one seed per draw)."""
    ref = runs[runs.scenario == names[0]].set_index("replicate")
    rows = []
    for name in names[1:]:
        arm = runs[runs.scenario == name].set_index("replicate")
        for outcome in NAMES:
            d = (arm[outcome] - ref[outcome]).to_numpy()
            groups = pd.Series(d).groupby(ref["draw"].to_numpy())
            k, per = groups.ngroups, groups.size().iloc[0]
            seed_var = float(groups.var(ddof=1).mean()) if per > 1 else np.nan
            between = float(per * groups.mean().var(ddof=1)) if k > 1 else np.nan
            param_var = max((between - seed_var) / per, 0.0) if per > 1 and k > 1 else np.nan
            total = param_var + seed_var
            rows.append(
                {"scenario": name, "outcome": outcome, "draws": k, "seeds_per_draw": per,
                 "effect": float(d.mean()), "variance_parameters": param_var,
                 "variance_seeds": seed_var,
                 "share_parameters": param_var / total if total > 0 else np.nan,
                 "share_seeds": seed_var / total if total > 0 else np.nan}
            )  # fmt: skip
    return pd.DataFrame(rows)


def outcome_summary(x: np.ndarray, outcome: str, level: float = 0.95) -> dict[str, object]:
    """One outcome over replicates: its name, unit, count, mean and confidence interval (the
    first columns of a comparison table)."""
    mean, lo, hi = mean_ci(x, level)
    return {
        "outcome": outcome,
        "unit": BY_NAME[outcome].unit,
        "n": len(x),
        "mean": mean,
        "ci_low": lo,
        "ci_high": hi,
    }


def comparison_table(
    runs: pd.DataFrame, scenarios: Sequence[str], level: float = 0.95
) -> pd.DataFrame:
    """Statistics per scenario and outcome (trailing-window means), differences against the
    first scenario, Holm-adjusted over every (scenario, outcome) test in the table."""
    ref = runs[runs.scenario == scenarios[0]].sort_values("replicate")
    n = len(ref)
    half = replicates_for_half_width(n, level)
    rows = []
    for name in scenarios:
        cur = runs[runs.scenario == name].sort_values("replicate")
        if list(cur.replicate) != list(ref.replicate):
            raise ValueError(f"scenario {name!r} has different replicates from the reference")
        for outcome in NAMES:
            x, r = cur[outcome].to_numpy(), ref[outcome].to_numpy()
            row = {"scenario": name, **outcome_summary(x, outcome, level)}
            if name == scenarios[0]:
                row.update(
                    diff=0.0,
                    diff_ci_low=np.nan,
                    diff_ci_high=np.nan,
                    effect_size_d=np.nan,
                    p_value=np.nan,
                )
            else:
                diff, dlo, dhi, p = paired_difference(x, r, level)
                row.update(
                    diff=diff,
                    diff_ci_low=dlo,
                    diff_ci_high=dhi,
                    effect_size_d=cohens_d_av(x, r),
                    p_value=p,
                    replicates_to_exclude_zero=replicates_to_exclude_zero(x - r, level),
                )
            rows.append(row)
    table = pd.DataFrame(rows)
    table["p_holm"] = holm(table["p_value"].to_numpy())
    table["excludes_zero"] = (table.diff_ci_low > 0) | (table.diff_ci_high < 0)
    table["replicates_for_half_width"] = half
    return table


def _bands(series: np.ndarray, names: Sequence[str]) -> pd.DataFrame:
    """Mean and replicate quantiles per scenario, week and outcome (long format)."""
    n_weeks = series.shape[2]
    mean = series.mean(axis=1)
    lo, hi = np.quantile(series, BAND_QUANTILES, axis=1)
    idx = pd.MultiIndex.from_product(
        [list(names), range(1, n_weeks + 1), list(NAMES)], names=["scenario", "week", "outcome"]
    )
    return pd.DataFrame(
        {"mean": mean.ravel(), "p05": lo.ravel(), "p95": hi.ravel()}, index=idx
    ).reset_index()
