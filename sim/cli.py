"""The ``oasim`` command line: parse, call the library, print. No model logic lives here.

Exit status: 0 success, 2 bad input (scenario, parameter, option), 1 unexpected failure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import sys
import tomllib
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import InputError, UsageError
from .i18n import LANGUAGES, resolve_language
from .limits import MAX_REPLICATES, MAX_SAMPLES, MAX_STEPS, max_workers
from .params import CATALOGUE
from .scenario import SCENARIO_DIR, ScenarioWarning, load_scenario

__all__ = ["main"]

RESULTS_DIR = Path("results")
HEADLINE = (
    "township_hours",
    "overtime_hours",
    "hours_pure_formalism",
    "formalism_share",
    "anxiety_township",
    "service_quality",
    "burnout",
    "inspections_per_township",
)


def _parse_set(items: Sequence[str] | None) -> dict:
    """``--set key=value`` pairs; values are read as TOML (numbers, true/false, "text")."""
    out = {}
    for item in items or ():
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {item!r}: expected KEY=VALUE, e.g. quota.meetings_cut=0.5")
        try:
            value = tomllib.loads(f"v = {raw.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw.strip()
        out[key.strip()] = value
    return out


def _whole(low: int, high: int | None = None, why: str = ""):
    """An argparse type: a whole number in [low, high]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            bounds = f"at least {low}" if high is None else f"in [{low}, {high}]"
            raise argparse.ArgumentTypeError(f"{why or f'must be {bounds}'}, got {value}")
        return value

    return parse


def _width(text: str) -> float:
    """--until-ci: the full width of a confidence interval, a positive number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (0 < value < math.inf):
        raise argparse.ArgumentTypeError(f"must be a positive interval width, got {value}")
    return value


_positive = _whole(1)
_seed = _whole(0, 2**63 - 1)
_port = _whole(1, 65535)
_steps = _whole(1, MAX_STEPS, why=f"must be in [1, {MAX_STEPS}] weeks (run.steps' limit)")
_replicates = _whole(2, MAX_REPLICATES)
_workers = _whole(1, max_workers())
_samples = _whole(1, MAX_SAMPLES)


def _lang_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="language of the figures (zh needs a CJK font; default: en)",
    )


def _overwrite_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="write into an existing folder that holds other files (oasim replaces only its own "
        "files there, never one it did not write)",
    )


def _workers_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=_workers,
        help="worker processes (default: all cores; results do not depend on it)",
    )


def _preset_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--preset",
        choices=CATALOGUE["hierarchy.preset"].choices,
        help="hierarchy size (default: the scenario's, normally 'region')",
    )


# ---- output folders ----------------------------------------------------------------------------
def short_hash(payload) -> str:
    """Eight hex digits that differ whenever the resolved job differs."""
    from .provenance import to_jsonable

    text = json.dumps(to_jsonable(payload), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def default_out(stem: str, payload) -> Path:
    """``results/<stem>-<hash>``: readable, and distinct for every distinct resolved job."""
    return RESULTS_DIR / f"{stem}-{short_hash(payload)}"


def _growing_bar(quiet: bool):
    """A progress bar of runs and the function that adds to its total: a job learns how many
    runs remain as it goes (a resume skips finished ones, a sweep may grow)."""
    from .experiments.evaluators import progress_bar

    bar = progress_bar(0, "runs", enabled=not quiet)

    def add(n: int) -> None:
        bar.total = (bar.total or 0) + n
        bar.refresh()

    return bar, add


def _one_executor(args: argparse.Namespace) -> None:
    if args.workers and args.scheduler:
        raise UsageError("give --workers (local processes) or --scheduler (Dask), not both")


@contextlib.contextmanager
def _running(args: argparse.Namespace):
    """A long job's evaluator (local processes, or Dask with ``--scheduler``) and progress bar
    (:func:`_growing_bar`): yields ``(evaluator, bar, add_to_total)``; the bar is closed and
    the evaluator shut down (aborted on an exception) however the job ends."""
    from .experiments import make_evaluator

    bar, add_to_total = _growing_bar(args.quiet)
    try:
        with make_evaluator(args.workers, getattr(args, "scheduler", None)) as evaluator:
            yield evaluator, bar, add_to_total
    finally:
        bar.close()


def _announce(estimate, quiet: bool) -> None:
    if estimate.seconds > 30 and not quiet:
        print(f"oasim: {estimate.describe()}", file=sys.stderr, flush=True)


# ---- commands ----------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    from .limits import check_job, estimate_job
    from .outcomes import BY_NAME
    from .outputs import OutputFolder
    from .run import (
        levers_differ,
        policy_window_problem,
        simulate,
        steps_advice,
        summary_window_text,
    )

    started = dt.datetime.now(dt.UTC)
    lang = resolve_language(args.lang)
    spec = load_scenario(args.scenario, overrides=_parse_set(args.set), source="--set")
    if args.preset:
        spec = spec.with_overrides({"hierarchy.preset": args.preset})
    preset = spec.params.hierarchy.preset
    steps = args.steps or spec.params.run.steps
    estimate = estimate_job(spec.params, steps, runs=1, stored_series=1)
    check_job(estimate, "oasim run")
    levers = levers_differ([spec])
    why = policy_window_problem(spec.params, steps) if levers else None
    if why:
        print(
            f"oasim: warning: the scenario sets levers, but {why}; {steps_advice(spec.params)}",
            file=sys.stderr,
        )
    params = spec.params.to_dict()
    out = args.out or default_out(
        f"{spec.name}-{preset}-seed{args.seed}", {"p": params, "steps": steps, "seed": args.seed}
    )
    _announce(estimate, args.quiet)
    with OutputFolder(out, overwrite=args.overwrite) as claim:
        result = simulate(spec, seed=args.seed, steps=steps, progress=not args.quiet)
        result.save(claim, lang=lang, started=started)

    print(f"wrote {out}/ (timeseries.csv, summary.json, overview.png, manifest.json)")
    width = max(len(k) for k in HEADLINE)
    window = min(spec.params.run.summary_weeks, result.steps)
    print(f"{summary_window_text(result.steps, window)}:")
    for key in HEADLINE:
        print(f"  {key:<{width}}  {result.summary[key]:8.3f}  {BY_NAME[key].unit}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .experiments import make_evaluator
    from .experiments.compare import check_comparison, compare_scenarios
    from .experiments.evaluators import progress_bar
    from .limits import check_job, estimate_job
    from .outputs import OutputFolder
    from .provenance import relative_path

    started = dt.datetime.now(dt.UTC)
    overrides = _parse_set(args.set)
    specs = [load_scenario(path, overrides=overrides, source="--set") for path in args.scenarios]
    if args.preset:
        specs = [s.with_overrides({"hierarchy.preset": args.preset}) for s in specs]
    steps = check_comparison(specs, args.replicates, args.steps)
    names = [s.name for s in specs]
    preset = specs[0].params.hierarchy.preset
    posterior = _read_posterior(args.posterior) if args.posterior else None
    workers = args.workers or os.cpu_count() or 1
    runs = len(specs) * args.replicates
    estimate = estimate_job(specs[0].params, steps, runs, workers, stored_series=runs)
    check_job(estimate, "oasim compare")
    out = args.out or default_out(
        f"compare-{'-vs-'.join(names)}-{preset}",
        {
            "p": [s.params.to_dict() for s in specs],
            "names": names,
            "replicates": args.replicates,
            "seed": args.seed,
            "steps": steps,
            "posterior": None if posterior is None else [str(args.posterior), args.seeds_per_draw],
        },
    )
    _announce(estimate, args.quiet)
    with OutputFolder(out, overwrite=args.overwrite) as claim:
        with (
            make_evaluator(args.workers) as evaluator,
            progress_bar(runs, "runs", enabled=not args.quiet) as bar,
        ):
            result = compare_scenarios(
                specs,
                replicates=args.replicates,
                master_seed=args.seed,
                steps=steps,
                evaluator=evaluator,
                progress=bar.update,
                posterior=posterior,
                seeds_per_draw=args.seeds_per_draw,
            )
        result.save(
            claim,
            lang=args.lang,
            started=started,
            workers=evaluator.workers,
            posterior=None if posterior is None else relative_path(args.posterior),
        )
    files = ["runs.csv", "comparison.csv", "timeseries_bands.csv", "timeseries.png"]
    files += ["forest.png"] if len(specs) > 1 else []
    files += ["draws.csv", "uncertainty.csv"] if posterior is not None else []
    print(f"wrote {out}/ ({', '.join(files)}, manifest.json)")
    _print_comparison(result, names)
    return 0


def _read_posterior(folder: Path):
    """The particles and weights of a calibration folder (``oasim calibrate``)."""
    import pandas as pd

    path = Path(folder) / "posterior.parquet"
    if not path.is_file():
        raise UsageError(
            f"--posterior {folder}: no posterior.parquet there; give a folder written by "
            "oasim calibrate"
        )
    table = pd.read_parquet(path)
    unknown = sorted(c for c in table.columns if c != "weight" and c not in CATALOGUE)
    if unknown or "weight" not in table:
        raise UsageError(
            f"--posterior {path}: expected parameter columns and a weight column, "
            f"got unknown columns {unknown}"
        )
    return table


def _print_comparison(result, names: list[str]) -> None:
    from .run import summary_window_text

    table = result.table
    n = int(table.n.iloc[0])
    half = int(table.replicates_for_half_width.iloc[0])
    window = min(result.scenarios[0].params.run.summary_weeks, result.steps)
    print(
        f"{summary_window_text(result.steps, window)}, {n} replicates per scenario "
        f"({result.level:.0%} CI); differences are paired against {names[0]}:"
    )
    width = max(len(k) for k in HEADLINE)
    for name in names[1:]:
        print(f"\n{name} - {names[0]}:")
        sub = table[table.scenario == name].set_index("outcome")
        for key in HEADLINE:
            r = sub.loc[key]
            verdict = (
                "excludes 0"
                if r.excludes_zero
                else (
                    f"includes 0: ~{int(r.replicates_to_exclude_zero)} replicates would resolve it"
                    if r.replicates_to_exclude_zero < 100_000
                    else "includes 0: no effect"
                )
            )
            print(
                f"  {key:<{width}} {r['diff']:+9.3f} [{r.diff_ci_low:+.3f}, "
                f"{r.diff_ci_high:+.3f}]  {verdict}"
            )
        resolved = int(sub.excludes_zero.sum())
        print(f"  {resolved} of {len(sub)} outcomes' intervals exclude 0")
    print(
        f"\nWas R={n} enough? About {half} replicates would halve every interval's width "
        "(see comparison.csv: excludes_zero, replicates_to_exclude_zero)."
    )


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from .limits import check_job, estimate_job
    from .outputs import OutputFolder
    from .results import sweep_files
    from .sensitivity import load_problem, run_sensitivity
    from .sensitivity.analysis import (
        DEFAULT_SAMPLES,
        check_problem,
        ranking_stability,
        sweep_identity,
    )

    started = dt.datetime.now(dt.UTC)
    problem = load_problem(args.problem)
    _one_executor(args)
    samples = args.samples or DEFAULT_SAMPLES[args.method]
    X = check_problem(
        problem,
        args.method,
        samples,
        args.seed,
        args.second_order,
        args.until_ci,
        args.max_samples,
    )
    if problem.model == "oasim":
        grow = (args.max_samples or samples) / samples if args.until_ci is not None else 1
        runs = int(len(X) * grow) * problem.seeds * len(problem.arms)
        workers = args.workers or os.cpu_count() or 1
        estimate = estimate_job(problem.params, problem.weeks, runs, workers)
        check_job(estimate, "oasim sensitivity")
        _announce(estimate, args.quiet)
    identity = sweep_identity(problem, args.method, samples, args.seed, args.second_order)
    out = args.out or default_out(f"sensitivity-{problem.name}-{args.method}", identity)
    with OutputFolder(out, overwrite=args.overwrite) as claim:
        with _running(args) as (evaluator, bar, set_total):
            sweep = run_sensitivity(
                problem,
                args.method,
                samples,
                folder=claim,
                seed=args.seed,
                evaluator=evaluator,
                resume=args.resume,
                overwrite=args.overwrite,
                second_order=args.second_order,
                resamples=args.resamples,
                until_ci=args.until_ci,
                max_samples=args.max_samples,
                progress=bar.update,
                on_total=set_total,
                log=bar.write,
            )
            workers = evaluator.workers
        sweep.save(
            claim,
            lang=args.lang,
            started=started,
            workers=workers,
            scheduler=args.scheduler,
            resamples=args.resamples,
            until_ci=args.until_ci,
        )
    written = ", ".join(sorted(sweep_files(sweep)))
    print(f"wrote {out}/ ({written}, manifest.json; chunks/ holds every run)")
    _print_sensitivity(sweep, ranking_stability(sweep.convergence))
    return 0


def _print_sensitivity(sweep, stability) -> None:
    key = {"sobol": "ST", "fast": "ST", "morris": "mu_star"}[sweep.method]
    print(
        f"{len(sweep.raw)} runs at {len(sweep.X)} sample points. Most influential "
        f"({key}, with confidence):"
    )
    for outcome in sweep.problem.outcomes:
        sub = sweep.indices[(sweep.indices.outcome == outcome) & (sweep.indices["index"] == key)]
        top = sub.sort_values("value", ascending=False).head(3)
        ranked = ", ".join(
            f"{r.parameter} {r.value:.3g}±{r.confidence:.2g}" for r in top.itertuples()
        )
        noise = sweep.noise.set_index("outcome").seed_noise_share.get(outcome)
        noise_txt = "" if noise is None or noise != noise else f"; seed noise {noise:.1%}"
        print(f"  {outcome}: {ranked}{noise_txt}")
    if not stability.empty:
        stable = stability[stability.same_order]
        print(
            f"ranking of {key} between N/2 and N: the same for {len(stable)} of "
            f"{len(stability)} outcomes (mean Spearman {stability.spearman.mean():.2f}; "
            "see convergence.csv)"
        )


def cmd_findings(args: argparse.Namespace) -> int:
    from .experiments.findings import (
        REPORT,
        DocsTarget,
        findings_settings,
        planned_runs,
        run_findings,
        save_findings,
    )
    from .limits import check_job, estimate_job
    from .outputs import OutputFolder
    from .params import Parameters

    started = dt.datetime.now(dt.UTC)
    settings = findings_settings(
        quick=args.quick,
        preset=args.preset,
        replicates=args.replicates,
        master_seed=args.seed,
        perturbations=args.perturbations,
    )
    out = args.out or default_out(f"findings-{settings.preset}", settings.to_dict())
    workers = args.workers or os.cpu_count() or 1
    params = Parameters({"hierarchy.preset": settings.preset})
    estimate = estimate_job(params, settings.steps, planned_runs(settings), workers)
    check_job(estimate, "oasim findings")
    _announce(estimate, args.quiet)
    # Both targets are claimed (and refused) before anything runs.
    with OutputFolder(out, overwrite=args.overwrite) as claim:
        docs = DocsTarget(args.docs, overwrite=args.overwrite) if args.docs else None
        try:
            with _running(args) as (evaluator, bar, set_total):
                findings = run_findings(
                    settings, evaluator=evaluator, progress=bar.update, on_total=set_total
                )
                workers = evaluator.workers
            save_findings(findings, claim, started=started, workers=workers)
            if docs:
                docs.write(findings)
        finally:
            if docs:
                docs.release()
    print(f"wrote {out}/ ({REPORT}, tables as CSV, figures, manifest.json)")
    if docs:
        print(f"wrote {docs.path} (figures in {docs.images}/)")
    return 0


def cmd_explore(args: argparse.Namespace) -> int:
    from .exploration import explore, load_space
    from .exploration.result import exploration_files
    from .limits import check_job, estimate_job
    from .outputs import OutputFolder
    from .provenance import relative_path

    started = dt.datetime.now(dt.UTC)
    _one_executor(args)
    space = load_space(args.space).with_preset(args.preset)
    policies = [load_scenario(p) for p in args.policies]
    posterior = _read_posterior(args.posterior) if args.posterior else None
    n_policies = len({s.name for s in policies} | {space.reference.name})
    runs = args.scenarios * n_policies * space.seeds
    if args.interactions and space.interactions:
        from .exploration.explore import interactions_problem
        from .sensitivity.analysis import check_problem

        problem = interactions_problem(space)
        design = check_problem(problem, "sobol", args.interactions, args.seed, second_order=True)
        runs += len(design) * problem.seeds
    workers = args.workers or os.cpu_count() or 1
    estimate = estimate_job(space.reference.params, space.weeks, runs, workers)
    check_job(estimate, "oasim explore")
    out = args.out or default_out(
        f"explore-{space.name}-{len(policies)}-policies",
        [space.fingerprint_payload(), [s.params.to_dict() for s in policies], args.scenarios,
         args.seed, str(args.posterior), args.interactions],
    )  # fmt: skip
    _announce(estimate, args.quiet)
    with OutputFolder(out, overwrite=args.overwrite) as claim:
        with _running(args) as (evaluator, bar, set_total):
            result = explore(
                space,
                policies,
                args.scenarios,
                folder=claim,
                seed=args.seed,
                posterior=posterior,
                posterior_path=relative_path(args.posterior) if args.posterior else None,
                interactions=args.interactions,
                evaluator=evaluator,
                resume=args.resume,
                overwrite=args.overwrite,
                progress=bar.update,
                on_total=set_total,
                log=bar.write,
            )
            workers = evaluator.workers
        result.save(
            claim, lang=args.lang, started=started, workers=workers, scheduler=args.scheduler
        )
    written = ", ".join(sorted(exploration_files(result, args.lang)))
    print(f"wrote {out}/ ({written}, manifest.json; chunks/ holds every run)")
    _print_exploration(result)
    return 0


def _print_exploration(ex) -> None:
    sat = ex.satisficing.sort_values("satisficing_share", ascending=False)
    criteria = ", ".join(f"{c.outcome} {c.rule.replace('_', ' ')}" for c in ex.space.criteria)
    print(
        f"{len(ex.raw)} runs: {len(ex.policies)} policies in {ex.scenarios} states of the world. "
        f"Share of worlds where a policy meets every criterion ({criteria}, against "
        f"{ex.reference}):"
    )
    boxes = ex.boxes
    for row in sat.itertuples():
        line = f"  {row.policy:<28} {row.satisficing_share:6.0%}"
        sub = boxes[(boxes.policy == row.policy) & (boxes.box == 1)]
        if not sub.empty:
            where = "; ".join(f"{r.parameter} in [{r.low:.3g}, {r.high:.3g}]" for r in
                              sub.head(3).itertuples())  # fmt: skip
            first = sub.iloc[0]
            line += (
                f"   fails mostly where {where} (coverage {first.coverage:.0%}, "
                f"density {first.density:.0%})"
            )
        print(line)
    reg = ex.robustness.dropna(subset=["max_regret"])
    for outcome, sub in reg.groupby("outcome", sort=False):
        best = sub.sort_values("max_regret").iloc[0]
        print(f"  least maximum regret on {outcome}: {best.policy} ({best.max_regret:.3g})")
    for note in ex.notes:
        print(f"  note: {note}")


def cmd_brief(args: argparse.Namespace) -> int:
    from .brief import write_brief

    path = write_brief(args.results, lang=args.lang, out=args.out)
    print(f"wrote {path}")
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise UsageError(f"{folder}: no scenario files (*.toml)")
    for path in paths:
        spec = load_scenario(path)
        text = spec.description.strip().replace("\n", " ")
        print(f"{spec.name}\n    {text}")
        if spec.overrides:
            changed = ", ".join(f"{k}={v}" for k, v in spec.overrides.items())
            print(f"    sets: {changed}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    sections = sorted({p.section for p in CATALOGUE.values()})
    if args.section and args.section not in sections:
        raise UsageError(f"no parameter section {args.section!r}; known: {', '.join(sections)}")
    if args.markdown:
        print(parameter_table_markdown(args.section))
        return 0
    for name, p in CATALOGUE.items():
        if args.section and p.section != args.section:
            continue
        default = "(from preset)" if p.default is None else p.default
        print(
            f"{name} = {default!r}  [{p.unit}]  {p.allowed()}  {p.role}\n    {p.meaning}"
            + (f"  ({p.group})" if p.is_lever else "")
        )
    return 0


def parameter_table_markdown(section: str | None = None) -> str:
    """The catalogue as Markdown tables, one per section (docs/parameters.md is this)."""
    lines = [
        "# Parameters",
        "",
        "Generated by `oasim params --markdown` from `sim/params.py`; do not edit by hand.",
        "",
        "The role says what a parameter is for: a `lever` is a policy lever of docs/ODD.md",
        "section 1.6 (marked with its group; all are off by default), an `uncertainty` a",
        "behavioural or cost assumption (what sensitivity analyses vary), `structural` a fixed",
        "fact or convention of the setting, `run` how a run is set up and summarised.",
    ]
    current = None
    for name, p in CATALOGUE.items():
        if section and p.section != section:
            continue
        if p.section != current:
            current = p.section
            lines += [
                "",
                f"## `{current}`",
                "",
                "| name | role | default | unit | allowed | meaning |",
                "|---|---|---|---|---|---|",
            ]
        default = "from preset" if p.default is None else f"`{p.default!r}`"
        meaning = p.meaning + (f" *({p.group})*" if p.is_lever else "")
        lines.append(f"| `{name}` | {p.role} | {default} | {p.unit} | {p.allowed()} | {meaning} |")
    return "\n".join(lines) + "\n"


def cmd_targets(args: argparse.Namespace) -> int:
    from .provenance import relative_path
    from .targets import DEFAULT, load_targets, targets_table, to_markdown

    path = Path(args.file) if args.file else DEFAULT
    targets = load_targets(path)
    if args.markdown:
        print(to_markdown(targets, source=relative_path(path)), end="")
        return 0
    columns = [
        "use",
        "outcome",
        "low",
        "high",
        "unit",
        "year",
        "sample_size",
        "quality",
        "verified",
    ]
    print(targets_table(targets)[columns].to_string())
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from .calibration import CalibrationError, calibrate, statistics_from_targets
    from .calibration.report import save_calibration
    from .outputs import OutputFolder
    from .provenance import relative_path
    from .sensitivity import load_problem
    from .targets import DEFAULT, load_targets

    started = dt.datetime.now(dt.UTC)
    _one_executor(args)
    problem = load_problem(args.problem)
    targets_path = Path(args.targets) if args.targets else DEFAULT
    targets = load_targets(targets_path)
    try:
        statistics = statistics_from_targets(targets, "calibration")
    except ValueError as err:
        raise CalibrationError(f"{targets_path}: {err}") from None
    checks = statistics_from_targets(targets, "validation")
    payload = [problem.fingerprint_payload(), [s.__dict__ for s in statistics], args.seed,
               args.population]  # fmt: skip
    out = args.out or default_out(f"calibration-{problem.name}", payload)
    with OutputFolder(out, overwrite=args.overwrite) as claim:
        cal = calibrate(
            problem,
            statistics,
            claim.path,
            population=args.population,
            generations=args.generations,
            seed=args.seed,
            workers=args.workers or 1,
            scheduler=args.scheduler,
            resume=args.resume,
            overwrite=args.overwrite,
            progress=not args.quiet,
        )
        if not args.quiet:
            print(f"oasim calibrate: posterior predictive check, {args.draws} draws",
                  file=sys.stderr, flush=True)  # fmt: skip
        save_calibration(cal, claim.path, draws=args.draws, started=started,
                         workers=args.workers or 1, targets=relative_path(targets_path),
                         checks=checks)  # fmt: skip
    diagnostics = cal.diagnostics()
    print(
        f"{cal.generations} generations, {int(diagnostics.simulations.sum())} simulations, "
        f"final epsilon {diagnostics.epsilon.iloc[-1]:.3g}; wrote {claim.path}"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .validation import format_table, validate

    table = validate(
        preset=args.preset or "region",
        replicates=args.replicates,
        seed=args.seed,
        calibration=args.calibration,
        docs=args.docs,
        images=args.images,
        quick=args.quick,
        progress=not args.quiet,
    )
    print(format_table(table))
    print(f"wrote {args.docs} and its figures in {args.images}")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from .app.server import serve

    serve(port=args.port, lang=args.lang, host=args.host, class_mode=args.class_mode)
    print("oasim app: stopped", flush=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oasim",
        description="Organizational anxiety in a four-level government hierarchy: an "
        "agent-based model for comparing burden-reduction and empowerment policies.",
    )
    parser.add_argument("--version", action="version", version=f"oasim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run one scenario and write its results and a figure")
    run.add_argument("scenario", help="scenario file (e.g. scenarios/baseline.toml) or name")
    _preset_arg(run)
    run.add_argument("--steps", type=_steps, help="weeks to run (default: run.steps)")
    run.add_argument("--seed", type=_seed, default=1, help="random seed (default: 1)")
    run.add_argument(
        "--out",
        type=Path,
        help="output folder (default: results/<scenario>-<preset>-seed<S>-<hash of the run>)",
    )
    _overwrite_arg(run)
    run.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a parameter, e.g. --set quota.meetings_cut=0.5",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    _lang_arg(run)
    run.set_defaults(func=cmd_run)

    cmp_ = sub.add_parser(
        "compare",
        help="compare scenarios with replicates and paired statistics (the first is the reference)",
    )
    cmp_.add_argument("scenarios", nargs="+", help="scenario files or names")
    cmp_.add_argument(
        "--replicates", type=_replicates, default=10, help="replicates per scenario (default: 10)"
    )
    _workers_arg(cmp_)
    _preset_arg(cmp_)
    cmp_.add_argument("--steps", type=_steps, help="weeks per run (default: run.steps)")
    cmp_.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help="master seed; replicate i uses seed i derived from it (default: 0)",
    )
    cmp_.add_argument(
        "--out", type=Path, help="output folder (default: results/compare-...-<hash>)"
    )
    _overwrite_arg(cmp_)
    cmp_.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="override a parameter in every scenario"
    )
    cmp_.add_argument(
        "--posterior",
        type=Path,
        metavar="DIR",
        help="a calibration folder: each replicate draws its parameters from its posterior, "
        "so intervals cover parameter uncertainty and seed noise (uncertainty.csv splits them)",
    )
    cmp_.add_argument(
        "--seeds-per-draw",
        type=_positive,
        default=2,
        help="replicates sharing one posterior draw (default: 2; --replicates must be a "
        "multiple of it)",
    )
    cmp_.add_argument("--quiet", action="store_true", help="no progress bar")
    _lang_arg(cmp_)
    cmp_.set_defaults(func=cmd_compare)

    sa = sub.add_parser(
        "sensitivity",
        help="global sensitivity analysis with SALib (resumable; local processes or Dask)",
    )
    sa.add_argument("problem", help="problem file, e.g. scenarios/sensitivity/levers.toml")
    sa.add_argument("--method", choices=("sobol", "morris", "fast"), default="sobol")
    sa.add_argument(
        "--samples",
        type=_samples,
        help="N: base samples (Sobol, a power of 2; "
        "eFAST, > 64) or trajectories (Morris); default 64 / 128 / 10",
    )
    sa.add_argument("--workers", type=_workers, help="local worker processes (default: all cores)")
    sa.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler (tcp://host:port), or local:N for a local cluster",
    )
    sa.add_argument(
        "--out",
        type=Path,
        help="output folder (default: results/sensitivity-<problem>-<method>-<hash>)",
    )
    _overwrite_arg(sa)
    sa.add_argument("--resume", action="store_true", help="continue a sweep in --out")
    sa.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help="master seed for design, runs and bootstrap (default: 0)",
    )
    sa.add_argument("--second-order", action="store_true", help="Sobol second-order indices")
    sa.add_argument(
        "--resamples",
        type=_positive,
        default=200,
        help="bootstrap resamples for confidence intervals (default: 200)",
    )
    sa.add_argument(
        "--until-ci",
        type=_width,
        metavar="WIDTH",
        help="Sobol: double N until every total-order interval is narrower than WIDTH",
    )
    sa.add_argument("--max-samples", type=_samples, help="upper bound on N for --until-ci")
    sa.add_argument("--quiet", action="store_true", help="no progress bar")
    _lang_arg(sa)
    sa.set_defaults(func=cmd_sensitivity)

    fnd = sub.add_parser(
        "findings",
        help="run the experiments of the findings report and write it (docs/FINDINGS.md)",
    )
    fnd.add_argument(
        "--out", type=Path, help="output folder (default: results/findings-<preset>-<hash>)"
    )
    fnd.add_argument(
        "--replicates", type=_replicates, help="replicates per setting (default: 10; --quick: 2)"
    )
    _preset_arg(fnd)
    fnd.add_argument(
        "--quick", action="store_true", help="a tiny run (seconds) to check the pipeline"
    )
    fnd.add_argument(
        "--perturbations",
        type=_whole(2, 1000),
        help="Latin-hypercube sets of behavioural weights (default: 16; --quick: 2)",
    )
    _workers_arg(fnd)
    fnd.add_argument(
        "--seed", type=_seed, default=2025, help="master seed of every run (default: 2025)"
    )
    fnd.add_argument(
        "--docs",
        type=Path,
        metavar="FILE.md",
        help="also write the report to FILE.md, its figures in images/<name>/ beside it "
        "(make findings: docs/FINDINGS.md)",
    )
    _overwrite_arg(fnd)
    fnd.add_argument("--quiet", action="store_true", help="no progress bar")
    fnd.set_defaults(func=cmd_findings)

    exp = sub.add_parser(
        "explore",
        help="robust policy: every policy in the same states of the world (EMA Workbench's "
        "scenario discovery, regret, satisficing; resumable)",
    )
    exp.add_argument("policies", nargs="+", help="scenario files (or names) of the policies")
    exp.add_argument(
        "--scenarios",
        type=_whole(10, 100_000),
        required=True,
        metavar="N",
        help="states of the world: a Latin hypercube over the uncertainties",
    )
    exp.add_argument(
        "--space",
        default="beliefs",
        help="exploration space file: uncertainties, outcomes, criteria (default: beliefs, "
        "scenarios/exploration/beliefs.toml)",
    )
    exp.add_argument(
        "--posterior",
        type=Path,
        metavar="DIR",
        help="a calibration folder (oasim calibrate): draw its parameters from the posterior",
    )
    exp.add_argument(
        "--interactions",
        type=_whole(0, 2**14),
        default=0,
        metavar="N",
        help="also a second-order Sobol sweep of the lever groups with N base samples "
        "(a power of 2; default 0: none)",
    )
    _preset_arg(exp)
    exp.add_argument("--workers", type=_workers, help="local worker processes (default: all cores)")
    exp.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler (tcp://host:port), or local:N for a local cluster",
    )
    exp.add_argument(
        "--out", type=Path, help="output folder (default: results/explore-<space>-...-<hash>)"
    )
    _overwrite_arg(exp)
    exp.add_argument("--resume", action="store_true", help="continue an exploration in --out")
    exp.add_argument(
        "--seed", type=_seed, default=0, help="master seed for worlds and runs (default: 0)"
    )
    exp.add_argument("--quiet", action="store_true", help="no progress bar")
    _lang_arg(exp)
    exp.set_defaults(func=cmd_explore)

    brf = sub.add_parser(
        "brief",
        help="a self-contained HTML policy brief of a comparison, sensitivity analysis or "
        "exploration folder",
    )
    brf.add_argument(
        "results", type=Path, help="a folder written by compare, sensitivity or explore"
    )
    brf.add_argument("--lang", choices=LANGUAGES, default="en", help="language (default: en)")
    brf.add_argument("--out", type=Path, help="the HTML file (default: RESULTS/brief-<lang>.html)")
    brf.set_defaults(func=cmd_brief)

    scen = sub.add_parser("scenarios", help="list the scenario library with descriptions")
    scen.add_argument(
        "folder",
        nargs="?",
        default=str(SCENARIO_DIR),
        help="folder of scenario files (default: the library)",
    )
    scen.set_defaults(func=cmd_scenarios)

    par = sub.add_parser("params", help="list every parameter: default, unit, range, meaning")
    par.add_argument("section", nargs="?", help="only this section (e.g. anxiety, quota)")
    par.add_argument("--markdown", action="store_true", help="print Markdown tables")
    par.set_defaults(func=cmd_params)

    tgt = sub.add_parser(
        "targets", help="list the empirical targets: facts for calibration and validation"
    )
    tgt.add_argument("file", nargs="?", help="targets file (default: data/targets.toml)")
    tgt.add_argument(
        "--markdown", action="store_true", help="print the docs page (docs/targets.md)"
    )
    tgt.set_defaults(func=cmd_targets)

    cal = sub.add_parser(
        "calibrate",
        help="calibrate behavioural parameters to the empirical targets (ABC-SMC; resumable)",
    )
    cal.add_argument("problem", help="priors, e.g. scenarios/calibration/priors.toml")
    cal.add_argument("--targets", help="targets file (default: data/targets.toml)")
    cal.add_argument(
        "--population", type=_positive, default=100, help="particles per generation (100)"
    )
    cal.add_argument("--generations", type=_positive, default=6, help="generations (6)")
    cal.add_argument(
        "--workers",
        type=_workers,
        help="worker processes (default: 1, which makes the calibration reproducible)",
    )
    cal.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler (tcp://host:port), or local:N for a local cluster",
    )
    cal.add_argument("--seed", type=_seed, default=0, help="master seed (default: 0)")
    cal.add_argument("--draws", type=_positive, default=40, help="posterior predictive draws (40)")
    cal.add_argument(
        "--out", type=Path, help="output folder (default: results/calibration-<problem>-<hash>)"
    )
    _overwrite_arg(cal)
    cal.add_argument("--resume", action="store_true", help="continue the calibration in --out")
    cal.add_argument("--quiet", action="store_true", help="no progress")
    cal.set_defaults(func=cmd_calibrate)

    val = sub.add_parser(
        "validate",
        help="test the model against the held-out targets and the article's patterns "
        "(docs/VALIDATION.md, a TRACE report)",
    )
    _preset_arg(val)
    val.add_argument(
        "--replicates", type=_replicates, default=10, help="replicates per setting (10)"
    )
    val.add_argument("--seed", type=_seed, default=2025, help="master seed (default: 2025)")
    val.add_argument(
        "--calibration",
        type=Path,
        metavar="DIR",
        help="a calibration folder: section 6 reports its posterior predictive check",
    )
    val.add_argument(
        "--docs", type=Path, default=Path("docs/VALIDATION.md"), help="the report to write"
    )
    val.add_argument(
        "--images",
        type=Path,
        default=Path("docs/images/validation"),
        help="folder of its figures",
    )
    val.add_argument(
        "--quick", action="store_true", help="classroom preset, 2 replicates (seconds)"
    )
    val.add_argument("--quiet", action="store_true", help="no progress")
    val.set_defaults(func=cmd_validate)

    app = sub.add_parser("app", help="start the classroom web app (a page on localhost)")
    app.add_argument("--port", type=_port, default=8765, help="port to serve on (default: 8765)")
    app.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to serve on (default: 127.0.0.1, this machine only; 0.0.0.0 lets other "
        "machines of the network connect)",
    )
    app.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the page (default: en)"
    )
    app.add_argument(
        "--class",
        dest="class_mode",
        action="store_true",
        help="a class on one server: students send their runs to the teacher's dashboard "
        "at /class (kept in memory only; the dashboard exports CSV)",
    )
    app.set_defaults(func=cmd_app)
    return parser


def _what_remains(args: argparse.Namespace) -> str:
    if args.command in ("sensitivity", "explore"):
        return "the runs finished so far are kept: the same command with --resume continues"
    return "nothing was written"


def main(argv: Sequence[str] | None = None) -> int:
    from .shutdown import Terminated, install_signal_handlers

    parser = build_parser()
    args = parser.parse_args(argv)
    install_signal_handlers()
    previous = warnings.showwarning

    def show(message, category, *where) -> None:
        # oasim's own warnings in the command line's voice; others as Python shows them.
        if issubclass(category, ScenarioWarning):
            print(f"oasim: warning: {message}", file=sys.stderr)
        else:
            previous(message, category, *where)

    warnings.showwarning = show
    try:
        return args.func(args)
    except InputError as err:
        print(f"oasim: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"oasim: interrupted; {_what_remains(args)}", file=sys.stderr)
        return 130
    except Terminated as stop:
        print(f"oasim: {stop}; {_what_remains(args)}", file=sys.stderr)
        return stop.exit_status
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except Exception:
        traceback.print_exc()
        print(
            f"oasim {__version__}: this is a bug in oasim, not a mistake of yours. Please report "
            "it with the command you ran and the traceback above.",
            file=sys.stderr,
        )
        return 1
    finally:
        warnings.showwarning = previous
