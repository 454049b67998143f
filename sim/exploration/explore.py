"""Exploration on oasim's fast path: every policy in the same states of the world, replicated
over seeds, evaluated resumably on any evaluator, then analysed for robustness.

A run of (world w, policy p, seed k) is ``run_scenario(p + world w, seed=seeds[k])``: seeds are
common to every world and policy (paired comparisons), and a run depends on nothing but its
parameters and seed, so the same folder results from serial, process or Dask evaluation, and
from EMA's own evaluators through :func:`sim.exploration.ema.ema_model`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..experiments.evaluators import Evaluator, SerialEvaluator
from ..experiments.seeds import replicate_seeds
from ..results import claimed
from ..run import policy_window_problem, run_scenario, weeks_for_levers
from ..scenario import Scenario
from ..sensitivity.store import ChunkStore
from . import discovery, robustness
from .result import Exploration
from .space import Space, SpaceError, fingerprint

__all__ = [
    "MIN_SCENARIOS",
    "Exploration",
    "WorldsTask",
    "evaluate_worlds",
    "explore",
    "run_worlds",
    "seed_means",
]

MIN_SCENARIOS = 10  # fewer states of the world leave PRIM and regret nothing to stand on
MAX_SCENARIOS = 100_000
RUNS_PER_CHUNK = 24


@dataclass(frozen=True)
class WorldsTask:
    """Some states of the world, each to be run under every policy and seed."""

    space: Space
    policies: tuple[Scenario, ...]
    worlds: tuple[int, ...]
    X: np.ndarray  # the worlds' numeric coordinates, stored for verification on resume
    values: tuple[dict, ...]  # the worlds' parameter values
    seeds: tuple[int, ...]


def evaluate_worlds(task: WorldsTask) -> pd.DataFrame:
    """One row per (world, policy, seed): the outcomes and the world's coordinates."""
    rows = []
    outcomes = task.space.outcomes
    for world, x, values in zip(task.worlds, task.X, task.values, strict=True):
        xcols = {f"x{j}": float(v) for j, v in enumerate(x)}
        for policy in task.policies:
            spec = policy.with_overrides(values, source=f"world {world}")
            for k, seed in enumerate(task.seeds):
                summary = run_scenario(spec, seed=seed, steps=task.space.weeks)
                rows.append(
                    {
                        "point": world,
                        "policy": policy.name,
                        "seed_index": k,
                        **{o: summary[o] for o in outcomes},
                        **xcols,
                    }
                )
    return pd.DataFrame(rows)


def run_worlds(
    space: Space,
    policies: Sequence,
    worlds: pd.DataFrame,
    seeds: Sequence[int],
    evaluator: Evaluator | None = None,
) -> pd.DataFrame:
    """Every run of the policies (and the status quo) in the given worlds, held in memory:
    world, policy, seed_index and the outcomes (what :func:`explore` stores in chunks)."""
    specs = _policies(space, policies)
    task = WorldsTask(
        space,
        tuple(specs),
        tuple(worlds.index),
        coordinates(space, worlds),
        tuple(worlds.to_dict(orient="records")),
        tuple(seeds),
    )
    frames = (evaluator or SerialEvaluator()).map(evaluate_worlds, [task])
    raw = pd.concat(frames, ignore_index=True).rename(columns={"point": "world"})
    return raw.drop(columns=[c for c in raw.columns if c.startswith("x")])


def seed_means(raw: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """One row per (world, policy): each outcome's mean over the seeds."""
    return raw.groupby(["world", "policy"], sort=False)[list(outcomes)].mean().reset_index()


def coordinates(space: Space, worlds: pd.DataFrame) -> np.ndarray:
    """The worlds as numbers (a categorical uncertainty by the index of its choice)."""
    dims = {d.name: d for d in space.uncertainties}
    columns = []
    for name in worlds.columns:
        d = dims.get(name)
        if d is not None and d.kind == "categorical":
            columns.append([d.choices.index(v) for v in worlds[name]])
        else:
            columns.append(worlds[name].to_numpy(dtype=float))
    return np.column_stack(columns).astype(float)


def check_exploration(
    space: Space, policies: Sequence[Scenario], scenarios: int, interactions: int
) -> None:
    """Everything that can be known wrong before anything is written."""
    if not MIN_SCENARIOS <= scenarios <= MAX_SCENARIOS:
        raise UsageError(
            f"--scenarios {scenarios}: between {MIN_SCENARIOS} and {MAX_SCENARIOS} states of "
            "the world (PRIM and regret need enough of them)"
        )
    if interactions and (interactions < 2 or interactions & (interactions - 1)):
        raise UsageError(f"--interactions {interactions}: Sobol needs a power of 2 (e.g. 32)")
    if interactions and space.interactions is None:
        raise SpaceError(
            space.path,
            "interactions",
            "missing, but --interactions asks for lever interactions",
            'a sensitivity problem of lever groups, e.g. interactions = "remedies"',
        )
    names = [p.name for p in policies]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(f"policy {twice[0]!r} given twice; each policy once")
    params = policies[-1].params
    why = policy_window_problem(params, space.weeks)
    if why:
        raise SpaceError(
            space.path,
            "steps",
            f"the policies' levers would never act: {why}",
            f"steps of at least {weeks_for_levers(params)}, or an earlier run.policy_start",
        )


def _policies(space: Space, policies: Sequence) -> list[Scenario]:
    specs = [space.policy(p) for p in policies]
    if space.reference.name not in [s.name for s in specs]:
        specs.insert(0, space.reference)  # every policy is judged against the status quo
    return specs


def _posterior_id(posterior: pd.DataFrame | None) -> str | None:
    if posterior is None:
        return None
    return hashlib.sha256(pd.util.hash_pandas_object(posterior).to_numpy().tobytes()).hexdigest()


def explore(
    space: Space,
    policies: Sequence,
    scenarios: int,
    *,
    folder,
    seed: int = 0,
    posterior: pd.DataFrame | None = None,
    posterior_path: str | None = None,
    interactions: int = 0,
    evaluator: Evaluator | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    log: Callable[[str], None] = lambda s: None,
) -> Exploration:
    """Run every policy (and the status quo) in ``scenarios`` states of the world, into
    ``folder`` (resumable: chunks of worlds are saved as they finish), and analyse them.

    ``posterior``: a calibration's particles and weights (``oasim calibrate``); its parameters
    are drawn from it rather than from the space's ranges. ``interactions``: N of a Sobol design
    (second order) over the lever groups of the space's interactions problem, 0 for none.
    """
    specs = _policies(space, policies)
    check_exploration(space, specs, scenarios, interactions)
    evaluator = evaluator or SerialEvaluator()
    worlds = space.sample(scenarios, seed, posterior)
    X = coordinates(space, worlds)
    seeds = replicate_seeds(seed, space.seeds)
    payload = {
        "space": space.fingerprint_payload(),
        "policies": {s.name: s.params.to_dict() for s in specs},
        "scenarios": scenarios,
        "seed": seed,
        "posterior": _posterior_id(posterior),
    }
    with claimed(folder, overwrite) as out:
        store = ChunkStore(out.path, fingerprint(payload), payload, resume, overwrite)
        sweep = None
        raw = _evaluate(space, specs, worlds, X, seeds, store, evaluator, progress, on_total)
        if interactions:
            sweep = _interactions(
                space, interactions, out.path, seed, evaluator, resume, overwrite, progress,
                on_total, log,
            )  # fmt: skip
    ex = analyse(space, specs, worlds, raw, seed, posterior_path, sweep)
    if posterior is not None:
        ex.posterior_columns = tuple(c for c in posterior.columns if c != "weight")
    return ex


def _evaluate(space, specs, worlds, X, seeds, store, evaluator, progress, on_total):
    done = store.done_points(X)
    todo = [i for i in range(len(X)) if i not in done]
    runs_per_world = len(specs) * len(seeds)
    if on_total:
        on_total(len(todo) * runs_per_world)
    per_chunk = max(1, RUNS_PER_CHUNK // runs_per_world)
    values = worlds.to_dict(orient="records")
    tasks = [
        WorldsTask(
            space,
            tuple(specs),
            tuple(todo[a : a + per_chunk]),
            X[todo[a : a + per_chunk]],
            tuple(values[i] for i in todo[a : a + per_chunk]),
            tuple(seeds),
        )
        for a in range(0, len(todo), per_chunk)
    ]
    for _, frame in evaluator.imap_unordered(evaluate_worlds, tasks, chunksize=1):
        store.save(frame)
        if progress:
            progress(len(frame))
    raw = store.load()
    raw = raw[raw.point < len(X)].rename(columns={"point": "world"})
    order = {s.name: i for i, s in enumerate(specs)}
    raw = raw.assign(_order=raw.policy.map(order)).sort_values(["world", "_order", "seed_index"])
    return raw.drop(columns=["_order", *[c for c in raw.columns if c.startswith("x")]]).reset_index(
        drop=True
    )


def interactions_problem(space: Space):
    """The sensitivity problem of the lever groups' interactions, on the space's hierarchy."""
    from ..sensitivity import load_problem

    problem = load_problem(space.interactions)
    if space.preset:  # the interactions are those of the hierarchy the policies run on
        problem = replace(problem, preset=space.preset)
    return problem


def _interactions(
    space, n, folder: Path, seed, evaluator, resume, overwrite, progress, on_total, log
):
    """The second-order Sobol sweep of the lever groups, in ``folder/interactions``."""
    from ..sensitivity.analysis import _sweep, check_problem, sweep_identity
    from ..sensitivity.problem import fingerprint as problem_fingerprint

    problem = interactions_problem(space)
    check_problem(problem, "sobol", n, seed, second_order=True)
    identity = sweep_identity(problem, "sobol", n, seed, True)
    sub = folder / "interactions"
    resumable = resume and (sub / "state.json").exists()
    store = ChunkStore(sub, problem_fingerprint(identity), identity, resumable, overwrite)
    log(f"lever interactions: Sobol N={n} over {len(problem.factors)} lever groups")
    return _sweep(
        problem,
        "sobol",
        n,
        store,
        seed=seed,
        evaluator=evaluator,
        second_order=True,
        resamples=200,
        until_ci=None,
        max_samples=None,
        progress=progress,
        on_total=on_total,
        log=log,
    )


def analyse(
    space: Space,
    specs: Sequence[Scenario],
    worlds: pd.DataFrame,
    raw: pd.DataFrame,
    seed: int,
    posterior: str | None = None,
    interactions=None,
) -> Exploration:
    """Robustness and scenario discovery of the runs of an exploration."""
    names = list(space.outcomes)
    order = [s.name for s in specs]
    outcomes = seed_means(raw, names)
    reference = space.reference.name
    met = robustness.meets(outcomes, reference, space.criteria)
    x = worlds.reset_index(drop=True)
    prim, cart, notes = {}, [], []
    for policy in order:
        if policy == reference:
            continue
        failed = robustness.failures(met, policy).loc[worlds.index].to_numpy()
        share = failed.mean()
        if share in (0.0, 1.0):
            notes.append(f"{policy} fails in {share:.0%} of the worlds: no region to discover")
        prim[policy] = discovery.prim_boxes(x, failed)
        cart.append(discovery.cart_leaves(x, failed, seed=seed).assign(policy=policy))
    pooled = outcomes.merge(worlds.reset_index(), on="world")
    features = pooled[[*worlds.columns, "policy"]].astype({"policy": "category"})
    scores = discovery.feature_scores(features, {o: pooled[o] for o in names}, seed=seed)
    cart_table = pd.concat(cart, ignore_index=True) if cart else pd.DataFrame()
    if not cart_table.empty:
        cart_table = cart_table[["policy", *[c for c in cart_table.columns if c != "policy"]]]
    return Exploration(
        space=space,
        policies=list(specs),
        scenarios=len(worlds),
        seed=seed,
        worlds=worlds,
        raw=raw,
        outcomes=outcomes,
        met=met,
        robustness=robustness.robustness_table(outcomes, reference, space.goals),
        satisficing=robustness.satisficing(met[met.policy != reference]),
        prim=prim,
        cart=cart_table,
        scores=scores,
        posterior=posterior,
        interactions=interactions,
        notes=notes,
    )
