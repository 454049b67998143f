"""Result assessment meets gaming of its indicators, limited by verification in the field
(docs/ODD.md section 7.18). Classroom preset, levers from week 0, common seeds."""

from __future__ import annotations

import numpy as np

from sim import outcomes

RESULT = {"assessment.mode": "result"}


def test_process_assessment_invites_no_gaming_of_results(make_model):
    model = make_model({}, steps=26)
    ts = outcomes.timeseries(model)
    assert (ts["gaming_share"] == 0.0).all()
    assert np.array_equal(model.state.townships.reported, model.state.townships.output)


def test_result_assessment_invites_gaming_that_citizens_do_not_get(make_model):
    ts = outcomes.timeseries(make_model(RESULT, steps=26))
    assert (ts["gaming_share"] > 0.0).all()
    # What is reported exceeds what is done; what citizens get is below both.
    assert (ts["reported_service"] >= ts["service_quality"]).all()


def test_verification_deters_gaming_at_a_cost_in_inspectors_time(make_model):
    unverified = make_model(RESULT, steps=1)
    verified = make_model({**RESULT, "verification.intensity": 0.8}, steps=1)
    g0, g1 = unverified.state.townships.gaming, verified.state.townships.gaming
    assert np.all(g1 < g0)
    # First week, same draws: the extra lever cost is the verification time, to the last bit
    # of its equation.
    cost = {m: outcomes.timeseries(m)["lever_cost"].iloc[0] for m in (unverified, verified)}
    tree, u = verified.tree, verified.state.units
    received = u.received[2, tree.starts[tree.bottom] :]
    expected = 0.8 * received * verified.params["verification.cost_hours"]
    assert cost[unverified] == 0.0
    assert np.isclose(cost[verified], expected.mean(), rtol=1e-12)


def test_verification_without_result_scoring_changes_nothing_but_cost(make_model):
    a = outcomes.timeseries(make_model({}, steps=26))
    b = outcomes.timeseries(make_model({"verification.intensity": 0.8}, steps=26))
    for name in a.columns.drop("lever_cost"):
        assert a[name].equals(b[name]), name
    assert (b["lever_cost"] > 0).all()
