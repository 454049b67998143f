"""A table of broken scenario files, shared by the loader tests and the CLI tests.

Each case writes ``files`` into a temporary folder, loads ``load``, and expects a ScenarioError
naming ``file`` and ``key`` whose message contains every string of ``says``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class BadCase:
    files: dict[str, str]
    file: str  # the file the error must name
    key: str | None  # the key the error must name (None: the whole file)
    says: tuple[str, ...]  # fragments of the message
    load: str = "a.toml"


CASES = {
    "unknown parameter": BadCase(
        {"a.toml": "[parameters]\nquota.meeting_cut = 0.5\n"},
        "a.toml",
        "parameters.quota.meeting_cut",
        ("unknown parameter", "did you mean", "quota.meetings_cut"),
    ),
    "unknown parameter in a nested table": BadCase(
        {"a.toml": "[parameters.anxiety]\nadjustmnt = 0.2\n"},
        "a.toml",
        "parameters.anxiety.adjustmnt",
        ("unknown parameter", "anxiety.adjustment"),
    ),
    "text for a number": BadCase(
        {"a.toml": '[parameters]\nanxiety.base = "high"\n'},
        "a.toml",
        "parameters.anxiety.base",
        ("'high'", "text", "a number in [0, 1]"),
    ),
    "float for an int": BadCase(
        {"a.toml": "[parameters]\nindicators.count = 12.5\n"},
        "a.toml",
        "parameters.indicators.count",
        ("12.5", "whole number", "an integer"),
    ),
    "true for a number": BadCase(
        {"a.toml": "[parameters]\noversight.strength = true\n"},
        "a.toml",
        "parameters.oversight.strength",
        ("True", "boolean"),
    ),
    "out of range": BadCase(
        {"a.toml": "[parameters]\nquota.meetings_cut = 0.99\n"},
        "a.toml",
        "parameters.quota.meetings_cut",
        ("0.99", "out of range", "[0, 0.95]"),
    ),
    "not one of the choices": BadCase(
        {"a.toml": '[parameters]\nassessment.mode = "results"\n'},
        "a.toml",
        "parameters.assessment.mode",
        ("'results'", "'result'", "'process'"),
    ),
    "unknown top-level key": BadCase(
        {"a.toml": 'titel = "typo"\n'},
        "a.toml",
        "titel",
        ("unknown top-level key", "title", "parameters"),
    ),
    "top-level key of the wrong type": BadCase(
        {"a.toml": "description = 5\n"},
        "a.toml",
        "description",
        ("got 5", "text"),
    ),
    "parameters not a table": BadCase(
        {"a.toml": "parameters = 5\n"},
        "a.toml",
        "parameters",
        ("got 5", "a table"),
    ),
    "missing base": BadCase(
        {"a.toml": 'base = "nowhere"\n'},
        "a.toml",
        "base",
        ("nowhere", "not found"),
    ),
    "cycle of bases": BadCase(
        {"a.toml": 'base = "b.toml"\n', "b.toml": 'base = "a.toml"\n'},
        "b.toml",
        "base",
        ("cycle of bases", "a.toml -> b.toml -> a.toml"),
    ),
    "a file that is its own base": BadCase(
        {"a.toml": 'base = "a"\n'},
        "a.toml",
        "base",
        ("cycle of bases",),
    ),
    "bad value in the base file": BadCase(
        {"a.toml": 'base = "b"\n', "b.toml": "[parameters]\nanxiety.base = 7\n"},
        "b.toml",
        "parameters.anxiety.base",
        ("out of range",),
    ),
    "a parameter set twice, quoted and dotted": BadCase(
        {"a.toml": '[parameters]\n"quota.meetings_cut" = 0.3\nquota.meetings_cut = 0.5\n'},
        "a.toml",
        "parameters.quota.meetings_cut",
        ("set twice", '"quota.meetings_cut"', "and quota.meetings_cut"),
    ),
    "a parameter set twice, nested table and quoted": BadCase(
        {
            "a.toml": '[parameters]\n"quota.meetings_cut" = 0.3\n'
            "[parameters.quota]\nmeetings_cut = 0.5\n"
        },
        "a.toml",
        "parameters.quota.meetings_cut",
        ("set twice", '(as "quota.meetings_cut" and quota.meetings_cut)'),
    ),
    "a parameter set twice, the same value": BadCase(
        {"a.toml": '[parameters]\nquota = { meetings_cut = 0.3 }\n"quota.meetings_cut" = 0.3\n'},
        "a.toml",
        "parameters.quota.meetings_cut",
        ("set twice", 'quota.meetings_cut and "quota.meetings_cut"'),
    ),
    "a base that is a folder of the library": BadCase(
        {"a.toml": 'base = "sensitivity"\n'},
        "a.toml",
        "base",
        ("sensitivity", "is a directory, not a scenario file", "a .toml file path"),
    ),
    "invalid TOML": BadCase(
        {"a.toml": "[parameters\nanxiety.base = \n"},
        "a.toml",
        None,
        ("not valid TOML",),
    ),
    "missing scenario file": BadCase(
        {},
        "nope.toml",
        None,
        ("nope.toml", "not found"),
        load="nope.toml",
    ),
}

bad_case = pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
