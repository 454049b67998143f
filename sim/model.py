"""GovernanceModel: the Mesa model that owns the state and runs the weekly schedule.

One step is one week; its phases live in sim.phases and its equations in sim/rules. The schedule
(docs/ODD.md section 3):

1. demand and cascade: citizen demand; targets marked up level by level; meetings, documents,
   data requests and inspections issued and relayed down, capped by any quota, with cut items
   partly relabelled and partly displaced into data requests;
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

import sys
from pathlib import Path

import mesa
import numba
import numpy as np

from . import engine, observe, outcomes, phases
from .agents import LEADER_CLASSES, TownshipOfficial
from .hierarchy import build_hierarchy
from .jit import machine_code
from .params import CATALOGUE, Parameters
from .scenario import Scenario, load_scenario
from .state import Status, initial_state

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


def _week_already_run() -> None:
    pass


def _announce_compiling() -> None:
    """Say so, once, before the first model of a fresh install compiles (minutes of silence
    would look like a hang)."""
    global _ANNOUNCE
    if _ANNOUNCE and not Path(numba.config.CACHE_DIR).exists():
        print(
            "oasim: compiling the model for this machine, once per installed version "
            "(2-3 minutes on 2 cores)...",
            file=sys.stderr,
            flush=True,
        )
    _ANNOUNCE = False


_ANNOUNCE = True


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
        agents: give every official a Mesa agent (the default). The state arrays hold every
            official's state either way, so the agents are made when first asked for
            (``model.agents``, ``agents_by_type``), from the state of that week: a national
            model (390,000 officials) sets up in well under a second and pays for its agents
            only if someone looks at them. False: never (sweeps, ``sim.simulate``).

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
        # What the compiled week reads: each parameter set as a record, with its constants.
        self._compiled = {
            id(params): (params.record(), phases.constants(params))
            for params in (self._before_policy, self.params)
        }
        self.tree = build_hierarchy(self.params)
        # The state starts as the week-0 parameters leave it: a lever that sets a stock (the
        # platforms in use) acts when the policy starts, not before.
        self.state = initial_state(self.tree, self._in_force(0), self.rng)
        self._tree = self.tree.arrays
        _announce_compiling()
        # Machine code, resolved on first use: a week at a time (step), many (run_for), or the
        # outcomes of the week just run.
        self._week = self._run_weeks = self._observe = None
        self._observed: np.ndarray | None = None
        self._staff_agents: list[TownshipOfficial | None] | None = None
        self._agents_wanted = agents
        if datacollector:
            self.datacollector = mesa.DataCollector(model_reporters=outcomes.reporters())
            self.recorder = None
        else:
            self.datacollector = None
            self.recorder = outcomes.Recorder(self.params.run.steps)

    # ---- agents ---------------------------------------------------------------------------------
    def _make_agents(self) -> None:
        """One agent per leader and per official in post now (vacant posts have none)."""
        if self._staff_agents is not None or not self._agents_wanted:
            return
        tree = self.tree
        for level, cls in enumerate(LEADER_CLASSES):
            rows = tree.units(level)
            cls.create_agents(self, tree.count(level), row=np.arange(rows.start, rows.stop))
        self._staff_agents = [None] * tree.n_staff
        in_post = np.flatnonzero(self.state.staff.status != Status.VACANT)
        made = TownshipOfficial.create_agents(self, in_post.size, row=in_post)
        for row, agent in zip(in_post.tolist(), made, strict=True):
            self._staff_agents[row] = agent

    @property
    def agents(self):
        self._make_agents()
        return super().agents

    @agents.setter
    def agents(self, value) -> None:
        mesa.Model.agents.fset(self, value)

    @property
    def agents_by_type(self):
        self._make_agents()
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        self._make_agents()
        return super().agent_types

    @property
    def week(self) -> int:
        """Weeks completed."""
        return int(self.time)

    # ---- the weekly schedule --------------------------------------------------------------------
    def step(self) -> None:
        """One week: the phases of sim.phases in the order of docs/ODD.md section 3."""
        p = self.active_params = self._in_force(int(self.time) - 1)  # Mesa advanced time first
        args = (*self._compiled[id(p)], self._tree, *self.state, self.rng)
        if self._week is None:
            self._week = machine_code(engine.step_week, *args)
        quits, refills, self._observed = self._week(*args)
        self._replace_officials(phases.Turnover(quits, refills))
        (self.recorder or self.datacollector).collect(self)

    def run_for(self, duration: float | int) -> None:
        """Mesa's ``run_for``. A model that records into an array and has no agent objects (a
        run in a sweep: ``sim.simulate``) runs the weeks in one compiled call (:mod:`sim.engine`,
        the same weeks as :meth:`step`), then lets Mesa's clock catch up with them."""
        n = int(duration)
        if self.recorder is None or self._staff_agents is not None or n != duration or n < 1:
            super().run_for(duration)
            return
        first, rows = self.week, self.recorder.reserve(n)
        (before, k_before), (after, k_after) = (
            self._compiled[id(params)] for params in (self._before_policy, self.params)
        )
        start = self.params.run.policy_start
        args = (before, k_before, after, k_after, start, first, self._tree, *self.state, self.rng)
        if self._run_weeks is None:
            self._run_weeks = machine_code(engine.run_weeks, *args, rows)
        self._run_weeks(*args, rows)
        self.active_params = self._in_force(first + n - 1)
        self._observed = rows[-1].copy()
        # Mesa's clock, step counter and step schedule advance over weeks already run.
        step, self._user_step = self._user_step, _week_already_run
        try:
            super().run_for(n)
        finally:
            self._user_step = step

    def _in_force(self, week: int) -> Parameters:
        """The parameters in force in ``week`` (0-based): the levers from run.policy_start."""
        return self.params if week >= self.params.run.policy_start else self._before_policy

    def observation(self) -> np.ndarray:
        """Every outcome of the week just run, in the order of :data:`sim.outcomes.OUTCOMES`
        (computed with the week; before the first week, from the initial state when asked)."""
        if self._observed is None:
            args = (self._compiled[id(self.active_params)][0], self._tree, *self.state)
            if self._observe is None:
                self._observe = machine_code(observe.observe, *args)
            self._observed = self._observe(*args)
        return self._observed

    def _replace_officials(self, change: phases.Turnover) -> None:
        """Mesa's registry follows the posts: a quit removes the agent, a refill creates one."""
        if self._staff_agents is None:
            return
        for row in change.quits.tolist():
            self._staff_agents[row].remove()
            self._staff_agents[row] = None
        for row in change.refills.tolist():
            self._staff_agents[row] = TownshipOfficial(self, row)
