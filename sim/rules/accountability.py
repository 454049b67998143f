"""Accountability (问责) and fault tolerance (容错).

Blame avoidance (Hood 2011): the expected penalty is P(detect) x severity x (1 - share forgiven).
Detected errors may trigger an accountability event for the official who made them and, through
territorial responsibility (属地责任), for the leaders above; bottom-ranked units' leaders are
held to account too. Fault tolerance forgives the honest share of errors.
"""

from __future__ import annotations

import numpy as np

from ..jit import expm1, jit, power, where


@jit
def forgiven_share(fault_tolerance: float, honest_share: float) -> float:
    """Share of detected errors that do not count: honest errors made in trial space."""
    return fault_tolerance * honest_share


@jit
def error_event_probability(detected: np.ndarray, per_error: float, forgiven: float) -> np.ndarray:
    """P(at least one event) from ``d`` detected errors: ``1 - (1 - p (1 - f))^d``."""
    return 1.0 - power(1.0 - per_error * (1.0 - forgiven), detected)


@jit
def leader_event_probability(
    detected_per_100_posts: np.ndarray, hazard: float, forgiven: float
) -> np.ndarray:
    """Leaders' P(event) from errors found below them: ``1 - exp(-h * (1 - f) * d100)``."""
    return -expm1(-hazard * (1.0 - forgiven) * detected_per_100_posts)


@jit
def bottom_rank_probability(
    rank: np.ndarray, bottom_share: float, probability: float, intensity: float
) -> np.ndarray:
    """P(event) for a leader whose unit ranks in the bottom share of its peers."""
    return where(rank < bottom_share, min(probability * intensity, 1.0), 0.0)


@jit
def combine(p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    """P(at least one of two independent events)."""
    return 1.0 - (1.0 - p1) * (1.0 - p2)


@jit
def expected_events_per_year(
    detection: np.ndarray, error_rate: np.ndarray, per_error: float, forgiven: float
) -> np.ndarray:
    """Accountability events an official expects in a year at the current weekly risk."""
    return 52.0 * detection * error_rate * per_error * (1.0 - forgiven)


@jit
def record_step(record: np.ndarray, events: np.ndarray, memory: float) -> np.ndarray:
    """Accountability record: decays by ``memory`` a week, +1 per event."""
    return record * (1.0 - memory) + events
