"""The parameter catalogue: well-formed entries, validation and the Parameters mapping."""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest

from sim.params import (
    CATALOGUE,
    LEVER_GROUPS,
    LEVERS,
    ROLES,
    UNCERTAINTIES,
    ImmutableParametersError,
    Param,
    ParameterError,
    Parameters,
    validate,
)


def test_every_default_passes_its_own_check():
    for name, p in CATALOGUE.items():
        assert p.name == name
        assert "." in name, name
        if p.default is None:
            assert p.optional, name
            continue
        assert p.check(p.default) == p.default, name


@pytest.mark.parametrize("name", [n for n, p in CATALOGUE.items() if p.kind in ("int", "float")])
def test_numeric_ranges_contain_their_default(name):
    p = CATALOGUE[name]
    assert p.low is not None and p.high is not None
    assert p.low <= p.high
    if p.default is not None:
        assert p.low <= p.default <= p.high
        assert isinstance(p.default, int if p.kind == "int" else float)


def test_choice_defaults_are_among_their_choices():
    choices = [p for p in CATALOGUE.values() if p.kind == "choice"]
    assert choices
    for p in choices:
        assert p.default in p.choices


def test_lever_groups_are_the_groups_of_lever_parameters():
    assert LEVER_GROUPS
    assert set(LEVER_GROUPS) == {p.group for p in CATALOGUE.values() if p.is_lever}
    # The levers of docs/ODD.md section 1.6 that the other tests rely on are levers here.
    for name in (
        "quota.meetings_cut",
        "oversight.strength",
        "assessment.mode",
        "fault_tolerance.share",
        "data_bureau.merge",
        "allocation.capable_bias",
        "joint_enforcement.share",
        "tournament.intensity",
    ):
        assert CATALOGUE[name].is_lever, name


def test_every_parameter_declares_one_of_the_four_roles():
    assert ROLES == ("lever", "uncertainty", "structural", "run")
    assert {p.role for p in CATALOGUE.values()} == set(ROLES)
    assert tuple(n for n, p in CATALOGUE.items() if p.role == "lever") == LEVERS
    assert tuple(n for n, p in CATALOGUE.items() if p.role == "uncertainty") == UNCERTAINTIES
    assert not set(LEVERS) & set(UNCERTAINTIES)
    with pytest.raises(ValueError, match="role"):
        Param("x.y", 0.0, "-", "a parameter", low=0, high=1, role="assumption")


def test_roles_of_the_catalogue():
    # The levers are those the group prefix used to mark, and their group labels agree.
    assert set(LEVERS) == {n for n, p in CATALOGUE.items() if p.group.startswith("lever")}
    assert all(CATALOGUE[n].group.startswith("lever: ") for n in LEVERS)
    assert {n for n, p in CATALOGUE.items() if p.role == "run"} == {
        "run.steps",
        "run.summary_weeks",
        "run.policy_start",
    }
    assert all(p.role == "structural" for n, p in CATALOGUE.items() if n.startswith("hierarchy."))
    assert CATALOGUE["work.standard_hours"].role == "structural"
    # A lever's machinery (what it costs, how fast it acts) is an uncertainty, not a lever.
    for name in ("oversight.cost_hours", "devolution.task_hours", "data_bureau.cost_hours"):
        assert CATALOGUE[name].role == "uncertainty", name
    for name in ("anxiety.base", "cascade.escalation", "work.max_overtime", "rebound.leakage"):
        assert name in UNCERTAINTIES, name


def test_being_a_lever_is_the_declared_role_not_the_group_text():
    labelled = Param(
        "x.y", 0.0, "-", "a param", low=0, high=1, group="lever: x", role="uncertainty"
    )
    assert labelled.role == "uncertainty"
    assert not labelled.is_lever
    plain = Param("x.y", 0.0, "-", "a parameter", low=0, high=1, group="x", role="lever")
    assert plain.is_lever


def test_parameters_hold_every_default_and_read_both_ways():
    p = Parameters()
    assert set(p) == set(CATALOGUE)
    assert len(p) == len(CATALOGUE)
    for name, param in CATALOGUE.items():
        section, field = name.split(".", 1)
        assert p[name] == param.default
        assert getattr(getattr(p, section), field) == param.default
    assert p.changed() == {}


def test_overrides_are_validated_coerced_and_reported_as_changed():
    p = Parameters({"anxiety.base": 0, "indicators.count": 10.0})
    assert p["anxiety.base"] == 0.0 and isinstance(p["anxiety.base"], float)
    assert p["indicators.count"] == 10 and isinstance(p["indicators.count"], int)
    assert p.changed() == {"anxiety.base": 0.0, "indicators.count": 10}
    q = p.replace({"anxiety.base": 0.3})
    assert q["anxiety.base"] == 0.3
    assert q["indicators.count"] == 10
    assert p["anxiety.base"] == 0.0  # the original is untouched
    with pytest.raises(ParameterError):
        p.replace({"anxiety.base": 2.0})


def test_parameters_are_immutable():
    p = Parameters({"anxiety.base": 0.2})
    with pytest.raises(TypeError):
        p["anxiety.base"] = 0.9  # type: ignore[index]
    with pytest.raises(AttributeError):
        p.no_such_section  # noqa: B018


@pytest.mark.parametrize(
    "change",
    [
        lambda p: setattr(p.anxiety, "base", 5.0),
        lambda p: setattr(p.anxiety, "no_such_field", 5.0),
        lambda p: delattr(p.anxiety, "base"),
        lambda p: p.__setitem__("anxiety.base", 5.0),
        lambda p: p.__delitem__("anxiety.base"),
        lambda p: setattr(p, "anxiety", p.trust),
        lambda p: setattr(p, "x", 1),
        lambda p: setattr(p, "_values", {}),
        lambda p: delattr(p, "anxiety"),
    ],
    ids=[
        "section-field",
        "section-new-field",
        "section-del",
        "item",
        "item-del",
        "section",
        "attribute",
        "private",
        "attribute-del",
    ],
)
def test_no_assignment_or_deletion_changes_parameters(change):
    # Before, p.anxiety.base = 5.0 changed the section view but not p["anxiety.base"].
    p = Parameters({"anxiety.base": 0.2})
    before = p.to_dict()
    with pytest.raises(ImmutableParametersError, match="Parameters are immutable"):
        change(p)
    assert p.to_dict() == before
    assert p.anxiety.base == p["anxiety.base"] == 0.2
    assert p == Parameters({"anxiety.base": 0.2})


def test_the_immutability_error_says_how_to_change_a_value():
    p = Parameters()
    with pytest.raises(ImmutableParametersError) as info:
        p.anxiety.base = 5.0
    assert "use p.replace({'anxiety.base': 5.0})" in str(info.value)
    assert info.value.key == "anxiety.base"
    # It is both what assigning a read-only attribute and an immutable item raise.
    assert isinstance(info.value, AttributeError) and isinstance(info.value, TypeError)
    with pytest.raises(ImmutableParametersError, match=r"p\.replace\(\{'anxiety\.base': 1\}\)"):
        p["anxiety.base"] = 1  # type: ignore[index]
    q = p.replace({"anxiety.base": 0.5})
    assert q.anxiety.base == q["anxiety.base"] == 0.5
    assert p.anxiety.base == p["anxiety.base"] == CATALOGUE["anxiety.base"].default


def test_sections_read_every_value_and_compare_pickle_and_print():
    p = Parameters({"anxiety.base": 0.2})
    for name in CATALOGUE:
        section, field = name.split(".", 1)
        assert getattr(getattr(p, section), field) == p[name]
    assert p.anxiety == Parameters({"anxiety.base": 0.2}).anxiety
    assert hash(p.anxiety) == hash(Parameters({"anxiety.base": 0.2}).anxiety)
    assert p.anxiety != Parameters().anxiety
    assert p.anxiety != p.trust
    for clone in (pickle.loads(pickle.dumps(p.anxiety)), copy.copy(p.anxiety)):
        assert clone == p.anxiety and clone.base == 0.2
    assert "base=0.2" in repr(p.anxiety)
    with pytest.raises(AttributeError, match=r"anxiety\.base"):
        p.anxiety.bsae  # noqa: B018


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("anxiety.base", "0.3", "text"),  # a string for a number
        ("anxiety.base", True, "boolean"),  # true for a number
        ("indicators.count", 10.5, "whole number"),  # a float for an int
        ("indicators.count", "10", "text"),
        ("anxiety.base", 1.5, "out of range"),
        ("anxiety.base", -0.1, "out of range"),
        ("anxiety.base", math.nan, "out of range"),
        ("anxiety.base", math.inf, "out of range"),
        ("indicators.count", 0, "out of range"),
        ("assessment.mode", "results", "'results'"),
        ("assessment.mode", 1, "1"),
        ("anxiety.base", [0.3], "list"),
    ],
)
def test_bad_values_raise_naming_the_key_and_what_is_allowed(name, value, fragment):
    with pytest.raises(ParameterError) as info:
        validate({name: value})
    err = info.value
    assert err.key == name
    assert fragment in str(err)
    assert err.allowed == CATALOGUE[name].allowed()
    assert err.allowed in str(err)


def test_allowed_describes_kind_and_range():
    assert CATALOGUE["anxiety.base"].allowed() == "a number in [0, 1]"
    assert CATALOGUE["indicators.count"].allowed() == "an integer in [1, 1000]"
    assert "'result'" in CATALOGUE["assessment.mode"].allowed()


def test_bool_parameters_accept_only_booleans():
    p = Param("x.flag", False, "-", "a flag", kind="bool")
    assert p.check(True) is True
    for bad in (1, 0.0, "true"):
        with pytest.raises(ParameterError, match=r"x\.flag"):
            p.check(bad)


def test_optional_parameters_accept_none_only_when_optional():
    assert CATALOGUE["hierarchy.provinces"].check(None) is None
    with pytest.raises(ParameterError):
        CATALOGUE["anxiety.base"].check(None)


def test_unknown_key_suggests_the_close_name():
    with pytest.raises(ParameterError) as info:
        validate({"quota.meeting_cut": 0.5})
    assert info.value.key == "quota.meeting_cut"
    assert "unknown parameter" in str(info.value)
    assert "quota.meetings_cut" in info.value.allowed


def test_unknown_key_in_known_section_lists_the_section():
    with pytest.raises(ParameterError) as info:
        validate({"oversight.zzzzzzzzzzzz": 1})
    assert "oversight.strength" in info.value.allowed


def test_unknown_section_lists_the_sections():
    with pytest.raises(ParameterError) as info:
        validate({"qqqqqqqq.zzzzzzzz": 1})
    assert "known sections" in info.value.allowed
    assert "anxiety" in info.value.allowed


def test_numpy_integers_are_accepted_for_int_parameters():
    assert Parameters({"indicators.count": np.int64(10)})["indicators.count"] == 10


@pytest.mark.parametrize(
    "clone",
    [lambda p: pickle.loads(pickle.dumps(p)), copy.copy, copy.deepcopy],
    ids=["pickle", "copy", "deepcopy"],
)
def test_parameters_survive_pickling_and_copying(clone):
    # Scenarios travel to worker processes (process pools, Dask) by pickling.
    p = Parameters({"anxiety.base": 0.2})
    q = clone(p)
    assert q["anxiety.base"] == 0.2
    assert q.anxiety.base == 0.2
    assert q == p
    assert q.changed() == p.changed()


def test_parameters_compare_by_value():
    assert Parameters({"anxiety.base": 0.2}) == Parameters({"anxiety.base": 0.2})
    assert hash(Parameters({"anxiety.base": 0.2})) == hash(Parameters({"anxiety.base": 0.2}))
    assert Parameters({"anxiety.base": 0.2}) != Parameters({"anxiety.base": 0.3})
    assert Parameters() == Parameters({"anxiety.base": CATALOGUE["anxiety.base"].default})


def test_scenarios_survive_pickling():
    import sim

    spec = sim.Scenario.from_overrides({"quota.meetings_cut": 0.5}, name="cut")
    back = pickle.loads(pickle.dumps(spec))
    assert back.name == "cut"
    assert back.params == spec.params
