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
    # Two sorts (by score with its tie-break, then stably by group) are several times faster
    # than lexsort and keep the tie-break exact for any number of groups.
    low, span = score.min(), score.max() - score.min()
    scaled = (score - low) / span if span > 0 else np.zeros(score.size)
    by_score = np.argsort(scaled + 1e-9 * tiebreak)
    order = by_score[np.argsort(group[by_score], kind="mergesort")]  # stable
    g_sorted = group[order]
    new_group = np.ones(g_sorted.size, dtype=np.bool_)
    new_group[1:] = g_sorted[1:] != g_sorted[:-1]
    starts = np.flatnonzero(new_group)
    sizes = np.diff(np.append(starts, g_sorted.size))
    first = np.repeat(starts, sizes)
    size = np.repeat(sizes, sizes)
    pos = np.arange(g_sorted.size) - first
    rank = np.empty(score.size)
    rank[order] = np.where(size > 1, pos / np.maximum(size - 1, 1), 0.5)
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
