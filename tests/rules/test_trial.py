"""sim.rules.trial: room for trial and error (容错, 试错空间)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules import trial


def test_officials_try_more_when_forgiven_and_less_when_anxious():
    a = np.linspace(0.0, 1.0, 11)
    tries = trial.trial_intensity(0.6, a)
    assert np.allclose(tries, 0.6 * (1.0 - a))
    assert np.all(np.diff(tries) < 0)
    assert np.all(trial.trial_intensity(0.0, a) == 0.0)  # no tolerance, no trials


def test_practices_learnt_by_trial_approach_their_ceiling_and_stay_put_without_trials():
    p = np.ones(1)
    path = []
    for _ in range(1000):
        p = trial.practice_step(p, np.array([0.5]), 0.02, 0.15)
        path.append(p[0])
    assert np.all(np.diff(path) > 0) and path[-1] < 1.15
    assert path[-1] == pytest.approx(1.15, abs=0.002)
    assert path[0] == pytest.approx(1.0 + 0.02 * 0.5 * 0.15)
    still = trial.practice_step(np.array([1.07]), np.zeros(1), 0.02, 0.15)
    assert still[0] == 1.07


def test_trying_makes_more_errors():
    assert trial.trial_errors(0.0, 0.5) == 1.0
    assert trial.trial_errors(0.4, 0.5) == pytest.approx(1.2)
    assert trial.trial_errors(0.8, 0.5) > trial.trial_errors(0.4, 0.5)
