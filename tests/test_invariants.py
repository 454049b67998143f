"""Invariants that must hold after every week for any parameter set the catalogue allows.

Hypothesis draws a random subset of the numeric parameters (outside ``hierarchy.*`` and
``run.*``), each anywhere in its allowed range, plus an assessment mode, and runs the classroom
preset with every lever in force from week 0.
"""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.agents import TownshipOfficial
from sim.params import CATALOGUE
from sim.state import Status

NUMERIC = sorted(
    name
    for name, p in CATALOGUE.items()
    if p.kind in ("int", "float") and p.section not in ("hierarchy", "run")
)
# Raise these for a long fuzzing session, e.g. OASIM_FUZZ_EXAMPLES=800 OASIM_FUZZ_WEEKS=100.
EXAMPLES = int(os.environ.get("OASIM_FUZZ_EXAMPLES", 40))
WEEKS = int(os.environ.get("OASIM_FUZZ_WEEKS", 30))
TOL = 1e-9

# Sentinels documented in sim.state: a quota not yet set is NaN; "no quota" is +inf.
MAY_BE_NAN = {("units", "cap")}
MAY_BE_INF = {("units", "effective_cap")}


@st.composite
def parameter_sets(draw) -> dict:
    names = draw(st.lists(st.sampled_from(NUMERIC), unique=True, max_size=len(NUMERIC)))
    values = {}
    for name in names:
        p = CATALOGUE[name]
        if p.kind == "int":
            values[name] = draw(st.integers(int(p.low), int(p.high)))
        else:
            values[name] = draw(st.floats(p.low, p.high, allow_nan=False, allow_infinity=False))
    values["assessment.mode"] = draw(st.sampled_from(CATALOGUE["assessment.mode"].choices))
    return values


def state_arrays(model):
    for table, group in zip(model.state._fields, model.state, strict=True):
        for name, values in zip(group._fields, group, strict=True):
            yield table, name, np.asarray(values)


def check_week(model, worked: np.ndarray) -> None:
    """Invariants after a step; ``worked`` marks the posts that were active during the week."""
    p = model.params
    state = model.state
    staff, units, townships = state.staff, state.units, state.townships

    for table, name, arr in state_arrays(model):
        values = arr.astype(float)
        if (table, name) not in MAY_BE_NAN:
            assert not np.isnan(values).any(), f"NaN in {table}.{name}"
        if (table, name) in MAY_BE_INF:
            assert not np.isneginf(values).any(), f"-inf in {table}.{name}"
        else:
            assert not np.isinf(values).any(), f"inf in {table}.{name}"

    for name, arr in [
        ("staff.anxiety", staff.anxiety),
        ("staff.fatigue", staff.fatigue),
        ("units.anxiety", units.anxiety),
        ("units.trust", units.trust),
        ("units.standing", units.standing),
        ("staff.diligence", staff.diligence),
        ("townships.rework", townships.rework),
        ("townships.gaming", townships.gaming),
    ]:
        assert np.all((arr >= 0.0) & (arr <= 1.0)), name

    hours = staff.hours
    assert hours.shape == (7, model.tree.n_staff)
    assert np.all(hours >= 0.0)
    total = hours.sum(axis=0)
    assert np.all(total <= p.work.standard_hours + p.work.max_overtime + TOL)
    formal = total - hours[0]
    assert np.all(staff.pure >= -TOL)
    assert np.all(staff.pure <= formal + TOL)
    assert np.all(total[~worked] == 0.0)  # nobody on leave or in a vacant post works
    assert np.all(staff.errors[~worked] == 0.0)

    for name, arr in [
        ("errors", staff.errors),
        ("detected", staff.detected),
        ("events", staff.events),
        ("record", staff.record),
        ("inspections", townships.inspections),
        ("received", units.received),
        ("data_requests", townships.data_requests),
        ("unit events", units.events),
        ("backlog", townships.backlog),
        ("hidden", townships.hidden),
    ]:
        assert np.all(arr >= 0.0), name
    assert np.all(staff.detected <= staff.errors)
    assert np.all(units.necessary <= units.received + TOL)
    assert np.all(units.necessary <= units.needed + TOL)  # a quota never adds a necessary item
    assert np.all(townships.reported >= townships.output - TOL)  # reports inflate, never deflate
    gain = p.fault_tolerance.trial_gain
    assert np.all((townships.practice >= 1.0) & (townships.practice <= 1.0 + gain + TOL))

    non_vacant = set(np.flatnonzero(staff.status != Status.VACANT).tolist())
    active = set(np.flatnonzero(staff.active).tolist())
    assert active <= non_vacant
    registry = model.agents_by_type[TownshipOfficial]
    assert len(registry) == len(non_vacant)
    assert {a.row for a in registry} == non_vacant

    out = {o.name: o.report(model) for o in sim.OUTCOMES}
    for name, value in out.items():
        assert np.isfinite(value), name
    burden = out["hours_pure_formalism"] + out["hours_necessary_formal"] + out["hours_substantive"]
    assert np.isclose(burden, out["township_hours"], rtol=1e-9, atol=1e-9)
    for name in ("anxiety_township", "burnout", "formalism_share", "reported_service"):
        assert -TOL <= out[name] <= 1 + TOL, name
    assert -TOL <= out["shirking_share"] <= 1 + TOL
    assert -TOL <= out["gaming_share"] <= p.gaming.max + TOL
    # Errors that reach citizens undo service: what they get is at most what is reported.
    assert out["service_quality"] <= out["reported_service"] + TOL
    assert out["quota_ratio"] >= 1.0 - TOL


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(values=parameter_sets(), seed=st.integers(0, 2**16))
def test_invariants_hold_every_week(values, seed):
    spec = sim.Scenario.from_overrides(
        {**values, "hierarchy.preset": "classroom", "run.policy_start": 0}
    )
    model = sim.GovernanceModel(spec, rng=seed)
    for _ in range(WEEKS):
        worked = model.state.staff.active.copy()
        model.step()
        check_week(model, worked)


def test_invariants_hold_for_the_defaults_over_a_long_run(classroom):
    model = sim.GovernanceModel(classroom, rng=0)
    for _ in range(156):
        worked = model.state.staff.active.copy()
        model.step()
        check_week(model, worked)
