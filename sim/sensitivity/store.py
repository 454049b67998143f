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

from ..provenance import write_atomic, write_json_atomic
from .problem import ProblemError

__all__ = ["ChunkStore"]


class ChunkStore:
    def __init__(self, folder: Path, fingerprint: str, payload: dict[str, Any], resume: bool):
        self.folder = Path(folder)
        self.chunks = self.folder / "chunks"
        state = self.folder / "state.json"
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
                    "--resume to continue it, or another --out",
                )
        elif resume and self.chunks.exists():
            raise ProblemError(
                self.folder,
                None,
                "has chunks but no state.json",
                "a folder written by oasim sensitivity",
            )
        self.chunks.mkdir(parents=True, exist_ok=True)
        # Temporaries of writes interrupted by a kill: never part of the results.
        for stale in self.chunks.glob(".chunk-*"):
            stale.unlink(missing_ok=True)
        write_json_atomic(state, {"fingerprint": fingerprint, "payload": payload})

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
        # The temporary name starts with ".chunk-": __init__ clears such leftovers of a kill.
        write_atomic(path, lambda tmp: df.to_parquet(tmp, index=False))
        return path
