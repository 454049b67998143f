"""The administrative tree: preset sizes, tree shape, contiguous blocks and index helpers."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from sim.groups import group_mean, group_sum, per_staff, township_mean, township_sum
from sim.hierarchy import (
    CENTRE,
    LEVELS,
    PRESETS,
    TOWNSHIP,
    Hierarchy,
    _spread,
    build_hierarchy,
)
from sim.params import Parameters


def tree_for(**overrides) -> Hierarchy:
    return build_hierarchy(Parameters({f"hierarchy.{k}": v for k, v in overrides.items()}))


@pytest.fixture(scope="module")
def national() -> Hierarchy:
    # Built once: 387,000 posts. The national *model* is never run in the tests (too slow).
    return build_hierarchy(Parameters({"hierarchy.preset": "national"}))


@pytest.fixture(scope="module", params=["classroom", "region"])
def small(request) -> Hierarchy:
    return tree_for(preset=request.param)


def level_counts(tree: Hierarchy) -> list[int]:
    return [tree.count(lvl) for lvl in range(4)]


def test_classroom_has_tens_of_officials():
    tree = tree_for(preset="classroom")
    spec = PRESETS["classroom"]
    assert level_counts(tree) == [1, 2, 4, 12]
    assert tree.n_staff == 12 * spec["staff_per_township"]
    assert 10 <= tree.n_staff < 100


def test_region_has_about_a_thousand_township_officials():
    tree = tree_for(preset="region")
    assert level_counts(tree) == [1, 2, 8, 48]
    assert 800 <= tree.n_staff <= 1200


def test_national_has_the_real_unit_counts(national):
    assert level_counts(national) == [31, 333, 2844, 38700]
    assert national.n_staff == 38700 * 10
    assert np.all(national.posts == 10)
    # Every unit above the township has at least one subordinate.
    for lvl in range(3):
        kids_per_parent = np.bincount(
            national.parent[national.units(lvl + 1)] - national.starts[lvl],
            minlength=national.count(lvl),
        )
        assert kids_per_parent.min() >= 1


def test_national_tree_is_a_tree_with_contiguous_levels(national):
    check_shape(national)


def test_children_are_spread_with_at_least_one_per_parent():
    # The national preset draws children per parent with this helper (from structure_seed).
    a = _spread(2844, 333, np.random.default_rng(2022))
    b = _spread(2844, 333, np.random.default_rng(2022))
    c = _spread(2844, 333, np.random.default_rng(7))
    assert a.sum() == 2844 and a.size == 333 and a.min() >= 1
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    with pytest.raises(ValueError):
        _spread(3, 4, np.random.default_rng(0))


def check_shape(tree: Hierarchy) -> None:
    """Levels are contiguous blocks; each unit's parent is one level up; peers are grouped."""
    assert list(tree.starts) == sorted(tree.starts)
    assert tree.starts[0] == 0 and tree.starts[4] == tree.n_units
    for lvl in range(4):
        assert np.all(tree.level[tree.units(lvl)] == lvl)
    provinces = tree.units(0)
    assert np.all(tree.parent[provinces] == CENTRE)
    below = np.arange(tree.starts[1], tree.n_units)
    assert np.all(tree.level[tree.parent[below]] == tree.level[below] - 1)
    for lvl in range(1, 4):
        # grouped by parent: each peer group is a contiguous run
        assert np.all(np.diff(tree.parent[tree.units(lvl)]) >= 0)


def test_small_trees_are_trees_rooted_at_the_centre(small):
    g = small.graph
    assert nx.is_tree(g)
    assert nx.is_arborescence(g)
    assert g.in_degree(CENTRE) == 0
    assert g.number_of_nodes() == small.n_units + 1
    assert {d["level"] for _, d in g.nodes(data=True)} == {-1, 0, 1, 2, 3}
    for u in range(small.n_units):
        assert g.nodes[u]["kind"] == LEVELS[small.level[u]]
        assert list(g.predecessors(u)) == [small.parent[u]]
    assert sum(g.nodes[u]["posts"] for u in g if u != CENTRE) == small.n_staff
    check_shape(small)


def test_departments_per_level_come_from_parameters():
    tree = tree_for(preset="classroom", departments_city=3)
    assert tree.departments == (8, 3, 8)
    assert tree.graph.nodes[tree.starts[1]]["departments"] == 3
    assert tree.graph.nodes[tree.starts[TOWNSHIP]]["departments"] == 0


def test_head_rows_are_the_first_post_of_each_township(small):
    assert np.all(np.diff(small.staff_township) >= 0)  # posts are contiguous per township
    assert small.head_row.size == small.n_townships
    for t, row in enumerate(small.head_row):
        assert small.staff_township[row] == t
        assert row == 0 or small.staff_township[row - 1] == t - 1
    assert small.is_head.sum() == small.n_townships
    assert np.array_equal(np.flatnonzero(small.is_head), small.head_row)


def test_overrides_change_the_branching():
    tree = tree_for(preset="classroom", townships_per_county=5, staff_per_township=7)
    assert level_counts(tree) == [1, 2, 4, 20]
    assert tree.n_staff == 140
    assert np.all(tree.posts == 7)


def test_township_ancestors_follow_the_parent_chain(small):
    anc = small.township_ancestor
    for t in range(small.n_townships):
        u = small.starts[TOWNSHIP] + t
        chain = []
        while small.parent[u] != CENTRE:
            u = small.parent[u]
            chain.append(u)
        assert chain == [anc[2, t], anc[1, t], anc[0, t]]


def test_subtree_sums_add_up_townships_below(small):
    values = np.arange(small.n_townships, dtype=float) + 1.0
    sums = small.subtree_sum(values)
    g = small.graph
    for u in range(small.n_units):
        below = [
            v - small.starts[TOWNSHIP]
            for v in nx.descendants(g, u) | {u}
            if small.level[v] == TOWNSHIP
        ]
        assert sums[u] == pytest.approx(values[below].sum())
    assert np.allclose(small.subtree_posts, small.subtree_sum(small.posts.astype(float)))
    assert small.subtree_posts[0] == small.n_staff


def test_peer_groups_are_units_under_the_same_superior(small):
    pg = small.peer_group
    for a in range(small.n_units):
        for b in range(small.n_units):
            assert (pg[a] == pg[b]) == (small.parent[a] == small.parent[b])


def test_names_are_unique_and_readable():
    tree = tree_for(preset="classroom")
    names = tree.names
    assert len(set(names)) == tree.n_units
    assert names[0] == "P1"
    assert names[tree.starts[TOWNSHIP]] == "P1.C1.K1.T1"
    assert names[-1].count(".") == 3


def test_staff_helpers_on_a_hand_made_tree():
    # Two townships of three posts each.
    tree = tree_for(
        preset="classroom",
        cities_per_province=1,
        counties_per_city=1,
        townships_per_county=2,
        staff_per_township=3,
    )
    assert tree.n_staff == 6
    assert np.array_equal(per_staff(np.array([1.0, 2.0]), tree.posts), [1, 1, 1, 2, 2, 2])
    values = np.array([1.0, 2.0, 3.0, 10.0, 20.0, 30.0])
    assert np.array_equal(township_sum(values, tree.head_row), [6.0, 60.0])
    mask = np.array([True, False, True, False, False, False])
    assert np.array_equal(township_mean(values, mask, tree.head_row, -1.0), [2.0, -1.0])


def test_group_mean():
    values = np.array([1.0, 2.0, 3.0, 4.0])
    groups = np.array([0, 0, 2, 2])
    assert np.array_equal(group_mean(values, groups, 3, empty=9.0), [1.5, 9.0, 3.5])
    assert np.array_equal(group_sum(values, groups, 3), [3.0, 0.0, 7.0])


def test_township_sum_adds_in_numpys_order():
    # Blocks of every length around numpy's pairwise thresholds (8 and 128 terms): the
    # compiled sum must give the bits np.add.reduceat gives, or the model's results would move.
    rng = np.random.default_rng(5)
    sizes = np.array([1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 300, 1000])
    heads = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    values = rng.random(sizes.sum()) * 10.0 ** rng.uniform(-6, 6, sizes.sum())
    assert np.array_equal(township_sum(values, heads), np.add.reduceat(values, heads))
