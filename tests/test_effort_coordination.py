"""What control and formal work buy: diligence deterred into being, errors caught before they
reach citizens, coordination carried by necessary meetings and documents (docs/ODD.md section
7.6). Each mechanism is checked in the model, on the classroom preset with common seeds."""

from __future__ import annotations

import numpy as np

from sim import outcomes
from sim.state import Item


def test_accountability_deters_perfunctory_work(outcome_means):
    unaccountable = outcome_means({"accountability.per_error": 0.0})
    accountable = outcome_means({"accountability.per_error": 0.3})
    assert accountable["shirking_share"] < unaccountable["shirking_share"]


def test_inspections_that_find_nothing_deter_nothing(make_model):
    # First week, same draws: detection is the only difference.
    blind = make_model({"inspection.detection": 0.0}, steps=1)
    sharp = make_model({"inspection.detection": 0.8}, steps=1)
    inspected = sharp.state.townships.inspections[sharp.state.staff.township] > 0
    d0, d1 = blind.state.staff.diligence, sharp.state.staff.diligence
    assert inspected.any()
    assert np.all(d1[inspected] > d0[inspected])
    assert np.array_equal(d1[~inspected], d0[~inspected])


def test_the_tournament_raises_effort_most_for_the_township_head(make_model):
    mild = make_model({"tournament.intensity": 0.0}, steps=1)
    fierce = make_model({"tournament.intensity": 2.0}, steps=1)
    heads = mild.tree.head_row
    gain = fierce.state.staff.diligence - mild.state.staff.diligence
    staff = np.setdiff1d(np.arange(gain.size), heads)
    assert np.all(gain[heads] > 0)
    assert gain[heads].mean() > gain[staff].mean()


def test_perfunctory_work_makes_more_errors(outcome_means):
    keen = outcome_means({"effort.motivation": 5.0}, steps=26)
    jaded = outcome_means({"effort.motivation": -3.0}, steps=26)
    assert jaded["shirking_share"] > 0.5 > keen["shirking_share"]
    assert jaded["errors"] > keen["errors"]


def test_errors_that_reach_citizens_lower_the_service_they_get(make_model):
    runs = {h: make_model({"errors.harm_hours": h}, steps=26) for h in (0.0, 40.0)}
    ts = {h: outcomes.timeseries(m) for h, m in runs.items()}
    # The harm of an error is what citizens lose: it changes no one's behaviour.
    assert ts[0.0]["township_hours"].equals(ts[40.0]["township_hours"])
    harmed = ts[40.0]["errors_to_citizens"] > 0
    assert harmed.any()
    assert np.all(ts[40.0]["service_quality"][harmed] < ts[0.0]["service_quality"][harmed])
    assert np.all(ts[40.0]["service_quality"] <= ts[40.0]["reported_service"] + 1e-12)


def test_cutting_necessary_meetings_and_documents_causes_rework(make_model):
    cuts = {"quota.meetings_cut": 0.7, "quota.documents_cut": 0.7}
    free = make_model({}, steps=1)
    blunt = make_model({**cuts, "coordination.protected": 0.0}, steps=1)
    careful = make_model({**cuts, "coordination.protected": 1.0}, steps=1)
    assert np.all(free.state.townships.rework == 0.0)
    assert np.all(blunt.state.townships.rework > careful.state.townships.rework)
    # Rework joins the week's work on the books.
    assert np.all(blunt.state.townships.work > free.state.townships.work)
    rows = blunt.tree.units(blunt.tree.bottom)
    for kind in (Item.MEETINGS, Item.DOCUMENTS):
        u = blunt.state.units
        assert np.all(u.necessary[kind, rows] < u.needed[kind, rows])


def test_no_rework_while_every_necessary_item_survives(make_model):
    careful = make_model(
        {"quota.meetings_cut": 0.1, "quota.documents_cut": 0.1, "coordination.protected": 1.0},
        steps=1,
    )
    u, rows = careful.state.units, careful.tree.units(careful.tree.bottom)
    kept = u.necessary[Item.MEETINGS, rows] >= u.needed[Item.MEETINGS, rows] - 1e-12
    assert kept.all()
    assert np.all(careful.state.townships.rework < 1e-12)
