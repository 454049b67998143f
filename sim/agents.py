"""Mesa agents: one class per level, thin handles over rows of the state arrays.

An agent's attributes read and write its row (``official.anxiety = 0.2`` changes the array the
rules use), so the model can apply its rules to whole arrays while Mesa keeps the registry of who
exists: ``model.agents_by_type[TownshipOfficial]`` holds the officials currently in post.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .hierarchy import CITY, COUNTY, PROVINCE, TOWNSHIP

if TYPE_CHECKING:
    from .model import GovernanceModel

__all__ = ["CityOfficial", "CountyOfficial", "Official", "ProvinceOfficial", "TownshipOfficial"]


class _Row:
    """Descriptor: attribute ``name`` of the agent is element ``row`` of a state array."""

    def __init__(self, table: str, doc: str = ""):
        self.table = table
        self.__doc__ = doc

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        return getattr(agent._table(self.table), self.name)[agent.row].item()

    def __set__(self, agent, value):
        getattr(agent._table(self.table), self.name)[agent.row] = value


class Official(mesa.Agent):
    """An official: the leadership of a unit above the township, or a township staff member."""

    level: int

    def __init__(self, model: GovernanceModel, row: int):
        super().__init__(model)
        self.row = int(row)

    def _table(self, table: str):
        return getattr(self.model.state, table)


class _Leader(Official):
    """Leadership of a province, city or county: principal of the level below."""

    anxiety = _Row("units", "anxiety in [0, 1]")
    record = _Row("units", "accountability record (decaying count of events)")
    standing = _Row("units", "rank of the unit among peers under the same superior, 0..1")
    markup = _Row("units", "target markup this leader applies when passing targets down")

    @property
    def unit(self) -> int:
        return self.row

    @property
    def name(self) -> str:
        return self.model.tree.names[self.row]

    @property
    def subordinates(self) -> np.ndarray:
        """Unit indices of the units this leader supervises."""
        return np.flatnonzero(self.model.tree.parent == self.row)

    @property
    def trust(self) -> np.ndarray:
        """Trust in each subordinate unit (same order as ``subordinates``)."""
        return self.model.state.units.trust[self.subordinates]


class ProvinceOfficial(_Leader):
    level = PROVINCE


class CityOfficial(_Leader):
    level = CITY


class CountyOfficial(_Leader):
    level = COUNTY


class TownshipOfficial(Official):
    """A township staff member; one per township is its head, who allocates the work."""

    level = TOWNSHIP
    anxiety = _Row("staff", "anxiety in [0, 1]")
    fatigue = _Row("staff", "fatigue / burnout in [0, 1]")
    competence = _Row("staff", "competence (log-normal, mean 1)")
    record = _Row("staff", "accountability record (decaying count of events)")
    status = _Row("staff", "0 active, 1 on leave, 2 vacant")
    errors = _Row("staff", "errors made last week")
    is_head = _Row("staff", "whether this official heads the township")

    @property
    def township(self) -> int:
        """Unit index of the township."""
        tree = self.model.tree
        return tree.starts[tree.bottom] + int(tree.staff_township[self.row])

    @property
    def hours(self) -> dict[str, float]:
        """Last week's hours by kind (substantive, meetings, documents, ...)."""
        from .state import HOUR_KINDS

        column = self.model.state.staff.hours[:, self.row]
        return dict(zip(HOUR_KINDS, column.tolist(), strict=True))

    @property
    def overtime(self) -> float:
        standard = self.model.params.work.standard_hours
        return max(sum(self.hours.values()) - standard, 0.0)


LEADER_CLASSES = (ProvinceOfficial, CityOfficial, CountyOfficial)
