"""Provenance: the manifest every result folder carries, and atomic writes of single files.

``manifest.json`` says what was run (scenario, parameters, seeds, oasim version, checksums of
the files) and is byte-stable; ``environment.json`` says when, where and on which versions of
the dependencies (see :func:`run_environment`). Folders are placed by :mod:`sim.outputs`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .outputs import default_mode, temporary_name

__all__ = [
    "environment",
    "manifest",
    "relative_path",
    "run_environment",
    "write_atomic",
    "write_json",
    "write_json_atomic",
]

DEPENDENCIES = (
    "mesa",
    "numpy",
    "scipy",
    "networkx",
    "pandas",
    "matplotlib",
    "pyarrow",
    "SALib",
    "dask",
    "distributed",
    "solara",
)


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _git_commit() -> str | None:
    """The commit of the checkout oasim runs from; None for an installed package (whose folder
    may sit inside some other repository, whose commit says nothing about oasim)."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "pyproject.toml").is_file() or not (root / "scenarios").is_dir():
        return None
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "sim", "scenarios"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def environment() -> dict[str, Any]:
    """Package, dependency and platform versions."""
    deps = {name: v for name in DEPENDENCIES if (v := _version(name))}
    return {
        "package": "oasim",
        "package_version": _version("oasim") or "0+unknown",
        "git_commit": _git_commit(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "dependencies": deps,
    }


def manifest(*, command: str, files: Mapping[str, Path] | None = None, **content: Any) -> dict:
    """A manifest: what was run and with what, and checksums of what it wrote.

    It holds only facts that the same command on the same inputs reproduces (no times, no
    paths of this machine), so regenerated results are byte-identical; :func:`run_environment`
    holds the rest. ``"generator": "oasim"`` marks the folder as oasim's (see sim.outputs).
    """
    out = {
        "generator": "oasim",
        "command": command,
        "oasim_version": _version("oasim") or "0+unknown",
        **content,
    }
    if files:
        out["files"] = {name: _sha256(path) for name, path in sorted(files.items())}
    return out


def run_environment(started: dt.datetime, **facts: Any) -> dict[str, Any]:
    """The volatile facts of one execution: when, where, how, on which machine and versions."""
    finished = dt.datetime.now(dt.UTC)
    return {
        "generator": "oasim",
        "argv": sys.argv,
        "cwd": os.getcwd(),
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_seconds": round((finished - started).total_seconds(), 3),
        **facts,
        "environment": environment(),
    }


def relative_path(path: str | Path | None) -> str | None:
    """``path`` relative to the current folder when it lies inside it (stable across clones)."""
    if path is None:
        return None
    p = Path(path).resolve()
    try:
        return p.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(p)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def to_jsonable(value: Any) -> Any:
    """numpy scalars, paths and tuples turned into plain JSON values."""
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value


def write_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(to_jsonable(data), indent=2, ensure_ascii=False, allow_nan=True) + "\n",
        encoding="utf-8",
    )


def write_atomic(path: Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write(tmp)`` on a temporary name beside ``path``, then rename it into place:
    readers see the old file or the complete new one, never half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=temporary_name(path.name), suffix=path.suffix, dir=path.parent
    )
    os.close(fd)
    os.chmod(tmp, default_mode(folder=False))
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def write_json_atomic(path: Path, data: Any) -> Path:
    """Write JSON to ``path`` atomically."""
    return write_atomic(path, lambda tmp: write_json(tmp, data))
