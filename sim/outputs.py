"""Output folders: oasim replaces only what it wrote, and leaves nothing half-written.

The rules every command and every library ``save`` follow:

- A folder is oasim's when its ``manifest.json`` (or, for a sweep, ``state.json``) carries
  ``"generator": "oasim"``; the files oasim wrote there are the ones its manifest lists.
- A target that does not exist, or is an empty folder, is written. A folder of oasim's is
  replaced as a whole (its files were all written by oasim). Any other existing target is
  refused with :class:`OutputError` *before* any simulation runs; with ``overwrite=True`` oasim
  writes its files beside the user's, never replacing a file it did not write.
- The current folder, one of its parents, the home folder and the file-system root are refused.
- Results are written into a hidden temporary folder beside the target and renamed into place
  once complete. Temporaries carry the writer's process id; a later write to the same place
  removes those of processes that no longer exist (a ``kill -9`` mid-write).
- While a command prepares and writes a target it holds an exclusive lock beside it
  (``.NAME.oasim-lock``), so a second command writing the same folder is refused at once
  instead of silently replacing the first one's results.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = [
    "ENVIRONMENT",
    "GENERATOR",
    "MANIFEST",
    "OutputError",
    "OutputFolder",
    "clean_stale_temporaries",
    "default_mode",
    "is_brief",
    "owned_files",
    "pid_alive",
    "temporary_name",
]

GENERATOR = "oasim"
MANIFEST = "manifest.json"
ENVIRONMENT = "environment.json"  # volatile facts of a run (times, machine): never compared
SWEEP_STATE = "state.json"
BRIEF_TAG = '<meta name="generator" content="oasim brief">'
LOCK_SUFFIX = ".oasim-lock"
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?:tmp|old)-(?P<pid>\d+)-[A-Za-z0-9_]+(?:\.[^.]*)?$")


class OutputError(InputError):
    """An output target oasim will not write: it names the path and what to do instead."""


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def default_mode(folder: bool) -> int:
    """The permissions a plain ``open``/``mkdir`` would give under the current umask (mkstemp
    and mkdtemp create private files, which results should not stay)."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if folder else 0o666) & ~umask


def temporary_name(name: str, kind: str = "tmp") -> str:
    """The prefix of a temporary beside ``name``: ``.NAME.tmp-PID-`` (mkstemp adds the rest)."""
    return f".{name}.{kind}-{os.getpid()}-"


def _dead_temporary(entry: str, name: str | None = None) -> bool:
    """Whether ``entry`` is a temporary (of ``name``, if given) whose writer no longer runs."""
    m = _TEMP.match(entry)
    return bool(m) and (name is None or m["name"] == name) and not pid_alive(int(m["pid"]))


def clean_stale_temporaries(folder: Path, name: str | None = None) -> list[Path]:
    """Remove temporaries of dead oasim processes in ``folder`` (of ``name`` only, if given)."""
    removed = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for entry in Path(folder).iterdir():
            if not _dead_temporary(entry.name, name):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _is_oasim(doc: dict | None) -> bool:
    if doc is None:
        return False
    if doc.get("generator") == GENERATOR:
        return True
    # Folders written before the generator field: the environment named the package.
    env = doc.get("environment")
    return isinstance(env, dict) and env.get("package") == GENERATOR


def owned_files(folder: Path) -> set[str] | None:
    """Relative paths of the files oasim wrote in ``folder``, or None if it is not oasim's."""
    folder = Path(folder)
    manifest = _read_json(folder / MANIFEST)
    state = _read_json(folder / SWEEP_STATE)
    if not (_is_oasim(manifest) or (state is not None and state.get("generator") == GENERATOR)):
        return None
    owned = {MANIFEST, ENVIRONMENT}
    if manifest is not None and _is_oasim(manifest):
        owned |= set(manifest.get("files", {}))
    if state is not None:
        owned.add(SWEEP_STATE)
        owned |= set(state.get("files", []))  # a calibration's history database
        chunks = folder / "chunks"
        if chunks.is_dir():
            owned |= {f"chunks/{p.name}" for p in chunks.glob("chunk-*.parquet")}
        # A sweep run as part of this one (an exploration's lever interactions) is a folder
        # with its own state.json.
        for sub in folder.iterdir():
            if sub.is_dir() and (sub / SWEEP_STATE).is_file():
                owned |= {f"{sub.name}/{name}" for name in owned_files(sub) or ()}
    # Policy briefs (oasim brief) written into the folder, recognised by their generator tag.
    owned |= {p.name for p in folder.glob("brief-*.html") if is_brief(p)}
    return {name for name in owned if (folder / name).exists()}


def is_brief(path: Path) -> bool:
    """Whether ``path`` is a policy brief written by oasim (its generator tag)."""
    try:
        with path.open(encoding="utf-8") as f:
            return BRIEF_TAG in f.read(4096)
    except (OSError, UnicodeDecodeError):
        return False


def _contents(folder: Path) -> set[str]:
    """Every file under ``folder``, as relative paths (temporaries of dead writers excluded)."""
    out = set()
    for root, dirs, files in os.walk(folder):
        rel = Path(root).relative_to(folder)
        out |= {(rel / f).as_posix() for f in files if not _dead_temporary(f)}
        dirs[:] = [d for d in dirs if not _TEMP.match(d)]
    return out


def _forbidden(path: Path) -> str | None:
    resolved = path.resolve()
    cwd = Path.cwd().resolve()
    if resolved == cwd or resolved in cwd.parents:
        return "is the current folder or one of its parents"
    if resolved == Path(resolved.anchor):
        return "is the root of the file system"
    if resolved == Path.home().resolve():
        return "is the home folder"
    return None


class OutputFolder:
    """A claimed output target: checked and locked at once, written later, atomically.

    Use as a context manager around the whole command, so that the check happens before any
    simulation and the lock is held until the results are in place::

        with OutputFolder(path, overwrite=False) as out:   # refuses a bad target here
            result = simulate(...)
            out.commit(write)                              # write(tmp_folder) fills a folder
    """

    def __init__(self, path: str | Path, *, overwrite: bool = False, what: str = "--out"):
        self.path = Path(path)
        self.overwrite = overwrite
        self.what = what
        self._lock_fd: int | None = None
        self._lock_path: Path | None = None
        self._created: list[Path] = []  # parent folders this claim made, removed if unused
        self.committed = False
        self.claim()

    # ---- claiming ------------------------------------------------------------------------
    def error(self, problem: str, advice: str) -> OutputError:
        return OutputError(f"{self.what} {self.path}: {problem}; {advice}")

    def claim(self) -> None:
        if not self.path.name or self.path.name in (".", ".."):
            why = "is the current folder or one of its parents"
            raise self.error(why, "give a new folder name, e.g. --out results/my-run")
        why = _forbidden(self.path)
        if why:
            raise self.error(why, "give a new folder name, e.g. --out results/my-run")
        if self.path.exists() and not self.path.is_dir():
            raise self.error(
                "is a file, not a folder", "oasim writes a folder of results: give a folder name"
            )
        self._make_parent()
        self._lock()
        try:
            self._check_target()
        except BaseException:
            self.release()
            raise
        clean_stale_temporaries(self.path.parent, self.path.name)
        if self.path.is_dir():
            clean_stale_temporaries(self.path)

    def _make_parent(self) -> None:
        parent = self.path.parent
        missing = []
        p = parent
        while not p.exists():
            missing.append(p)
            p = p.parent
        if not p.is_dir():
            raise self.error(f"{p} is a file, not a folder", "choose a folder path")
        try:
            for folder in reversed(missing):
                folder.mkdir()
                self._created.append(folder)
        except OSError as err:
            raise self.error(
                f"cannot create {folder}: {err.strerror}", "choose a writable place"
            ) from None

    def _lock(self) -> None:
        lock = self.path.parent / f".{self.path.name}{LOCK_SUFFIX}"
        try:
            while True:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    os.close(fd)
                    raise self.error(
                        f"another oasim command (process {holder}) is writing it",
                        "wait for it to finish, or choose another folder",
                    ) from None
                # The holder before us may have removed the file after we opened it.
                try:
                    same = os.fstat(fd).st_ino == os.stat(lock).st_ino
                except FileNotFoundError:
                    same = False
                if same:
                    break
                os.close(fd)
        except OSError as err:
            self._remove_created()
            raise self.error(
                f"cannot write in {self.path.parent}: {err.strerror}", "choose a writable folder"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_fd, self._lock_path = fd, lock

    def _check_target(self) -> None:
        if not self.path.is_dir():
            return
        if not os.access(self.path, os.W_OK | os.X_OK):
            raise self.error("is not writable", "choose a writable folder")
        contents = _contents(self.path)
        if not contents:
            return
        owned = owned_files(self.path)
        if owned is not None and contents <= owned:
            return
        if not self.overwrite:
            what = "holds files oasim did not write"
            if owned is None:
                what = "exists and is not a folder of oasim results"
            raise self.error(
                what,
                "refusing to touch them: choose a new folder, or add --overwrite to write "
                "oasim's files beside them (nothing oasim did not write is replaced)",
            )

    # ---- writing -------------------------------------------------------------------------
    def foreign_files(self) -> set[str]:
        """Files in the target that oasim did not write (never replaced or removed)."""
        if not self.path.is_dir():
            return set()
        return _contents(self.path) - (owned_files(self.path) or set())

    def commit(self, write: Callable[[Path], object]) -> Path:
        """Call ``write(tmp)`` to fill a temporary folder, then put it in place atomically.

        The old results of oasim's in the target are replaced; files oasim did not write are
        kept, and a new file whose name one of them holds is refused.
        """
        parent = self.path.parent
        tmp = Path(tempfile.mkdtemp(prefix=temporary_name(self.path.name), dir=parent))
        os.chmod(tmp, default_mode(folder=True))
        try:
            write(tmp)
            new = _contents(tmp)
            foreign = self.foreign_files()
            if foreign:
                clash = sorted(new & foreign)
                if clash:
                    raise self.error(
                        f"holds {', '.join(clash)}, which oasim did not write",
                        "choose a new folder",
                    )
                self._merge(tmp, new)
            else:
                self._swap(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.committed = True
        return self.path

    def _swap(self, tmp: Path) -> None:
        old = None
        if self.path.exists():
            with contextlib.suppress(OSError):  # an empty folder is replaced by the rename
                os.rmdir(self.path)
        if self.path.exists():
            old = tmp.parent / (temporary_name(self.path.name, "old") + secrets.token_hex(4))
            os.replace(self.path, old)
        os.replace(tmp, self.path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)  # held only oasim's files: checked at claim

    def _merge(self, tmp: Path, new: set[str]) -> None:
        # Beside a user's files: each file replaced atomically, the manifest last, so the set
        # is consistent once the manifest names it.
        stale = (owned_files(self.path) or set()) - new
        for name in sorted(new, key=lambda n: n == MANIFEST):
            dest = self.path / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / name, dest)
        for name in stale:
            (self.path / name).unlink(missing_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)

    # ---- releasing -----------------------------------------------------------------------
    def _remove_created(self) -> None:
        for folder in reversed(self._created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._created = []

    def release(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._lock_path)
            os.close(self._lock_fd)
            self._lock_fd = None
        if not self.committed and not self.path.exists():
            self._remove_created()

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()
