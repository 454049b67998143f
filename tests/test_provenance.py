"""Provenance: manifests, the environment record, checksums and atomic single-file writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.provenance import (
    environment,
    manifest,
    relative_path,
    run_environment,
    to_jsonable,
    write_atomic,
    write_json_atomic,
)


class Boom(RuntimeError):
    pass


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


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


def test_manifest_is_stable_and_marks_the_folder_as_oasims(tmp_path):
    f = tmp_path / "a.bin"
    f.write_bytes(b"hello oasim")
    m = manifest(command="test", files={"a.bin": f}, seed=7)
    assert m["generator"] == "oasim" and m["command"] == "test" and m["seed"] == 7
    assert m["files"] == {"a.bin": "sha256:" + hashlib.sha256(b"hello oasim").hexdigest()}
    assert m["oasim_version"] == sim.__version__
    # Nothing that changes from one execution to the next: regenerated results are identical.
    assert manifest(command="test", files={"a.bin": f}, seed=7) == m
    assert not {"started", "finished", "argv", "environment", "cwd"} & set(m)


def test_run_environment_holds_the_volatile_facts():
    started = dt.datetime.now(dt.UTC)
    env = run_environment(started, workers=3)
    assert dt.datetime.fromisoformat(env["finished"]) >= dt.datetime.fromisoformat(env["started"])
    assert env["duration_seconds"] >= 0 and env["workers"] == 3
    assert env["environment"]["package"] == "oasim"


def test_relative_path_is_relative_inside_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s").mkdir()
    assert relative_path(tmp_path / "s" / "a.toml") == "s/a.toml"
    assert relative_path("/elsewhere/b.toml") == "/elsewhere/b.toml"
    assert relative_path(None) is None


def test_write_atomic_leaves_no_temporary_when_the_writer_fails(tmp_path):
    def fail(path):
        path.write_text("half")
        raise Boom

    with pytest.raises(Boom):
        write_atomic(tmp_path / "x.csv", fail)
    assert names(tmp_path) == set()


def test_environment_names_the_package_and_its_dependencies():
    env = environment()
    assert env["package_version"] == sim.__version__
    assert {"mesa", "numpy", "pandas", "networkx", "matplotlib"} <= set(env["dependencies"])
    assert env["python"].count(".") == 2
