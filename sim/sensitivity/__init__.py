"""Global sensitivity analysis of the model with SALib (Sobol, Morris, eFAST).

problem = load_problem("scenarios/sensitivity/levers.toml")
sweep = run_sensitivity(problem, "sobol", 64, folder="results/sa-levers")
sweep.indices   # tidy: outcome, parameter, index, value, confidence
"""

from .analysis import DEFAULT_SAMPLES, METHODS, Sweep, run_sensitivity
from .problem import Problem, ProblemError, load_problem

__all__ = [
    "DEFAULT_SAMPLES",
    "METHODS",
    "Problem",
    "ProblemError",
    "Sweep",
    "load_problem",
    "run_sensitivity",
]
