"""The administrative tree: a networkx graph plus the index arrays the rules work on.

Units are numbered level by level (provinces, cities, counties, townships) and, within a level,
grouped by parent, so every level and every peer group is a contiguous block. The graph has one
extra node, ``CENTRE`` (-1), the central government above the provinces: it is not an agent, it
is the source of central pressure, and it makes the graph a single tree.

Township staff are rows of their own arrays: each township owns a contiguous block of posts whose
first row is the township head.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import networkx as nx
import numpy as np

from . import groups
from .params import Parameters

__all__ = ["CENTRE", "LEVELS", "PLURALS", "PRESETS", "Hierarchy", "TreeArrays", "build_hierarchy"]

CENTRE = -1
# The levels from the top down; the last holds the staff. A fifth level (villages) would be a
# new name here, a branching key per preset and an agent class: rules and phases loop over
# ``Hierarchy.leader_levels`` and never name a level.
LEVELS = ("province", "city", "county", "township")
PROVINCE, CITY, COUNTY, TOWNSHIP = range(4)  # the names of the levels, for readers and outcomes
LETTERS = {"province": "P", "city": "C", "county": "K", "township": "T"}
PLURALS = {"province": "provinces", "city": "cities", "county": "counties", "township": "townships"}

# Branching per preset. "national" gives level totals; children are spread over parents by a
# multinomial draw (each parent gets at least one) around the real averages.
PRESETS: dict[str, dict[str, int]] = {
    "classroom": dict(
        provinces=1,
        cities_per_province=2,
        counties_per_city=2,
        townships_per_county=3,
        staff_per_township=4,
    ),
    "region": dict(
        provinces=1,
        cities_per_province=2,
        counties_per_city=4,
        townships_per_county=6,
        staff_per_township=20,
    ),
    # Ministry of Civil Affairs, end of 2022: 31 / 333 / 2,844 / ~38,700 units.
    "national": dict(
        provinces=31, cities=333, counties=2844, townships=38700, staff_per_township=10
    ),
}


class TreeArrays(NamedTuple):
    """The hierarchy's index arrays in one record (see :class:`Hierarchy` for each)."""

    starts: np.ndarray
    parent: np.ndarray
    township_ancestor: np.ndarray
    posts: np.ndarray
    head_row: np.ndarray
    is_head: np.ndarray
    peer_group: np.ndarray
    subtree_posts: np.ndarray
    departments: np.ndarray  # functional lines per unit of each level above the bottom
    lines_above: float  # lines of every level above the bottom together
    n_units: int
    n_townships: int
    n_staff: int
    bottom: int


@dataclass(frozen=True, eq=False)
class Hierarchy:
    """Index arrays of the tree (read-only by convention)."""

    level: np.ndarray  # (U,) int8, level of each unit
    parent: np.ndarray  # (U,) int64, parent unit (CENTRE for the top level)
    departments: tuple[int, ...]  # functional lines per unit of each level above the bottom
    staff_township: np.ndarray  # (N,) township index (0..T-1) of each post
    starts: tuple[int, ...] = field(repr=False)  # level blocks in unit index, one more than levels
    level_names: tuple[str, ...] = LEVELS

    @property
    def n_levels(self) -> int:
        return len(self.starts) - 1

    @property
    def bottom(self) -> int:
        """The level whose units have staff (townships); every level above it has leaders."""
        return self.n_levels - 1

    @property
    def leader_levels(self) -> range:
        """Levels whose units are led by one official who acts as principal below."""
        return range(self.bottom)

    @property
    def n_units(self) -> int:
        return self.level.size

    @property
    def n_townships(self) -> int:
        return self.starts[-1] - self.starts[-2]

    @property
    def n_staff(self) -> int:
        return self.staff_township.size

    def units(self, level: int) -> slice:
        return slice(self.starts[level], self.starts[level + 1])

    def count(self, level: int) -> int:
        return self.starts[level + 1] - self.starts[level]

    @cached_property
    def posts(self) -> np.ndarray:
        """(T,) staff posts per township."""
        return np.bincount(self.staff_township, minlength=self.n_townships)

    @cached_property
    def head_row(self) -> np.ndarray:
        """(T,) staff row of each township's head (the first post of its block)."""
        return np.concatenate(([0], np.cumsum(self.posts)[:-1]))

    @cached_property
    def is_head(self) -> np.ndarray:
        mask = np.zeros(self.n_staff, dtype=bool)
        mask[self.head_row] = True
        return mask

    @cached_property
    def township_ancestor(self) -> np.ndarray:
        """(levels above the bottom, T) unit index of each township's ancestor at each level."""
        out = np.empty((self.bottom, self.n_townships), dtype=np.int64)
        up = self.parent[self.units(self.bottom)]
        for lvl in reversed(self.leader_levels):
            out[lvl] = up
            up = self.parent[up]
        return out

    @cached_property
    def peer_group(self) -> np.ndarray:
        """(U,) peer-group id: units under the same superior compete (provinces: one group)."""
        return np.where(self.parent < 0, -1, self.parent) + 1

    @cached_property
    def subtree_posts(self) -> np.ndarray:
        """(U,) township posts in each unit's subtree (its own posts for a township)."""
        return self.subtree_sum(self.posts.astype(float))

    def subtree_sum(self, township_values: np.ndarray) -> np.ndarray:
        """(U,) sum of a per-township quantity over each unit's subtree."""
        values = np.asarray(township_values, dtype=float)
        return groups.subtree_sum(values, self.township_ancestor, np.asarray(self.starts))

    @cached_property
    def arrays(self) -> TreeArrays:
        """The index arrays as one record, as the compiled phases read them."""
        return TreeArrays(
            starts=np.asarray(self.starts, dtype=np.int64),
            parent=self.parent,
            township_ancestor=self.township_ancestor,
            posts=self.posts,
            head_row=self.head_row,
            is_head=self.is_head,
            peer_group=self.peer_group,
            subtree_posts=self.subtree_posts,
            departments=np.asarray(self.departments, dtype=np.int64),
            lines_above=float(np.array(self.departments, dtype=float).sum()),
            n_units=self.n_units,
            n_townships=self.n_townships,
            n_staff=self.n_staff,
            bottom=self.bottom,
        )

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The tree as a directed graph (superior -> subordinate), with CENTRE as root."""
        g = nx.DiGraph()
        g.add_node(CENTRE, level=-1, name="centre")
        names = self.names
        posts = np.zeros(self.n_units, dtype=int)
        posts[self.units(self.bottom)] = self.posts
        for u in range(self.n_units):
            lvl = int(self.level[u])
            g.add_node(
                u,
                level=lvl,
                name=names[u],
                kind=self.level_names[lvl],
                departments=self.departments[lvl] if lvl < self.bottom else 0,
                posts=int(posts[u]),
            )
        g.add_edges_from(zip(self.parent.tolist(), range(self.n_units), strict=True))
        return g

    @cached_property
    def names(self) -> list[str]:
        """Readable unit names such as 'P1.C2.K3.T4' (province, city, county, township)."""
        letters = [LETTERS.get(name, name[0].upper()) for name in self.level_names]
        out: list[str] = []
        counters: dict[int, int] = {}
        for u in range(self.n_units):
            par = int(self.parent[u])
            counters[par] = counters.get(par, 0) + 1
            tag = f"{letters[self.level[u]]}{counters[par]}"
            out.append(tag if par < 0 else f"{out[par]}.{tag}")
        return out


def _spread(n_children: int, n_parents: int, rng: np.random.Generator) -> np.ndarray:
    """Children per parent: one each, the rest drawn evenly (multinomial)."""
    if n_children < n_parents:
        raise ValueError(f"cannot give {n_parents} parents at least one of {n_children} children")
    return 1 + rng.multinomial(n_children - n_parents, np.full(n_parents, 1 / n_parents))


def branching(params: Parameters) -> dict[str, int]:
    """The preset's branching, updated by any hierarchy.* overrides."""
    h = params.hierarchy
    spec = dict(PRESETS[h.preset])
    for key in (
        "provinces",
        "cities_per_province",
        "counties_per_city",
        "townships_per_county",
        "staff_per_township",
    ):
        value = getattr(h, key)
        if value is not None:
            spec[key] = value
    if any(
        getattr(h, k) is not None
        for k in ("cities_per_province", "counties_per_city", "townships_per_county")
    ):
        # An explicit branching replaces the preset's drawn totals.
        for total in ("cities", "counties", "townships"):
            spec.pop(total, None)
        for key in ("cities_per_province", "counties_per_city", "townships_per_county"):
            spec.setdefault(key, PRESETS["region"][key])
    return spec


def build_hierarchy(params: Parameters) -> Hierarchy:
    """Build the tree described by ``params.hierarchy`` (preset plus overrides)."""
    spec = branching(params)
    rng = np.random.default_rng(params.hierarchy.structure_seed)
    n_prov = spec["provinces"]
    if "cities" in spec:
        kids = [_spread(spec["cities"], n_prov, rng)]
        kids.append(_spread(spec["counties"], spec["cities"], rng))
        kids.append(_spread(spec["townships"], spec["counties"], rng))
    else:
        kids, n = [], n_prov
        for key in ("cities_per_province", "counties_per_city", "townships_per_county"):
            kids.append(np.full(n, spec[key]))
            n *= spec[key]

    parents = [np.full(n_prov, CENTRE)]
    counts = [n_prov]
    offset = 0
    for per_parent in kids:
        parents.append(offset + np.repeat(np.arange(per_parent.size), per_parent))
        offset += per_parent.size
        counts.append(int(per_parent.sum()))
    level = np.repeat(np.arange(len(counts), dtype=np.int8), counts)
    starts = tuple(int(x) for x in np.concatenate(([0], np.cumsum(counts))))
    n_townships = counts[-1]
    staff_township = np.repeat(np.arange(n_townships), spec["staff_per_township"])
    h = params.hierarchy
    return Hierarchy(
        level=level,
        parent=np.concatenate(parents).astype(np.int64),
        departments=tuple(getattr(h, f"departments_{name}") for name in LEVELS[:-1]),
        staff_township=staff_township,
        starts=starts,
    )
