"""The one compiler setting of the model: rules and phases compile with numba.

``error_model="numpy"`` keeps numpy's floating-point semantics (a division by zero gives inf or
nan, as in numpy, instead of raising). Compiled code is cached on disk, so a new process (a
sweep's worker, the next command) loads it instead of compiling again, which takes about two
minutes on a small machine.

numba checks a cached function against its own source file only, not against the rules it
calls: after an edit of a rule, the phases' cached code would still hold the old equation. So
the cache lives in a folder named after a hash of every source file that compiled code comes
from; an edit anywhere among them starts a fresh cache.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
from pathlib import Path

import numba
import numpy as np
from numba import types
from numba.extending import overload

__all__ = [
    "cache_folder",
    "exp",
    "expm1",
    "jit",
    "machine_code",
    "power",
    "prune_stale_caches",
    "ratio",
    "where",
]

_PACKAGE = Path(__file__).resolve().parent
# Modules that hold compiled functions, or the records and enums those functions read.
_SOURCES = (
    "jit.py",
    "engine.py",
    "groups.py",
    "hierarchy.py",
    "observe.py",
    "params.py",
    "phases.py",
    "state.py",
)


def _source_hash() -> str:
    digest = hashlib.sha256(numba.__version__.encode())
    for path in [*(_PACKAGE / name for name in _SOURCES), *sorted(_PACKAGE.glob("rules/*.py"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_folder() -> Path:
    """Where compiled code is cached: beside the package where it may write (a checkout, a
    virtual environment), else in the user's cache folder; under ``NUMBA_CACHE_DIR`` if set."""
    name = f"oasim-compiled-{_source_hash()}"
    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(os.environ["NUMBA_CACHE_DIR"]) / name
    if os.access(_PACKAGE, os.W_OK):
        return _PACKAGE / "__pycache__" / name
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "oasim" / name


# Compiled code of earlier versions of the sources kept beside the package: a few, for going
# back and forth between versions (git branches) without compiling each time.
KEEP_STALE = 2


def prune_stale_caches(current: Path, keep: int = KEEP_STALE) -> list[Path]:
    """Delete the compiled-code folders beside ``current`` that belong to other versions of the
    sources (named ``oasim-compiled-<hash>``), but the ``keep`` most recently written: about
    30 MB each, never loaded again once the sources have moved on. Returns what was deleted."""
    stale = [
        path
        for path in current.parent.glob("oasim-compiled-*")
        if path != current and path.is_dir() and _CACHE_NAME.fullmatch(path.name)
    ]
    stale.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for path in stale[keep:]:
        shutil.rmtree(path, ignore_errors=True)
    return stale[keep:]


_CACHE_NAME = re.compile(r"oasim-compiled-[0-9a-f]{16}")
_CACHE = cache_folder()
# Only beside the package, where one version of the sources lives at a time, and only when a new
# version is about to compile: another installation's folders (a shared NUMBA_CACHE_DIR, the
# user's cache folder) are left alone.
if not _CACHE.exists() and _CACHE.parent == _PACKAGE / "__pycache__":
    prune_stale_caches(_CACHE)
# Read by numba when each function is decorated, so set before the first @jit below.
numba.config.CACHE_DIR = str(_CACHE)

jit = numba.njit(cache=True, error_model="numpy")


def ratio(part, whole, default):
    """``part / whole`` where ``whole > 0``, else ``default``, for arrays or numbers.

    Compiled, numbers stay numbers: ``np.where`` would return an array even for two numbers,
    an allocation in every step of a loop over officials.
    """
    return np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), default)


def where(condition, if_true, if_false):
    """``np.where`` for arrays; for numbers (compiled, in a loop over officials) a number, not
    the 0-d array ``np.where`` would allocate."""
    return np.where(condition, if_true, if_false)


# Compiled, ratio and where on vectors are one loop: numba's np.where takes a general
# broadcasting path that costs about 0.2 microseconds a call even on a handful of values, and a
# week calls them dozens of times. Anything but floats and same-length vectors goes to np.where.
def _float_vector(t) -> bool:
    return isinstance(t, types.Array) and t.ndim == 1 and isinstance(t.dtype, types.Float)


def _float_operand(t) -> bool:
    return isinstance(t, types.Float) or _float_vector(t)


def _at(x, i):
    """``x[i]`` of a vector, ``x`` itself of a number (compiled only)."""


@overload(_at)
def _at_impl(x, i):
    if isinstance(x, types.Array):
        return lambda x, i: x[i]
    return lambda x, i: x


def _length(x):
    """A vector's length, -1 for a number (compiled only)."""


@overload(_length)
def _length_impl(x):
    if isinstance(x, types.Array):
        return lambda x: x.size
    return lambda x: -1


@overload(ratio)
def _ratio(part, whole, default):
    if isinstance(part, types.Number) and isinstance(whole, types.Number):
        return lambda part, whole, default: part / whole if whole > 0 else default

    def general(part, whole, default):
        return np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), default)

    if not (_float_operand(part) and _float_operand(whole) and isinstance(default, types.Float)):
        return general

    def loop(part, whole, default):
        n = max(_length(part), _length(whole))
        if _length(part) not in (-1, n) or _length(whole) not in (-1, n):
            return np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), default)
        out = np.empty(n)
        for i in range(n):
            w = _at(whole, i)
            out[i] = _at(part, i) / w if w > 0 else default
        return out

    return loop


@overload(where)
def _where(condition, if_true, if_false):
    if isinstance(condition, (types.Boolean, types.Number)):
        return lambda condition, if_true, if_false: if_true if condition else if_false

    def general(condition, if_true, if_false):
        return np.where(condition, if_true, if_false)

    vector = (
        isinstance(condition, types.Array)
        and condition.ndim == 1
        and isinstance(condition.dtype, types.Boolean)
    )
    if not (vector and _float_operand(if_true) and _float_operand(if_false)):
        return general

    def loop(condition, if_true, if_false):
        n = condition.size
        if _length(if_true) not in (-1, n) or _length(if_false) not in (-1, n):
            return np.where(condition, if_true, if_false)
        out = np.empty(n)
        for i in range(n):
            out[i] = _at(if_true, i) if condition[i] else _at(if_false, i)
        return out

    return loop


# Transcendental functions from the C library, compiled or not. Compiled, numba calls the C
# library's exp, expm1 and pow. numpy has its own vectorised versions, used on CPUs with
# AVX-512, which differ from the C library's in the last bit for a few values in a hundred:
# with these, the model run as plain Python (NUMBA_DISABLE_JIT=1) gives the compiled numbers
# bit for bit on every CPU.
def _c_library(function, n_args):
    elementwise = np.frompyfunc(function, n_args, 1)

    def apply(*args):
        if all(np.ndim(a) == 0 for a in args):
            return function(*(float(a) for a in args))
        return elementwise(*args).astype(np.float64)

    apply.__name__ = function.__name__
    apply.__doc__ = f"``{function.__name__}`` of the C library, element by element."
    return apply


exp = _c_library(math.exp, 1)
expm1 = _c_library(math.expm1, 1)
power = _c_library(math.pow, 2)


@overload(exp)
def _exp(x):
    return lambda x: np.exp(x)


@overload(expm1)
def _expm1(x):
    return lambda x: np.expm1(x)


@overload(power)
def _power(x, y):
    return lambda x, y: x**y


def machine_code(function, *args):
    """``function``'s machine code for the types of ``args``, as a plain callable.

    A compiled function called from Python first works out the types of its arguments, which
    for the model's records (named tuples of arrays) costs more than a small week's arithmetic.
    The model calls the same functions with arguments of the same types every week, so it
    resolves them once, here (compiling, or loading the cache, on first use). The machine code
    is kept per process for each kind of argument (classes, array dtypes, dimensions and
    layouts), so a sweep's thousands of models resolve it once.
    """
    if not hasattr(function, "compile"):  # NUMBA_DISABLE_JIT=1: plain Python and numpy
        return function
    key = (function, _kind(args))
    code = _MACHINE_CODE.get(key)
    if code is None:
        code = _MACHINE_CODE[key] = function.compile(tuple(numba.typeof(a) for a in args))
    return code


_MACHINE_CODE: dict = {}


def _kind(value):
    """What numba's type of ``value`` depends on, cheaply (much faster than numba.typeof)."""
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.ndim, value.flags.c_contiguous, value.flags.writeable)
    if isinstance(value, tuple):
        return (type(value), *(_kind(v) for v in value))
    return type(value)
