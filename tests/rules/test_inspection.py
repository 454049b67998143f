"""sim.rules.inspection: planning from distrust and anxiety, detection, crowd-out, joint teams."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules import inspection


def planned(trust, anxiety_sup, restraint=0.0, lines=8.0, base=0.08, k=0.4):
    return inspection.planned_inspections(
        lines, base, k, np.asarray(trust), np.asarray(anxiety_sup), np.asarray(restraint)
    )


def test_lower_trust_raises_planned_inspections():
    trust = np.array([0.9, 0.6, 0.3, 0.0])
    got = planned(trust, np.full(4, 0.5))
    assert np.all(np.diff(got) > 0)


def test_higher_superior_anxiety_raises_planned_inspections():
    got = planned(np.full(4, 0.5), np.array([0.0, 0.3, 0.6, 0.9]))
    assert np.all(np.diff(got) > 0)


def test_full_trust_or_calm_superior_leaves_the_necessary_base():
    assert planned(1.0, 0.9) == pytest.approx(8 * 0.08)
    assert planned(0.2, 0.0) == pytest.approx(8 * 0.08)


def test_planned_inspections_equation():
    got = planned(0.25, 0.6, restraint=0.5, lines=3, base=0.1, k=2.0)
    assert got == pytest.approx(3 * (0.1 + 2.0 * 0.75 * 0.6 * 0.5))


def test_restraint_damps_the_anxious_excess():
    assert planned(0.3, 0.8, restraint=0.5) < planned(0.3, 0.8, restraint=0.0)
    assert planned(0.3, 0.8, restraint=1.0) == pytest.approx(planned(1.0, 0.8))


def test_joint_enforcement_merges_lines():
    assert inspection.merged_lines(8, 0.0) == 8
    assert inspection.merged_lines(8, 1.0) == 1
    shares = np.linspace(0, 1, 6)
    merged = [inspection.merged_lines(8, s) for s in shares]
    assert np.all(np.diff(merged) < 0)
    assert inspection.merged_lines(8, 0.5) == pytest.approx(4.5)


def test_pass_through_grows_with_received_and_anxiety():
    got = inspection.pass_through(np.array([1.0, 2.0, 2.0]), np.array([0.5, 0.5, 1.0]), 0.4)
    assert np.allclose(got, [0.2, 0.4, 0.8])


def test_detection_rises_with_inspections():
    n = np.arange(6, dtype=float)
    p = inspection.detection_probability(n, 0.15)
    assert p[0] == 0.0
    assert np.all(np.diff(p) > 0)
    assert np.all(p < 1)
    assert p[1] == pytest.approx(0.15)
    assert p[2] == pytest.approx(1 - 0.85**2)


def test_crowd_out_rises_toward_its_maximum():
    n = np.array([0.0, 1.0, 2.0, 10.0, 1000.0])
    loss = inspection.crowd_out(n, 0.1, 2.0)
    assert loss[0] == 0.0
    assert np.all(np.diff(loss) > 0)
    assert loss[2] == pytest.approx(0.1 * (1 - np.exp(-1)))
    assert loss[-1] == pytest.approx(0.1)


def test_necessary_inspections_are_the_base_rate_of_every_line():
    assert inspection.necessary_inspections(8.0, 0.1) == pytest.approx(0.8)
    assert inspection.necessary_inspections(0.0, 0.1) == 0.0
