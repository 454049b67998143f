"""Provenance and atomic output: every result folder is complete or absent, with a manifest.

A run writes into a hidden temporary folder next to its destination and renames it into place
only when every file is written, so an interrupted or failed run leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

__all__ = [
    "atomic_folder",
    "environment",
    "manifest",
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
    root = Path(__file__).resolve().parent.parent
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


def manifest(
    *, command: str, started: dt.datetime, files: Mapping[str, Path] | None = None, **content: Any
) -> dict[str, Any]:
    """A manifest: what was run, with what, when, and checksums of what it wrote."""
    finished = dt.datetime.now(dt.UTC)
    out = {
        "command": command,
        "argv": sys.argv,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_seconds": round((finished - started).total_seconds(), 3),
        **content,
        "environment": environment(),
    }
    if files:
        out["files"] = {name: _sha256(path) for name, path in sorted(files.items())}
    return out


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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
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


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``target`` only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
