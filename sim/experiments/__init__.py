"""Experiments: seeding, evaluators (serial, processes, Dask), scenario comparison, statistics.

Every run's seed derives from a master seed and the run's index (``seeds``), never from the
order in which workers finish, so results are identical whichever evaluator runs them.
"""

from .evaluators import Evaluator, ProcessEvaluator, SerialEvaluator
from .factory import make_evaluator
from .seeds import replicate_seeds

__all__ = [
    "Evaluator",
    "ProcessEvaluator",
    "SerialEvaluator",
    "make_evaluator",
    "replicate_seeds",
]
