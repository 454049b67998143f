"""Clean shutdown: worker processes die with the process that started them.

Two halves, one for each way a parent can go:

* **Signals the parent can handle** (SIGTERM from ``kill``, SIGHUP from a closed terminal).
  :func:`install_signal_handlers` makes them raise :class:`Terminated` in the main thread, so
  they unwind the stack like Ctrl-C's :class:`KeyboardInterrupt`: every ``with evaluator:``
  block exits with an exception and the evaluator terminates its workers instead of waiting
  for them, and nothing after the block (writing results) runs. The contract for a command-line
  entry point::

      install_signal_handlers()
      try:
          ...                                  # work inside `with evaluator:` blocks
      except Terminated as stop:
          print(f"oasim: {stop}", file=sys.stderr)
          return stop.exit_status              # 128 + signal number, as a shell reports it

  ``Terminated`` derives from ``BaseException`` so that ``except Exception`` in libraries does
  not swallow it. After the first signal the default action is restored: a second SIGTERM or
  SIGHUP ends the process at once (the watchdogs below still reap the workers).

* **Deaths the parent cannot handle** (SIGKILL, the out-of-memory killer, a crash). Nothing
  runs in the parent, so every worker watches its parent itself: :func:`watch_parent` starts a
  daemon thread that ends the worker (``os._exit``) within about half a second of its parent
  going away. A worker still importing its modules when the parent dies notices as soon as
  its watch starts. The test is whether the parent is still our parent (``os.getppid()``): a
  killed parent may linger as a zombie whose pid still answers, but its children are
  re-parented at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

__all__ = [
    "PARENT_GONE_STATUS",
    "WATCHER_NAME",
    "Terminated",
    "install_signal_handlers",
    "watch_parent",
]

HANDLED_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
# What an orphaned worker exits with; any non-zero value would do, this one is easy to spot.
PARENT_GONE_STATUS = 70
POLL_SECONDS = 0.5
# The watcher thread's name in the operating system (at most 15 bytes).
WATCHER_NAME = "oasim-watchdog"
PR_SET_NAME = 15  # from <linux/prctl.h>


class Terminated(BaseException):
    """The process was asked to stop by a signal (SIGTERM, SIGHUP)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        """The status a shell reports for a process killed by this signal."""
        return 128 + self.signum

    def __str__(self) -> str:
        return f"stopped by {signal.Signals(self.signum).name}"


def _raise_terminated(signum: int, frame) -> None:
    # Restore the default first: a second signal while the stack unwinds means "now".
    signal.signal(signum, signal.SIG_DFL)
    raise Terminated(signum)


def install_signal_handlers(signals: tuple[int, ...] = HANDLED_SIGNALS) -> bool:
    """Make ``signals`` raise :class:`Terminated` in the main thread. A signal this process
    was started ignoring stays ignored (``nohup`` must keep working). Returns False (and does
    nothing) when called from another thread, where Python cannot install handlers."""
    if threading.current_thread() is not threading.main_thread():
        return False
    for signum in signals:
        if signal.getsignal(signum) != signal.SIG_IGN:
            signal.signal(signum, _raise_terminated)
    return True


def parent_is(pid: int) -> bool:
    return os.getppid() == pid


def watch_parent(pid: int, interval: float = POLL_SECONDS) -> threading.Thread | None:
    """End this process when ``pid`` stops being its parent, or at once if it already has.

    Meant for worker processes, as a pool initializer or a worker plugin; the parent passes its
    own pid, because a worker asking for its parent after the fact would watch whoever adopted
    it. Polling is the portable guarantee; Linux's PR_SET_PDEATHSIG is not used because it fires
    when the *thread* that started the worker exits, which would kill the workers of a pool made
    in a short-lived thread. Returns the watcher thread, or None when ``pid`` is this very
    process (a plugin that lands in the parent itself must not end it).
    """
    if pid == os.getpid():
        return None
    if not parent_is(pid):  # the parent died while this worker was starting
        os._exit(PARENT_GONE_STATUS)

    def watch() -> None:
        name_os_thread(WATCHER_NAME)
        while parent_is(pid):
            time.sleep(interval)
        os._exit(PARENT_GONE_STATUS)

    thread = threading.Thread(target=watch, name=f"{WATCHER_NAME}-{pid}", daemon=True)
    thread.start()
    return thread


def name_os_thread(name: str) -> None:
    """Give the calling thread a name the operating system shows (``ps -L``, ``top -H``,
    /proc/PID/task/TID/comm), so that a watched worker can be told from outside; Linux only,
    elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)
    except (OSError, AttributeError):
        pass
