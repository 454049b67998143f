"""Gaming of result indicators, and the verification that limits it.

Assessment by results (结果考核) removes the incentive to leave traces, but creates another: to
report results not backed by work (Campbell 1979: the more a quantitative indicator is used for
decisions, the more it is corrupted; Bevan & Hood 2006 on gaming targets in English public
services; Gao 2015 on the manipulation of performance measures in China's cadre evaluation). The
township head inflates the township's reported output when results weigh in the score and the
head is anxious; inspections that verify results in the field (实地核验) find the inflation with
a probability that grows with the verifying inspections, and correct the score. Verification
costs inspectors' time (rules/costs.lever_cost).
"""

from __future__ import annotations

import numpy as np

from ..jit import exp, expm1, jit


@jit
def verification_probability(intensity: float, inspections: np.ndarray) -> np.ndarray:
    """Chance that this week's reported results are verified, with a share ``v`` of the
    expected inspections ``n`` verifying: ``1 - exp(-v * n)``."""
    return -expm1(-intensity * inspections)


@jit
def gaming_share(
    maximum: float,
    result_weight: float,
    intercept: float,
    anxiety_weight: float,
    anxiety: np.ndarray,
    deterrence: float,
    verified: np.ndarray,
) -> np.ndarray:
    """Share of reported results not backed by work:
    ``g_max * (1 - w) / (1 + exp(-(g_0 + k_A * A - k_V * P(verified))))``, with ``1 - w`` the
    weight of results in the score (no gaming of results nobody scores)."""
    pull = intercept + anxiety_weight * anxiety - deterrence * verified
    return maximum * result_weight / (1.0 + exp(-pull))


@jit
def reported_output(output: np.ndarray, gaming: np.ndarray) -> np.ndarray:
    """Output as reported, of which a share ``g`` is not backed by work: ``O / (1 - g)``."""
    return output / (1.0 - gaming)


@jit
def assessed_output(output: np.ndarray, reported: np.ndarray, verified: np.ndarray) -> np.ndarray:
    """Output the assessment credits: verification corrects the report to the work done,
    ``O + (1 - P(verified)) * (O_reported - O)``."""
    return output + (1.0 - verified) * (reported - output)
