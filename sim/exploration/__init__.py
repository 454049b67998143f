"""Robust policy under deep uncertainty: every policy in the same ensemble of states of the
world, with EMA Workbench's scenario discovery, regret and satisficing.

space = load_space("beliefs")
ex = explore(space, ["combination_realistic", "quota_cut_with_oversight"], 200,
             folder="results/explore")
ex.satisficing          # policy: share of worlds meeting every criterion
ex.robustness           # policy x outcome: maximum and 90th-percentile regret
ex.boxes                # PRIM: the uncertainty regions where each policy fails

``ema_model(space, seeds)`` is the same model for EMA's own evaluators.
"""

import warnings

with warnings.catch_warnings():
    # EMA announces on import that its optional ipyparallel evaluator is missing; oasim uses its
    # own evaluators or EMA's sequential and multiprocessing ones.
    warnings.filterwarnings("ignore", message="ipyparallel not installed", category=UserWarning)
    import ema_workbench  # noqa: F401

from .ema import ema_model, ema_policies, ema_scenarios, run_oasim
from .explore import Exploration, analyse, explore
from .space import Criterion, Space, SpaceError, load_space

__all__ = [
    "Criterion",
    "Exploration",
    "Space",
    "SpaceError",
    "analyse",
    "ema_model",
    "ema_policies",
    "ema_scenarios",
    "explore",
    "load_space",
    "run_oasim",
]
