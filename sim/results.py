"""Saving results: a run, a comparison or a sweep written to a folder, with its provenance.

The command line and notebooks call the same functions (or the ``save`` methods of the result
objects), so their folders are the same. Every folder holds ``manifest.json`` (byte-stable: what
was run, parameters, seeds, oasim version, checksums) and ``environment.json`` (when, where,
which dependency versions). Folders are claimed and placed by :class:`sim.outputs.OutputFolder`:
oasim replaces only what it wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .i18n import resolve_language, text
from .outputs import ENVIRONMENT, MANIFEST, OutputFolder
from .provenance import manifest, run_environment, write_atomic, write_json

if TYPE_CHECKING:
    from .experiments.compare import Comparison
    from .run import RunResult
    from .sensitivity.analysis import Sweep

__all__ = ["claimed", "save_comparison", "save_run", "save_sweep", "sweep_files", "write_beside"]


@contextlib.contextmanager
def claimed(folder: str | Path | OutputFolder, overwrite: bool = False) -> Iterator[OutputFolder]:
    """``folder`` as a claimed output: a path is claimed (and released) here; an
    :class:`OutputFolder` that the caller claimed before the work began is used as it is."""
    if isinstance(folder, OutputFolder):
        yield folder
        return
    with OutputFolder(folder, overwrite=overwrite) as out:
        yield out


def _finish(tmp: Path, files: dict[str, Path], started: dt.datetime, facts: dict, **content):
    write_json(tmp / MANIFEST, manifest(files=files, **content))
    write_json(tmp / ENVIRONMENT, run_environment(started, **facts))


def write_beside(
    out: Path,
    files: dict[str, Callable[[Path], Any]],
    started: dt.datetime,
    facts: dict[str, Any],
    **content: Any,
) -> dict[str, Path]:
    """Write ``files`` into a folder that grows while its work runs (a sweep, a calibration):
    each file atomically, then the environment, and the manifest last, so a folder whose
    manifest names a file holds all of it. Returns the files written."""
    written = {name: write_atomic(out / name, write) for name, write in files.items()}
    environment = run_environment(started, **facts)
    write_atomic(out / ENVIRONMENT, lambda p: write_json(p, environment))
    write_atomic(out / MANIFEST, lambda p: write_json(p, manifest(files=written, **content)))
    return written


def save_run(
    result: RunResult,
    folder: str | Path | OutputFolder,
    *,
    overwrite: bool = False,
    lang: str = "en",
    started: dt.datetime | None = None,
) -> Path:
    """Write a run: ``timeseries.csv``, ``summary.json``, ``overview.png`` and provenance."""
    from . import plots
    from .outcomes import BY_NAME

    started = started or dt.datetime.now(dt.UTC)
    lang = resolve_language(lang)
    spec, preset = result.scenario, result.scenario.params.hierarchy.preset
    window = min(spec.params.run.summary_weeks, result.steps)

    def write(tmp: Path) -> None:
        files = {n: tmp / n for n in ("timeseries.csv", "summary.json", "overview.png")}
        result.timeseries.to_csv(files["timeseries.csv"], float_format="%.6g")
        write_json(
            files["summary.json"],
            {
                "scenario": spec.name,
                "seed": result.seed,
                "steps": result.steps,
                "preset": preset,
                "summary_weeks": window,
                "outcomes": result.summary,
            },
        )
        title = text("overview_title", lang, scenario=spec.name, preset=preset, seed=result.seed)
        fig = plots.overview_figure(
            result.timeseries,
            title=title,
            policy_start=spec.params.run.policy_start,
            standard_hours=spec.params.work.standard_hours,
            lang=lang,
        )
        plots.save(fig, files["overview.png"])
        tree = result.model.tree
        _finish(
            tmp,
            files,
            started,
            {},
            command="run",
            scenario=spec.to_manifest(),
            seed=result.seed,
            steps=result.steps,
            preset=preset,
            summary_weeks=window,
            hierarchy={
                "units": {lvl: tree.count(i) for i, lvl in enumerate(tree.level_names)},
                "township_officials": tree.n_staff,
            },
            parameters=spec.params.to_dict(),
            outcome_units={name: o.unit for name, o in BY_NAME.items()},
        )

    with claimed(folder, overwrite) as out:
        return out.commit(write)


def save_comparison(
    comparison: Comparison,
    folder: str | Path | OutputFolder,
    *,
    overwrite: bool = False,
    lang: str = "en",
    started: dt.datetime | None = None,
    workers: int | None = None,
    posterior: str | None = None,
) -> Path:
    """Write a comparison: runs, paired statistics, bands, their figures and provenance; with
    posterior draws (``posterior``: the calibration folder they came from), the draws and the
    parameter and seed shares of every effect."""
    from . import plots

    started = started or dt.datetime.now(dt.UTC)
    lang = resolve_language(lang)
    specs = comparison.scenarios
    names = [s.name for s in specs]
    first = specs[0].params
    replicates = len(comparison.seeds)

    def write(tmp: Path) -> None:
        names_out = ["runs.csv", "comparison.csv", "timeseries_bands.csv", "timeseries.png"]
        if len(specs) > 1:
            names_out.append("forest.png")
        if comparison.draws is not None:
            names_out += ["draws.csv", "uncertainty.csv"]
        files = {n: tmp / n for n in names_out}
        if comparison.draws is not None:
            comparison.draws.to_csv(files["draws.csv"], index_label="replicate")
            comparison.uncertainty.to_csv(
                files["uncertainty.csv"], index=False, float_format="%.6g"
            )
        comparison.runs.to_csv(files["runs.csv"], index=False, float_format="%.6g")
        comparison.table.to_csv(files["comparison.csv"], index=False, float_format="%.6g")
        comparison.bands.to_csv(files["timeseries_bands.csv"], index=False, float_format="%.6g")
        title = text(
            "replicates_title",
            lang,
            names=text("versus", lang).join(names),
            preset=comparison.preset,
            n=replicates,
        )
        plots.save(
            plots.bands_figure(
                comparison.bands, title=title, policy_start=first.run.policy_start, lang=lang
            ),
            files["timeseries.png"],
        )
        if len(specs) > 1:
            plots.save(
                plots.forest_figure(comparison.table, reference=names[0], title=title, lang=lang),
                files["forest.png"],
            )
        _finish(
            tmp,
            files,
            started,
            {"workers": workers},
            command="compare",
            scenarios=[s.to_manifest() for s in specs],
            reference=names[0],
            replicates=replicates,
            master_seed=comparison.master_seed,
            seeds=comparison.seeds,
            steps=comparison.steps,
            preset=comparison.preset,
            summary_weeks=min(first.run.summary_weeks, comparison.steps),
            confidence_level=comparison.level,
            parameters={s.name: s.params.to_dict() for s in specs},
            posterior=None
            if comparison.draws is None
            else {
                "folder": posterior,
                "draws": int(comparison.draws["draw"].nunique()),
                "seeds_per_draw": int(len(comparison.draws) // comparison.draws["draw"].nunique()),
                "parameters": [
                    c for c in comparison.draws.columns if c not in ("draw", "particle")
                ],
            },
        )

    with claimed(folder, overwrite) as out:
        return out.commit(write)


def sweep_files(sweep: Sweep, lang: str = "en") -> dict[str, Callable[[Path], Any]]:
    """The files a sweep writes, each as a function that writes it to a given path."""
    from . import plots

    lang = resolve_language(lang)
    files: dict[str, Callable[[Path], Any]] = {
        "indices.csv": lambda p: sweep.indices.to_csv(p, index=False, float_format="%.6g"),
        "samples.parquet": lambda p: sweep.table.to_parquet(p, index=False),
        "noise.csv": lambda p: sweep.noise.to_csv(p, index=False, float_format="%.6g"),
    }
    if not sweep.convergence.empty:
        files["convergence.csv"] = lambda p: sweep.convergence.to_csv(
            p, index=False, float_format="%.6g"
        )
    title = text(
        "sensitivity_title",
        lang,
        problem=sweep.problem.name,
        method=sweep.method,
        n=sweep.samples,
        seeds=sweep.problem.seeds,
    )
    if sweep.method == "morris":
        files["morris.png"] = lambda p: plots.save(
            plots.morris_figure(sweep.indices, title=title, lang=lang), p
        )
    else:
        first_total = sweep.indices[sweep.indices["index"].isin(["S1", "ST"])]
        files[f"{sweep.method}.png"] = lambda p: plots.save(
            plots.indices_figure(first_total, title=title, lang=lang), p
        )
    return files


def save_sweep(
    sweep: Sweep,
    folder: str | Path | OutputFolder,
    *,
    lang: str = "en",
    started: dt.datetime | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resamples: int = 200,
    until_ci: float | None = None,
) -> Path:
    """Write a sweep's outputs beside its chunks, each file atomically and the manifest last
    (a sweep folder grows while it runs, so it is not swapped in as a whole)."""
    with claimed(folder) as claim:
        return _save_sweep(sweep, claim, lang, started, workers, scheduler, resamples, until_ci)


def _save_sweep(sweep, folder, lang, started, workers, scheduler, resamples, until_ci) -> Path:
    from .experiments.seeds import replicate_seeds
    from .sensitivity.analysis import ranking_stability

    started = started or dt.datetime.now(dt.UTC)
    out = folder.path
    files = sweep_files(sweep, lang)
    clash = sorted(set(files) & folder.foreign_files())
    if clash:
        raise folder.error(
            f"holds {', '.join(clash)}, which oasim did not write", "choose a new folder"
        )
    stability = ranking_stability(sweep.convergence)
    write_beside(
        out,
        files,
        started,
        {"workers": workers, "scheduler": scheduler},
        command="sensitivity",
        problem=sweep.problem.to_manifest(),
        method=sweep.method,
        samples=sweep.samples,
        master_seed=sweep.seed,
        seeds=replicate_seeds(sweep.seed, sweep.problem.seeds),
        runs=len(sweep.raw),
        points=len(sweep.X),
        second_order=sweep.second_order,
        resamples=resamples,
        until_ci=until_ci,
        until_ci_history=sweep.history,
        seed_noise=sweep.noise.to_dict(orient="records"),
        ranking_stability=stability.to_dict(orient="records"),
    )
    return out
