"""Benchmark: the floor under a week's cost per official.

    python benchmarks/bench_floor.py

Times a compiled loop that does only what every official's week cannot avoid: its
transcendental functions (allocation weight ``competence ** g``, the Yerkes-Dodson curve, the
logit of diligence, the process score of its traces, fear of one's record, the expected penalty)
and its random draws (errors, and the uniforms of accountability, leave and quitting). A
compiled week can come down toward this figure, not below it, without changing the model's
numbers; compare it with ``bench_model.py``'s ns per official-week.
"""

from __future__ import annotations

import time

import numba
import numpy as np


@numba.njit
def _floor(competence, anxiety, rate, rng, out):
    for i in range(competence.size):
        weight = competence[i] ** 1.3
        performance = np.exp(-(((anxiety[i] - 0.4) / 0.3) ** 2))
        diligence = 1.0 / (1.0 + np.exp(-2.0 * anxiety[i]))
        process = -np.expm1(-rate[i] / 0.15)
        fear = -np.expm1(-anxiety[i]) - np.expm1(-rate[i])
        errors = rng.poisson(rate[i])
        draws = rng.random() + rng.random() + rng.random()
        out[i] = weight + performance + diligence + process + fear + errors + draws


def main() -> int:
    print("officials   ns per official-week (transcendentals and draws only)")
    for n in (971, 390_208):
        rng = np.random.default_rng(0)
        competence, anxiety = rng.lognormal(0.0, 0.3, n), rng.random(n)
        rate, out = 0.5 * rng.random(n), np.empty(n)
        _floor(competence, anxiety, rate, rng, out)
        best = float("inf")
        for _ in range(20):
            start = time.perf_counter()
            _floor(competence, anxiety, rate, rng, out)
            best = min(best, time.perf_counter() - start)
        print(f"{n:>9,}   {best / n * 1e9:>6.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
