"""Output folders: oasim never deletes or overwrites what it did not write, and a killed write
leaves nothing behind (docs/reliability.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.outputs import (
    BRIEF_TAG,
    OutputError,
    OutputFolder,
    clean_stale_temporaries,
    owned_files,
    pid_alive,
    temporary_name,
)
from sim.provenance import manifest, write_atomic, write_json


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def oasim_files(tmp: Path, **files: str) -> None:
    """A writer that fills ``tmp`` as a command does: result files, then the manifest."""
    for name, content in files.items():
        (tmp / name).write_text(content)
    write_json(tmp / "manifest.json", manifest(command="test", files={n: tmp / n for n in files}))


def write_results(target: Path, overwrite: bool = False, **files: str) -> Path:
    with OutputFolder(target, overwrite=overwrite) as out:
        return out.commit(lambda tmp: oasim_files(tmp, **files))


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# ---- what is refused --------------------------------------------------------------------------
def test_a_users_folder_is_refused_and_left_intact(tmp_path):
    target = tmp_path / "x"
    (target / "Documents").mkdir(parents=True)
    (target / "Documents" / "a.txt").write_text("hi")
    (target / ".env.local").write_text("SECRET=1")
    with pytest.raises(OutputError, match="not a folder of oasim results"):
        OutputFolder(target)
    assert (target / "Documents" / "a.txt").read_text() == "hi"
    assert (target / ".env.local").read_text() == "SECRET=1"
    assert names(tmp_path) == {"x"}  # no lock file or temporary left behind


def test_a_file_is_refused_even_with_overwrite(tmp_path):
    target = tmp_path / "results"
    target.write_text("mine")
    for overwrite in (False, True):
        with pytest.raises(OutputError, match="is a file"):
            OutputFolder(target, overwrite=overwrite)
    assert target.read_text() == "mine"
    assert names(tmp_path) == {"results"}


@pytest.mark.parametrize("path", [".", "..", "sub/..", "/"])
def test_the_current_folder_its_parents_and_the_root_are_refused(tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    with pytest.raises(OutputError, match=r"current folder|root"):
        OutputFolder(path, overwrite=True)


def test_the_home_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    with pytest.raises(OutputError, match="home folder"):
        OutputFolder(tmp_path / "home", overwrite=True)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_place_is_refused_at_once(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write"):
            OutputFolder(ro / "out")
    finally:
        ro.chmod(0o700)


def test_a_path_under_proc_is_refused_at_once():
    with pytest.raises(OutputError, match="cannot"):
        OutputFolder("/proc/oasim-test/out")


def test_a_refused_claim_removes_the_parent_folders_it_made(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "file").write_text("x")
    with pytest.raises(OutputError):
        OutputFolder(tmp_path / "a" / "file" / "deeper" / "out")
    assert names(tmp_path / "a") == {"file"}


# ---- what is written ---------------------------------------------------------------------------
def test_a_new_folder_is_written_whole(tmp_path):
    target = tmp_path / "nested" / "out"
    write_results(target, **{"a.csv": "1"})
    assert names(target) == {"a.csv", "manifest.json"}
    assert owned_files(target) == {"a.csv", "manifest.json"}
    assert names(target.parent) == {"out"}  # no temporary, no lock


def test_results_get_the_permissions_of_ordinary_files(tmp_path):
    old = os.umask(0o022)
    try:
        write_results(tmp_path / "out", **{"a.csv": "1"})
        write_atomic(tmp_path / "single.json", lambda p: p.write_text("{}"))
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "single.json").stat().st_mode & 0o777 == 0o644


def test_an_empty_folder_is_used(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    write_results(target, **{"a.csv": "1"})
    assert names(target) == {"a.csv", "manifest.json"}


def test_an_oasim_folder_is_replaced_as_a_whole(tmp_path):
    target = tmp_path / "out"
    write_results(target, **{"a.csv": "old", "b.png": "old"})
    write_results(target, **{"a.csv": "new"})
    assert names(target) == {"a.csv", "manifest.json"}  # b.png was oasim's: it goes too
    assert (target / "a.csv").read_text() == "new"
    assert names(tmp_path) == {"out"}


def test_an_oasim_folder_with_a_users_file_is_refused_without_overwrite(tmp_path):
    target = tmp_path / "out"
    write_results(target, **{"a.csv": "old"})
    (target / "notes.txt").write_text("my notes")
    with pytest.raises(OutputError, match="did not write"):
        write_results(target, **{"a.csv": "new"})
    assert (target / "a.csv").read_text() == "old"
    assert (target / "notes.txt").read_text() == "my notes"


def test_a_brief_written_into_a_results_folder_is_oasims(tmp_path):
    target = tmp_path / "out"
    write_results(target, **{"a.csv": "old"})
    (target / "brief-en.html").write_text(f"<html><head>{BRIEF_TAG}</head></html>")
    (target / "brief-zh.html").write_text("<html>my own page, same name pattern</html>")
    assert owned_files(target) == {"a.csv", "manifest.json", "brief-en.html"}
    with pytest.raises(OutputError, match="did not write"):  # the look-alike is the user's
        write_results(target, **{"a.csv": "new"})
    (target / "brief-zh.html").unlink()
    write_results(target, **{"a.csv": "new"})  # the brief goes with the results it described
    assert names(target) == {"a.csv", "manifest.json"}


def test_a_sweep_run_inside_a_sweep_folder_is_oasims(tmp_path):
    """An exploration keeps its lever-interaction sweep in a subfolder with its own state."""
    target = tmp_path / "explore"
    for folder in (target, target / "interactions"):
        (folder / "chunks").mkdir(parents=True)
        write_json(folder / "state.json", {"generator": "oasim", "fingerprint": "x"})
        (folder / "chunks" / "chunk-00000000-00000001.parquet").write_bytes(b"PAR1")
    (target / "notes").mkdir()
    (target / "notes" / "state.json").write_text("{}")  # a user's folder, not a sweep
    owned = owned_files(target)
    assert {
        "interactions/state.json",
        "interactions/chunks/chunk-00000000-00000001.parquet",
    } <= owned
    assert "notes/state.json" not in owned


def test_overwrite_replaces_only_oasims_own_files(tmp_path):
    target = tmp_path / "out"
    write_results(target, **{"a.csv": "old", "b.png": "old"})
    (target / "notes.txt").write_text("my notes")
    write_results(target, overwrite=True, **{"a.csv": "new"})
    assert (target / "notes.txt").read_text() == "my notes"
    assert (target / "a.csv").read_text() == "new"
    assert not (target / "b.png").exists()
    assert owned_files(target) == {"a.csv", "manifest.json"}


def test_overwrite_beside_a_users_files_never_replaces_one_of_them(tmp_path):
    target = tmp_path / "x"
    target.mkdir()
    (target / "a.csv").write_text("the user's own a.csv")
    (target / "keep.txt").write_text("keep")
    with pytest.raises(OutputError, match=r"a\.csv, which oasim did not write"):
        write_results(target, overwrite=True, **{"a.csv": "new"})
    assert (target / "a.csv").read_text() == "the user's own a.csv"
    write_results(target, overwrite=True, **{"b.csv": "new"})
    assert names(target) == {"a.csv", "keep.txt", "b.csv", "manifest.json"}


def test_a_failed_write_keeps_the_old_results_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out"
    write_results(target, **{"a.csv": "old"})

    def fail(tmp):
        (tmp / "a.csv").write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), OutputFolder(target) as out:
        out.commit(fail)
    assert (target / "a.csv").read_text() == "old"
    assert names(tmp_path) == {"out"}


def test_a_claim_that_never_commits_leaves_nothing(tmp_path):
    with OutputFolder(tmp_path / "deep" / "out"):
        pass
    assert names(tmp_path) == set()


def test_folders_of_the_first_version_count_as_oasims(tmp_path):
    target = tmp_path / "old"
    target.mkdir()
    (target / "summary.json").write_text("{}")
    legacy = {"command": "run", "environment": {"package": "oasim"}, "files": {"summary.json": ""}}
    (target / "manifest.json").write_text(json.dumps(legacy))
    assert owned_files(target) == {"summary.json", "manifest.json"}
    write_results(target, **{"a.csv": "1"})
    assert names(target) == {"a.csv", "manifest.json"}


# ---- concurrency and kills ---------------------------------------------------------------------
def test_a_second_writer_of_the_same_folder_is_refused(tmp_path):
    target = tmp_path / "out"
    with OutputFolder(target), pytest.raises(OutputError, match="another oasim command"):
        OutputFolder(target)
    with OutputFolder(target):  # free again once the first is done
        pass


def test_the_lock_is_held_across_processes(tmp_path):
    target = tmp_path / "out"
    with OutputFolder(target):
        code = (
            "import sys\nfrom sim.outputs import OutputFolder, OutputError\n"
            f"try:\n    OutputFolder({str(target)!r})\nexcept OutputError:\n    sys.exit(3)\n"
        )
        assert subprocess.run([sys.executable, "-c", code]).returncode == 3


def test_temporaries_of_dead_processes_are_cleaned_on_the_next_write(tmp_path):
    pid = dead_pid()
    assert not pid_alive(pid)
    stale_dir = tmp_path / f".out.tmp-{pid}-abc123"
    stale_dir.mkdir()
    (stale_dir / "timeseries.csv").write_text("half")
    stale_file = tmp_path / f".out.old-{pid}-ffee"
    stale_file.mkdir()
    live = tmp_path / f".out.tmp-{os.getpid()}-zzz"  # a write in progress: not touched
    live.mkdir()
    write_results(tmp_path / "out", **{"a.csv": "1"})
    assert names(tmp_path) == {"out", live.name}


def test_cleaning_ignores_names_that_only_look_alike(tmp_path):
    (tmp_path / ".env.local").write_text("x")
    (tmp_path / ".out.tmp-notapid-x").write_text("x")
    (tmp_path / "out.tmp-1-x").write_text("x")
    assert clean_stale_temporaries(tmp_path) == []
    assert len(names(tmp_path)) == 3


def test_a_write_killed_with_sigkill_leaves_debris_that_the_next_write_removes(tmp_path):
    target = tmp_path / "out"
    code = (
        "import os, signal\nfrom sim.outputs import OutputFolder\n"
        f"out = OutputFolder({str(target)!r})\n"
        "def write(tmp):\n"
        "    (tmp / 'a.csv').write_text('half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "out.commit(write)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code])
    assert proc.returncode == -9
    debris = {n for n in names(tmp_path) if n != "out"}
    assert debris and all(n.startswith(".out.") for n in debris)  # temporary and lock
    write_results(target, **{"a.csv": "1"})
    assert names(tmp_path) == {"out"}


def test_temporary_names_carry_the_process_id():
    assert temporary_name("x.csv") == f".x.csv.tmp-{os.getpid()}-"
