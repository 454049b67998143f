"""Empirical targets: the shipped file, strict validation of bad files, derived quantities and
``oasim targets``."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sim.cli import main
from sim.outcomes import NAMES
from sim.targets import (
    DEFAULT,
    DERIVED,
    QUALITY,
    USES,
    TargetsError,
    load_targets,
    targets_table,
    to_markdown,
)

GOOD = """\
[township_day]
interval = [10, 12]
unit = "h/day"
outcome = "hours_per_day"
population = "township cadres"
year = 2018
sample_size = "unknown"
source = "Xinhua, 30 January 2018"
quality = "C"
use = "calibration"
verified = true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def edit(old: str, new: str) -> str:
    """The good file with one line replaced (or removed, with ``new`` = "")."""
    assert old in GOOD
    return GOOD.replace(old, new)


# ---- the shipped file ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped():
    return load_targets()


def test_the_shipped_file_is_the_repository_data(root):
    assert root / "data" / "targets.toml" == DEFAULT


def test_every_outcome_of_the_shipped_targets_exists(shipped):
    assert len(shipped) >= 20
    for t in shipped:
        assert t.outcome == "" or t.outcome in NAMES or t.outcome in DERIVED, t.id
        assert t.quality in QUALITY and t.use in USES


def test_shipped_targets_declare_the_split(shipped):
    by_id = {t.id: t for t in shipped}
    assert by_id["township_day"].use == "calibration"
    assert by_id["township_day"].interval == (10.0, 12.0)
    assert {t.outcome for t in shipped if t.use == "calibration"} == {
        "hours_per_day",
        "burnout",
        "platforms_per_township",
    }
    validation = {t.outcome for t in shipped if t.use == "validation"}
    assert {"meetings_cut", "documents_cut", "quits_per_year", "meetings_share"} <= validation
    for t in shipped:
        if t.use != "none":
            assert t.bounds is not None, t.id
        if not t.outcome:
            assert t.use == "none", t.id


def test_unverified_targets_say_so(shipped):
    for t in shipped:
        said = "not verified against the original" in t.note.lower()
        assert said != t.verified, t.id


def test_shipped_values_are_in_the_model_units(shipped):
    # Shares as fractions, not percentages: every 0-1 target lies in [0, 1].
    for t in shipped:
        if t.unit == "0-1" and t.bounds:
            assert 0 <= t.bounds[0] <= t.bounds[1] <= 1, t.id


# ---- derived quantities ----------------------------------------------------------------------
def test_derived_quantities_are_computed_from_existing_outcomes():
    summary = dict.fromkeys(NAMES, 2.0)
    assert not set(DERIVED) & set(NAMES)
    for d in DERIVED.values():
        assert math.isfinite(d.value(summary, reference=summary if d.paired else None))


def test_derived_conversions():
    summary = dict.fromkeys(NAMES, 1.0) | {
        "township_hours": 62.0,
        "hours_meetings": 6.2,
        "meetings_per_township": 3.0,
        "turnover": 0.1,
    }
    assert DERIVED["hours_per_day"].value(summary) == pytest.approx(62 / 6)
    assert DERIVED["meetings_share"].value(summary) == pytest.approx(0.1)
    assert DERIVED["meetings_per_year"].value(summary) == pytest.approx(156)
    assert DERIVED["quits_per_year"].value(summary) == pytest.approx(0.052)
    reference = summary | {"meetings_per_township": 5.0}
    assert DERIVED["meetings_cut"].value(summary, reference) == pytest.approx(0.4)
    with pytest.raises(ValueError, match="reference"):
        DERIVED["meetings_cut"].value(summary)


# ---- a good file -------------------------------------------------------------------------------
def test_a_good_file_loads(tmp_path):
    (t,) = load_targets(write(tmp_path, GOOD))
    assert (t.id, t.outcome, t.year, t.sample_size, t.verified) == (
        "township_day",
        "hours_per_day",
        2018,
        "unknown",
        True,
    )
    assert t.value is None and t.bounds == (10.0, 12.0) and t.note == ""


def test_a_value_is_its_own_bounds_and_the_table_has_one_row_per_target(tmp_path):
    text = GOOD + edit("interval = [10, 12]", "value = 0.55").replace(
        "[township_day]", "[burnout_west]"
    ).replace('"h/day"', '"0-1"').replace('"hours_per_day"', '"burnout"')
    targets = load_targets(write(tmp_path, text))
    table = targets_table(targets)
    assert list(table.index) == ["township_day", "burnout_west"]
    assert table.loc["burnout_west", ["low", "high"]].tolist() == [0.55, 0.55]
    assert table.loc["township_day", ["low", "high"]].tolist() == [10.0, 12.0]


# ---- bad files: each refused with the file, the key and what is allowed -----------------------
CALIBRATED = GOOD.replace("[township_day]", "[other]").replace(
    'use = "calibration"', 'use = "validation"'
)
BAD = {
    "unknown key": (
        edit("interval =", "intervall ="),
        "township_day.intervall",
        ("unknown key", "did you mean 'interval'?", "value, interval, note"),
    ),
    "missing key": (
        edit('source = "Xinhua, 30 January 2018"\n', ""),
        "township_day.source",
        ("missing", "non-empty text"),
    ),
    "text for a year": (
        edit("year = 2018", 'year = "2018"'),
        "township_day.year",
        ("'2018'", "a whole number"),
    ),
    "text for a number": (
        edit("interval = [10, 12]", 'value = "ten"'),
        "township_day.value",
        ("'ten'", "a finite number"),
    ),
    "not a finite number": (
        edit("interval = [10, 12]", "value = nan"),
        "township_day.value",
        ("nan", "a finite number"),
    ),
    "text for true or false": (
        edit("verified = true", 'verified = "yes"'),
        "township_day.verified",
        ("'yes'", "true or false"),
    ),
    "a sample of none": (
        edit('sample_size = "unknown"', "sample_size = 0"),
        "township_day.sample_size",
        ("got 0", "at least 1", '"unknown"'),
    ),
    "interval low above high": (
        edit("interval = [10, 12]", "interval = [12, 10]"),
        "township_day.interval",
        ("low 12 above high 10", "low <= high"),
    ),
    "interval of three": (
        edit("interval = [10, 12]", "interval = [10, 11, 12]"),
        "township_day.interval",
        ("[10, 11, 12]", "two finite numbers"),
    ),
    "value and interval": (
        edit("interval = [10, 12]", "interval = [10, 12]\nvalue = 11"),
        "township_day.interval",
        ("given with a value", "not both"),
    ),
    "calibration without a number": (
        edit("interval = [10, 12]\n", ""),
        "township_day.value",
        ("calibration target needs a number", "a value or an interval"),
    ),
    "quality outside the grades": (
        edit('quality = "C"', 'quality = "D"'),
        "township_day.quality",
        ("'D'", "A, B, C"),
    ),
    "a list for a grade": (
        edit('quality = "C"', 'quality = ["C"]'),
        "township_day.quality",
        ("['C']", "A, B, C"),
    ),
    "use outside the set": (
        edit('use = "calibration"', 'use = "calibrate"'),
        "township_day.use",
        ("'calibrate'", "did you mean 'calibration'?", "calibration, validation, none"),
    ),
    "unknown outcome": (
        edit('outcome = "hours_per_day"', 'outcome = "township_hour"'),
        "township_day.outcome",
        ("unknown outcome 'township_hour'", "did you mean 'township_hours'?", "hours_per_day"),
    ),
    "unit other than the outcome's": (
        edit('outcome = "hours_per_day"', 'outcome = "township_hours"'),
        "township_day.unit",
        ("'h/day' is not the unit of township_hours", "'h/week'"),
    ),
    "no outcome to compare with": (
        edit('outcome = "hours_per_day"', 'outcome = ""'),
        "township_day.use",
        ("needs an outcome", '"none"'),
    ),
    "validation of a calibrated outcome": (
        GOOD + CALIBRATED,
        "other.use",
        ("validation on hours_per_day", "calibration target township_day"),
    ),
    "not a table": ("township_day = 3\n", "township_day", ("got 3", "a table")),
    "not a target name": (
        GOOD.replace("[township_day]", '["Township day"]'),
        "Township day",
        ("not a target name", "lower-case letters"),
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_targets_are_refused_with_file_and_key(tmp_path, case):
    text, key, says = BAD[case]
    path = write(tmp_path, text)
    with pytest.raises(TargetsError) as info:
        load_targets(path)
    err = info.value
    assert err.key == key
    message = str(err)
    assert message.startswith(f"{path}: {key}: ")
    for fragment in says:
        assert fragment in message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[township_day\n", "not valid TOML"),
        ("", "no targets"),
        ("# only a comment\n", "no targets"),
    ],
)
def test_unreadable_or_empty_files_are_refused_naming_the_file(tmp_path, text, says):
    path = write(tmp_path, text)
    with pytest.raises(TargetsError, match=says) as info:
        load_targets(path)
    assert info.value.key is None and str(info.value).startswith(str(path))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(TargetsError, match="cannot read") as info:
        load_targets(tmp_path / "nowhere.toml")
    assert "nowhere.toml" in str(info.value)


# ---- oasim targets ---------------------------------------------------------------------------
def test_cli_exits_2_on_a_bad_file_with_file_and_key(tmp_path, capsys):
    path = write(tmp_path, edit('quality = "C"', 'quality = "D"'))
    assert main(["targets", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("oasim: error: ")
    assert f"{path}: township_day.quality" in captured.err


def test_cli_lists_every_shipped_target(shipped, capsys):
    assert main(["targets"]) == 0
    out = capsys.readouterr().out
    for t in shipped:
        assert t.id in out


def test_cli_markdown_is_the_committed_docs(root, monkeypatch, capsys):
    monkeypatch.chdir(root)
    assert main(["targets", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out == (root / "docs" / "targets.md").read_text(encoding="utf-8")


def test_markdown_has_a_row_per_target_and_every_source(tmp_path, capsys, shipped):
    text = to_markdown(shipped)
    assert "| target | use | outcome | value | unit |" in text
    for t in shipped:
        assert f"| `{t.id}` | {t.use} |" in text
        assert t.source in text
    path = write(tmp_path, GOOD)
    assert main(["targets", str(path), "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "| `township_day` | calibration | `hours_per_day` | [10, 12] | h/day |" in out
    assert "1 of 1 targets (`township_day`)" in out
