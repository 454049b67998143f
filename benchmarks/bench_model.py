"""Benchmark: seconds per run, nanoseconds per official-step and peak memory, per preset.

    python benchmarks/bench_model.py            # classroom, region (156 weeks), national (52)
    python benchmarks/bench_model.py --quick    # skip national

Each measurement runs in a fresh subprocess so that peak memory (max RSS) belongs to one preset
alone. For scale, the script also times Mesa's bare activation loop (``shuffle_do`` on agents
whose ``step`` does nothing) on the same machine: the full model should cost less per official.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time

CASES = (("classroom", 156, 20), ("region", 156, 10), ("national", 52, 1))


def measure(preset: str, steps: int, repeats: int) -> dict:
    import mesa

    import sim

    best_setup = best_run = float("inf")
    for seed in range(repeats):
        t0 = time.perf_counter()
        model = sim.GovernanceModel(rng=seed, preset=preset)
        t1 = time.perf_counter()
        model.run_for(steps)
        t2 = time.perf_counter()
        best_setup, best_run = min(best_setup, t1 - t0), min(best_run, t2 - t1)
    officials = model.tree.starts[model.tree.bottom] + model.tree.n_staff  # leaders, every post
    # The path sweeps take (compare, sensitivity): no agent objects, outcomes in an array.
    best_sweep = float("inf")
    for seed in range(repeats):
        t0 = time.perf_counter()
        sim.simulate(seed=seed, steps=steps, preset=preset)
        best_sweep = min(best_sweep, time.perf_counter() - t0)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    class Idle(mesa.Agent):
        def step(self):
            pass

    idle = mesa.Model(rng=0)
    Idle.create_agents(idle, min(officials, 100_000))
    t0 = time.perf_counter()
    for _ in range(5):
        idle.agents.shuffle_do("step")
    mesa_ns = (time.perf_counter() - t0) / (5 * len(idle.agents)) * 1e9
    return {
        "preset": preset,
        "steps": steps,
        "officials": officials,
        "setup_s": best_setup,
        "run_s": best_run,
        "total_s": best_setup + best_run,
        "ns_per_official_step": best_run / (steps * officials) * 1e9,
        "ns_per_official_step_with_setup": (best_setup + best_run) / (steps * officials) * 1e9,
        "peak_mib": peak_mib,
        "mesa_shuffle_do_ns": mesa_ns,
        # The run against Mesa's bare loop over as many agents for as many steps, timed in the
        # same process: a ratio that shared machines' 30% swings in speed leave alone.
        "ratio_to_mesa_loop": best_run / (mesa_ns * 1e-9 * officials * steps),
        "sweep_run_s": best_sweep,
        "sweep_ratio_to_mesa_loop": best_sweep / (mesa_ns * 1e-9 * officials * steps),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the national preset")
    parser.add_argument(
        "--one", nargs=3, metavar=("PRESET", "STEPS", "REPEATS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.one:
        preset, steps, repeats = args.one
        print(json.dumps(measure(preset, int(steps), int(repeats))))
        return 0

    print(
        f"oasim benchmark on {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, one core per run"
    )
    header = (
        f"{'preset':<10}{'officials':>10}{'weeks':>7}{'setup s':>9}{'run s':>8}"
        f"{'total s':>9}{'ns/off-step':>12}{'(w/ setup)':>11}{'peak MiB':>10}"
        f"{'mesa idle ns':>13}{'x mesa loop':>12}{'sweep s':>9}{'x mesa':>8}"
    )
    print(header)
    print("-" * len(header))
    for preset, steps, repeats in CASES:
        if args.quick and preset == "national":
            continue
        out = subprocess.run(
            [sys.executable, __file__, "--one", preset, str(steps), str(repeats)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['preset']:<10}{r['officials']:>10,}{r['steps']:>7}{r['setup_s']:>9.3f}"
            f"{r['run_s']:>8.3f}{r['total_s']:>9.3f}{r['ns_per_official_step']:>12.0f}"
            f"{r['ns_per_official_step_with_setup']:>11.0f}{r['peak_mib']:>10.0f}"
            f"{r['mesa_shuffle_do_ns']:>13.0f}{r['ratio_to_mesa_loop']:>12.2f}"
            f"{r['sweep_run_s']:>9.3f}{r['sweep_ratio_to_mesa_loop']:>8.2f}",
            flush=True,
        )
    print(
        "\nrun s: best of several seeds (one for national); ns/off-step: run time per official "
        "per weekly step;\nmesa idle ns: Mesa's shuffle_do over agents whose step does nothing, "
        "per agent-step, on this machine;\nx mesa loop: the run's time over that bare loop's "
        "for the same agents and steps (lower is better);\nsweep s, x mesa: the same for a run "
        "as sweeps make it (sim.simulate: set-up included, no agent objects, no DataCollector)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
