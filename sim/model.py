"""GovernanceModel: the Mesa model that owns the state and runs the weekly schedule.

One step is one week; its phases live in sim.phases and its equations in sim/rules. The schedule
(docs/ODD.md section 3):

1. demand and cascade: citizen demand; targets marked up level by level; meetings, documents,
   data requests and inspections issued and relayed down, capped by any quota, with cut items
   partly displaced into data requests;
2. township work: the head allocates work (能者多劳), staff do formal work first, then
   substantive work with its trace overhead, up to the weekly maximum; output and errors;
3. inspection and assessment: errors detected, units scored (process or results) and ranked
   among peers;
4. accountability: events for detected errors and bottom ranks, minus what fault tolerance
   forgives;
5. updates: anxiety, trust, markups, restraint, fatigue, leave and turnover, staffing, quota
   enforcement;
6. observation: the DataCollector records the outcomes of sim.outcomes.
"""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np

from . import outcomes, phases
from .agents import LEADER_CLASSES, TownshipOfficial
from .hierarchy import build_hierarchy
from .params import CATALOGUE, Parameters
from .scenario import Scenario, load_scenario
from .state import initial_state

__all__ = ["GovernanceModel", "as_scenario", "status_quo"]


def as_scenario(scenario: Scenario | str | Path | None) -> Scenario:
    """Accept a Scenario, a path to a scenario file, or None (all defaults: the baseline)."""
    if scenario is None:
        return Scenario(name="baseline")
    if isinstance(scenario, Scenario):
        return scenario
    return load_scenario(scenario)


def status_quo(params: Parameters) -> Parameters:
    """``params`` with every policy lever back at its default (the world before the policy)."""
    return Parameters({k: v for k, v in params.changed().items() if not CATALOGUE[k].is_lever})


class GovernanceModel(mesa.Model):
    """Organizational anxiety in a province-city-county-township hierarchy.

    Args:
        scenario: a :class:`sim.Scenario`, a path to a scenario TOML file, or None for the
            baseline (all parameters at their defaults).
        rng: seed or numpy Generator; every random draw of the model comes from ``self.rng``.
        preset: overrides ``hierarchy.preset`` (classroom, region, national).
        datacollector: record the outcomes with Mesa's DataCollector (the default, for the Mesa
            face of the model); False records them in a plain array (``recorder``), which is
            what runs in sweeps use: the same reporters and numbers, without per-value copies.
        agents: create a Mesa agent per official (the default). The state arrays hold every
            official's state either way; runs that nobody inspects agent by agent (sweeps,
            ``sim.simulate``) skip the objects, which take most of a national model's set-up.

    Attributes:
        spec: the resolved scenario; ``params`` its parameters.
        tree: the hierarchy (networkx graph in ``tree.graph``, index arrays).
        state: the numpy state arrays (units, townships, staff).
        datacollector: Mesa DataCollector with the outcomes of :mod:`sim.outcomes` (None when
            ``recorder`` records them).
        active_params: the parameters in force this week (levers switch on at
            ``run.policy_start``).
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | None = None,
        *,
        rng=None,
        preset: str | None = None,
        datacollector: bool = True,
        agents: bool = True,
    ):
        spec = as_scenario(scenario)
        if preset is not None:
            spec = spec.with_overrides({"hierarchy.preset": preset})
        super().__init__(rng=rng)
        self.spec = spec
        self.params = spec.params
        self._before_policy = status_quo(self.params)
        self.active_params = self._before_policy
        self.tree = build_hierarchy(self.params)
        self.state = initial_state(self.tree, self.params, self.rng)
        self._staff_agents: list[TownshipOfficial | None] | None = None
        if agents:
            self._make_agents()
        if datacollector:
            self.datacollector = mesa.DataCollector(model_reporters=outcomes.reporters())
            self.recorder = None
        else:
            self.datacollector = None
            self.recorder = outcomes.Recorder(self.params.run.steps)

    # ---- agents ---------------------------------------------------------------------------------
    def _make_agents(self) -> None:
        tree = self.tree
        for level, cls in enumerate(LEADER_CLASSES):
            rows = tree.units(level)
            cls.create_agents(self, tree.count(level), row=np.arange(rows.start, rows.stop))
        self._staff_agents = list(
            TownshipOfficial.create_agents(self, tree.n_staff, row=np.arange(tree.n_staff))
        )

    @property
    def week(self) -> int:
        """Weeks completed."""
        return int(self.time)

    # ---- the weekly schedule --------------------------------------------------------------------
    def step(self) -> None:
        """One week: the phases of sim.phases in the order of docs/ODD.md section 3."""
        week = int(self.time) - 1  # Mesa advances time before calling step
        p = self.params if week >= self.params.run.policy_start else self._before_policy
        self.active_params = p
        tree, state, rng, record = self.tree, self.state, self.rng, phases.Week()
        phases.cascade_down(p, tree, state)
        phases.do_work(p, tree, state, rng, record)
        phases.assess(p, tree, state, rng, record)
        phases.account(p, tree, state, rng, record)
        phases.update(p, tree, state, record)
        self._replace_officials(phases.turnover(p, tree, state, rng))
        phases.staff_and_enforce(p, tree, state)
        (self.recorder or self.datacollector).collect(self)

    def _replace_officials(self, change: phases.Turnover) -> None:
        """Mesa's registry follows the posts: a quit removes the agent, a refill creates one."""
        if self._staff_agents is None:
            return
        for row in change.quits.tolist():
            self._staff_agents[row].remove()
            self._staff_agents[row] = None
        for row in change.refills.tolist():
            self._staff_agents[row] = TownshipOfficial(self, row)
