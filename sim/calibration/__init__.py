"""Calibration against empirical targets by approximate Bayesian computation (ABC-SMC).

A calibration is a problem, data and a budget:

- the **problem** is a sensitivity-problem file (:func:`sim.sensitivity.load_problem`) whose
  ``[parameters]`` bounds are uniform priors of the behavioural parameters (levers stay at the
  status quo of the problem's scenario), e.g. ``scenarios/calibration/priors.toml``;
- the **data** are the targets of ``data/targets.toml`` marked ``use = "calibration"``
  (:mod:`sim.targets`): each becomes a summary statistic, the model's outcome averaged over the
  last :data:`WINDOW` weeks of a run, compared with the target's centre and scaled by its
  uncertainty;
- the **budget** is the population size and the number of generations of pyabc's ABC-SMC
  (Toni et al. 2009; Klinger, Rickert & Hasenauer 2018), whose history database makes a
  calibration resumable: a killed one continues from its last complete generation.

:func:`calibrate` runs it and returns a :class:`Calibration`, whose ``save(folder)`` writes the
posterior, diagnostics, figures, a posterior predictive check and a manifest.
"""

from .abc import Calibration, CalibrationError, calibrate
from .statistics import WINDOW, Statistic, model_statistics, statistics_from_targets

__all__ = [
    "WINDOW",
    "Calibration",
    "CalibrationError",
    "Statistic",
    "calibrate",
    "model_statistics",
    "statistics_from_targets",
]
