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


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


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
            title=f"{spec.name} ({preset}, seed {args.seed})",
            policy_start=spec.params.run.policy_start,
            standard_hours=spec.params.work.standard_hours,
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
    run.set_defaults(func=cmd_run)

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
