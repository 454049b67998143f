"""Provenance: atomic output folders, manifests and checksums."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.provenance import atomic_folder, environment, manifest, to_jsonable, write_json_atomic


class Boom(RuntimeError):
    pass


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_atomic_folder_creates_the_target_on_success(tmp_path):
    target = tmp_path / "nested" / "out"
    with atomic_folder(target) as tmp:
        assert tmp.parent == target.parent
        assert tmp.name.startswith(".")  # hidden while being written
        assert not target.exists()
        (tmp / "a.txt").write_text("new")
    assert (target / "a.txt").read_text() == "new"
    assert names(target.parent) == {"out"}


def test_atomic_folder_replaces_an_old_folder_on_success(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with atomic_folder(target) as tmp:
        (tmp / "new.txt").write_text("new")
        assert (target / "old.txt").exists()  # untouched until the block succeeds
    assert names(target) == {"new.txt"}
    assert names(tmp_path) == {"out"}  # neither the temporary nor the old folder remains


def test_atomic_folder_keeps_the_old_folder_when_the_block_raises(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(Boom), atomic_folder(target) as tmp:
        (tmp / "half.txt").write_text("half-written")
        raise Boom
    assert names(target) == {"old.txt"}
    assert (target / "old.txt").read_text() == "old"
    assert names(tmp_path) == {"out"}


def test_atomic_folder_leaves_nothing_when_the_first_write_fails(tmp_path):
    with pytest.raises(KeyboardInterrupt), atomic_folder(tmp_path / "out") as tmp:
        (tmp / "x").write_text("x")
        raise KeyboardInterrupt
    assert names(tmp_path) == set()


def test_write_json_atomic_writes_through_a_rename(tmp_path):
    path = tmp_path / "sub" / "data.json"
    write_json_atomic(path, {"a": np.float64(1.5), "b": (1, 2), "p": Path("x/y")})
    assert json.loads(path.read_text()) == {"a": 1.5, "b": [1, 2], "p": "x/y"}
    assert names(path.parent) == {"data.json"}


def test_to_jsonable_turns_numpy_and_paths_into_plain_values():
    got = to_jsonable({1: np.int64(3), "t": (np.float32(0.5), Path("a")), "n": [np.bool_(True)]})
    assert got == {"1": 3, "t": [0.5, "a"], "n": [True]}
    assert type(got["1"]) is int
    json.dumps(got)


def test_manifest_has_times_environment_and_matching_checksums(tmp_path):
    f = tmp_path / "a.bin"
    f.write_bytes(b"hello oasim")
    started = dt.datetime.now(dt.UTC)
    m = manifest(command="test", started=started, files={"a.bin": f}, seed=7)
    assert m["command"] == "test" and m["seed"] == 7
    assert m["files"] == {"a.bin": "sha256:" + hashlib.sha256(b"hello oasim").hexdigest()}
    assert dt.datetime.fromisoformat(m["finished"]) >= dt.datetime.fromisoformat(m["started"])
    assert m["duration_seconds"] >= 0
    assert m["environment"]["package"] == "oasim"


def test_environment_names_the_package_and_its_dependencies():
    env = environment()
    assert env["package_version"] == sim.__version__
    assert {"mesa", "numpy", "pandas", "networkx", "matplotlib"} <= set(env["dependencies"])
    assert env["python"].count(".") == 2
