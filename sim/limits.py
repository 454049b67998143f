"""The limits oasim enforces before a job starts, and its estimates of a job's time and memory.

A job that cannot fit is refused with the limit it breaks, before anything runs or is written.
The cost model is deliberately conservative (measured on a 2-core machine, docs/reliability.md):
a week costs a fixed part plus a part per official, a run holds its state plus its time series.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import UsageError
from .hierarchy import build_hierarchy
from .params import CATALOGUE, Parameters

__all__ = [
    "MAX_HOURS",
    "MAX_REPLICATES",
    "MAX_SAMPLES",
    "MAX_STEPS",
    "JobEstimate",
    "check_job",
    "estimate_job",
    "max_workers",
    "memory_available",
    "officials",
]

MAX_STEPS = int(CATALOGUE["run.steps"].high)  # the catalogue's own horizon limit (100 years)
MAX_REPLICATES = 10_000  # per scenario: far beyond what any interval needs
MAX_SAMPLES = 2**20  # SALib base samples (N) of one sweep
MAX_HOURS = 72.0  # estimated wall time of one command
MEMORY_SHARE = 0.8  # of the memory available now

# Seconds per week: fixed cost of a step, and cost per official (measured, with headroom).
WEEK_FIXED_S = 2.0e-3
WEEK_PER_OFFICIAL_S = 6.0e-7
# Bytes: a run's working set, per official, and per stored outcome value of a time series.
RUN_BASE_BYTES = 200 * 2**20
RUN_PER_OFFICIAL_BYTES = 1_500
SERIES_VALUE_BYTES = 8 * 3  # float64, plus the copies a table and its bands take
OUTCOME_COLUMNS = 48


def max_workers() -> int:
    """More worker processes than this only adds memory and switching, never speed."""
    return 4 * (os.cpu_count() or 1)


def memory_available() -> int:
    """Bytes of memory available now (MemAvailable), or the physical total where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def officials(params: Parameters) -> int:
    """How many officials the hierarchy of ``params`` holds: every leader and every post (the
    tree's index arrays take milliseconds to build, even for the national preset)."""
    tree = build_hierarchy(params)
    return tree.starts[tree.bottom] + tree.n_staff


@dataclass(frozen=True)
class JobEstimate:
    runs: int
    seconds: float  # wall time on ``workers`` processes
    peak_bytes: int
    workers: int

    def describe(self) -> str:
        minutes = self.seconds / 60
        when = f"{self.seconds:.0f} s" if minutes < 2 else f"{minutes:.0f} min"
        if minutes >= 120:
            when = f"{minutes / 60:.1f} h"
        return (
            f"{self.runs:,} runs, about {when} on {self.workers} worker(s), "
            f"peak memory about {self.peak_bytes / 2**30:.1f} GiB"
        )


def estimate_job(
    params: Parameters, steps: int, runs: int, workers: int = 1, stored_series: int = 0
) -> JobEstimate:
    """Time and memory of ``runs`` runs of ``steps`` weeks on ``workers`` processes, keeping
    ``stored_series`` full time series in memory (a comparison keeps every run's)."""
    n = officials(params)
    per_run = steps * (WEEK_FIXED_S + WEEK_PER_OFFICIAL_S * n)
    in_flight = min(workers, runs) * (RUN_BASE_BYTES + RUN_PER_OFFICIAL_BYTES * n)
    series = stored_series * steps * OUTCOME_COLUMNS * SERIES_VALUE_BYTES
    return JobEstimate(
        runs, per_run * runs / max(1, min(workers, runs)), in_flight + series, workers
    )


def check_job(estimate: JobEstimate, what: str) -> None:
    """Refuse a job that would not fit in memory or would run longer than ``MAX_HOURS``."""
    limit = MEMORY_SHARE * memory_available()
    if estimate.peak_bytes > limit:
        raise UsageError(
            f"{what}: {estimate.describe()}, more than the {limit / 2**30:.1f} GiB this machine "
            f"can give ({MEMORY_SHARE:.0%} of the memory available now); use fewer replicates, "
            "steps, workers or a smaller preset"
        )
    if estimate.seconds > MAX_HOURS * 3600:
        raise UsageError(
            f"{what}: {estimate.describe()}, beyond the limit of {MAX_HOURS:.0f} h for one "
            "command; split it (a sensitivity sweep resumes with --resume) or make it smaller"
        )
