"""ABC-SMC with pyabc: priors from a problem's bounds, distance scaled by the targets'
uncertainty, a history database that makes a calibration resumable."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..outputs import GENERATOR, SWEEP_STATE
from ..provenance import write_json_atomic
from ..sensitivity.problem import Problem, fingerprint
from .statistics import Statistic, model_statistics, particle_seed

__all__ = ["DATABASE", "Calibration", "CalibrationError", "calibrate", "prior_moments"]

DATABASE = "abc.db"  # pyabc's history, in the output folder


class CalibrationError(InputError):
    """A calibration that cannot run as asked (names the problem and what to change)."""


class _Model:
    """pyabc's model: a parameter dict in, the statistics out (a class, so worker processes
    can receive it)."""

    def __init__(self, problem: Problem, statistics: Sequence[Statistic], seed: int):
        self.problem, self.statistics, self.seed = problem, tuple(statistics), seed

    def __call__(self, pars) -> dict[str, float]:
        overrides = {name: float(pars[name]) for name in self.problem.names}
        seed = particle_seed(self.seed, overrides)
        return model_statistics(self.problem, self.statistics, overrides, seed)


def _check(problem: Problem) -> None:
    if problem.model != "oasim" or problem.treatment is not None:
        raise CalibrationError(
            f"{problem.path}: a calibration needs the oasim model and no [policy_effect]"
        )
    for d in problem.dimensions:
        if d.kind != "continuous":
            raise CalibrationError(
                f"{problem.path}: parameters.{d.name} is {d.kind}; calibration priors must be "
                "continuous bounds = [low, high]"
            )


def prior_moments(problem: Problem) -> pd.DataFrame:
    """Mean and standard deviation of each uniform prior."""
    rows = [
        {"parameter": d.name, "low": d.low, "high": d.high, "prior_mean": (d.low + d.high) / 2,
         "prior_sd": (d.high - d.low) / np.sqrt(12.0)}
        for d in problem.dimensions
    ]  # fmt: skip
    return pd.DataFrame(rows).set_index("parameter")


@contextlib.contextmanager
def _sampler(workers: int, scheduler: str | None) -> Iterator[Any]:
    """pyabc's sampler: one process, local processes, or a Dask cluster (``tcp://HOST:PORT``,
    or ``local:N`` for a local cluster of N worker processes, closed afterwards)."""
    import pyabc

    if scheduler is None:
        if workers > 1:
            yield pyabc.sampler.MulticoreEvalParallelSampler(n_procs=workers)
        else:
            yield pyabc.sampler.SingleCoreSampler()
        return
    from ..experiments.dask_evaluator import connect, local_workers

    cluster = None
    if scheduler.startswith("local:"):
        from dask.distributed import Client, LocalCluster

        n = local_workers(scheduler)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True)
        client = Client(cluster)
    else:
        client = connect(scheduler)
    try:
        yield pyabc.sampler.DaskDistributedSampler(dask_client=client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _abcsmc(problem, statistics, seed, population, sampler):
    import pyabc

    prior = pyabc.Distribution(
        **{d.name: pyabc.RV("uniform", d.low, d.high - d.low) for d in problem.dimensions}
    )
    distance = pyabc.PNormDistance(p=2, fixed_weights={s.name: 1.0 / s.scale for s in statistics})
    return pyabc.ABCSMC(
        _Model(problem, statistics, seed), prior, distance, population_size=population,
        sampler=sampler,
    )  # fmt: skip


def _show_progress(enabled: bool) -> None:
    """pyabc reports each generation (epsilon, acceptance) on its logger: shown on stderr as
    the calibration's progress, or silenced."""
    log = logging.getLogger("ABC")
    log.handlers.clear()
    log.propagate = False
    if enabled:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("calibrate: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO if enabled else logging.WARNING)


def identity(problem: Problem, statistics, seed: int, population: int) -> dict[str, Any]:
    """What a history was started for: a resumed calibration must be the same one."""
    payload = {
        "problem": problem.fingerprint_payload(),
        "statistics": [s.__dict__ for s in statistics],
        "seed": seed,
        "population": population,
    }
    return {
        "generator": GENERATOR,
        "command": "calibrate",
        "fingerprint": fingerprint(payload),
        "seed": seed,
        "population": population,
        "files": [DATABASE],
    }


def calibrate(
    problem: Problem,
    statistics: Sequence[Statistic],
    folder: str | Path,
    *,
    population: int = 100,
    generations: int = 6,
    seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = True,
) -> Calibration:
    """Run (or continue) ABC-SMC until ``generations`` populations are complete; the history
    lives in ``folder/abc.db`` (``overwrite`` starts it afresh). With one worker the whole
    calibration is reproducible from the seed; with several (``workers`` local processes, or a
    Dask ``scheduler``), particles are accepted in the order workers finish them."""

    _check(problem)
    if population < 2 or generations < 1:
        raise CalibrationError("population must be >= 2 and generations >= 1")
    folder = Path(folder)
    db, marker = folder / DATABASE, folder / SWEEP_STATE
    wanted = identity(problem, statistics, seed, population)
    # pyabc samples priors and kernels from numpy's global stream: the one way to seed it.
    np.random.seed(seed % 2**32)  # noqa: NPY002
    _show_progress(progress)
    observed = {s.name: s.observed for s in statistics}
    if db.exists() and overwrite and not resume:
        db.unlink()
    resuming = db.exists()
    if resuming:
        if not resume:
            raise CalibrationError(
                f"{folder} already holds a calibration ({DATABASE}); add --resume to continue "
                "it, --overwrite to start afresh, or choose a new folder"
            )
        held = json.loads(marker.read_text()) if marker.exists() else {}
        if held.get("fingerprint") != wanted["fingerprint"]:
            raise CalibrationError(
                f"{folder} holds a calibration of another problem, targets, seed or population; "
                "choose a new folder"
            )
    else:
        folder.mkdir(parents=True, exist_ok=True)
        write_json_atomic(marker, wanted)
    with _sampler(workers, scheduler) as sampler:
        abc = _abcsmc(problem, statistics, seed, population, sampler)
        if resuming:
            history = abc.load(f"sqlite:///{db}", 1, observed)
        else:
            history = abc.new(f"sqlite:///{db}", observed)
        done = history.max_t + 1
        if done < generations:
            history = abc.run(max_nr_populations=generations - done)
    return Calibration(problem, tuple(statistics), history, seed, population)


@dataclass
class Calibration:
    """A calibration's history and what is read from it."""

    problem: Problem
    statistics: tuple[Statistic, ...]
    history: Any  # pyabc.History
    seed: int
    population: int

    @property
    def generations(self) -> int:
        return int(self.history.max_t) + 1

    def posterior(self, t: int | None = None) -> pd.DataFrame:
        """The particles of generation ``t`` (the last by default) with their weights."""
        df, w = self.history.get_distribution(m=0, t=t)
        out = df[list(self.problem.names)].copy()
        out["weight"] = np.asarray(w) / np.sum(w)
        return out.reset_index(drop=True)

    def diagnostics(self) -> pd.DataFrame:
        """Per generation: epsilon, simulations, acceptance rate and effective sample size."""
        from pyabc.weighted_statistics import effective_sample_size

        pops = self.history.get_all_populations()
        pops = pops[pops.t >= 0]
        ess = [effective_sample_size(self.posterior(int(t))["weight"].to_numpy()) for t in pops.t]
        return pd.DataFrame(
            {
                "generation": pops.t.astype(int).to_numpy(),
                "epsilon": pops.epsilon.to_numpy(),
                "simulations": pops.samples.astype(int).to_numpy(),
                "accepted": pops.particles.astype(int).to_numpy(),
                "acceptance_rate": (pops.particles / pops.samples).to_numpy(),
                "effective_sample_size": ess,
                "wall_time_s": pops.wall_time.to_numpy(),
            }
        )

    def contraction(self) -> pd.DataFrame:
        """Per parameter, prior against posterior: how far the data inform it. Contraction
        ``1 - var_post / var_prior`` is near 0 for a parameter the targets do not inform and
        near 1 for one they pin down (Schälte & Hasenauer 2020)."""
        post = self.posterior()
        w = post["weight"].to_numpy()
        table = prior_moments(self.problem)
        rows = []
        for name in self.problem.names:
            x = post[name].to_numpy()
            mean = float(np.sum(w * x))
            sd = float(np.sqrt(np.sum(w * (x - mean) ** 2)))
            order = np.argsort(x)
            cum = np.cumsum(w[order])
            q05, q50, q95 = (float(x[order][np.searchsorted(cum, q)]) for q in (0.05, 0.5, 0.95))
            rows.append(
                {"parameter": name, "posterior_mean": mean, "posterior_sd": sd,
                 "posterior_median": q50, "q05": q05, "q95": q95}
            )  # fmt: skip
        table = table.join(pd.DataFrame(rows).set_index("parameter"))
        table["contraction"] = 1.0 - (table.posterior_sd / table.prior_sd) ** 2
        return table.reset_index()

    def point(self) -> dict[str, float]:
        """The posterior point proposed as defaults: each parameter's weighted median."""
        table = self.contraction().set_index("parameter")
        return {name: float(table.loc[name, "posterior_median"]) for name in self.problem.names}

    def predictive(self, draws: int = 40, checks: Sequence[Statistic] = ()) -> pd.DataFrame:
        """Posterior predictive check: the statistics of ``draws`` parameter sets drawn from the
        posterior by weight, each run with a new seed, against every calibration target and
        the held-out ``checks`` (validation targets)."""
        post = self.posterior()
        rng = np.random.default_rng(self.seed)
        picks = rng.choice(len(post), size=draws, p=post["weight"].to_numpy())
        every = {"calibration": self.statistics, "validation": tuple(checks)}
        wanted = [s for group in every.values() for s in group]
        sims = []
        for k, i in enumerate(picks):
            overrides = {n: float(post.loc[i, n]) for n in self.problem.names}
            sims.append(model_statistics(self.problem, wanted, overrides, self.seed + k))
        sims = pd.DataFrame(sims)
        rows = []
        for use, group in every.items():
            for s in group:
                lo, mid, hi = np.quantile(sims[s.name].to_numpy(), [0.05, 0.5, 0.95])
                inside = s.observed - s.scale <= mid <= s.observed + s.scale
                rows.append(
                    {"target": s.name, "use": use, "quantity": s.quantity,
                     "observed": s.observed, "low": s.observed - s.scale,
                     "high": s.observed + s.scale, "model_median": mid, "model_q05": lo,
                     "model_q95": hi, "median_inside": bool(inside)}
                )  # fmt: skip
        return pd.DataFrame(rows)
