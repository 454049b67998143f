"""The compiled engine: the same numbers as plain numpy, whatever path runs the weeks.

The rules and phases are numpy code compiled by numba. Run with ``NUMBA_DISABLE_JIT=1`` the
same source executes as plain Python and numpy, which makes it its own reference: the compiled
state must match it bit for bit (numba must not reorder a sum or round a function differently).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.outcomes import NAMES

ROOT = Path(__file__).resolve().parent.parent
PUNCH = ROOT / "scenarios" / "combination_punch.toml"
STATE = """
import pickle, sys
import sim
model = sim.GovernanceModel(
    sim.load_scenario(sys.argv[1]), rng=3, preset="classroom", datacollector=False, agents=False
)
model.run_for(int(sys.argv[2]))
pickle.dump([[a for a in table] for table in model.state], sys.stdout.buffer)
"""


def _state_tables(model) -> list[list[np.ndarray]]:
    return [list(table) for table in model.state]


@pytest.mark.parametrize("weeks", [1, 30])
def test_compiled_state_equals_plain_numpy_bit_for_bit(weeks):
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    done = subprocess.run(
        [sys.executable, "-c", STATE, str(PUNCH), str(weeks)],
        env=env,
        capture_output=True,
        timeout=600,
        check=True,
    )
    plain = pickle.loads(done.stdout)
    model = sim.GovernanceModel(
        sim.load_scenario(PUNCH), rng=3, preset="classroom", datacollector=False, agents=False
    )
    model.run_for(weeks)
    for got_table, want_table in zip(_state_tables(model), plain, strict=True):
        for got, want in zip(got_table, want_table, strict=True):
            assert got.dtype == want.dtype
            assert np.array_equal(got, want, equal_nan=True)


def test_weeks_in_one_call_equal_weeks_step_by_step():
    # Sweeps run all weeks in one compiled call (sim.engine); the Mesa-facing model steps. The
    # policy switches on mid-run, so both parameter sets are used.
    scenario = sim.load_scenario(PUNCH).with_overrides({"run.policy_start": 5})
    fast = sim.GovernanceModel(
        scenario, rng=7, preset="classroom", datacollector=False, agents=False
    )
    fast.run_for(12)
    slow = sim.GovernanceModel(scenario, rng=7, preset="classroom")
    for _ in range(12):
        slow.step()
    a, b = sim.outcomes.timeseries(fast), sim.outcomes.timeseries(slow)
    assert list(a.columns) == list(NAMES)
    assert np.array_equal(a.to_numpy(), b.to_numpy())
    for x, y in zip(_state_tables(fast), _state_tables(slow), strict=True):
        for u, v in zip(x, y, strict=True):
            assert np.array_equal(u, v, equal_nan=True)
    # Mesa's clock followed the weeks, and the model goes on from where the call stopped.
    assert fast.time == slow.time == 12 and fast.steps == slow.steps == 12
    fast.step()
    slow.step()
    assert np.array_equal(fast.observation(), slow.observation())
    assert fast.week == 13


def test_a_run_does_not_depend_on_what_ran_before_in_the_process():
    first = sim.simulate(seed=4, steps=20, preset="classroom").timeseries
    sim.simulate(PUNCH, seed=9, steps=30, preset="region")
    again = sim.simulate(seed=4, steps=20, preset="classroom").timeseries
    assert again.equals(first)


def test_the_c_library_functions_give_the_compiled_numbers_in_plain_python():
    # numpy's vectorised exp, expm1 and pow differ from the C library's in the last bit on
    # some CPUs; sim.jit's versions are the C library's, compiled (numba) or not.
    import numba

    from sim import jit

    @numba.njit
    def compiled(x, y):
        return jit.exp(x), jit.expm1(x), jit.power(np.abs(x), y), jit.exp(x[0])

    x = np.random.default_rng(0).uniform(-20.0, 5.0, 20_000)
    want = compiled(x, 1.5)
    got = (jit.exp(x), jit.expm1(x), jit.power(np.abs(x), 1.5), jit.exp(x[0]))
    for g, w in zip(got, want, strict=True):
        assert np.array_equal(g, w)


def test_where_keeps_numbers_numbers_when_compiled():
    # In a loop over officials a rule gets numbers; np.where would hand back a 0-d array.
    import numba

    from sim import jit

    @numba.njit
    def compiled(condition, a, b, x):
        return jit.where(condition, a, b), jit.where(x > 0.5, x, 0.0)

    x = np.random.default_rng(1).random(50)
    for condition in (True, False):
        number, array = compiled(condition, 2.0, -1.0, x)
        assert isinstance(number, float) and number == (2.0 if condition else -1.0)
        assert np.array_equal(array, np.where(x > 0.5, x, 0.0))
    assert np.array_equal(jit.where(x > 0.5, x, 0.0), np.where(x > 0.5, x, 0.0))
