"""Assessment and the promotion tournament (晋升锦标赛).

Process-mode inspections score traces; result-mode inspections score substantive outcomes;
detected errors cost points. Units are ranked among peers under the same superior; promotion
odds are logistic in relative rank (Li & Zhou 2005).
"""

from __future__ import annotations

import numpy as np

from ..jit import exp, expm1, jit, ratio

PROCESS_WEIGHT = {"process": 1.0, "result": 0.0}


def process_weight(mode: str, campaign_weight: float) -> float:
    """Weight of process scoring: 1 for process, 0 for result, ``w_c`` for result + campaigns."""
    return PROCESS_WEIGHT.get(mode, campaign_weight)


@jit
def process_score(trace_intensity: np.ndarray, reference: float) -> np.ndarray:
    """Score of traces on inspection: ``1 - exp(-t / t_ref)``."""
    return -expm1(-trace_intensity / reference)


@jit
def unit_score(
    process: np.ndarray,
    result: np.ndarray,
    weight: float,
    detected_per_post: np.ndarray,
    error_penalty: float,
) -> np.ndarray:
    """``w * process + (1 - w) * result - penalty * detected errors per post``."""
    return weight * process + (1.0 - weight) * result - error_penalty * detected_per_post


@jit
def rank_in_groups(score: np.ndarray, group: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Relative rank of each unit among the units of its group: 0 worst, 1 best.

    Ties (and scores closer than a billionth of their range) are broken by ``tiebreak``, random
    numbers in [0, 1), so no unit is favoured by its index. Units alone in their group get 0.5.
    """
    n = score.size
    low, span = score.min(), score.max() - score.min()
    key = np.empty(n)
    for i in range(n):
        key[i] = ((score[i] - low) / span if span > 0 else 0.0) + 1e-9 * tiebreak[i]
    # Members of each group in index order (a counting sort on the group id), then each group
    # sorted by its key: a handful of units per group, so an insertion sort beats a general
    # sort of all units many times over.
    first = np.zeros(group.max() + 2, dtype=np.int64)
    for i in range(n):
        first[group[i] + 1] += 1
    first = np.cumsum(first)
    members, filled = np.empty(n, dtype=np.int64), first[:-1].copy()
    for i in range(n):
        members[filled[group[i]]] = i
        filled[group[i]] += 1
    rank = np.empty(n)
    for g in range(first.size - 1):
        lo, size = first[g], first[g + 1] - first[g]
        block = members[lo : lo + size]
        if size > 32:
            block[:] = block[np.argsort(key[block])]
        else:
            for a in range(1, size):
                unit = block[a]
                b = a - 1
                while b >= 0 and key[block[b]] > key[unit]:
                    block[b + 1] = block[b]
                    b -= 1
                block[b + 1] = unit
        for pos in range(size):
            rank[block[pos]] = pos / (size - 1) if size > 1 else 0.5
    return rank


@jit
def promotion_odds(rank: np.ndarray, steepness: float) -> np.ndarray:
    """Promotion probability, logistic in relative rank around the median."""
    return 1.0 / (1.0 + exp(-steepness * (rank - 0.5)))


@jit
def tournament_pressure(rank: np.ndarray, steepness: float, intensity: float) -> np.ndarray:
    """Fear of falling behind: ``intensity * (1 - odds(rank))``."""
    return intensity * (1.0 - promotion_odds(rank, steepness))


@jit
def preparation_hours(
    hours_per_inspection: float,
    indicator_factor: float,
    process_weight: float,
    result_share: float,
) -> float:
    """Hours a township spends preparing for one inspection (迎检): full preparation where
    process is inspected, a share ``result_share`` of it where results are."""
    return (
        hours_per_inspection
        * indicator_factor
        * (process_weight + (1.0 - process_weight) * result_share)
    )


@jit
def observed_process_score(traces_seen: np.ndarray, substantive_hours: np.ndarray) -> np.ndarray:
    """The township's process score: traces seen, weighted by substantive hours; 0 where no
    substantive work was done (no traces to see)."""
    return ratio(traces_seen, substantive_hours, 0.0)
