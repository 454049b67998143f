"""Sensitivity problem files: the library loads, bad files are refused with the file and the key,
and parameters are encoded on SALib's continuous scale without bias."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim
from sim.params import CATALOGUE, validate
from sim.sensitivity import Problem, ProblemError, load_problem
from sim.sensitivity.analysis import design
from sim.sensitivity.problem import Dimension

SA_DIR = Path(__file__).resolve().parents[2] / "scenarios" / "sensitivity"
LIBRARY = sorted(SA_DIR.glob("*.toml"))

TOP = """
scenario = "baseline"
outcomes = ["township_hours"]
"""
PARAMETERS = """
[parameters]
"oversight.strength" = { bounds = [0.0, 1.0] }
"""
GOOD = TOP + PARAMETERS


# ---- the library ---------------------------------------------------------------------------------
def test_the_library_holds_the_four_problems():
    assert {"assumptions", "ishigami", "levers", "policy_effect"} <= {p.stem for p in LIBRARY}


@pytest.mark.parametrize("path", LIBRARY, ids=[p.stem for p in LIBRARY])
def test_library_problem_loads(path):
    problem = load_problem(path)
    assert isinstance(problem, Problem)
    assert problem.description
    assert problem.dimensions and problem.outcomes and problem.seeds >= 1
    spec = problem.salib_problem()
    assert spec["num_vars"] == len(problem.names) == len(spec["bounds"])
    assert all(low < high for low, high in spec["bounds"])


def test_the_ishigami_problem_is_the_analytic_function():
    problem = load_problem(SA_DIR / "ishigami.toml")
    assert problem.model == "ishigami"
    assert problem.names == ["x1", "x2", "x3"]
    assert problem.outcomes == ("y",)
    assert problem.base is None and problem.arms == ("model",)
    for d in problem.dimensions:
        assert (d.low, d.high) == pytest.approx((-np.pi, np.pi))


def test_the_levers_problem_varies_levers_and_the_assumptions_problem_does_not():
    levers = load_problem(SA_DIR / "levers.toml")
    assert all(CATALOGUE[name].is_lever for name in levers.names)
    assumptions = load_problem(SA_DIR / "assumptions.toml")
    assert not any(CATALOGUE[name].is_lever for name in assumptions.names)
    assert assumptions.base.name == "quota_cut_no_oversight"
    assert assumptions.base.params["run.policy_start"] == 52  # [fixed] applies to the base


def test_the_policy_effect_problem_pairs_treatment_and_reference():
    problem = load_problem(SA_DIR / "policy_effect.toml")
    assert problem.arms == ("reference", "treatment")
    assert problem.treatment.name == "combination_punch"
    assert problem.base.name == "baseline"
    assert not set(problem.names) & set(problem.treatment.overrides)


# ---- bad problem files ---------------------------------------------------------------------------
BAD = {
    "unknown top-level key": ("bogus = 1\n" + GOOD, "bogus", "unknown top-level key"),
    "unknown parameter": (
        GOOD + '"anxiety.form_peers" = { bounds = [0.0, 0.5] }\n',
        "parameters.anxiety.form_peers",
        "did you mean 'anxiety.from_peers'",
    ),
    "bounds outside the catalogue range": (
        GOOD.replace("[0.0, 1.0]", "[0.0, 2.0]"),
        "parameters.oversight.strength.bounds",
        "outside the parameter's range",
    ),
    "low equal to high": (
        GOOD.replace("[0.0, 1.0]", "[0.5, 0.5]"),
        "parameters.oversight.strength.bounds",
        "low < high",
    ),
    "low above high": (
        GOOD.replace("[0.0, 1.0]", "[0.8, 0.2]"),
        "parameters.oversight.strength.bounds",
        "low < high",
    ),
    "choices for a numeric parameter": (
        GOOD.replace("bounds = [0.0, 1.0]", "choices = [0.0, 1.0]"),
        "parameters.oversight.strength",
        "numeric parameter takes bounds, not choices",
    ),
    "bounds for a categorical parameter": (
        GOOD + '"assessment.mode" = { bounds = [0, 2] }\n',
        "parameters.assessment.mode",
        "needs choices",
    ),
    "a choice the catalogue does not know": (
        GOOD + '"assessment.mode" = { choices = ["process", "vibes"] }\n',
        "parameters.assessment.mode.choices",
        "'vibes'",
    ),
    "fractional bounds for an integer parameter": (
        GOOD + '"platforms.count" = { bounds = [2.5, 10] }\n',
        "parameters.platforms.count.bounds",
        "whole numbers",
    ),
    "a structure parameter": (
        GOOD + '"hierarchy.departments_city" = { bounds = [4, 10] }\n',
        "parameters.hierarchy.departments_city",
        "cannot be varied",
    ),
    "unknown keys in a parameter": (
        GOOD + '"bottom_up.weight" = { bounds = [0, 1], dist = "normal" }\n',
        "parameters.bottom_up.weight",
        "unknown keys",
    ),
    "an unknown outcome": (
        GOOD.replace('["township_hours"]', '["township_hourz"]'),
        "outcomes",
        "unknown outcome 'township_hourz'",
    ),
    "no outcomes": (GOOD.replace('["township_hours"]', "[]"), "outcomes", "empty"),
    "zero seeds": ("seeds = 0\n" + GOOD, "seeds", "got 0"),
    "negative seeds": ("seeds = -2\n" + GOOD, "seeds", "got -2"),
    "seeds as a boolean": ("seeds = true\n" + GOOD, "seeds", "got True"),
    "zero steps": ("steps = 0\n" + GOOD, "steps", "got 0"),
    "an unknown preset": ('preset = "planet"\n' + GOOD, "preset", "'planet'"),
    "an unknown model": ('model = "lorenz"\n' + GOOD, "model", "'lorenz'"),
    "no parameters": ('scenario = "baseline"\n', "parameters", "no parameters"),
    "a missing scenario": (
        GOOD.replace('"baseline"', '"no_such_scenario"'),
        "scenario",
        "'no_such_scenario' not found",
    ),
    "a missing treatment": (
        GOOD + '[policy_effect]\ntreatment = "no_such_policy"\n',
        "policy_effect.treatment",
        "not found",
    ),
    "a policy effect without a treatment": (
        GOOD + '[policy_effect]\nreference = "baseline"\n',
        "policy_effect",
        "treatment (required)",
    ),
    "varying what the treatment sets": (
        GOOD + '[policy_effect]\ntreatment = "combination_punch"\n',
        "parameters",
        "oversight.strength are set by the treatment scenario 'combination_punch'",
    ),
    "an ishigami problem with a scenario": (
        'model = "ishigami"\nscenario = "baseline"\n[parameters]\nx1 = { bounds = [-3, 3] }\n',
        "model",
        "takes no scenario",
    ),
    "an ishigami input that does not exist": (
        'model = "ishigami"\n[parameters]\nx4 = { bounds = [-3, 3] }\n',
        "parameters.x4",
        "not an Ishigami input",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_problem_files_are_refused_naming_file_and_key(write_toml, case):
    text, key, fragment = BAD[case]
    path = write_toml("problem.toml", text)
    with pytest.raises(ProblemError) as info:
        load_problem(path)
    err = info.value
    assert isinstance(err, sim.ScenarioError)
    assert err.file == str(path)
    assert err.key == key
    message = str(err)
    assert str(path) in message and key in message
    assert fragment in message


def test_a_missing_problem_file_is_refused(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ProblemError, match="problem file not found") as info:
        load_problem(path)
    assert str(path) in str(info.value)


def test_invalid_toml_is_refused(write_toml):
    path = write_toml("broken.toml", GOOD + '"x.y" = { bounds = [0, 1\n')
    with pytest.raises(ProblemError, match="not valid TOML") as info:
        load_problem(path)
    assert info.value.file == str(path)


def test_problem_errors_are_scenario_errors():
    assert issubclass(ProblemError, sim.ScenarioError)
    assert issubclass(ProblemError, ValueError)


def test_a_good_file_with_fixed_values_and_groups_loads(write_toml):
    text = (
        'scenario = "baseline"\npreset = "classroom"\nsteps = 12\nseeds = 3\n'
        'outcomes = ["township_hours", "burnout_final"]\n'
        '[fixed]\n"run.policy_start" = 0\n'
        "[parameters]\n"
        '"devolution.tasks" = { bounds = [0, 1], group = "devolution" }\n'
        '"devolution.finance" = { bounds = [0, 1], group = "devolution" }\n'
        '"platforms.count" = { bounds = [2, 20] }\n'
        '"assessment.mode" = { choices = ["process", "result"] }\n'
    )
    problem = load_problem(write_toml("good.toml", text))
    kinds = {d.name: d.kind for d in problem.dimensions}
    assert kinds == {
        "devolution.tasks": "continuous",
        "devolution.finance": "continuous",
        "platforms.count": "integer",
        "assessment.mode": "categorical",
    }
    assert problem.factors == ["devolution", "platforms.count", "assessment.mode"]
    assert problem.salib_problem()["groups"] == [
        "devolution",
        "devolution",
        "platforms.count",
        "assessment.mode",
    ]
    assert problem.base.params["run.policy_start"] == 0
    assert (problem.preset, problem.steps, problem.seeds) == ("classroom", 12, 3)


# ---- encoding ------------------------------------------------------------------------------------
def test_integers_decode_to_every_integer_in_bounds_equally_often(rng):
    d = Dimension("platforms.count", "integer", 2, 20)
    low, high = d.salib_bounds
    values = np.array(d.decode(rng.uniform(low, high, 190_000)))
    assert values.dtype.kind == "i"
    counts = np.bincount(values - 2, minlength=19)
    assert values.min() == 2 and values.max() == 20 and counts.size == 19
    assert np.all(np.abs(counts / values.size - 1 / 19) < 0.1 / 19)
    assert d.decode(np.array([low, high])) == [2, 20]  # the ends of the SALib range


def test_categories_decode_to_each_choice_equally_often(rng):
    d = Dimension(
        "assessment.mode", "categorical", choices=("process", "result_campaigns", "result")
    )
    low, high = d.salib_bounds
    assert (low, high) == (0.0, 3.0)
    values = d.decode(rng.uniform(low, high, 90_000))
    for choice in d.choices:
        assert abs(values.count(choice) / len(values) - 1 / 3) < 0.01, choice
    assert d.decode(np.array([0.0, 3.0])) == ["process", "result"]


def test_continuous_values_decode_unchanged(rng):
    d = Dimension("oversight.strength", "continuous", 0.2, 0.9)
    x = rng.uniform(0.2, 0.9, 10)
    assert d.decode(x) == pytest.approx(list(x))


def test_a_real_design_decodes_to_valid_parameter_values():
    problem = load_problem(SA_DIR / "levers.toml")
    X = design(problem, "sobol", 64, seed=0)
    points = problem.decode(X)
    assert len(points) == len(X)
    for point in points:
        validate(point)  # raises on any value the catalogue refuses
    counts = {p["platforms.count"] for p in points}
    assert counts == set(range(2, 15))  # every integer is reached
    assert {p["assessment.mode"] for p in points} == {"process", "result_campaigns", "result"}
    assert all(type(p["indicators.count"]) is int for p in points)


# ---- [fixed] -------------------------------------------------------------------------------------
def test_a_bad_fixed_value_is_a_problem_error_naming_file_and_key(write_toml):
    path = write_toml("problem.toml", TOP + '[fixed]\n"anxiety.bse" = 0.3\n' + PARAMETERS)
    with pytest.raises(ProblemError) as info:
        load_problem(path)
    assert info.value.file == str(path)
    assert info.value.key == "fixed.anxiety.bse"
    assert "did you mean 'anxiety.base'" in str(info.value)


FIXED_AND_VARIED = {
    "plain": TOP + '[fixed]\n"oversight.strength" = 0.5\n' + PARAMETERS,
    "policy effect": TOP
    + '[fixed]\n"anxiety.base" = 0.3\n'
    + '[parameters]\n"anxiety.base" = { bounds = [0.0, 0.5] }\n'
    + '[policy_effect]\ntreatment = "secondment"\n',
}


@pytest.mark.parametrize("case", list(FIXED_AND_VARIED), ids=list(FIXED_AND_VARIED))
def test_a_parameter_cannot_be_both_fixed_and_varied(write_toml, case):
    path = write_toml("problem.toml", FIXED_AND_VARIED[case])
    with pytest.raises(ProblemError) as info:
        load_problem(path)
    message = str(info.value)
    assert "fixed" in message
    assert "set by the treatment scenario" not in message
