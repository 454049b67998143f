"""Choosing an evaluator from the command line's options.

It lives apart from the evaluators so that the Dask evaluator, which builds on the base class,
and this chooser, which knows every evaluator, import one way only.
"""

from __future__ import annotations

from .evaluators import Evaluator, ProcessEvaluator, SerialEvaluator

__all__ = ["make_evaluator"]


def make_evaluator(workers: int | None = None, scheduler: str | None = None) -> Evaluator:
    """``workers == 1``: serial; otherwise a process pool of ``workers`` (default: all cores).
    ``scheduler``: a Dask scheduler address, or ``local:N`` for a local Dask cluster."""
    if scheduler:
        from .dask_evaluator import DaskEvaluator  # imports dask only when asked for

        return DaskEvaluator(scheduler)
    if workers == 1:
        return SerialEvaluator()
    return ProcessEvaluator(workers)
