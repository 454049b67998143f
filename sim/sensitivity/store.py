"""Resumable storage of a sweep: chunks of evaluated points, written as they finish.

The folder holds ``state.json`` (the fingerprint of problem, method and seed) and
``chunks/chunk-<first>-<last>.parquet`` files, each written atomically. A resumed sweep loads
every chunk, checks that its design rows are those of the current design, and evaluates only the
points still missing; a folder made by a different problem is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..outputs import MANIFEST, clean_stale_temporaries, owned_files
from ..provenance import write_atomic, write_json_atomic
from .problem import ProblemError

__all__ = ["ChunkStore"]


SWEEP_COMMANDS = ("sensitivity", "explore")


def _is_sweep(manifest: Path) -> bool:
    """Whether an oasim manifest is a sweep's (whose runs may have been deleted since)."""
    try:
        command = json.loads(manifest.read_text(encoding="utf-8")).get("command")
        return command in SWEEP_COMMANDS
    except (OSError, ValueError, AttributeError):
        return False


class ChunkStore:
    def __init__(
        self,
        folder: Path,
        fingerprint: str,
        payload: dict[str, Any],
        resume: bool,
        overwrite: bool = False,
    ):
        self.folder = Path(folder)
        self.chunks = self.folder / "chunks"
        state = self.folder / "state.json"
        owned = owned_files(self.folder) or set()
        if overwrite and not resume:
            # Start afresh: only what oasim wrote here goes (a user's files stay).
            for name in owned:
                (self.folder / name).unlink(missing_ok=True)
            owned = set()
        if not state.exists() and MANIFEST in owned and not _is_sweep(self.folder / MANIFEST):
            raise ProblemError(
                self.folder,
                None,
                "holds the results of another oasim command",
                "another --out, or --overwrite to replace them",
            )
        if state.exists():
            old = json.loads(state.read_text())
            if old.get("fingerprint") != fingerprint:
                changed = sorted(
                    k
                    for k in set(old.get("payload", {})) | set(payload)
                    if old.get("payload", {}).get(k) != payload.get(k)
                )
                raise ProblemError(
                    self.folder,
                    None,
                    "holds a sweep of a different problem "
                    f"(changed: {', '.join(changed) or 'fingerprint'}); "
                    "refusing to mix them",
                    "the same problem, method and seed, or another --out",
                )
            if not resume:
                raise ProblemError(
                    self.folder,
                    None,
                    "already holds this sweep",
                    "--resume to continue it, --overwrite to start it again, or another --out",
                )
        elif resume and self.chunks.exists():
            raise ProblemError(
                self.folder,
                None,
                "has chunks but no state.json",
                "a folder written by oasim sensitivity or oasim explore",
            )
        self.chunks.mkdir(parents=True, exist_ok=True)
        # Temporaries of writes interrupted by a kill: never part of the results.
        clean_stale_temporaries(self.chunks)
        write_json_atomic(
            state, {"generator": "oasim", "fingerprint": fingerprint, "payload": payload}
        )

    def load(self) -> pd.DataFrame:
        files = sorted(self.chunks.glob("chunk-*.parquet"))
        if not files:
            return pd.DataFrame()
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)

    def done_points(self, X: np.ndarray) -> set[int]:
        """Points already evaluated, after checking their stored design rows match ``X``."""
        df = self.load()
        if df.empty:
            return set()
        cols = [f"x{j}" for j in range(X.shape[1])]
        rows = df.drop_duplicates("point").set_index("point")
        points = rows.index.to_numpy()
        if points.max() >= len(X) and len(points):
            points = points[points < len(X)]
        stored = rows.loc[points, cols].to_numpy()
        if not np.array_equal(stored, X[points]):
            raise ProblemError(
                self.folder,
                None,
                "stored sample points differ from the current design",
                "the same problem, method and seed",
            )
        return set(points.tolist())

    def save(self, df: pd.DataFrame) -> Path:
        first, last = int(df.point.min()), int(df.point.max())
        path = self.chunks / f"chunk-{first:08d}-{last:08d}.parquet"
        # The temporary carries this process's id: a later store clears it if we are killed.
        write_atomic(path, lambda tmp: df.to_parquet(tmp, index=False))
        return path
