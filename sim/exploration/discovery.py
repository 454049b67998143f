"""Scenario discovery with EMA Workbench: where in the uncertainties a policy fails, and which
uncertainties drive the outcomes.

PRIM (Friedman and Fisher 1999, as used for scenario discovery by Bryant and Lempert 2010) finds
boxes of the uncertainty space in which failures concentrate; each box is chosen on PRIM's
peeling trajectory as the one of highest coverage whose density reaches ``threshold``. CART
gives a second view of the same question, feature scoring (extra trees) a third. The algorithms
are EMA's; this module only chooses boxes, seeds the randomised ones and tidies the results.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["PrimResult", "cart_leaves", "feature_scores", "prim_boxes"]

THRESHOLD = 0.8  # density a box of failures should reach (share of its worlds that fail)
MASS_MIN = 0.05  # smallest box, as a share of all worlds
MAX_BOXES = 2


@dataclass
class PrimResult:
    boxes: pd.DataFrame  # long: box, parameter, low, high, range_low, range_high, stats
    trajectories: list[pd.DataFrame]  # PRIM's peeling trajectory of each box


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    # EMA logs every peeling step at INFO to its own logger, and pandas warns about EMA's use
    # of deprecated arguments: neither is news to someone reading an exploration's output.
    logging.getLogger("EMA").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="ema_workbench")
        yield


def _restricted(box: pd.DataFrame, init: pd.DataFrame) -> list[str]:
    from ema_workbench.analysis.scenario_discovery_util import _determine_restricted_dims

    return list(_determine_restricted_dims(box, init))


@_quiet()
def prim_boxes(
    x: pd.DataFrame,
    failed: np.ndarray,
    *,
    threshold: float = THRESHOLD,
    mass_min: float = MASS_MIN,
    max_boxes: int = MAX_BOXES,
) -> PrimResult:
    """PRIM boxes of the worlds where ``failed`` is true (none if nothing or everything fails).

    Each row of ``boxes`` is one restricted uncertainty of one box (the most restricted first;
    ``kept`` is the share of its range the box keeps), with the box's coverage
    (share of all failures inside it), density (share of its worlds that fail), mass (share of
    all worlds inside it), the number of failures it holds and the full range sampled."""
    from ema_workbench.analysis.prim import Prim

    failed = np.asarray(failed, dtype=bool)
    empty = PrimResult(pd.DataFrame(columns=_BOX_COLUMNS), [])
    if failed.all() or not failed.any():
        return empty
    x = x.reset_index(drop=True)
    prim = Prim(x, failed, mass_min=mass_min)
    rows, trajectories = [], []
    for number in range(1, max_boxes + 1):
        box = prim.find_box()
        if box is None:
            break
        trajectory = box.peeling_trajectory
        dense = trajectory[trajectory.density >= threshold]
        if dense.empty:
            break  # no region where failure is the rule: what remains is scattered
        i = int(dense.coverage.idxmax())
        box.select(i)
        limits = box.box_lims[i]
        inside = _in_box(x, limits)
        restricted = _restricted(limits, prim.box_init)
        if not restricted:
            break  # the whole space: failure is the rule everywhere, there is no region
        # The most restricted uncertainty first: the box's narrowest share of its range.
        kept = {n: _kept(limits[n], prim.box_init[n]) for n in restricted}
        for name in sorted(restricted, key=kept.__getitem__):
            rows.append(
                {
                    "box": number,
                    "parameter": name,
                    "low": limits.loc[0, name],
                    "high": limits.loc[1, name],
                    "range_low": prim.box_init.loc[0, name],
                    "range_high": prim.box_init.loc[1, name],
                    "kept": kept[name],
                    "coverage": float(box.coverage),
                    "density": float(box.density),
                    "mass": float(box.mass),
                    "failures": int(failed[inside].sum()),
                    "worlds": int(inside.sum()),
                }
            )
        trajectories.append(trajectory.assign(box=number, selected=trajectory.index == i))
    return PrimResult(pd.DataFrame(rows, columns=_BOX_COLUMNS), trajectories)


def _kept(limits: pd.Series, full: pd.Series) -> float:
    """Share of an uncertainty's range (or of its choices) that a box keeps."""
    low, high = limits.iloc[0], limits.iloc[1]
    if isinstance(low, set):
        return len(low) / max(1, len(full.iloc[0]))
    span = float(full.iloc[1]) - float(full.iloc[0])
    return (float(high) - float(low)) / span if span > 0 else 1.0


_BOX_COLUMNS = [
    "box",
    "parameter",
    "low",
    "high",
    "range_low",
    "range_high",
    "kept",
    "coverage",
    "density",
    "mass",
    "failures",
    "worlds",
]


def _in_box(x: pd.DataFrame, limits: pd.DataFrame) -> np.ndarray:
    from ema_workbench.analysis.scenario_discovery_util import _in_box

    inside = np.zeros(len(x), dtype=bool)
    inside[_in_box(x, limits)] = True
    return inside


@_quiet()
def cart_leaves(
    x: pd.DataFrame, failed: np.ndarray, *, seed: int, mass_min: float = MASS_MIN
) -> pd.DataFrame:
    """CART's leaves (EMA's ``CART`` in binary mode, the tree seeded): one row per leaf and
    restricted uncertainty, with the leaf's coverage, density and mass; ``failing`` marks
    leaves where most worlds fail."""
    from ema_workbench.analysis.cart import CART
    from ema_workbench.analysis.scenario_discovery_util import _make_box
    from sklearn.tree import DecisionTreeClassifier

    failed = np.asarray(failed, dtype=bool)
    columns = ["leaf", "parameter", "low", "high", "coverage", "density", "mass", "failing"]
    if failed.all() or not failed.any():
        return pd.DataFrame(columns=columns)
    x = x.reset_index(drop=True)
    alg = CART(x, failed, mass_min=mass_min)
    # CART.build_tree leaves the tree unseeded; the same tree, seeded, keeps runs repeatable.
    alg.clf = DecisionTreeClassifier(
        min_samples_leaf=max(1, int(mass_min * len(x))), random_state=seed
    ).fit(alg._x, alg.y)
    init = _make_box(x)
    rows = []
    for leaf, (limits, stats) in enumerate(zip(alg.boxes, alg.stats, strict=True), start=1):
        # A tree that never split has one leaf restricting nothing: it says nothing.
        for name in _restricted(limits, init):
            rows.append(
                {
                    "leaf": leaf,
                    "parameter": name,
                    "low": limits.loc[0, name],
                    "high": limits.loc[1, name],
                    "coverage": float(stats["coverage"]),
                    "density": float(stats["density"]),
                    "mass": float(stats["mass"]),
                    "failing": bool(stats["density"] > 0.5),
                }
            )
    return pd.DataFrame(rows, columns=columns)


@_quiet()
def feature_scores(x: pd.DataFrame, y: Mapping[str, np.ndarray], *, seed: int) -> pd.DataFrame:
    """EMA's extra-trees feature scores of every column of ``x`` for every outcome of ``y``
    (regression mode; scores of one outcome sum to 1). Index: the feature; columns: outcomes."""
    from ema_workbench.analysis.feature_scoring import get_feature_scores_all
    from ema_workbench.analysis.scenario_discovery_util import RuleInductionType

    scores = get_feature_scores_all(
        x.reset_index(drop=True),
        {k: np.asarray(v, dtype=float) for k, v in y.items()},
        alg="extra trees",
        mode=RuleInductionType.REGRESSION,
        random_state=seed,
    )
    scores.index.name = "feature"
    return scores[list(y)]
