"""oasim: an agent-based model of organizational anxiety in a four-level government hierarchy.

Public face::

    import sim
    model = sim.GovernanceModel("scenarios/baseline.toml", rng=1)
    model.run_for(52)
    summary = sim.run_scenario("scenarios/baseline.toml", seed=1)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .model import GovernanceModel
from .outcomes import OUTCOMES
from .params import CATALOGUE, Parameters
from .run import run_scenario, simulate
from .scenario import Scenario, ScenarioError, load_scenario

try:
    __version__ = version("oasim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "CATALOGUE",
    "OUTCOMES",
    "GovernanceModel",
    "Parameters",
    "Scenario",
    "ScenarioError",
    "__version__",
    "load_scenario",
    "run_scenario",
    "simulate",
]
