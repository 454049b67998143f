"""Superiors refill the slack a quota frees, through channels no quota counts (隐形负担;
docs/ODD.md section 7.5). Classroom preset, levers from week 0, common seeds."""

from __future__ import annotations

import numpy as np

import sim
from sim import outcomes

HELD = {
    "quota.meetings_cut": 0.4,
    "quota.documents_cut": 0.3,
    "quota.inspections_cut": 0.5,
    "oversight.strength": 1.0,
    # A body that catches every evasion, so that the quota holds exactly and what is freed
    # depends on the quota alone (with relabelling, calmer superiors would also relabel less,
    # and so free more hours to refill).
    "oversight.detection": 1.0,
}


def test_no_quota_no_hidden_burden(make_model):
    ts = outcomes.timeseries(make_model({}, steps=26))
    assert (ts["hidden_burden_hours"] == 0.0).all()


def test_oversight_holds_the_quota_but_not_the_tasks_that_refill_it(make_model):
    ts = outcomes.timeseries(make_model(HELD, steps=52))
    hidden = ts["hidden_burden_hours"]
    assert (ts["quota_ratio"] == 1.0).all()
    assert (hidden > 0).all()
    assert hidden.iloc[:13].mean() < hidden.iloc[13:26].mean() < hidden.iloc[-13:].mean() + 1e-9


def test_the_refill_rule_sets_the_tasks_of_the_week(make_scenario, make_model):
    # One week from zero: the hidden work is the target over refill_weeks, on top of the tasks.
    # Counties push nothing down (oversight would change that too): only the refill differs.
    plain = {"devolution.pushdown": 0.0}
    model = make_model({**HELD, **plain}, steps=1)
    free = make_model(plain, steps=1)
    tree, u, tw = model.tree, model.state.units, model.state.townships
    rows = slice(tree.starts[tree.bottom], None)
    p = model.params
    per_item = np.array(
        [p["formal.meeting_hours"], p["formal.document_hours"], p["formal.inspection_hours"]]
    )
    freed = ((u.desired[:, rows] - u.received[:, rows]) * per_item[:, None]).sum(axis=0)
    county = tree.township_ancestor[tree.bottom - 1]
    # Last week's anxiety: the initial one, before the first week's update.
    anxiety = sim.GovernanceModel(make_scenario({**HELD, **plain}), rng=1).state.units.anxiety[
        county
    ]
    target = p["rebound.refill"] * anxiety * freed
    assert np.allclose(tw.hidden, target / p["rebound.refill_weeks"], rtol=1e-12)
    assert np.allclose(tw.tasks - free.state.townships.tasks, tw.hidden * tree.posts, rtol=1e-9)


def test_calm_or_restrained_superiors_refill_less(outcome_means):
    base = outcome_means(HELD, steps=52, last=26)
    calm = outcome_means({**HELD, "anxiety.central_pressure": 0.0}, steps=52, last=26)
    restrained = outcome_means({**HELD, "bottom_up.weight": 1.0}, steps=52, last=26)
    assert calm["hidden_burden_hours"] < base["hidden_burden_hours"]
    assert restrained["hidden_burden_hours"] < base["hidden_burden_hours"]
