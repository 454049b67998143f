"""The cascade down the chain: target markup and the issuing and relaying of formal work.

Top-down target amplification (Li, Liu, Weng & Zhou 2019; Zhou 2007): each level passes targets
down marked up in proportion to its anxiety, ``target_down = target_in * (1 + markup)``, and the
markup ratchets up faster than it falls. Meetings and documents are issued by each functional
line and re-issued downward by anxious levels (以会议落实会议, 以文件落实文件).
"""

from __future__ import annotations

import numpy as np

from ..jit import jit, where


@jit
def markup_step(
    markup: np.ndarray, anxiety: np.ndarray, escalation: float, up: float, down: float
) -> np.ndarray:
    """Move each level's markup toward ``escalation * anxiety``; rise at rate up, fall at down."""
    gap = escalation * anxiety - markup
    return markup + where(gap > 0, up, down) * gap


@jit
def issued_items(
    lines: int, per_line: float, anxiety: np.ndarray, issuance: float, restraint: np.ndarray
) -> np.ndarray:
    """Items a unit issues to each subordinate: ``L * b * (1 + phi * A * (1 - R))``.

    ``L * b`` is what a well-run unit would need; the anxious excess is damped by restraint R
    learned from bottom-up evaluation.
    """
    return lines * per_line * (1.0 + issuance * anxiety * (1.0 - restraint))


@jit
def relay_share(
    anxiety: np.ndarray, base: float, per_anxiety: float, restraint: np.ndarray
) -> np.ndarray:
    """Share of items received that a unit re-issues downward: ``r0 + r1 * A * (1 - R)``."""
    return np.minimum(np.maximum(base + per_anxiety * anxiety * (1.0 - restraint), 0.0), 1.0)


@jit
def compounded_markup(upstream: np.ndarray | float, markup: np.ndarray) -> np.ndarray:
    """Product of ``(1 + markup)`` from the top down to this leader: each level marks up what
    it receives (层层加码, Li, Liu, Weng & Zhou 2019)."""
    return upstream * (1.0 + markup)


@jit
def items_sent(own: np.ndarray, relay: np.ndarray, received: np.ndarray) -> np.ndarray:
    """What a leader sends each subordinate: its own lines' items plus the relayed share of
    what it received (transmission meetings, re-issued documents)."""
    return own + relay * received


@jit
def necessary_items(
    lines: int, per_line: float, relay_base: float, necessary_received: np.ndarray
) -> np.ndarray:
    """The necessary part of what is sent: the calm base issue of every line plus the calm
    relay of what was necessary above (no anxiety, no restraint)."""
    return lines * per_line + relay_base * necessary_received
