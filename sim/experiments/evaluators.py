"""Evaluators: one interface to run many independent tasks serially, on local processes, or on
a Dask cluster (in the spirit of EMA Workbench's evaluators).

``evaluator.map(func, tasks)`` returns ``func(task)`` for every task, in task order, whatever
order the workers finish in. Tasks are sent in chunks so that short runs are not dominated by
scheduling overhead. ``func`` must be a module-level function (it is pickled).

Workers die with their parent. Leaving a ``with evaluator:`` block by an exception (a failed
task, Ctrl-C, or :class:`sim.shutdown.Terminated` from SIGTERM) terminates the workers at once
instead of waiting for their running tasks; leaving it normally shuts them down cleanly. Local
worker processes also watch their parent (:func:`sim.shutdown.watch_parent`) and exit by
themselves when it is killed outright.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from ..shutdown import watch_parent

__all__ = ["Evaluator", "ProcessEvaluator", "SerialEvaluator", "progress_bar"]


# How long terminated workers get to exit before they are killed, and the pool's manager thread
# to notice; an abort must not hang the process it is trying to end.
TERMINATE_GRACE_SECONDS = 2.0


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
        """Release the workers, letting running tasks finish."""

    def abort(self) -> None:
        """Release the workers now, abandoning running tasks (default: :meth:`close`)."""
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        # Results are lost anyway when the block fails: do not wait for running tasks.
        if exc_type is None:
            self.close()
        else:
            self.abort()


class SerialEvaluator(Evaluator):
    """Run every task in this process (for debugging and tiny jobs)."""

    def imap_unordered(self, func, tasks, chunksize=None):
        for i, task in enumerate(tasks):
            yield i, func(task)


class ProcessEvaluator(Evaluator):
    """Run tasks on a pool of local processes (``spawn``: clean interpreters, no inherited
    threads or locks); every worker exits by itself when this process dies."""

    def __init__(self, workers: int | None = None, chunksize: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.chunksize = chunksize
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=watch_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def imap_unordered(self, func, tasks, chunksize=None):
        tasks = list(tasks)
        size = chunksize or self.chunksize or default_chunksize(len(tasks), self.workers)
        pool = self._executor()
        futures = {
            pool.submit(_run_chunk, func, chunk): start for start, chunk in chunked(tasks, size)
        }
        try:
            for fut in as_completed(futures):
                start = futures[fut]
                for offset, result in enumerate(fut.result()):
                    yield start + offset, result
        finally:
            # A failed task or an abandoned iteration: chunks not yet started are not wanted.
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def abort(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            terminate_pool(pool)


def terminate_pool(pool: ProcessPoolExecutor, grace: float = TERMINATE_GRACE_SECONDS) -> None:
    """Stop ``pool`` without waiting for running tasks: SIGTERM its processes, SIGKILL those
    still alive after ``grace`` seconds, and reap them all. (``shutdown(cancel_futures=True)``
    cancels only tasks not yet started and waits for the running ones.)"""
    processes = list((pool._processes or {}).values())
    manager = pool._executor_manager_thread
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    stop_processes(processes, grace)
    if isinstance(manager, threading.Thread):
        # It notices the dead workers and fails their futures; joining it keeps interpreter
        # exit from waiting on it later.
        manager.join(grace)


def stop_processes(processes: Sequence, grace: float) -> None:
    """Join ``processes`` (already sent SIGTERM), killing any still alive after ``grace`` s."""
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join()


def progress_bar(total: int, desc: str, enabled: bool = True) -> Iterator:
    """A tqdm bar writing to stderr (or a no-op), usable as ``with ... as bar: bar.update``."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="run", disable=not enabled, smoothing=0.1)
