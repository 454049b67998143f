"""sim.experiments.seeds: run seeds derived from a master seed and the run's index."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiments.seeds import replicate_seeds, run_seed


@pytest.mark.parametrize("master", [0, 1, 12345, 2**40])
def test_replicate_seeds_are_deterministic(master):
    assert replicate_seeds(master, 8) == replicate_seeds(master, 8)


def test_replicate_seeds_are_distinct_within_and_across_masters():
    seeds = replicate_seeds(0, 500)
    assert len(set(seeds)) == 500
    others = replicate_seeds(1, 500)
    assert not set(seeds) & set(others)


@pytest.mark.parametrize("k", [1, 3, 10])
def test_the_first_k_seeds_do_not_depend_on_how_many_are_asked_for(k):
    assert replicate_seeds(7, 50)[:k] == replicate_seeds(7, k)


def test_seeds_are_non_negative_63_bit_python_integers():
    for seed in replicate_seeds(3, 200):
        assert type(seed) is int
        assert 0 <= seed < 2**63
    # A spread of values, not small counters: the top bits are used too.
    assert max(replicate_seeds(3, 200)) > 2**60


def test_replicate_seeds_follow_numpy_seedsequence_spawning():
    master = 42
    children = np.random.SeedSequence(master).spawn(5)
    expected = [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]
    assert replicate_seeds(master, 5) == expected
    assert [run_seed(master, i) for i in range(5)] == expected


def test_multi_index_seeds_differ_from_single_index_ones():
    assert run_seed(0, 1, 2) != run_seed(0, 1)
    assert run_seed(0, 1, 2) != run_seed(0, 2, 1)
    assert run_seed(0, 1, 2) == run_seed(0, 1, 2)


def test_no_seeds_for_no_replicates():
    assert replicate_seeds(0, 0) == []
