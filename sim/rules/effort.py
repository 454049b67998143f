"""How diligently an official works: effort chosen from incentives, monitoring, anxiety and
fatigue.

An official's substantive hours are split between diligent work and perfunctory work (应付,
going through the motions: the hours are booked, the work is thinner and sloppier). The
diligent share is a logit choice (McFadden 1974) over the week's net pull toward diligence:

- intrinsic motivation (public service motivation; Perry & Wise 1990), the intercept;
- the promotion tournament's stake (Li & Zhou 2005), strong for the township head who competes
  for promotion, weaker for staff: the tournament raises effort as well as anxiety;
- performance rewards a township with financial authority (财权) pays for diligent work
  (Burgess & Ratto 2003 on performance pay in the public sector);
- deterrence (Becker 1968): the chance that this week's inspections find perfunctory work
  (the detection probability of the township's inspections) times the chance it is held to
  account, less what fault tolerance forgives, weighed by the cost of an accountability event,
  which anxious officials feel more;
- fatigue, which makes officials cope by cutting corners (Lipsky 1980, street-level coping).

Perfunctory hours produce less and err more (Holmström & Milgrom 1991: unmonitored dimensions
of effort are what suffers). So inspection and accountability now buy something: diligence,
and (through detection) errors caught before they reach citizens.
"""

from __future__ import annotations

import numpy as np

from ..jit import exp, jit


@jit
def expected_sanction(detection: np.ndarray, per_error: float, forgiven: float) -> np.ndarray:
    """Chance that perfunctory work is found and held to account this week:
    ``P(detect) * p_acc * (1 - f)``."""
    return detection * per_error * (1.0 - forgiven)


@jit
def diligence(
    motivation: float,
    stake: float,
    reward: float,
    sanction: float,
    sanction_weight: float,
    anxiety: float,
    fatigue: float,
    fatigue_weight: float,
) -> float:
    """Diligent share of one official's substantive hours:
    ``1 / (1 + exp(-(m + stake + reward + k_s * (1 + A) * sanction - k_B * B)))``."""
    deterrence = sanction_weight * (1.0 + anxiety) * sanction
    pull = motivation + stake + reward + deterrence - fatigue_weight * fatigue
    return 1.0 / (1.0 + exp(-pull))


@jit
def tournament_stake(intensity: float, weight: float, is_head: bool, staff_share: float) -> float:
    """Pull of the tournament toward diligence on one official: ``k_T * I_T`` for the township
    head, who competes for promotion, and ``s * k_T * I_T`` for staff."""
    return intensity * weight * (1.0 if is_head else staff_share)


@jit
def effective_output(diligent: np.ndarray, perfunctory_output: float) -> np.ndarray:
    """Output per hour relative to diligent work: ``d + (1 - d) * phi``."""
    return diligent + (1.0 - diligent) * perfunctory_output


@jit
def error_multiplier(diligent: np.ndarray, perfunctory_errors: float) -> np.ndarray:
    """Errors relative to diligent work: ``d + (1 - d) * k_e``."""
    return diligent + (1.0 - diligent) * perfunctory_errors
