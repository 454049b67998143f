"""Workers die with their parent: on SIGTERM the parent tears them down and exits with 128 + 15;
on SIGKILL (nothing runs in the parent) every worker notices by itself within about a second.

Real processes throughout: the command line in its own session, worker processes found through
/proc, signals sent for real. Each test kills whatever is left of its session at the end.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from sim.errors import InputError
from sim.shutdown import WATCHER_NAME, Terminated, install_signal_handlers, watch_parent

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
SURVIVAL_SECONDS = 5.0  # how long a worker may outlive its parent
START_SECONDS = 60.0  # generous: two cores shared with other work, and a Dask cluster to start

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="finds worker processes through /proc"
)


# ---- processes through /proc --------------------------------------------------------------------
def start_time(pid: int) -> int | None:
    """The kernel's start time of a live (not zombie) process, None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, *fields = stat.rsplit(")", 1)[1].split()
    return None if state in ("Z", "X") else int(fields[18])


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.update(int(c) for c in (task / "children").read_text().split())
    return found


def descendants(pid: int) -> dict[int, int]:
    """Every live descendant of ``pid``, with its start time (a pid may be reused)."""
    found: dict[int, int] = {}
    todo = list(children(pid))
    while todo:
        child = todo.pop()
        started = start_time(child)
        if started is not None and child not in found:
            found[child] = started
            todo.extend(children(child))
    return found


def cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def workers_of(pid: int) -> dict[int, int]:
    """Descendants started by multiprocessing's spawn (pool and Dask workers alike)."""
    return {p: t for p, t in descendants(pid).items() if "spawn_main" in cmdline(p)}


def watching(pid: int) -> bool:
    """Whether ``pid`` runs the parent watchdog: then it is past its imports and at work."""
    for comm in Path(f"/proc/{pid}/task").glob("*/comm"):
        with contextlib.suppress(OSError):
            if comm.read_text().strip() == WATCHER_NAME:
                return True
    return False


def survivors(processes: dict[int, int]) -> list[int]:
    return [pid for pid, started in processes.items() if start_time(pid) == started]


def wait_until(predicate, timeout: float, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


@contextlib.contextmanager
def session(args: list[str], log: Path):
    """``python args`` in a new session; on the way out everything left of it is killed."""
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
    seen: dict[int, int] = {}
    try:
        yield proc, seen
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        for pid in survivors(seen):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait(10)


def started_workers(proc: subprocess.Popen, seen: dict[int, int], n: int, log: Path) -> None:
    """Wait until ``proc`` has ``n`` workers watching it; remember its descendants in ``seen``.
    (Killed earlier, while the workers still import their modules, they exit only once their
    imports are done, which takes seconds on a loaded machine.)"""

    def ready() -> bool:
        workers = workers_of(proc.pid)
        return proc.poll() is not None or sum(map(watching, workers)) >= n

    wait_until(ready, START_SECONDS)
    assert proc.poll() is None, f"exited early ({proc.returncode}): {log.read_text()[-2000:]}"
    assert ready(), f"no {n} watched workers after {START_SECONDS} s"
    seen.update(descendants(proc.pid))


def assert_all_gone(processes: dict[int, int]) -> None:
    left = wait_until(lambda: not survivors(processes), SURVIVAL_SECONDS)
    assert left, (
        f"still alive {SURVIVAL_SECONDS} s after the parent: "
        f"{[(p, cmdline(p)[:120]) for p in survivors(processes)]}"
    )


# ---- the command line ---------------------------------------------------------------------------
def compare_args(out: Path) -> list[str]:
    return [
        "-m",
        "sim",
        "compare",
        str(SCENARIOS / "baseline.toml"),
        str(SCENARIOS / "combination_punch.toml"),
        "--preset",
        "classroom",
        "--replicates",
        "40",
        "--workers",
        "2",
        "--out",
        str(out),
        "--quiet",
    ]


def test_sigterm_of_compare_stops_its_workers_and_writes_nothing(tmp_path):
    results = tmp_path / "results"
    log = tmp_path / "stderr.txt"
    with session(compare_args(results / "out"), log) as (proc, seen):
        started_workers(proc, seen, 2, log)
        time.sleep(1.0)  # let them get into their runs
        proc.send_signal(signal.SIGTERM)
        status = proc.wait(SURVIVAL_SECONDS + 5)
        assert_all_gone(seen)
    stderr = log.read_text()
    assert status == 128 + signal.SIGTERM, stderr
    assert "stopped" in stderr and "Traceback" not in stderr, stderr
    assert not results.exists() or not any(results.iterdir())


def test_workers_of_a_killed_compare_exit_by_themselves(tmp_path):
    log = tmp_path / "stderr.txt"
    with session(compare_args(tmp_path / "out"), log) as (proc, seen):
        started_workers(proc, seen, 2, log)
        proc.kill()
        proc.wait(5)
        assert_all_gone(seen)


@pytest.fixture
def small_problem(tmp_path) -> Path:
    # Steps beyond the policy start (week 104), or the levers would not act at all.
    path = tmp_path / "levers.toml"
    path.write_text(
        textwrap.dedent(
            """\
            description = "Two levers on the classroom hierarchy (shutdown tests)"
            scenario = "baseline"
            preset = "classroom"
            seeds = 1
            steps = 120
            outcomes = ["township_hours"]

            [parameters]
            "quota.meetings_cut" = { bounds = [0.0, 0.6] }
            "oversight.strength" = { bounds = [0.0, 1.0] }
            """
        )
    )
    return path


def sensitivity_args(problem: Path, out: Path, *evaluator: str) -> list[str]:
    return [
        "-m",
        "sim",
        "sensitivity",
        str(problem),
        "--method",
        "morris",
        "--samples",
        "8",
        *evaluator,
        "--out",
        str(out),
        "--quiet",
    ]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["term", "kill"])
def test_a_killed_sensitivity_leaves_no_local_dask_worker(tmp_path, small_problem, signum):
    log = tmp_path / "stderr.txt"
    args = sensitivity_args(small_problem, tmp_path / "sa", "--scheduler", "local:2")
    with session(args, log) as (proc, seen):
        started_workers(proc, seen, 2, log)
        proc.send_signal(signum)
        status = proc.wait(SURVIVAL_SECONDS + 5)
        assert_all_gone(seen)
    if signum == signal.SIGTERM:
        assert status == 128 + signal.SIGTERM, log.read_text()


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path, small_problem):
    args = sensitivity_args(small_problem, tmp_path / "sa", "--scheduler", "tcp://127.0.0.1:1")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "cannot reach a Dask scheduler" in done.stderr
    assert time.monotonic() - started < 30


# ---- the evaluators, independent of the command line --------------------------------------------
SCRIPT = """\
import sys, time
from sim.experiments import make_evaluator
from sim.shutdown import Terminated, install_signal_handlers

def slow(x):
    time.sleep(120)
    return x

if __name__ == "__main__":
    install_signal_handlers()
    try:
        with make_evaluator(2, scheduler=sys.argv[1] or None) as evaluator:
            evaluator.map(slow, range(8))
    except Terminated as stop:
        print(stop, file=sys.stderr)
        sys.exit(stop.exit_status)
"""


@pytest.mark.parametrize("scheduler", ["", "local:2"], ids=["process", "dask"])
def test_sigterm_during_a_map_terminates_running_tasks_at_once(tmp_path, scheduler):
    # The tasks sleep for two minutes: a clean shutdown would wait for them, an abort does not.
    script = tmp_path / "slow_map.py"
    script.write_text(SCRIPT)
    log = tmp_path / "stderr.txt"
    with session([str(script), scheduler], log) as (proc, seen):
        started_workers(proc, seen, 2, log)
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        status = proc.wait(SURVIVAL_SECONDS + 5)
        assert_all_gone(seen)
    assert status == 128 + signal.SIGTERM, log.read_text()
    assert "stopped by SIGTERM" in log.read_text()


def test_a_failed_block_does_not_wait_for_tasks_still_running():
    from sim.experiments import ProcessEvaluator

    evaluator = ProcessEvaluator(2)
    started = time.monotonic()
    with pytest.raises(ZeroDivisionError), evaluator:
        evaluator.map(divide_or_sleep, [0.01, 0.01])  # starts the pool
        processes = list(evaluator._pool._processes.values())
        evaluator.map(divide_or_sleep, [0, 120, 120, 120])
    # A clean shutdown would wait two minutes for the sleeping task.
    assert time.monotonic() - started < 30
    assert evaluator._pool is None
    assert len(processes) == 2 and not any(p.is_alive() for p in processes)


def divide_or_sleep(seconds: float) -> float:
    if seconds == 0:
        time.sleep(0.5)  # the task beside it is surely running by now
        return 1 / seconds
    time.sleep(seconds)
    return seconds


# ---- the watchdog -------------------------------------------------------------------------------
PARENT = """\
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], str(os.getpid())])
print(child.pid, flush=True)
time.sleep(120)
"""
CHILD = """\
import sys, time
from sim.shutdown import watch_parent
watch_parent(int(sys.argv[1]), interval=0.1)
time.sleep(120)
"""


@contextlib.contextmanager
def watched_child():
    """A parent process and its child that watches it: yields (parent, child pid)."""
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, CHILD], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    child = int(parent.stdout.readline())
    try:
        yield parent, child
    finally:
        parent.kill()
        parent.wait(5)
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)


def test_a_watched_child_lives_with_its_parent_and_exits_soon_after_it():
    with watched_child() as (parent, child):
        child_started = start_time(child)
        assert wait_until(lambda: watching(child), START_SECONDS)
        time.sleep(0.5)  # several polls with the parent alive
        assert start_time(child) == child_started, "the child exited while its parent lived"
        parent.kill()
        parent.wait(5)
        assert_all_gone({child: child_started})


def test_a_child_whose_parent_died_while_it_started_exits_when_the_watch_begins():
    with watched_child() as (parent, child):
        child_started = start_time(child)
        parent.kill()  # the child is still importing
        parent.wait(5)
        gone = wait_until(lambda: start_time(child) != child_started, START_SECONDS)
        assert gone, "the orphan never noticed"


def test_watching_oneself_is_a_no_op():
    # A plugin may land in the parent itself (a nanny in-process): it must not end it.
    assert watch_parent(os.getpid()) is None


# ---- the signal contract ------------------------------------------------------------------------
@pytest.fixture
def restore_handlers():
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_handled_signal_raises_terminated_once(restore_handlers, signum):
    assert install_signal_handlers()
    with pytest.raises(Terminated) as caught:
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler runs between bytecodes, well before this ends
    stop = caught.value
    assert stop.signum == signum
    assert stop.exit_status == 128 + signum
    assert signal.Signals(signum).name in str(stop)
    # A second signal while unwinding ends the process at once.
    assert signal.getsignal(signum) == signal.SIG_DFL


def test_an_ignored_signal_stays_ignored(restore_handlers):
    # `nohup oasim ...` ignores SIGHUP so that the run survives the end of the session.
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    install_signal_handlers()
    assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_IGN, signal.SIG_DFL)


def test_terminated_is_not_an_exception():
    # Libraries' `except Exception` must not swallow it, as they do not swallow Ctrl-C.
    assert not issubclass(Terminated, Exception)
    assert issubclass(Terminated, BaseException)


def test_handlers_are_not_installed_from_another_thread(restore_handlers):
    got = []
    thread = threading.Thread(target=lambda: got.append(install_signal_handlers()))
    thread.start()
    thread.join()
    assert got == [False]


# ---- scheduler addresses ------------------------------------------------------------------------
def test_an_unreachable_scheduler_raises_an_input_error_quickly():
    from sim.experiments.dask_evaluator import DaskEvaluator, SchedulerError

    started = time.monotonic()
    with pytest.raises(SchedulerError, match=r"cannot reach.*tcp://127\.0\.0\.1:1.*local:N"):
        DaskEvaluator("tcp://127.0.0.1:1")
    assert time.monotonic() - started < 15
    assert issubclass(SchedulerError, InputError)


def test_a_scheduler_without_workers_is_refused_instead_of_waiting_for_ever(monkeypatch, capfd):
    from dask.distributed import LocalCluster

    from sim.experiments import dask_evaluator
    from sim.experiments.dask_evaluator import DaskEvaluator, SchedulerError

    monkeypatch.setattr(dask_evaluator, "WORKER_WAIT", 1)
    with LocalCluster(n_workers=0, dashboard_address=None, host="127.0.0.1") as cluster:
        started = time.monotonic()
        with pytest.raises(SchedulerError, match=r"has no workers.*dask worker tcp://"):
            DaskEvaluator(cluster.scheduler_address)
        assert time.monotonic() - started < 15
    assert "waiting up to 1 s" in capfd.readouterr().err


def test_a_worker_that_joins_while_oasim_waits_is_used(capfd):
    from dask.distributed import LocalCluster

    from sim.experiments.dask_evaluator import DaskEvaluator

    with LocalCluster(
        n_workers=0, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        threading.Timer(1.0, cluster.scale, args=(1,)).start()
        with DaskEvaluator(cluster.scheduler_address) as evaluator:
            assert evaluator.workers == 1
            assert evaluator.map(abs, [-1, -2, 3]) == [1, 2, 3]
        assert len(cluster.workers) == 1  # a scheduler's workers are not ours to stop
    assert "has no workers yet" in capfd.readouterr().err


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("local:two", "expected local:N"),
        ("local:", "expected local:N"),
        ("local:0", "between 1 and"),
        ("local:100000", "between 1 and"),
        ("nonsense", "not a Dask scheduler address"),
    ],
)
def test_bad_scheduler_addresses_are_input_errors(address, message):
    from sim.experiments.dask_evaluator import DaskEvaluator, SchedulerError

    with pytest.raises(SchedulerError, match=message):
        DaskEvaluator(address)


def test_local_workers_are_bounded_by_the_cores():
    from sim.experiments.dask_evaluator import SchedulerError, local_workers

    assert local_workers("local:8", cores=2) == 8
    with pytest.raises(SchedulerError, match="between 1 and 8"):
        local_workers("local:9", cores=2)
