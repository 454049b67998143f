"""The ``oasim`` command line: parse, call the library, print. No model logic lives here.

Exit status: 0 success, 2 bad input (scenario, parameter, option), 1 unexpected failure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .i18n import LANGUAGES, resolve_language, text
from .params import CATALOGUE, ParameterError
from .scenario import SCENARIO_DIR, ScenarioError, load_scenario

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


class UsageError(Exception):
    """Bad command-line input; reported with exit status 2."""


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
            raise argparse.ArgumentTypeError(why or f"must be {bounds}, got {value}")
        return value

    return parse


_positive = _whole(1)
_seed = _whole(0)
_port = _whole(1, 65535)
_replicates = _whole(2, why="need at least 2 replicates for confidence intervals")


def _lang_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="language of the figures (zh needs a CJK font; default: en)",
    )


def _preset_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--preset",
        choices=CATALOGUE["hierarchy.preset"].choices,
        help="hierarchy size (default: the scenario's, normally 'region')",
    )


# ---- commands ----------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    from . import plots
    from .outcomes import BY_NAME
    from .provenance import atomic_folder, manifest, write_json
    from .run import simulate

    started = dt.datetime.now(dt.UTC)
    lang = resolve_language(args.lang)
    spec = load_scenario(args.scenario, overrides=_parse_set(args.set), source="--set")
    if args.preset:
        spec = spec.with_overrides({"hierarchy.preset": args.preset})
    preset = spec.params.hierarchy.preset
    out = args.out or RESULTS_DIR / f"{spec.name}-{preset}-seed{args.seed}"
    result = simulate(spec, seed=args.seed, steps=args.steps, progress=not args.quiet)

    with atomic_folder(Path(out)) as tmp:
        files = {
            "timeseries.csv": tmp / "timeseries.csv",
            "summary.json": tmp / "summary.json",
            "overview.png": tmp / "overview.png",
        }
        result.timeseries.to_csv(files["timeseries.csv"], float_format="%.6g")
        write_json(
            files["summary.json"],
            {
                "scenario": spec.name,
                "seed": args.seed,
                "steps": result.steps,
                "preset": preset,
                "summary_weeks": min(spec.params.run.summary_weeks, result.steps),
                "outcomes": result.summary,
            },
        )
        fig = plots.overview_figure(
            result.timeseries,
            title=text("overview_title", lang, scenario=spec.name, preset=preset, seed=args.seed),
            policy_start=spec.params.run.policy_start,
            standard_hours=spec.params.work.standard_hours,
            lang=lang,
        )
        plots.save(fig, files["overview.png"])
        tree = result.model.tree
        write_json(
            tmp / "manifest.json",
            manifest(
                command="run",
                started=started,
                files=files,
                scenario=spec.to_manifest(),
                seed=args.seed,
                steps=result.steps,
                preset=preset,
                hierarchy={
                    "units": {
                        lvl: tree.count(i)
                        for i, lvl in enumerate(("province", "city", "county", "township"))
                    },
                    "township_officials": tree.n_staff,
                },
                parameters=spec.params.to_dict(),
                outcome_units={name: o.unit for name, o in BY_NAME.items()},
            ),
        )

    print(f"wrote {out}/ (timeseries.csv, summary.json, manifest.json, overview.png)")
    width = max(len(k) for k in HEADLINE)
    window = min(spec.params.run.summary_weeks, result.steps)
    print(f"mean over the last {window} weeks:")
    for key in HEADLINE:
        print(f"  {key:<{width}}  {result.summary[key]:8.3f}  {BY_NAME[key].unit}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from . import plots
    from .experiments import make_evaluator
    from .experiments.compare import compare_scenarios
    from .experiments.evaluators import progress_bar
    from .provenance import atomic_folder, manifest, write_json

    started = dt.datetime.now(dt.UTC)
    lang = resolve_language(args.lang)
    overrides = _parse_set(args.set)
    specs = [load_scenario(path, overrides=overrides, source="--set") for path in args.scenarios]
    if args.preset:
        specs = [s.with_overrides({"hierarchy.preset": args.preset}) for s in specs]
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise UsageError(f"scenario names must be distinct, got {names}")
    preset = specs[0].params.hierarchy.preset
    out = args.out or RESULTS_DIR / f"compare-{'-vs-'.join(names)}-{preset}"
    total = len(specs) * args.replicates
    with (
        make_evaluator(args.workers) as evaluator,
        progress_bar(total, "runs", enabled=not args.quiet) as bar,
    ):
        result = compare_scenarios(
            specs,
            replicates=args.replicates,
            master_seed=args.seed,
            steps=args.steps,
            evaluator=evaluator,
            progress=bar.update,
        )

    steps = args.steps or specs[0].params.run.steps
    policy_start = specs[0].params.run.policy_start
    with atomic_folder(Path(out)) as tmp:
        files = {
            name: tmp / name
            for name in (
                "runs.csv",
                "comparison.csv",
                "timeseries_bands.csv",
                "timeseries.png",
                "forest.png",
            )
        }
        result.runs.to_csv(files["runs.csv"], index=False, float_format="%.6g")
        result.table.to_csv(files["comparison.csv"], index=False, float_format="%.6g")
        result.bands.to_csv(files["timeseries_bands.csv"], index=False, float_format="%.6g")
        title = text(
            "replicates_title",
            lang,
            names=text("versus", lang).join(names),
            preset=preset,
            n=args.replicates,
        )
        plots.save(
            plots.bands_figure(result.bands, title=title, policy_start=policy_start, lang=lang),
            files["timeseries.png"],
        )
        if len(specs) > 1:
            plots.save(
                plots.forest_figure(result.table, reference=names[0], title=title, lang=lang),
                files["forest.png"],
            )
        else:
            del files["forest.png"]
        write_json(
            tmp / "manifest.json",
            manifest(
                command="compare",
                started=started,
                files=files,
                scenarios=[s.to_manifest() for s in specs],
                reference=names[0],
                replicates=args.replicates,
                master_seed=args.seed,
                seeds=result.seeds,
                steps=steps,
                preset=preset,
                workers=evaluator.workers,
                summary_weeks=min(specs[0].params.run.summary_weeks, steps),
                confidence_level=result.level,
                parameters={s.name: s.params.to_dict() for s in specs},
            ),
        )
    print(f"wrote {out}/ ({', '.join(sorted(files))}, manifest.json)")
    _print_comparison(result, names)
    return 0


def _print_comparison(result, names: list[str]) -> None:
    table = result.table
    n = int(table.n.iloc[0])
    half = int(table.replicates_for_half_width.iloc[0])
    print(
        f"mean over the last year, {n} replicates per scenario (95% CI); "
        f"differences are paired against {names[0]}:"
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
    from . import plots
    from .experiments import make_evaluator
    from .experiments.evaluators import progress_bar
    from .provenance import manifest, write_atomic, write_json_atomic
    from .sensitivity import load_problem, run_sensitivity
    from .sensitivity.analysis import ranking_stability

    started = dt.datetime.now(dt.UTC)
    problem = load_problem(args.problem)
    out = Path(args.out or RESULTS_DIR / f"sensitivity-{problem.name}-{args.method}")
    if args.until_ci is not None and args.method != "sobol":
        raise UsageError("--until-ci works with --method sobol only")
    if args.workers and args.scheduler:
        raise UsageError("give --workers (local processes) or --scheduler (Dask), not both")
    bar = progress_bar(0, "runs", enabled=not args.quiet)

    def set_total(n: int) -> None:
        bar.total = (bar.total or 0) + n
        bar.refresh()

    try:
        with make_evaluator(args.workers, args.scheduler) as evaluator:
            sweep = run_sensitivity(
                problem,
                args.method,
                args.samples,
                folder=out,
                seed=args.seed,
                evaluator=evaluator,
                resume=args.resume,
                second_order=args.second_order,
                resamples=args.resamples,
                until_ci=args.until_ci,
                max_samples=args.max_samples,
                progress=bar.update,
                on_total=set_total,
                log=bar.write,
            )
            workers = evaluator.workers
    except ValueError as err:
        if isinstance(err, ScenarioError):
            raise
        raise UsageError(str(err)) from None
    finally:
        bar.close()

    stability = ranking_stability(sweep.convergence)
    files = {
        "indices.csv": lambda p: sweep.indices.to_csv(p, index=False, float_format="%.6g"),
        "samples.parquet": lambda p: sweep.table.to_parquet(p, index=False),
        "noise.csv": lambda p: sweep.noise.to_csv(p, index=False, float_format="%.6g"),
    }
    if not sweep.convergence.empty:
        files["convergence.csv"] = lambda p: sweep.convergence.to_csv(
            p, index=False, float_format="%.6g"
        )
    lang = resolve_language(args.lang)
    title = text(
        "sensitivity_title",
        lang,
        problem=problem.name,
        method=args.method,
        n=sweep.samples,
        seeds=problem.seeds,
    )
    if args.method == "morris":
        files["morris.png"] = lambda p: plots.save(
            plots.morris_figure(sweep.indices, title=title, lang=lang), p
        )
    else:
        first_total = sweep.indices[sweep.indices["index"].isin(["S1", "ST"])]
        files[f"{args.method}.png"] = lambda p: plots.save(
            plots.indices_figure(first_total, title=title, lang=lang), p
        )
    for stale in out.glob(".*.*"):  # temporaries of an earlier run killed mid-write
        if stale.is_file() and stale.name != ".gitignore":
            stale.unlink()
    written = {}
    for name, write in files.items():
        written[name] = write_atomic(out / name, write)
    write_json_atomic(
        out / "manifest.json",
        manifest(
            command="sensitivity",
            started=started,
            files=written,
            problem=problem.to_manifest(),
            method=args.method,
            samples=sweep.samples,
            master_seed=args.seed,
            seeds=_seeds_of(sweep),
            runs=len(sweep.raw),
            points=len(sweep.X),
            second_order=args.second_order,
            resamples=args.resamples,
            workers=workers,
            scheduler=args.scheduler,
            until_ci=args.until_ci,
            until_ci_history=sweep.history,
            seed_noise=sweep.noise.to_dict(orient="records"),
            ranking_stability=stability.to_dict(orient="records"),
        ),
    )
    print(f"wrote {out}/ ({', '.join(sorted(written))}, manifest.json; chunks/ holds every run)")
    _print_sensitivity(sweep, stability)
    return 0


def _seeds_of(sweep) -> list[int]:
    from .experiments.seeds import replicate_seeds

    return replicate_seeds(sweep.seed, sweep.problem.seeds)


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
            f"{name} = {default!r}  [{p.unit}]  {p.allowed()}\n    {p.meaning}"
            + (f"  ({p.group})" if p.is_lever else "")
        )
    return 0


def parameter_table_markdown(section: str | None = None) -> str:
    """The catalogue as Markdown tables, one per section (docs/parameters.md is this)."""
    lines = [
        "# Parameters",
        "",
        "Generated by `oasim params --markdown` from `sim/params.py`; do not edit by hand.",
        "Levers (MODEL.md section 5) are marked with their group; all are off by default.",
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
                "| name | default | unit | allowed | meaning |",
                "|---|---|---|---|---|",
            ]
        default = "from preset" if p.default is None else f"`{p.default!r}`"
        meaning = p.meaning + (f" *({p.group})*" if p.is_lever else "")
        lines.append(f"| `{name}` | {default} | {p.unit} | {p.allowed()} | {meaning} |")
    return "\n".join(lines) + "\n"


def cmd_app(args: argparse.Namespace) -> int:
    from .app.server import serve

    print(
        f"oasim app: serving the classroom page at http://{args.host}:{args.port}/ "
        "(Ctrl-C to stop)",
        flush=True,
    )
    serve(port=args.port, lang=args.lang, host=args.host)
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
    run.add_argument("--steps", type=_positive, help="weeks to run (default: run.steps)")
    run.add_argument("--seed", type=_seed, default=1, help="random seed (default: 1)")
    run.add_argument(
        "--out", type=Path, help="output folder (default: results/<scenario>-<preset>-seed<S>)"
    )
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
    cmp_.add_argument(
        "--workers",
        type=_positive,
        help="worker processes (default: all cores; results do not depend on it)",
    )
    _preset_arg(cmp_)
    cmp_.add_argument("--steps", type=_positive, help="weeks per run (default: run.steps)")
    cmp_.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help="master seed; replicate i uses seed i derived from it (default: 0)",
    )
    cmp_.add_argument("--out", type=Path, help="output folder (default: results/compare-...)")
    cmp_.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="override a parameter in every scenario"
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
        type=_positive,
        help="N: base samples (Sobol, a power of 2; "
        "eFAST, > 64) or trajectories (Morris); default 64 / 128 / 10",
    )
    sa.add_argument("--workers", type=_positive, help="local worker processes (default: all cores)")
    sa.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler (tcp://host:port), or local:N for a local cluster",
    )
    sa.add_argument(
        "--out", type=Path, help="output folder (default: results/sensitivity-<problem>-<method>)"
    )
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
        type=float,
        metavar="WIDTH",
        help="Sobol: double N until every total-order interval is narrower than WIDTH",
    )
    sa.add_argument("--max-samples", type=_positive, help="upper bound on N for --until-ci")
    sa.add_argument("--quiet", action="store_true", help="no progress bar")
    _lang_arg(sa)
    sa.set_defaults(func=cmd_sensitivity)

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
    app.set_defaults(func=cmd_app)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ScenarioError, ParameterError, UsageError) as err:
        print(f"oasim: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("oasim: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
