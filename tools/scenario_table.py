"""Print the results table of docs/scenarios.md from an `oasim compare` output folder.

    oasim compare scenarios/baseline.toml scenarios/<every other>.toml --replicates 10 \
        --out results/library
    python tools/scenario_table.py results/library > /tmp/table.md

Each cell is the paired difference from the baseline (mean over replicates of the last year)
with its 95% interval; cells whose interval includes zero are marked with "~".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

COLUMNS = (
    ("township_hours", "hours", "{:+.1f}"),
    ("hours_pure_formalism", "pure formalism h", "{:+.1f}"),
    ("service_quality", "service quality", "{:+.3f}"),
    ("shirking_share", "perfunctory share", "{:+.3f}"),
    ("anxiety_township", "township anxiety", "{:+.3f}"),
    ("burnout", "burnout share", "{:+.3f}"),
    ("inspections_per_township", "inspections /wk", "{:+.2f}"),
    ("data_requests_per_township", "data requests /wk", "{:+.1f}"),
    ("quota_ratio", "quota ratio", "{:+.2f}"),
    ("lever_cost", "cost (staff-h/twp/wk)", "{:+.0f}"),
)


def main(folder: str) -> int:
    folder = Path(folder)
    table = pd.read_csv(folder / "comparison.csv")
    manifest = json.loads((folder / "manifest.json").read_text())
    ref = manifest["reference"]
    base = table[table.scenario == ref].set_index("outcome")["mean"]
    print(
        f"Differences from `{ref}` ({manifest['replicates']} replicates, preset "
        f"`{manifest['preset']}`, {manifest['steps']} weeks, levers from week "
        f"{manifest['parameters'][ref]['run.policy_start']}, mean of the last "
        f"{manifest['summary_weeks']} weeks; `~` marks an interval that includes zero).\n"
    )
    print("| scenario | " + " | ".join(label for _, label, _ in COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    print(
        f"| **{ref}** (level) | "
        + " | ".join(fmt.lstrip("+").replace("{:+", "{:").format(base[o]) for o, _, fmt in COLUMNS)
        + " |"
    )
    for name in dict.fromkeys(table.scenario):
        if name == ref:
            continue
        sub = table[table.scenario == name].set_index("outcome")
        cells = []
        for outcome, _, fmt in COLUMNS:
            row = sub.loc[outcome]
            cell = fmt.format(row["diff"])
            cells.append(cell if row.excludes_zero else f"~{cell}")
        print(f"| `{name}` | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
