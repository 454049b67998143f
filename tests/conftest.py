"""Shared fixtures for the oasim test suite.

Model-level tests run the ``classroom`` preset (1 province, 2 cities, 4 counties, 12 townships,
48 officials: a week costs about a millisecond) with ``run.policy_start = 0`` so that levers are
in force from the first week.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import sim
from sim import outcomes

ROOT = Path(__file__).resolve().parent.parent
# Debian's Chromium for the browser tests (overridable, so that a test can check what a run on
# a machine without it prints), and the switches that keep it from calling home.
CHROMIUM = Path(os.environ.get("OASIM_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CLASSROOM = {"hierarchy.preset": "classroom", "run.policy_start": 0}


def classroom_scenario(overrides: Mapping[str, Any] | None = None) -> sim.Scenario:
    """The classroom preset with levers active from week 0, plus ``overrides``."""
    return sim.Scenario.from_overrides({**CLASSROOM, **(overrides or {})})


def run_model(
    overrides: Mapping[str, Any] | None = None, seed: int = 1, steps: int = 52
) -> sim.GovernanceModel:
    model = sim.GovernanceModel(classroom_scenario(overrides), rng=seed)
    model.run_for(steps)
    return model


def mean_outcomes(
    overrides: Mapping[str, Any] | None = None,
    seeds: Iterable[int] = (1, 2, 3),
    steps: int = 52,
    last: int | None = None,
) -> pd.Series:
    """Outcomes averaged over weeks (the ``last`` ones, or all) and over seeds."""
    per_seed = []
    for seed in seeds:
        ts = outcomes.timeseries(run_model(overrides, seed=seed, steps=steps))
        per_seed.append(ts.iloc[-(last or steps) :].mean())
    return pd.concat(per_seed, axis=1).mean(axis=1)


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def classroom() -> sim.Scenario:
    return classroom_scenario()


@pytest.fixture
def make_scenario() -> Callable[..., sim.Scenario]:
    return classroom_scenario


@pytest.fixture
def make_model() -> Callable[..., sim.GovernanceModel]:
    """``make_model(overrides, seed=1, steps=52)``: a classroom model run ``steps`` weeks."""
    return run_model


@pytest.fixture
def outcome_means() -> Callable[..., pd.Series]:
    """``outcome_means(overrides, seeds=(1, 2, 3), steps=52, last=None)``."""
    return mean_outcomes


@pytest.fixture
def write_toml(tmp_path: Path) -> Callable[[str, str], Path]:
    """``write_toml(name, text)``: write a scenario file into ``tmp_path`` and return its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from the repository root (for relative paths such as scenarios/...)."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


BROWSER_TESTS = "test_app_browser.py"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter):
    # A skipped browser test is one line among many "SKIPPED" ones; the page could then be blank
    # for a whole class without any test saying so. Outermost wrapper: written after pytest's
    # own short summary, just above the final counts.
    result = yield
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if BROWSER_TESTS in report.nodeid
    ]
    if not skipped:
        return result
    reason = skipped[0].longrepr[-1] if isinstance(skipped[0].longrepr, tuple) else ""
    if "chromium" in str(reason).lower():
        how = "install Debian's chromium (apt-get install chromium) to enable"
        how += f" tests/{BROWSER_TESTS}"
    else:
        how = f"{reason} (tests/{BROWSER_TESTS})"
    terminalreporter.write_line(
        f"the classroom app was NOT tested in a browser: {how}", yellow=True, bold=True
    )
    return result
