"""Record the golden outputs of the model: the oracle that a behaviour-preserving change is
checked against (tests/test_golden.py, tests/golden/README.md).

    .venv/bin/python tools/record_golden.py            # refuses to replace existing golden files
    .venv/bin/python tools/record_golden.py --update   # a deliberate re-recording

Each run's summary and full time series are stored at full float64 precision: the summaries as
JSON (Python writes floats with the shortest repr that reads back to the same double), the time
series as one zstd-compressed parquet file per preset. Nothing in the files depends on the time
or the machine, so re-recording an unchanged model on the same dependency versions rewrites
identical bytes and ``git diff`` stays empty.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
FORMAT = 1

# Together these switch on every lever group of sim.params.LEVER_GROUPS and every lever
# parameter that some library scenario changes; each mechanism is also seen alone where the
# library has it alone, so a refactor that breaks one lever fails a test that names it.
SCENARIOS = (
    "baseline",  # every lever off: the status quo path through every phase
    "quota_cut_no_oversight",  # quotas that drift back, cut items displaced into data requests
    "quota_cut_with_oversight",  # the same quotas held by oversight
    "result_assessment",  # assessment mode "result"
    "result_with_verification",  # gaming of results limited by verification in the field
    "data_bureau",  # merged data requests
    "devolve_tasks_only",  # devolved tasks on unchanged staff
    "devolve_full",  # tasks with personnel and finance: temporary hires, reward budget
    "fair_allocation",  # allocation without the capable bias
    "fault_tolerance",  # forgiven errors
    "bottom_up_evaluation",  # superiors rated from below
    "tournament_restraint",  # a milder tournament
    "secondment",  # extra staff sent down
    "platform_overload",  # platforms.count, which no other scenario changes
    # The package: the only library scenario with the indicator cap, joint enforcement,
    # digital time saving, dynamic staffing and result-with-campaigns assessment, and the
    # one where every lever interacts.
    "combination_punch",
)
SEEDS = (1, 2, 3)
PRESETS = ("classroom", "region")
# Short enough that the test recomputes all runs in about a minute on 2 cores, long enough
# that the levers (on from week 104) act for 56 weeks and the 52-week summary sees only them.
STEPS = 160
# These run at the default horizon (run.steps) instead, so that the default path and the late
# weeks of a run are checked too.
DEFAULT_HORIZON = {("baseline", 1), ("combination_punch", 1)}

VERSIONS = ("numpy", "pandas", "mesa", "networkx", "scipy", "pyarrow")


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    ).stdout


def _files(presets) -> dict[str, Path]:
    files = {"manifest.json": GOLDEN / "manifest.json", "summaries.json": GOLDEN / "summaries.json"}
    for preset in presets:
        name = f"timeseries-{preset}.parquet"
        files[name] = GOLDEN / name
    return files


def _runs():
    for preset in PRESETS:
        for scenario in SCENARIOS:
            for seed in SEEDS:
                yield preset, scenario, seed, (scenario, seed) in DEFAULT_HORIZON


def _json_bytes(data) -> bytes:
    # allow_nan: an undefined outcome (NaN) is part of the behaviour to preserve.
    text = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=True)
    return (text + "\n").encode("utf-8")


def _parquet_bytes(frames: list[pd.DataFrame]) -> bytes:
    table = pa.Table.from_pandas(pd.concat(frames, ignore_index=True), preserve_index=False)
    floats = [f.name for f in table.schema if pa.types.is_floating(f.type)]
    sink = pa.BufferOutputStream()
    # Byte-stream splitting groups the bytes of each float by significance, which is what
    # lets zstd compress slowly varying series to a fraction of their raw size.
    pq.write_table(
        table,
        sink,
        compression="zstd",
        compression_level=19,
        use_byte_stream_split=floats,
        use_dictionary=["scenario"],
    )
    return sink.getvalue().to_pybytes()


def record() -> dict[str, bytes]:
    """Run every golden run and return the golden files' contents by file name."""
    import sim

    outcomes: list[str] | None = None
    runs, summaries, scenarios = [], {}, {}
    frames: dict[str, list[pd.DataFrame]] = {p: [] for p in PRESETS}
    for scenario in SCENARIOS:
        path = f"scenarios/{scenario}.toml"
        spec = sim.load_scenario(ROOT / path)
        if spec.name != scenario:
            raise SystemExit(f"{path} is named {spec.name!r}, not {scenario!r}")
        scenarios[scenario] = {"path": path, "parameters": spec.params.to_dict()}
    for preset, scenario, seed, default in _runs():
        started = time.perf_counter()
        result = sim.simulate(
            ROOT / scenarios[scenario]["path"],
            seed=seed,
            preset=preset,
            steps=None if default else STEPS,
        )
        ts = result.timeseries
        if outcomes is None:
            outcomes = list(ts.columns)
        elif list(ts.columns) != outcomes:
            raise SystemExit(f"{preset} {scenario} seed {seed}: outcome columns differ")
        if not all(dtype == np.float64 for dtype in ts.dtypes):
            raise SystemExit(f"{preset} {scenario} seed {seed}: an outcome is not float64")
        frame = ts.reset_index()
        frame.insert(0, "seed", np.int16(seed))
        frame.insert(0, "scenario", scenario)
        frame["week"] = frame["week"].astype(np.int16)
        frames[preset].append(frame)
        summaries.setdefault(preset, {}).setdefault(scenario, {})[str(seed)] = result.summary
        runs.append(
            {
                "preset": preset,
                "scenario": scenario,
                "seed": seed,
                "steps": result.steps,
                "default_horizon": default,
            }
        )
        print(
            f"{preset:9} {scenario:26} seed {seed}  {result.steps} weeks  "
            f"{time.perf_counter() - started:.2f} s",
            file=sys.stderr,
        )

    changed = _git("status", "--porcelain", "--", "sim", "scenarios").splitlines()
    manifest = {
        "format": FORMAT,
        "command": "python tools/record_golden.py --update",
        "recorded_from": {
            "commit": _git("rev-parse", "HEAD").strip(),
            # Uncommitted edits at recording time; the README says which of them could matter.
            "uncommitted": sorted(line[3:] for line in changed),
        },
        "versions": {"python": sys.version.split()[0]} | {name: version(name) for name in VERSIONS},
        "outcomes": outcomes,
        "scenarios": scenarios,
        "runs": runs,
    }
    files = {
        "manifest.json": _json_bytes(manifest),
        "summaries.json": _json_bytes(summaries),
    }
    for preset in PRESETS:
        files[f"timeseries-{preset}.parquet"] = _parquet_bytes(frames[preset])
    return files


def _write(path: Path, data: bytes) -> None:
    # Write beside the target and rename, so an interrupted run never leaves half a file.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--update",
        action="store_true",
        help="replace existing golden files (a deliberate change of the model's behaviour)",
    )
    args = parser.parse_args(argv)
    targets = _files(PRESETS)
    existing = [name for name, path in targets.items() if path.exists()]
    if existing and not args.update:
        print(
            f"golden files exist in {GOLDEN.relative_to(ROOT)} ({', '.join(existing)}); "
            "replacing them declares that the model's behaviour changed on purpose. "
            "Rerun with --update if it did, and explain why in the commit.",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    contents = record()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, data in contents.items():
        _write(targets[name], data)
    total = 0
    for name in contents:
        size = targets[name].stat().st_size
        total += size
        print(f"{size / 1e3:9.1f} kB  {targets[name].relative_to(ROOT)}")
    print(f"{total / 1e3:9.1f} kB  in all; {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
