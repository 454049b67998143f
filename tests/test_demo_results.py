"""The committed demo results (and analyses) are complete, match their manifests, and hold
nothing that would change when the demo runs again (times, machine paths): a fresh clone stays
clean."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = sorted((ROOT / "results" / "demo").glob("*/manifest.json"))
# Committed analyses beside the demo (make calibration, make explore).
ANALYSES = [ROOT / "results" / name / "manifest.json" for name in ("calibration", "explore")]
VOLATILE = {"started", "finished", "duration_seconds", "argv", "cwd", "environment", "workers"}


def strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, str):
        yield value


def test_every_demo_folder_has_a_manifest():
    folders = sorted(p for p in (ROOT / "results" / "demo").iterdir() if p.is_dir())
    assert folders and [m.parent for m in MANIFESTS] == folders


@pytest.mark.parametrize("path", MANIFESTS + ANALYSES, ids=lambda p: p.parent.name)
def test_demo_manifest_is_stable_and_matches_the_committed_files(path):
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["generator"] == "oasim"
    assert not VOLATILE & set(manifest), "volatile facts belong in environment.json"
    absolute = [v for v in strings(manifest) if v.startswith("/")]
    assert not absolute, f"paths of one machine: {absolute}"
    for name, digest in manifest["files"].items():
        data = (path.parent / name).read_bytes()
        assert digest == "sha256:" + hashlib.sha256(data).hexdigest(), name
