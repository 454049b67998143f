"""Pattern-oriented validation: docs/VALIDATION.md, structured as TRACE.

:func:`validate` runs every arm the declared :data:`PATTERNS` need (scenarios of the library,
the same seeds in each), decides each pattern (holds, fails or inconclusive on its 95%
interval), draws one figure per pattern and writes the report with the eight TRACE elements
(:mod:`sim.validation.report`). It returns the verdict table::

    import sim.validation
    table = sim.validation.validate(preset="region", replicates=10)

``oasim validate`` does the same from the command line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from .. import __version__
from ..experiments.stats import mean_ci
from ..provenance import write_atomic
from ..targets import DEFAULT as TARGETS
from ..targets import Target, load_targets
from .figures import pattern_figure
from .patterns import BASELINE as BASELINE_ARM
from .patterns import FINAL, PATTERNS, Arm, Criterion, Pattern, Window, criterion_for
from .report import MARKER, describe, render, statistic_name
from .runner import PatternResult, Settings, evaluate, plan_arms, run_arms, settings_for

__all__ = [
    "DEFAULT_DOCS",
    "DEFAULT_IMAGES",
    "MARKER",
    "PATTERNS",
    "Arm",
    "Criterion",
    "Pattern",
    "PatternResult",
    "Settings",
    "Window",
    "command_line",
    "criterion_for",
    "format_table",
    "output_check",
    "validate",
    "verdict_table",
]

DEFAULT_DOCS = Path("docs/VALIDATION.md")
DEFAULT_IMAGES = Path("docs/images/validation")


def command_line(settings: Settings, calibration: Path | str | None = None) -> str:
    """The command that regenerates a report with these settings."""
    if settings.quick:
        args = ["oasim validate --quick", f"--seed {settings.seed}"]
    else:
        args = [
            "oasim validate",
            f"--preset {settings.preset}",
            f"--replicates {settings.replicates}",
            f"--seed {settings.seed}",
        ]
    if calibration is not None:
        args.append(f"--calibration {calibration}")
    return " ".join(args)


def validate(
    preset: str = "region",
    replicates: int = 10,
    seed: int = 2025,
    calibration: Path | str | None = None,
    docs: Path | str = DEFAULT_DOCS,
    images: Path | str = DEFAULT_IMAGES,
    quick: bool = False,
    progress: bool = True,
    *,
    patterns: Sequence[Pattern] = PATTERNS,
    targets: Path | str = TARGETS,
) -> pd.DataFrame:
    """Run the validation, write the report ``docs`` and its figures into ``images``, and
    return the verdict table (one row per pattern: statistic, 95% interval, criterion,
    verdict).

    ``quick`` is a smoke test (the classroom preset, 2 replicates, 156-week runs; seconds).
    ``calibration`` is a calibration's folder (``oasim calibrate``): section 6 then shows its
    posterior predictive check (``predictive.csv``) beside the defaults. Files are written
    atomically; raises ``FileNotFoundError`` if the calibration folder has no
    ``predictive.csv``.
    """
    docs, images = Path(docs), Path(images)
    predictive = _read_predictive(calibration) if calibration is not None else None
    settings = settings_for(preset, replicates, seed, quick)
    loaded = load_targets(targets)
    by_id = {t.id: t for t in loaded}
    for p in patterns:  # a bad pattern fails before any run
        criterion_for(p, by_id)
    arms = plan_arms(patterns)
    if BASELINE_ARM not in arms:
        arms.insert(0, BASELINE_ARM)
    runs = run_arms(
        arms, settings, progress=_progress_bar(len(arms) * settings.replicates, progress)
    )
    results = [evaluate(p, runs, settings, by_id) for p in patterns]
    table = verdict_table(results, settings)
    check = output_check(runs[BASELINE_ARM], settings, loaded)

    figures = {}
    for r in results:
        path = images / f"{r.pattern.id}.png"
        figures[r.pattern.id] = write_atomic(path, lambda tmp, r=r: _save(r, settings, tmp))
    text = render(
        results,
        table,
        settings,
        loaded,
        check,
        predictive,
        docs=docs,
        figures=figures,
        version=__version__,
        command=command_line(settings, calibration),
        calibration=Path(calibration) if calibration is not None else None,
    )
    write_atomic(docs, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return table


def _save(result: PatternResult, settings: Settings, path: Path) -> None:
    from ..plots import save

    save(pattern_figure(result, settings), path)


def _read_predictive(calibration: Path | str) -> pd.DataFrame:
    folder = Path(calibration)
    path = folder / "predictive.csv"
    if not path.is_file():
        raise FileNotFoundError(
            f"{folder}: no predictive.csv (a calibration folder written by oasim calibrate has "
            "posterior.parquet and predictive.csv)"
        )
    return pd.read_csv(path)


def _progress_bar(total: int, show: bool) -> Callable[[int], None] | None:
    if not show:
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, desc="validation runs", unit="run", leave=False)

    def step(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return step


def verdict_table(results: Sequence[PatternResult], settings: Settings) -> pd.DataFrame:
    """One row per pattern, in declaration order."""
    rows = []
    for r in results:
        p = r.pattern
        rows.append(
            {
                "id": p.id,
                "title": p.title,
                "source_kind": p.source_kind,
                "target": p.target,
                "statistic": statistic_name(p),
                "runs": describe(p, settings),
                "unit": p.unit,
                "n": r.n,
                "mean": r.mean,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "criterion": r.criterion.text(),
                "criterion_low": r.criterion.low,
                "criterion_high": r.criterion.high,
                "verdict": r.verdict,
            }
        )
    return pd.DataFrame(rows)


def output_check(
    baseline: Sequence[pd.DataFrame], settings: Settings, targets: Sequence[Target]
) -> pd.DataFrame:
    """The calibration targets against the baseline runs: each target as the calibration
    states it (``sim.calibration.statistics_from_targets``), the model's mean over the summary
    window with its 95% interval, and whether the interval lies in the target's range."""
    from ..calibration.statistics import statistics_from_targets

    first, last = settings.span(FINAL)
    means = [df.loc[first:last].mean() for df in baseline]
    rows = []
    for s in statistics_from_targets(targets, "calibration"):
        values = [s.of(m) for m in means]
        mean, lo, hi = mean_ci(values)
        low, high = s.observed - s.scale, s.observed + s.scale
        rows.append(
            {
                "target": s.name,
                "quantity": s.quantity,
                "low": low,
                "high": high,
                "mean": mean,
                "ci_low": lo,
                "ci_high": hi,
                "verdict": Criterion(low, high).verdict(lo, hi),
            }
        )
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame) -> str:
    """The verdict table as plain text for a terminal."""

    def num(x: float) -> str:
        return "n/a" if math.isnan(x) else f"{x:.4g}"

    width = max(len(i) for i in table["id"])
    lines = []
    for r in table.itertuples():
        lines.append(
            f"{r.id:<{width}}  {r.verdict:<12}  {num(r.mean)} [{num(r.ci_low)}, "
            f"{num(r.ci_high)}] {r.unit}  criterion {r.criterion}"
        )
    return "\n".join(lines)
