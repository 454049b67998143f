"""Saving a findings run: every table as CSV, the figures, the report and the manifest into an
output folder, atomically, and :class:`DocsTarget`, the copy of the report and its figures kept
in the documentation.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from .figures import write_figures
from .report import MARKER, render_markdown
from .runner import Findings

TABLES = {
    "effects.csv": "effects",
    "dose_response.csv": "dose",
    "dose_shapes.csv": "shapes",
    "interactions.csv": "interactions",
    "combination.csv": "combination",
    "companions.csv": "companions",
    "perturbations.csv": "perturbations",
    "robustness_effects.csv": "robust_effects",
    "robustness_rank.csv": "rank",
    "robustness_stability.csv": "stability",
    "scenarios.csv": "scenarios",
    "runs.csv": "runs",
}
REPORT = "FINDINGS.md"


def _manifest_content(f: Findings) -> dict[str, Any]:
    return {
        "command": "findings",
        "settings": f.settings.to_dict(),
        "master_seed": f.settings.master_seed,
        "seeds": f.seeds,
        "settings_run": int(f.scenarios.shape[0]),
        "runs": f.runs_total,
        "curves": {
            c.key: {"levels": list(c.levels), "parameters": c.parameters}
            for c in f.settings.curves()
        },
        "assumption_bounds": {k: list(v) for k, v in f.bounds.items()},
    }


def save_findings(
    f: Findings,
    folder,
    *,
    overwrite: bool = False,
    started: dt.datetime | None = None,
    workers: int | None = None,
) -> Path:
    """Write the tables, figures, report and provenance into ``folder``, atomically."""
    from ...outputs import ENVIRONMENT, MANIFEST
    from ...provenance import manifest, run_environment, write_json
    from ...results import claimed

    started = started or dt.datetime.now(dt.UTC)

    def write(tmp: Path) -> None:
        files = {}
        for name, attr in TABLES.items():
            getattr(f, attr).to_csv(tmp / name, index=False, float_format="%.8g")
            files[name] = tmp / name
        files.update(write_figures(f, tmp))
        (tmp / REPORT).write_text(render_markdown(f), encoding="utf-8")
        files[REPORT] = tmp / REPORT
        write_json(tmp / MANIFEST, manifest(files=files, **_manifest_content(f)))
        write_json(tmp / ENVIRONMENT, run_environment(started, workers=workers))

    with claimed(folder, overwrite) as out:
        return out.commit(write)


class DocsTarget:
    """A report to keep in the documentation (``--docs docs/FINDINGS.md``): the markdown file,
    and its figures in ``images/<stem>/`` beside it, referenced relatively.

    Claimed before any run, like an output folder: a markdown file oasim did not write (its
    first line is not :data:`MARKER`) is refused, and the figures' folder is an
    :class:`~sim.outputs.OutputFolder` (refused if it holds someone else's files).
    """

    def __init__(self, path: str | Path, *, overwrite: bool = False):
        from ...outputs import OutputError, OutputFolder

        self.path = Path(path)
        if self.path.suffix.lower() != ".md":
            raise OutputError(
                f"--docs {self.path}: not a markdown file; give e.g. docs/FINDINGS.md"
            )
        if self.path.is_dir():
            raise OutputError(f"--docs {self.path}: is a folder; give a markdown file name")
        if self.path.exists() and not self._ours():
            raise OutputError(
                f"--docs {self.path}: holds a file oasim did not write; refusing to replace it: "
                "choose another file name"
            )
        self.images = self.path.parent / "images" / self.path.stem.lower()
        self.folder = OutputFolder(self.images, overwrite=overwrite, what="--docs")

    def _ours(self) -> bool:
        try:
            with open(self.path, encoding="utf-8") as fh:
                return fh.readline().strip() == MARKER
        except (OSError, UnicodeDecodeError):
            return False

    def write(self, f: Findings) -> Path:
        from ...outputs import MANIFEST
        from ...provenance import manifest, write_atomic, write_json

        def figures(tmp: Path) -> None:
            files = write_figures(f, tmp)
            # No environment.json: the docs are committed, and must not change between runs.
            write_json(tmp / MANIFEST, manifest(files=files, **_manifest_content(f)))

        self.folder.commit(figures)
        rel = os.path.relpath(self.images, self.path.parent).replace(os.sep, "/")
        text = render_markdown(f, figures=f"{rel}/")
        write_atomic(self.path, lambda p: p.write_text(text, encoding="utf-8"))
        return self.path

    def release(self) -> None:
        self.folder.release()

    def __enter__(self) -> DocsTarget:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()
