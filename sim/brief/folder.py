"""Reading a folder of oasim results for a brief: its manifest, tables and figures.

Every problem is a :class:`BriefError` naming the folder or file and what is allowed.
"""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..outputs import GENERATOR, MANIFEST

__all__ = ["KINDS", "BriefError", "embed", "figure", "read_csv", "read_manifest", "read_parquet"]

KINDS = ("compare", "sensitivity", "explore")
_PNG = b"\x89PNG\r\n\x1a\n"


class BriefError(InputError):
    """A brief that cannot be written: names the folder or file and what is allowed."""


def read_manifest(folder: Path) -> dict[str, Any]:
    """The folder's manifest, checked to be one of oasim's with a command a brief knows."""
    if not folder.exists():
        raise BriefError(
            f"{folder}: no such folder; give a folder of results written by "
            f"oasim {', oasim '.join(KINDS)}"
        )
    if not folder.is_dir():
        raise BriefError(f"{folder}: not a folder; give a folder of oasim results")
    path = folder / MANIFEST
    if not path.is_file():
        raise BriefError(
            f"{folder}: has no {MANIFEST}, so it is not a folder of oasim results; give a "
            f"folder written by oasim {', oasim '.join(KINDS)}"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise BriefError(f"{path}: cannot be read as JSON ({err})") from None
    if not isinstance(manifest, dict) or manifest.get("generator") != GENERATOR:
        raise BriefError(f'{path}: not written by oasim (no "generator": "{GENERATOR}")')
    command = manifest.get("command")
    if command not in KINDS:
        raise BriefError(
            f"{path}: command {command!r} has no brief; a brief can be written for the "
            f"results of: {', '.join(KINDS)}"
        )
    return manifest


def require(folder: Path, name: str) -> Path:
    path = folder / name
    if not path.is_file():
        raise BriefError(f"{path}: missing; the brief needs it (is the folder complete?)")
    return path


def read_csv(folder: Path, name: str, required: bool = True):
    """A table of the folder, or None when an optional one is absent."""
    import pandas as pd

    path = folder / name
    if not path.is_file():
        if required:
            require(folder, name)
        return None
    try:
        return pd.read_csv(path)
    except (OSError, ValueError) as err:
        raise BriefError(f"{path}: cannot be read as CSV ({err})") from None


def read_parquet(folder: Path, name: str):
    import pandas as pd

    path = folder / name
    if not path.is_file():
        return None
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as err:
        raise BriefError(f"{path}: cannot be read as parquet ({err})") from None


def figure(folder: Path, name: str, caption: str = "", alt: str = "") -> dict | None:
    """A PNG of the folder as an embeddable figure (a ``data:`` URI), or None if absent."""
    path = folder / name
    if not path.is_file():
        return None
    return embed(path.read_bytes(), name, caption, alt)


def embed(data: bytes, name: str, caption: str = "", alt: str = "") -> dict | None:
    """PNG bytes as an embeddable figure, or None if they are not a PNG."""
    if not data.startswith(_PNG) or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])  # IHDR
    return {
        "src": "data:image/png;base64," + base64.b64encode(data).decode("ascii"),
        "width": width,
        "height": height,
        "caption": caption,
        "alt": alt or caption or name,
        "name": name,
    }
