"""Evaluators: one interface to run many independent tasks serially, on local processes, or on
a Dask cluster (in the spirit of EMA Workbench's evaluators).

``evaluator.map(func, tasks)`` returns ``func(task)`` for every task, in task order, whatever
order the workers finish in. Tasks are sent in chunks so that short runs are not dominated by
scheduling overhead. ``func`` must be a module-level function (it is pickled).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

__all__ = ["Evaluator", "ProcessEvaluator", "SerialEvaluator", "make_evaluator"]


def _run_chunk(func: Callable, chunk: Sequence) -> list:
    return [func(task) for task in chunk]


def chunked(tasks: Sequence, size: int) -> list[tuple[int, Sequence]]:
    """(start index, tasks) pairs of at most ``size`` tasks."""
    return [(i, tasks[i : i + size]) for i in range(0, len(tasks), size)]


def default_chunksize(n_tasks: int, workers: int) -> int:
    # Aim for about four chunks per worker: enough to balance load, few enough to be cheap.
    return max(1, n_tasks // max(1, 4 * workers))


class Evaluator:
    """What every evaluator offers. Subclasses provide ``imap_unordered`` (and ``close`` when
    they hold workers); ordering, progress and the context manager are shared."""

    workers: int = 1

    def imap_unordered(
        self, func: Callable[[Any], Any], tasks: Sequence, chunksize: int | None = None
    ) -> Iterator[tuple[int, Any]]:
        """Yield ``(index, func(tasks[index]))`` as tasks finish, in any order; ``chunksize``
        tasks travel to a worker together (default: about four chunks per worker)."""
        raise NotImplementedError

    def map(
        self,
        func: Callable[[Any], Any],
        tasks: Sequence,
        progress: Callable[[int], None] | None = None,
    ) -> list:
        """``[func(t) for t in tasks]`` in task order, however the work is spread; ``progress``
        is called with 1 for every finished task."""
        tasks = list(tasks)
        out: list = [None] * len(tasks)
        for i, result in self.imap_unordered(func, tasks):
            out[i] = result
            if progress:
                progress(1)
        return out

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class SerialEvaluator(Evaluator):
    """Run every task in this process (for debugging and tiny jobs)."""

    def imap_unordered(self, func, tasks, chunksize=None):
        for i, task in enumerate(tasks):
            yield i, func(task)


class ProcessEvaluator(Evaluator):
    """Run tasks on a pool of local processes (``spawn``: clean interpreters, no inherited
    threads or locks)."""

    def __init__(self, workers: int | None = None, chunksize: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.chunksize = chunksize
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx)
        return self._pool

    def imap_unordered(self, func, tasks, chunksize=None):
        tasks = list(tasks)
        size = chunksize or self.chunksize or default_chunksize(len(tasks), self.workers)
        pool = self._executor()
        futures = {
            pool.submit(_run_chunk, func, chunk): start for start, chunk in chunked(tasks, size)
        }
        for fut in as_completed(futures):
            start = futures[fut]
            for offset, result in enumerate(fut.result()):
                yield start + offset, result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def make_evaluator(workers: int | None = None, scheduler: str | None = None) -> Evaluator:
    """``workers == 1``: serial; otherwise a process pool of ``workers`` (default: all cores).
    ``scheduler``: a Dask scheduler address, or ``local:N`` for a local Dask cluster."""
    if scheduler:
        from .dask_evaluator import DaskEvaluator

        return DaskEvaluator(scheduler)
    if workers == 1:
        return SerialEvaluator()
    return ProcessEvaluator(workers)


def progress_bar(total: int, desc: str, enabled: bool = True) -> Iterator:
    """A tqdm bar writing to stderr (or a no-op), usable as ``with ... as bar: bar.update``."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="run", disable=not enabled, smoothing=0.1)
