"""Choosing an evaluator from the command line's options.

It lives apart from the evaluators so that the Dask evaluator, which builds on the base class,
and this chooser, which knows every evaluator, import one way only.
"""

from __future__ import annotations

from ..run import simulate
from .evaluators import Evaluator, ProcessEvaluator, SerialEvaluator

__all__ = ["make_evaluator"]


def make_evaluator(workers: int | None = None, scheduler: str | None = None) -> Evaluator:
    """``workers == 1``: serial; otherwise a process pool of ``workers`` (default: all cores).
    ``scheduler``: a Dask scheduler address, or ``local:N`` for a local Dask cluster."""
    if workers == 1 and not scheduler:
        return SerialEvaluator()
    # Compile (or load) the engine here first: workers on this machine then find it in the
    # cache instead of each compiling it at once.
    simulate(seed=0, steps=1, preset="classroom")
    if scheduler:
        from .dask_evaluator import DaskEvaluator  # imports dask only when asked for

        return DaskEvaluator(scheduler)
    return ProcessEvaluator(workers)
