"""Township work: allocation among staff, hours, and the distortion of effort toward traces.

能者多劳 ("the more capable, the more work"): a county hands its townships tasks in proportion
to ``(score / mean score) ** g``, and the head gives each official a share of the
township's work proportional to ``competence ** g``; ``g = 1`` equalises substantive hours
(formal work is not done faster by the capable), ``g > 1`` piles
work on the capable. Formal work (meetings, documents, data, platforms, inspection preparation)
is checked, so it is done first; substantive work gets the hours left, and every substantive
hour carries a trace-leaving overhead (留痕) that grows with anxiety when process is inspected
(Holmstrom & Milgrom 1991: effort flows to what is measured).
"""

from __future__ import annotations

import numpy as np

from ..jit import jit, power, ratio, where


@jit
def allocation_weights(competence: np.ndarray, bias: float, active: np.ndarray) -> np.ndarray:
    """Allocation weight ``competence ** g`` for active officials, 0 for absent ones."""
    return where(active, power(competence, bias), 0.0)


@jit
def task_weights(score: np.ndarray, county_mean: np.ndarray, bias: float) -> np.ndarray:
    """Weight of a township in its county's allocation of tasks (能者多劳 between townships):
    ``(max(S, 0) / mean S) ** g``, the county judging capability by the assessed score; 1 while
    no township of the county has a positive score."""
    return power(ratio(np.maximum(score, 0.0), county_mean, 1.0), bias)


@jit
def county_allocation(
    tasks: np.ndarray, weights: np.ndarray, county_total: np.ndarray, county_weighted: np.ndarray
) -> np.ndarray:
    """Tasks a township gets when its county weighs them: ``X_t * w_t * sum X / sum (X w)`` over
    the county's townships, so the county hands out what it has, no more, no less."""
    return tasks * weights * ratio(county_total, county_weighted, 1.0)


@jit
def allocation_shares(weights: np.ndarray, township_total: np.ndarray) -> np.ndarray:
    """Each official's share of their township's work: their weight over the township's total
    weight (given per post); shares sum to 1 where anyone works, and are 0 where nobody does."""
    return weights / np.maximum(township_total, 1e-300)


@jit
def trace_intensity(
    anxiety: np.ndarray,
    necessary: float,
    per_anxiety: float,
    process_weight: float,
    indicator_factor: float,
) -> np.ndarray:
    """Trace hours per substantive hour: ``t0 + t1 * A * w_process * f(indicators)``."""
    return necessary + per_anxiety * anxiety * process_weight * indicator_factor


@jit
def indicator_factor(count: float, reference: float, elasticity: float) -> float:
    """Scale of preparation and trace demand with the number of indicators: (I/I_ref)^e."""
    return power(count / reference, elasticity)


@jit
def work_hours(
    formal: np.ndarray,
    substantive_needed: np.ndarray,
    traces_per_hour: np.ndarray,
    max_hours: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split a week into (formal, substantive, trace) hours, in that priority, within max_hours.

    ``formal`` and ``substantive_needed`` are the hours demanded; substantive hours ``s`` cost
    ``s * (1 + traces_per_hour)`` in total.
    """
    f = np.minimum(formal, max_hours)
    s = np.minimum(substantive_needed, (max_hours - f) / (1.0 + traces_per_hour))
    return f, s, traces_per_hour * s


@jit
def share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """``part / whole``, and 1 where nothing was received (nothing of it unnecessary)."""
    return ratio(part, whole, 1.0)


@jit
def formal_hours(
    posts: np.ndarray,
    meetings: np.ndarray,
    documents: np.ndarray,
    data_requests: np.ndarray,
    inspections: np.ndarray,
    meeting_hours: float,
    document_hours: float,
    data_request_hours: float,
    time_saved: float,
    preparation: float,
) -> np.ndarray:
    """(Formal kinds, T) hours of formal work a township receives, by sim.state.Formal:
    every post attends the meetings, reads the documents, answers the data requests (less
    what platforms save) and prepares for the inspections."""
    return posts * np.stack(
        (
            meetings * meeting_hours,
            documents * document_hours,
            data_requests * data_request_hours * (1.0 - time_saved),
            inspections * preparation,
        )
    )


@jit
def unnecessary_hours(formal: np.ndarray, necessary_share: np.ndarray) -> np.ndarray:
    """(T,) hours of formal work beyond what a well-run government needs (pure formalism)."""
    return ((1.0 - necessary_share) * formal).sum(axis=0)


@jit
def completion(done: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Share of the formal work demanded that was done (1 where none was demanded)."""
    return ratio(done, needed, 1.0)


@jit
def pure_formalism(
    formal_done: np.ndarray,
    platform_hours: np.ndarray,
    platform_necessary: float,
    trace_hours: np.ndarray,
    trace_necessary: float,
    substantive_hours: np.ndarray,
) -> np.ndarray:
    """An official's hours of pure formalism: the unnecessary formal work done, check-ins on
    platforms beyond the necessary ones, and traces beyond the necessary overhead (留痕)."""
    return (
        formal_done
        + (1.0 - platform_necessary) * platform_hours
        + np.maximum(trace_hours - trace_necessary * substantive_hours, 0.0)
    )
