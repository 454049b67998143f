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


def test_ratio_and_where_on_vectors_equal_numpy_when_compiled():
    # Compiled, both are one loop over a vector; numpy's broadcasting stays for the rest.
    import numba

    from sim import jit

    @numba.njit
    def compiled(part, whole, condition, single):
        return (
            jit.ratio(part, whole, -1.0),
            jit.ratio(2.0, whole, 0.5),
            jit.ratio(part, 3.0, 0.5),
            jit.where(condition, part, whole),
            jit.where(condition, 1.5, whole),
            jit.where(condition, part, single),  # a length-1 vector broadcasts, as in numpy
        )

    rng = np.random.default_rng(2)
    part = rng.normal(size=40)
    whole = np.where(rng.random(40) < 0.3, 0.0, rng.normal(size=40))
    whole[5] = np.nan
    condition, single = part > 0, np.array([7.0])
    want = (
        np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), -1.0),
        np.where(whole > 0, 2.0 / np.where(whole > 0, whole, 1.0), 0.5),
        part / 3.0,
        np.where(condition, part, whole),
        np.where(condition, 1.5, whole),
        np.where(condition, part, single),
    )
    for got, expected in zip(compiled(part, whole, condition, single), want, strict=True):
        assert np.array_equal(got, expected, equal_nan=True)


def test_stale_compiled_code_is_pruned_but_the_newest_kept(tmp_path):
    import os
    import time as clock

    from sim.jit import prune_stale_caches

    current = tmp_path / "oasim-compiled-0123456789abcdef"
    current.mkdir()
    stale = []
    for i in range(4):
        folder = tmp_path / f"oasim-compiled-{i:016x}"
        (folder / "sim").mkdir(parents=True)
        (folder / "sim" / "week.nbc").write_bytes(b"x")
        when = clock.time() - 1000 * (i + 1)  # the first is the most recent
        os.utime(folder, (when, when))
        stale.append(folder)
    others = [tmp_path / "oasim-compiled-notahash", tmp_path / "mine"]
    for folder in others:
        folder.mkdir()
    (tmp_path / "oasim-compiled-fedcba9876543210").write_text("a file, not a folder")

    deleted = prune_stale_caches(current, keep=2)

    assert sorted(deleted) == sorted(stale[2:])
    assert all(folder.exists() for folder in [current, *stale[:2], *others])
    assert not any(folder.exists() for folder in stale[2:])
    assert (tmp_path / "oasim-compiled-fedcba9876543210").is_file()
