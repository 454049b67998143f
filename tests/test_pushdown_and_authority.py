"""Counties push work down; personnel and financial authority act through what townships do
with them; counties hand out tasks by score (docs/ODD.md sections 7.1, 7.15, 7.16). Classroom
preset, levers from week 0, common seeds."""

from __future__ import annotations

import numpy as np
import pytest

import sim

SEEDS = (1, 2, 3)


def _counties(model):
    tree = model.tree
    return tree.township_ancestor[tree.bottom - 1]


def test_anxious_counties_push_work_down_unless_watched(make_model):
    calm = make_model({"anxiety.central_pressure": 0.1}, steps=52).state.townships
    tense = make_model({"anxiety.central_pressure": 0.9}, steps=52).state.townships
    watched = make_model(
        {"anxiety.central_pressure": 0.9, "oversight.strength": 1.0}, steps=52
    ).state.townships
    assert tense.pushed.mean() > calm.pushed.mean() > 0.0
    assert watched.pushed.mean() < tense.pushed.mean()
    none = make_model({"devolution.pushdown": 0.0}, steps=52).state.townships
    assert np.all(none.pushed == 0.0)


def test_formal_devolution_hands_all_task_authority_down_at_once(make_model):
    model = make_model({"devolution.tasks": 1.0}, steps=1)
    assert np.all(model.state.townships.pushed == 1.0)


def test_task_authority_lets_townships_decide_with_fewer_handoffs(make_model):
    # Same demand and tasks (task hours of devolved work set to 0): only hand-offs differ.
    common = {"devolution.task_hours": 0.0, "devolution.pushdown": 0.0}
    held = make_model({**common, "devolution.tasks": 1.0}, steps=1).state.townships
    none = make_model(common, steps=1).state.townships
    assert np.allclose(held.demand + held.tasks, none.demand + none.tasks)
    assert np.all(held.work < none.work)


def test_fair_allocation_equalises_a_countys_tasks_and_piling_follows_the_score(make_model):
    fair = make_model({"allocation.capable_bias": 0.0}, steps=26)
    piled = make_model({"allocation.capable_bias": 3.0}, steps=26)
    for model in (fair, piled):
        assert np.all(np.isfinite(model.state.townships.tasks))
    tw, posts = fair.state.townships, fair.tree.posts
    per_post = tw.tasks / posts - tw.hidden
    county = _counties(fair)
    for c in np.unique(county):
        assert np.ptp(per_post[county == c]) == pytest.approx(0.0, abs=1e-9)
    tw, twu = piled.state.townships, piled.tree.units(piled.tree.bottom)
    score = piled.state.units.score[twu]
    per_post = tw.tasks / piled.tree.posts - tw.hidden
    assert np.corrcoef(score, per_post)[0, 1] > 0.3


def _competence_in_post(make_model, overrides, seed):
    st = make_model(overrides, seed=seed, steps=156).state.staff
    return st.competence[st.status == sim.state.Status.ACTIVE].mean()


def test_personnel_authority_keeps_capable_officials(make_model):
    churn = {"turnover.quit_probability": 0.2, "turnover.replacement_weeks": 0}
    kept = {**churn, "devolution.personnel": 1.0, "devolution.patronage": 0.0}
    gap = [
        _competence_in_post(make_model, kept, s) - _competence_in_post(make_model, churn, s)
        for s in SEEDS
    ]
    assert np.mean(gap) > 0


def test_patronage_lowers_the_competence_of_a_townships_own_hires(make_model):
    churn = {"turnover.quit_probability": 0.2, "turnover.replacement_weeks": 0}
    own = {**churn, "devolution.personnel": 1.0, "devolution.retention": 0.0}
    ties = {**own, "devolution.patronage": 0.4}
    gap = [
        _competence_in_post(make_model, ties, s) - _competence_in_post(make_model, own, s)
        for s in SEEDS
    ]
    assert np.mean(gap) < 0


def test_financial_authority_buys_services_and_rewards_diligence(outcome_means, make_model):
    tw = make_model({"devolution.finance": 1.0}, steps=52).state.townships
    assert tw.services.mean() > 0.0
    none = outcome_means({}, seeds=SEEDS, steps=52)
    paid = outcome_means({"devolution.finance": 1.0}, seeds=SEEDS, steps=52)
    assert paid["shirking_share"] < none["shirking_share"]
    assert paid["lever_cost"] > none["lever_cost"] == 0.0
    no_services = outcome_means(
        {"devolution.finance": 1.0, "devolution.services_share": 0.0}, seeds=SEEDS, steps=52
    )
    assert paid["backlog_hours"] < no_services["backlog_hours"]
    assert paid["lever_cost"] > no_services["lever_cost"]
