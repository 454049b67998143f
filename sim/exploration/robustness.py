"""Robustness of policies across states of the world: effects, criteria, regret, satisficing.

Pure functions of the outcome table (one row per world and policy, seed-averaged), so that tests
and notebooks can call them on any table. Regret follows Savage: in each world, a policy's
shortfall from the best policy in that world, on one outcome; a robust policy has a small
maximum (or 90th percentile) regret. Satisficing follows Simon: the share of worlds in which a
policy meets every criterion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .space import Criterion

__all__ = ["effects", "failures", "meets", "regret", "robustness_table", "satisficing"]

REGRET_QUANTILE = 0.9


def _wide(outcomes: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """(world x policy) table of one outcome, policies in their first-seen order."""
    order = list(dict.fromkeys(outcomes.policy))
    return outcomes.pivot(index="world", columns="policy", values=outcome)[order]


def effects(outcomes: pd.DataFrame, reference: str, names: Iterable[str]) -> pd.DataFrame:
    """Each policy's outcome minus the reference policy's in the same world."""
    base = outcomes[outcomes.policy == reference].set_index("world")
    out = outcomes.set_index("world").copy()
    names = list(names)
    out[names] = out[names] - base.loc[out.index, names]
    return out.reset_index()


def meets(outcomes: pd.DataFrame, reference: str, criteria: Iterable[Criterion]) -> pd.DataFrame:
    """world, policy, and ``meets_<outcome>`` (bool) for every criterion, plus ``meets_all``."""
    criteria = list(criteria)
    diff = effects(outcomes, reference, [c.outcome for c in criteria])
    table = diff[["world", "policy"]].copy()
    for c in criteria:
        table[f"meets_{c.outcome}"] = c.met(diff[c.outcome].to_numpy())
    table["meets_all"] = table[[f"meets_{c.outcome}" for c in criteria]].all(axis=1)
    return table


def failures(met: pd.DataFrame, policy: str) -> pd.Series:
    """Whether the policy misses at least one criterion, world by world."""
    sub = met[met.policy == policy].set_index("world")
    return ~sub["meets_all"]


def satisficing(met: pd.DataFrame) -> pd.DataFrame:
    """Per policy: the share of worlds meeting every criterion, and each one."""
    columns = [c for c in met.columns if c.startswith("meets_") and c != "meets_all"]
    table = met.groupby("policy", sort=False)[["meets_all", *columns]].mean()
    return table.rename(columns={"meets_all": "satisficing_share"}).reset_index()


def regret(outcomes: pd.DataFrame, goals: Mapping[str, str]) -> pd.DataFrame:
    """world, policy, and the regret on every outcome to minimise or maximise: how far the
    policy falls short of the best policy of the same world (0 for the best)."""
    frames = []
    for outcome, goal in goals.items():
        if goal == "info":
            continue
        wide = _wide(outcomes, outcome)
        best = wide.min(axis=1) if goal == "minimize" else wide.max(axis=1)
        shortfall = wide.sub(best, axis=0) if goal == "minimize" else wide.rsub(best, axis=0)
        frames.append(shortfall.stack().rename(outcome))
    if not frames:
        return outcomes[["world", "policy"]].copy()
    # Stacking keeps the worlds in order and, within one, the policies in their given order.
    return pd.concat(frames, axis=1).reset_index()


def robustness_table(
    outcomes: pd.DataFrame, reference: str, goals: Mapping[str, str]
) -> pd.DataFrame:
    """policy, outcome, max_regret, p90_regret, mean (over worlds), mean_effect (against the
    reference) and the policy's rank under each regret measure (1 = most robust)."""
    reg = regret(outcomes, goals)
    scored = [o for o, g in goals.items() if g != "info"]
    diff = effects(outcomes, reference, list(goals))
    rows = []
    for policy in dict.fromkeys(outcomes.policy):
        for outcome in goals:
            values = outcomes.loc[outcomes.policy == policy, outcome]
            row = {
                "policy": policy,
                "outcome": outcome,
                "goal": goals[outcome],
                "mean": float(values.mean()),
                "mean_effect": float(diff.loc[diff.policy == policy, outcome].mean()),
                "max_regret": np.nan,
                "p90_regret": np.nan,
            }
            if outcome in scored:
                r = reg.loc[reg.policy == policy, outcome].to_numpy()
                row["max_regret"] = float(r.max())
                row["p90_regret"] = float(np.quantile(r, REGRET_QUANTILE))
            rows.append(row)
    table = pd.DataFrame(rows)
    for measure in ("max_regret", "p90_regret"):
        table[f"rank_{measure}"] = table.groupby("outcome")[measure].rank(method="min")
    return table
