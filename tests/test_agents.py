"""Mesa agents: thin handles over rows of the state arrays, registered per level."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.agents import (
    LEADER_CLASSES,
    CityOfficial,
    CountyOfficial,
    ProvinceOfficial,
    TownshipOfficial,
)
from sim.hierarchy import TOWNSHIP
from sim.state import HOUR_KINDS, Status


@pytest.fixture
def model(classroom):
    m = sim.GovernanceModel(classroom, rng=3)
    m.run_for(3)
    return m


def test_one_agent_per_unit_and_per_post(model):
    tree = model.tree
    for level, cls in enumerate(LEADER_CLASSES):
        agents = list(model.agents_by_type[cls])
        assert len(agents) == tree.count(level)
        rows = range(tree.starts[level], tree.starts[level + 1])
        assert sorted(a.row for a in agents) == list(rows)
        assert all(a.level == level for a in agents)
    staff = list(model.agents_by_type[TownshipOfficial])
    assert sorted(a.row for a in staff) == list(range(tree.n_staff))
    assert sum(a.is_head for a in staff) == tree.n_townships


def test_setting_an_attribute_writes_the_state_array(model):
    official = next(a for a in model.agents_by_type[TownshipOfficial] if a.row == 5)
    official.anxiety = 0.123
    official.fatigue = 0.456
    assert model.state.staff.anxiety[5] == 0.123
    assert model.state.staff.fatigue[5] == 0.456
    model.state.staff.competence[5] = 1.75
    assert official.competence == 1.75
    leader = next(iter(model.agents_by_type[CountyOfficial]))
    leader.anxiety = 0.9
    assert model.state.units.anxiety[leader.row] == 0.9
    assert leader.unit == leader.row


def test_descriptors_follow_arrays_the_rules_replace(model):
    official = next(iter(model.agents_by_type[TownshipOfficial]))
    model.step()  # the update replaces staff.anxiety with a new array
    assert official.anxiety == model.state.staff.anxiety[official.row]
    assert official.fatigue == model.state.staff.fatigue[official.row]


def test_an_edit_through_an_agent_reaches_the_rules(classroom):
    a = sim.GovernanceModel(classroom, rng=9)
    b = sim.GovernanceModel(classroom, rng=9)
    for official in b.agents_by_type[TownshipOfficial]:
        official.anxiety = 1.0
    a.step()
    b.step()
    assert (
        b.state.staff.hours[HOUR_KINDS.index("traces")].sum()
        > a.state.staff.hours[HOUR_KINDS.index("traces")].sum()
    )


@pytest.mark.parametrize("cls", [ProvinceOfficial, CityOfficial, CountyOfficial])
def test_leaders_subordinates_and_trust_match_the_tree(model, cls):
    graph = model.tree.graph
    for leader in model.agents_by_type[cls]:
        subs = leader.subordinates
        assert sorted(subs.tolist()) == sorted(graph.successors(leader.row))
        assert np.all(model.tree.level[subs] == leader.level + 1)
        assert np.array_equal(leader.trust, model.state.units.trust[subs])
        assert leader.name == model.tree.names[leader.row]


def test_township_officials_know_their_township_hours_and_overtime(model):
    tree = model.tree
    standard = model.params.work.standard_hours
    for official in model.agents_by_type[TownshipOfficial]:
        t = official.township
        assert tree.level[t] == TOWNSHIP
        assert t - tree.starts[TOWNSHIP] == tree.staff_township[official.row]
        hours = official.hours
        assert list(hours) == list(HOUR_KINDS)
        total = model.state.staff.hours[:, official.row].sum()
        assert sum(hours.values()) == pytest.approx(total)
        assert official.overtime == pytest.approx(max(total - standard, 0.0))


def test_quitting_removes_agents_and_refilling_adds_them(make_scenario):
    spec = make_scenario(
        {
            "burnout.initial": 1.0,
            "burnout.initial_spread": 0.0,
            "burnout.recovery": 0.0,  # fatigue stays at 1: quitting is certain
            "turnover.quit_probability": 1.0,
            "turnover.leave_probability": 0.0,
            "turnover.replacement_weeks": 2,
        }
    )
    model = sim.GovernanceModel(spec, rng=1)
    tree = model.tree
    model.step()
    st = model.state.staff
    quit_rows = np.flatnonzero(st.status == Status.VACANT)
    assert quit_rows.size == tree.n_staff - tree.n_townships  # all but the heads
    assert not st.is_head[quit_rows].any()  # heads do not quit
    rows = {a.row for a in model.agents_by_type[TownshipOfficial]}
    assert rows == set(np.flatnonzero(st.status != Status.VACANT).tolist())
    assert model.state.townships.quits.sum() == quit_rows.size
    model.step()
    model.step()
    refilled = model.state.staff.status[quit_rows]
    assert np.all(refilled != Status.VACANT)
    assert len(model.agents_by_type[TownshipOfficial]) >= tree.n_staff - tree.n_townships
    rows = {a.row for a in model.agents_by_type[TownshipOfficial]}
    assert rows == set(np.flatnonzero(model.state.staff.status != Status.VACANT).tolist())
