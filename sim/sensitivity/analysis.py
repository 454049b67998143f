"""Global sensitivity analysis with SALib: sample, evaluate (resumably), analyse.

SALib does the sampling and the estimators (Sobol, Morris, eFAST); this module only organises
the runs, averages seeds, and tidies the indices. Stochasticity is explicit: every sample point
averages ``problem.seeds`` runs with common seeds (seed k is the same at every point), and the
report says what share of the output variance across points is seed noise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from SALib import ProblemSpec
from scipy import stats

from ..errors import UsageError
from ..experiments.evaluators import Evaluator, SerialEvaluator
from ..experiments.seeds import replicate_seeds
from ..limits import MAX_SAMPLES
from ..params import CATALOGUE
from ..results import claimed
from ..run import levers_differ, policy_window_problem, weeks_for_levers
from ..scenario import Scenario
from .models import PointsTask, evaluate_points
from .problem import Problem, ProblemError, fingerprint
from .store import ChunkStore

__all__ = ["METHODS", "Sweep", "run_sensitivity"]

METHODS = ("sobol", "morris", "fast")
DEFAULT_SAMPLES = {"sobol": 64, "morris": 10, "fast": 128}
MORRIS_LEVELS = 4
FAST_M = 4
RUNS_PER_CHUNK = 24
# The indices each method reports (with "<kind>_conf" intervals where SALib gives them).
INDEX_KINDS = {"sobol": ("S1", "ST"), "fast": ("S1", "ST"), "morris": ("mu", "mu_star", "sigma")}


@dataclass
class Sweep:
    """Everything a sweep produced."""

    problem: Problem
    method: str
    samples: int  # N for Sobol and eFAST, trajectories for Morris
    seed: int
    X: np.ndarray  # design on SALib's scale
    Y: np.ndarray  # (points, outcomes) seed-averaged outcomes
    raw: pd.DataFrame  # every (point, seed, arm) run
    indices: pd.DataFrame  # tidy: outcome, parameter, index, value, confidence
    noise: pd.DataFrame  # per outcome: variance across points and the seed-noise share
    convergence: pd.DataFrame  # indices at N/4, N/2, N (Sobol, Morris)
    history: list[dict] = field(default_factory=list)  # --until-ci rounds
    second_order: bool = False

    def save(self, folder, **provenance) -> Path:
        """Write the sweep's indices, tables and figure beside its chunks, with provenance
        (see :func:`sim.results.save_sweep`)."""
        from ..results import save_sweep

        return save_sweep(self, folder, **provenance)

    @property
    def table(self) -> pd.DataFrame:
        """Sample points with decoded parameter values and seed-averaged outcomes."""
        values = pd.DataFrame(self.problem.decode(self.X))
        values.insert(0, "point", np.arange(len(self.X)))
        return pd.concat(
            [values, pd.DataFrame(self.Y, columns=list(self.problem.outcomes))], axis=1
        )


def salib_seed(seed: int) -> int:
    """A non-zero 32-bit seed for SALib derived from ``seed``: SALib treats 0 as 'unseeded'."""
    return int(np.random.SeedSequence([seed, 1]).generate_state(1)[0]) | 1


def _spec(problem: Problem) -> ProblemSpec:
    return ProblemSpec({**problem.salib_problem(), "outputs": ["y"]})


def design(
    problem: Problem, method: str, samples: int, seed: int, second_order: bool = False
) -> np.ndarray:
    """SALib's sample matrix. A Sobol design of N points is a prefix of the one of 2N."""
    sp = _spec(problem)
    if method == "sobol":
        sp.sample_sobol(samples, calc_second_order=second_order, seed=salib_seed(seed))
    elif method == "morris":
        sp.sample_morris(samples, num_levels=MORRIS_LEVELS, seed=salib_seed(seed))
    elif method == "fast":
        sp.sample_fast(samples, M=FAST_M, seed=salib_seed(seed))
    else:
        raise UsageError(f"unknown method {method!r}; allowed: {', '.join(METHODS)}")
    return np.asarray(sp.samples)


def check_samples(method: str, samples: int) -> None:
    """Refuse sizes SALib would reject or warn about."""
    if method == "sobol" and (samples < 2 or samples & (samples - 1)):
        raise UsageError(f"--samples {samples}: Sobol needs a power of 2 (e.g. 64, 256)")
    if method == "fast" and samples <= 4 * FAST_M**2:
        raise UsageError(f"--samples {samples}: eFAST needs more than {4 * FAST_M**2}")
    if method == "morris" and samples < 2:
        raise UsageError(f"--samples {samples}: Morris needs at least 2 trajectories")
    if samples > MAX_SAMPLES:
        raise UsageError(f"--samples {samples}: at most {MAX_SAMPLES} (2^20)")


def sweep_identity(
    problem: Problem, method: str, samples: int, seed: int, second_order: bool
) -> dict:
    """What makes two sweeps the same sweep (their chunks may be mixed, a resume may continue):
    the problem, method, seed and design; N only where designs of different N are not nested."""
    identity = {
        "problem": problem.fingerprint_payload(),
        "method": method,
        "seed": seed,
        "second_order": second_order,
    }
    if method != "sobol":
        identity["samples"] = samples  # only Sobol designs are nested prefixes of each other
    return identity


def check_problem(
    problem: Problem,
    method: str,
    samples: int,
    seed: int,
    second_order: bool = False,
    until_ci: float | None = None,
    max_samples: int | None = None,
) -> np.ndarray:
    """Everything that can be known wrong before a sweep writes anything; returns the design.

    SALib's own complaints about a design (one parameter for Sobol, too few for eFAST) become
    a ProblemError naming the file; levers varied over runs that end before they switch on
    are refused.
    """
    if method not in METHODS:
        raise UsageError(f"unknown method {method!r}; allowed: {', '.join(METHODS)}")
    if until_ci is not None and method != "sobol":
        raise UsageError("--until-ci works with --method sobol only")
    if until_ci is not None and not until_ci > 0:
        raise UsageError(f"--until-ci {until_ci}: an interval width must be positive")
    if max_samples is not None:
        check_samples(method, max_samples)
    check_samples(method, samples)
    if len(problem.dimensions) < 2:
        raise ProblemError(
            problem.path,
            "parameters",
            f"varies {len(problem.dimensions)} parameter; a global sensitivity analysis "
            "apportions variance among several",
            "at least 2 parameters (for one, use oasim compare or a dose-response sweep)",
        )
    try:
        X = design(problem, method, samples, seed, second_order)
    except (ValueError, ZeroDivisionError) as err:
        if isinstance(err, UsageError):
            raise
        raise ProblemError(problem.path, "parameters", f"SALib cannot sample it: {err}") from None
    if problem.model == "oasim":
        params = problem.params
        varied = [d.name for d in problem.dimensions if CATALOGUE[d.name].is_lever]
        if problem.treatment is not None:
            varied += levers_differ([problem.base or Scenario("defaults"), problem.treatment])
        why = policy_window_problem(params, problem.weeks) if varied else None
        if why:
            raise ProblemError(
                problem.path,
                "steps",
                f"varies levers ({', '.join(varied[:4])}) but {why}",
                f"steps of at least {weeks_for_levers(params)} in the problem file, or a smaller "
                "run.policy_start under [fixed]",
            )
    return X


def point_outcomes(
    problem: Problem, raw: pd.DataFrame, n_points: int
) -> tuple[np.ndarray, np.ndarray]:
    """Seed means (points, outcomes) and every seed's value (points, seeds, outcomes).

    For a policy effect, each seed's value is treatment minus reference (paired by seed)."""
    outcomes = list(problem.outcomes)
    if problem.treatment is not None:
        idx = ["point", "seed_index"]
        t = raw[raw.arm == "treatment"].set_index(idx)[outcomes]
        r = raw[raw.arm == "reference"].set_index(idx)[outcomes]
        per_seed = t - r.loc[t.index]
    else:
        per_seed = raw.set_index(["point", "seed_index"])[outcomes]
    full = pd.MultiIndex.from_product([range(n_points), range(problem.seeds)])
    values = per_seed.reindex(full).to_numpy().reshape(n_points, problem.seeds, len(outcomes))
    return values.mean(axis=1), values


def analyze(
    problem: Problem,
    method: str,
    X: np.ndarray,
    Y: np.ndarray,
    seed: int,
    second_order: bool = False,
    resamples: int = 200,
    level: float = 0.95,
) -> pd.DataFrame:
    """Tidy indices for every outcome: outcome, parameter, index, value, confidence."""
    rows = []
    factors = problem.factors
    common = {"num_resamples": resamples, "conf_level": level, "seed": salib_seed(seed)}
    for j, outcome in enumerate(problem.outcomes):
        sp = _spec(problem)
        sp.set_samples(X)
        sp.set_results(Y[:, j])
        if method == "sobol":
            res = sp.analyze_sobol(calc_second_order=second_order, **common).analysis
        elif method == "morris":
            res = sp.analyze_morris(num_levels=MORRIS_LEVELS, **common).analysis
        else:
            res = sp.analyze_fast(M=FAST_M, **common).analysis
        for kind in INDEX_KINDS[method]:
            conf = res.get(f"{kind}_conf", [math.nan] * len(factors))
            rows += [
                (outcome, f, kind, v, c) for f, v, c in zip(factors, res[kind], conf, strict=True)
            ]
        if method == "sobol" and second_order:
            for a in range(len(factors)):
                for b in range(a + 1, len(factors)):
                    pair = f"{factors[a]} x {factors[b]}"
                    rows.append((outcome, pair, "S2", res["S2"][a, b], res["S2_conf"][a, b]))
    return pd.DataFrame(rows, columns=["outcome", "parameter", "index", "value", "confidence"])


def _prefix_rows(problem: Problem, method: str, n: int, second_order: bool) -> int:
    """Rows of the design that form a complete design of size n (Sobol N, Morris trajectories)."""
    k = len(problem.factors)
    if method == "sobol":
        return n * (2 * k + 2 if second_order else k + 2)
    return n * (k + 1)


def convergence(
    problem: Problem,
    method: str,
    samples: int,
    X: np.ndarray,
    Y: np.ndarray,
    seed: int,
    second_order: bool,
    resamples: int,
) -> pd.DataFrame:
    """Indices at N/4, N/2 and N, and whether the ranking of factors is stable.

    Sobol ranks by ST, Morris by mu*. eFAST designs are not nested, so they are not checked.
    """
    if method == "fast":
        return pd.DataFrame()
    kind = "ST" if method == "sobol" else "mu_star"
    sizes = [
        s
        for s in (samples // 4, samples // 2, samples)
        if s >= (2 if method == "morris" else 4) and (method == "morris" or s & (s - 1) == 0)
    ]
    frames = []
    for s in dict.fromkeys(sizes):
        rows = _prefix_rows(problem, method, s, second_order)
        idx = analyze(problem, method, X[:rows], Y[:rows], seed, second_order, resamples)
        idx = idx[idx["index"] == kind].assign(samples=s)
        frames.append(idx)
    if not frames:  # a design too small to halve (Sobol N = 2)
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    out["rank"] = out.groupby(["outcome", "samples"])["value"].rank(ascending=False, method="first")
    return out


def ranking_stability(conv: pd.DataFrame) -> pd.DataFrame:
    """Per outcome: Spearman correlation of the ranking at N/2 and N, and whether the top
    factor and the full order are unchanged."""
    rows = []
    if conv.empty:
        return pd.DataFrame(columns=["outcome", "spearman", "same_top", "same_order"])
    sizes = sorted(conv.samples.unique())
    if len(sizes) < 2:
        return pd.DataFrame(columns=["outcome", "spearman", "same_top", "same_order"])
    half, full = sizes[-2], sizes[-1]
    for outcome, sub in conv.groupby("outcome", sort=False):
        a = sub[sub.samples == half].set_index("parameter")["value"]
        b = sub[sub.samples == full].set_index("parameter")["value"].loc[a.index]
        rho = stats.spearmanr(a, b).statistic if a.nunique() > 1 and b.nunique() > 1 else 1.0
        rows.append(
            {
                "outcome": outcome,
                "spearman": float(rho),
                "same_top": a.idxmax() == b.idxmax(),
                "same_order": list(a.sort_values(ascending=False).index)
                == list(b.sort_values(ascending=False).index),
            }
        )
    return pd.DataFrame(rows)


def noise_table(problem: Problem, Y: np.ndarray, per_seed: np.ndarray) -> pd.DataFrame:
    """How much of the variance of the seed-averaged outcome across points is seed noise.

    Seeds are common to all points, so a seed's main effect shifts every point alike and
    cancels in the indices; what blurs them is the seed-by-point interaction. Its variance is
    the two-way residual ``y[p,s] - mean_p - mean_s + grand mean`` over (P-1)(S-1) degrees of
    freedom, and averaging S seeds divides it by S."""
    rows = []
    n_points, n_seeds = per_seed.shape[:2]
    for j, outcome in enumerate(problem.outcomes):
        y = per_seed[:, :, j]
        total = float(np.var(Y[:, j], ddof=1)) if n_points > 1 else 0.0
        noise = math.nan
        if n_seeds > 1 and n_points > 1:
            resid = y - y.mean(axis=1, keepdims=True) - y.mean(axis=0, keepdims=True) + y.mean()
            noise = float((resid**2).sum() / ((n_points - 1) * (n_seeds - 1)) / n_seeds)
        share = noise / total if total > 0 and not math.isnan(noise) else math.nan
        rows.append(
            {
                "outcome": outcome,
                "seeds": n_seeds,
                "variance_across_points": total,
                "seed_noise_variance": noise,
                "seed_noise_share": share,
            }
        )
    return pd.DataFrame(rows)


def evaluate_design(
    problem: Problem,
    X: np.ndarray,
    store: ChunkStore,
    evaluator: Evaluator,
    seeds: list[int],
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Evaluate every point of X not already in the store, saving chunks as they finish."""
    done = store.done_points(X)
    todo = [i for i in range(len(X)) if i not in done]
    runs_per_point = len(seeds) * len(problem.arms)
    if on_total:
        on_total(len(todo) * runs_per_point)
    per_chunk = max(1, RUNS_PER_CHUNK // runs_per_point)
    overrides = problem.decode(X[todo]) if todo else []
    tasks = []
    for a in range(0, len(todo), per_chunk):
        pts = todo[a : a + per_chunk]
        tasks.append(
            PointsTask(
                problem, tuple(pts), X[pts], tuple(overrides[a : a + per_chunk]), tuple(seeds)
            )
        )
    # A task is already a chunk of points: send them one by one, save each as it finishes.
    for _, frame in evaluator.imap_unordered(evaluate_points, tasks, chunksize=1):
        store.save(frame)
        if progress:
            progress(len(frame))
    raw = store.load()
    return raw[raw.point < len(X)].sort_values(["point", "seed_index", "arm"], ignore_index=True)


def run_sensitivity(
    problem: Problem,
    method: str = "sobol",
    samples: int | None = None,
    *,
    folder,
    seed: int = 0,
    evaluator: Evaluator | None = None,
    resume: bool = False,
    second_order: bool = False,
    resamples: int = 200,
    until_ci: float | None = None,
    max_samples: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    log: Callable[[str], None] = lambda s: None,
    overwrite: bool = False,
) -> Sweep:
    """Run a sweep into ``folder`` (resumable) and analyse it.

    ``folder`` is a path (claimed here: see :class:`sim.outputs.OutputFolder`) or an output
    folder the caller claimed before. The problem and sizes are checked before anything is
    written.

    With ``until_ci`` (Sobol only), N doubles until every total-order interval is narrower
    than ``until_ci`` (full width) or ``max_samples`` is reached; the design of N is a prefix of
    the design of 2N, so nothing is recomputed.
    """
    samples = samples or DEFAULT_SAMPLES.get(method, 0)
    check_problem(problem, method, samples, seed, second_order, until_ci, max_samples)
    evaluator = evaluator or SerialEvaluator()
    payload = sweep_identity(problem, method, samples, seed, second_order)
    with claimed(folder, overwrite) as out:
        store = ChunkStore(out.path, fingerprint(payload), payload, resume, overwrite)
        return _sweep(
            problem,
            method,
            samples,
            store,
            seed=seed,
            evaluator=evaluator,
            second_order=second_order,
            resamples=resamples,
            until_ci=until_ci,
            max_samples=max_samples,
            progress=progress,
            on_total=on_total,
            log=log,
        )


def _sweep(
    problem: Problem,
    method: str,
    samples: int,
    store: ChunkStore,
    *,
    seed: int,
    evaluator: Evaluator,
    second_order: bool,
    resamples: int,
    until_ci: float | None,
    max_samples: int | None,
    progress: Callable[[int], None] | None,
    on_total: Callable[[int], None] | None,
    log: Callable[[str], None],
) -> Sweep:
    seeds = replicate_seeds(seed, problem.seeds)
    limit = max_samples or samples
    history: list[dict] = []
    while True:
        X = design(problem, method, samples, seed, second_order)
        raw = evaluate_design(problem, X, store, evaluator, seeds, progress, on_total)
        Y, per_seed = point_outcomes(problem, raw, len(X))
        indices = analyze(problem, method, X, Y, seed, second_order, resamples)
        if until_ci is None:
            break
        st = indices[indices["index"] == "ST"]
        widest = float((2 * st.confidence).max())
        history.append({"samples": samples, "runs": len(raw), "widest_ST_interval": widest})
        log(f"N={samples}: widest total-order interval {widest:.4f} (target < {until_ci})")
        if widest < until_ci or samples * 2 > limit:
            if widest >= until_ci:
                log(f"stopped at --max-samples {limit} before reaching the target")
            break
        samples *= 2
    conv = convergence(problem, method, samples, X, Y, seed, second_order, resamples)
    return Sweep(
        problem,
        method,
        samples,
        seed,
        X,
        Y,
        raw,
        indices,
        noise_table(problem, Y, per_seed),
        conv,
        history,
        second_order,
    )
