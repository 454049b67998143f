"""Run tasks on a Dask distributed cluster: an existing scheduler, or a local cluster.

``DaskEvaluator("tcp://host:8786")`` connects to a running scheduler; ``"local:N"`` starts a
``LocalCluster`` of N single-threaded worker processes and closes it afterwards. Tasks are sent in
chunks (short runs are slower than serial when scheduled one by one), and with ``pure=False`` so
that Dask never merges two calls it judges identical.

A local cluster's workers die with this process: aborting (leaving a ``with`` block by an
exception, see :mod:`sim.experiments.evaluators`) kills them at once, and each worker watches
this process (:func:`sim.shutdown.watch_parent`) in case it is killed outright. The workers of a
remote scheduler are never stopped: aborting only closes the connection, which drops our tasks.
A bad address, a scheduler that does not answer, or one that no worker joins within
:data:`WORKER_WAIT` seconds raises :class:`SchedulerError` (tasks sent to a scheduler without
workers would wait for ever).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys

from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import InputError
from ..shutdown import watch_parent
from .evaluators import Evaluator, _run_chunk, chunked, default_chunksize

__all__ = ["DaskEvaluator", "SchedulerError", "local_workers"]

CONNECT_TIMEOUT = "5s"
# Seconds for a first worker to join a scheduler that has none yet (workers are often started
# just after their scheduler).
WORKER_WAIT = 30
KILL_TIMEOUT = 5  # seconds to reach the cluster's event loop when aborting
# A local cluster beyond a few workers per core only competes for the cores and memory.
WORKERS_PER_CORE = 4
LOCAL_PREFIX = "local:"
ALTERNATIVES = "start one with `dask scheduler`, or use --scheduler local:N or --workers N"


class SchedulerError(InputError):
    """A ``--scheduler`` that cannot be used: malformed, or no scheduler answers there."""


def local_workers(address: str, cores: int | None = None) -> int:
    """N of a ``local:N`` address, checked to be between 1 and a few workers per core."""
    cores = cores or os.cpu_count() or 1
    limit = WORKERS_PER_CORE * cores
    text = address.removeprefix(LOCAL_PREFIX)
    try:
        n = int(text)
    except ValueError:
        raise SchedulerError(
            f"--scheduler {address!r}: expected local:N with N workers, e.g. local:2"
        ) from None
    if not 1 <= n <= limit:
        raise SchedulerError(
            f"--scheduler {address!r}: N must be between 1 and {limit} "
            f"({WORKERS_PER_CORE} per core on this machine's {cores} cores)"
        )
    return n


class WatchParent(WorkerPlugin):
    """Ends a worker process when the process that started the local cluster is gone."""

    idempotent = True
    name = "oasim-watch-parent"

    def __init__(self, pid: int):
        self.pid = pid

    def setup(self, worker) -> None:
        # Re-parenting shows the death of a direct parent only; a worker started by a fork
        # server (a Dask setting) relies on distributed's own check of its parent's pipe.
        if os.getppid() == self.pid:
            watch_parent(self.pid)


class DaskEvaluator(Evaluator):
    def __init__(self, address: str, chunksize: int | None = None):
        self.address = address
        self.chunksize = chunksize
        self._cluster = None
        if address.startswith(LOCAL_PREFIX):
            self.client = self._start_local(local_workers(address))
        else:
            self.client = connect(address)
            try:
                wait_for_a_worker(self.client, address)
            except BaseException:
                self.client.close()
                raise
        self.workers = max(1, len(self.client.scheduler_info()["workers"]))

    def _start_local(self, n: int):
        from dask.distributed import Client, LocalCluster

        before = set(multiprocessing.active_children())
        try:
            self._cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                host="127.0.0.1",
            )
            client = Client(self._cluster)
            # Also reaches workers a nanny restarts later, which a one-off client.run would miss.
            client.register_plugin(WatchParent(os.getpid()))
        except BaseException:
            # A signal during start-up, before a `with` block can abort: stop the workers here.
            # Closing a cluster that is still starting would first wait for them to come up.
            if self._cluster is not None:
                self._stop_cluster_now()
            else:
                for process in set(multiprocessing.active_children()) - before:
                    process.kill()
            raise
        return client

    def _stop_cluster_now(self) -> None:
        # Best effort: closing still stops the workers, only more slowly.
        with contextlib.suppress(Exception):
            kill_local_workers(self._cluster)
        self._cluster.close()

    def imap_unordered(self, func, tasks, chunksize=None):
        from dask.distributed import as_completed

        tasks = list(tasks)
        size = chunksize or self.chunksize or default_chunksize(len(tasks), self.workers)
        chunks = chunked(tasks, size)
        futures = self.client.map(
            _run_chunk, [func] * len(chunks), [chunk for _, chunk in chunks], pure=False
        )
        start_of = {fut.key: start for fut, (start, _) in zip(futures, chunks, strict=True)}
        try:
            for fut in as_completed(futures):
                start = start_of[fut.key]
                for offset, result in enumerate(fut.result()):
                    yield start + offset, result
                fut.release()
        finally:
            # A failed task or an abandoned iteration: the rest is not wanted, on a shared
            # cluster least of all.
            pending = [fut for fut in futures if not fut.done()]
            if pending and self.client.status == "running":
                self.client.cancel(pending)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def abort(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._stop_cluster_now()


def connect(address: str):
    """A client of the scheduler at ``address``, or :class:`SchedulerError` within a few
    seconds when the address is malformed or nothing answers there."""
    from dask.distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except OSError as err:
        # One line for the user: the chained connection errors say nothing more.
        raise SchedulerError(
            f"--scheduler {address!r}: cannot reach a Dask scheduler there ({err}); {ALTERNATIVES}"
        ) from None
    except (ValueError, TypeError) as err:
        raise SchedulerError(
            f"--scheduler {address!r} is not a Dask scheduler address ({err}); expected "
            "tcp://HOST:PORT, or local:N for a local cluster of N workers"
        ) from None


def wait_for_a_worker(client, address: str, timeout: float | None = None) -> None:
    """Return once the scheduler has a worker; :class:`SchedulerError` if none joins within
    ``timeout`` seconds (default :data:`WORKER_WAIT`)."""
    if client.scheduler_info()["workers"]:
        return
    timeout = WORKER_WAIT if timeout is None else timeout
    print(
        f"oasim: the Dask scheduler at {address} has no workers yet; waiting up to "
        f"{timeout:g} s for one to join...",
        file=sys.stderr,
        flush=True,
    )
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise SchedulerError(
            f"--scheduler {address!r}: the scheduler has no workers (none joined in "
            f"{timeout:g} s); start some with `dask worker {address}`, or use --scheduler "
            "local:N or --workers N"
        ) from None


def kill_local_workers(cluster) -> None:
    """SIGKILL the worker processes of a local cluster, first telling their nannies not to
    restart them; closing then takes moments instead of waiting for running tasks."""
    from distributed import Nanny

    async def stop_restarts() -> list[int]:
        nannies = [w for w in cluster.workers.values() if isinstance(w, Nanny)]
        for nanny in nannies:
            nanny.close_gracefully(reason="oasim-abort")
        return [nanny.pid for nanny in nannies if nanny.pid]

    for pid in cluster.sync(stop_restarts, callback_timeout=KILL_TIMEOUT):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
