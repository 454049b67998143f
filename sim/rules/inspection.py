"""Inspection planning (督查检查考核), detection and the hidden cost of control.

Control versus trust (Falk & Kosfeld 2006; Frey 1993): a superior inspects a subordinate at
``m0 + k (1 - T) A_superior`` per functional line; being controlled lowers the controlled
party's effort. Anxious units also pre-inspect their own subordinates before being inspected.
"""

from __future__ import annotations

import numpy as np

from ..jit import expm1, jit, power


@jit
def merged_lines(lines: int, joint_share: float) -> float:
    """Separate inspecting lines once a share of them works as one joint team."""
    return lines * (1.0 - joint_share) + joint_share


@jit
def planned_inspections(
    lines: float,
    base: float,
    distrust_weight: float,
    trust: np.ndarray,
    anxiety_superior: np.ndarray,
    restraint: np.ndarray,
) -> np.ndarray:
    """Inspections of one subordinate per week: ``L * (m0 + k * (1 - T) * A_sup * (1 - R))``."""
    return lines * (base + distrust_weight * (1.0 - trust) * anxiety_superior * (1.0 - restraint))


@jit
def pass_through(received: np.ndarray, anxiety: np.ndarray, weight: float) -> np.ndarray:
    """Pre-inspections a unit runs on each subordinate before its own inspections (迎检 cascade)."""
    return weight * anxiety * received


@jit
def detection_probability(inspections: np.ndarray, per_inspection: float) -> np.ndarray:
    """Probability that a given error is found by at least one of ``n`` inspections."""
    return 1.0 - power(1.0 - per_inspection, inspections)


@jit
def crowd_out(inspections: np.ndarray, maximum: float, reference: float) -> np.ndarray:
    """Share of productivity lost to control: ``c_max * (1 - exp(-n / n_ref))``."""
    return maximum * -expm1(-inspections / reference)


@jit
def necessary_inspections(lines: float, base_per_line: float) -> float:
    """Inspections a well-run government holds anyway: the base rate of every (merged) line."""
    return lines * base_per_line
