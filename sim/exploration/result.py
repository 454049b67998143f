"""An exploration's result, and its folder: tables, figures and the manifest, beside its chunks.

===================== ===================================================================
experiments.parquet   world, policy and the world's uncertainty values (EMA's experiments)
outcomes.parquet      world, policy, seed-averaged outcomes and ``meets_*`` for each criterion
robustness.csv        policy x outcome: mean, mean effect, maximum and 90th-percentile regret
satisficing.csv       policy: share of worlds meeting every criterion, and each one
prim_boxes.csv        policy, box, restricted uncertainty, limits, coverage, density, mass
prim_trajectories.csv policy, box, PRIM's peeling trajectory (the chosen box marked)
cart.csv              policy, CART leaf, restricted uncertainty, limits, coverage, density
feature_scores.csv    uncertainty (and policy) x outcome: extra-trees feature scores
interactions.csv      outcome, pair of lever groups, S2 and its interval (with --interactions)
lever_groups.csv      outcome, lever group, S1, ST and ST - S1 (with --interactions)
*.png                 robustness, feature_scores, prim_<policy>, interactions
===================== ===================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiments.seeds import replicate_seeds
from ..i18n import resolve_language, text
from ..results import claimed, write_beside
from ..scenario import Scenario
from . import discovery
from .space import Space

__all__ = [
    "Exploration",
    "exploration_files",
    "lever_groups",
    "redraw",
    "save_exploration",
    "trajectories",
]


@dataclass
class Exploration:
    """Everything an exploration produced."""

    space: Space
    policies: list[Scenario]
    scenarios: int  # states of the world
    seed: int
    worlds: pd.DataFrame  # world -> uncertainty values
    raw: pd.DataFrame  # every run: world, policy, seed_index, outcomes
    outcomes: pd.DataFrame  # world, policy, seed-averaged outcomes
    met: pd.DataFrame  # world, policy, meets_<outcome>, meets_all
    robustness: pd.DataFrame  # policy x outcome: regret, mean, effect, ranks
    satisficing: pd.DataFrame  # policy: satisficing share and each criterion's
    prim: dict[str, discovery.PrimResult]  # policy -> its failure boxes
    cart: pd.DataFrame  # policy, leaf, parameter, ...
    scores: pd.DataFrame  # feature x outcome
    posterior: str | None = None  # the calibration folder the worlds were drawn from
    posterior_columns: tuple[str, ...] = ()  # the parameters drawn from it
    interactions: object | None = None  # a Sweep of the lever groups (second order)
    notes: list[str] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return self.space.reference.name

    @property
    def experiments(self) -> pd.DataFrame:
        """One row per (world, policy) with the world's uncertainty values: EMA's layout."""
        table = self.outcomes[["world", "policy"]].merge(
            self.worlds.reset_index(), on="world", how="left"
        )
        return table

    @property
    def boxes(self) -> pd.DataFrame:
        """Every policy's PRIM boxes, with the criterion most often missed inside each."""
        frames = [r.boxes.assign(policy=p) for p, r in self.prim.items() if not r.boxes.empty]
        if not frames:
            return pd.DataFrame(columns=["policy", *discovery._BOX_COLUMNS])
        table = pd.concat(frames, ignore_index=True)
        return table[["policy", *discovery._BOX_COLUMNS]]

    def save(self, folder, **provenance) -> Path:
        """Write the exploration's tables, figures and manifest beside its chunks (see
        :func:`save_exploration`)."""
        return save_exploration(self, folder, **provenance)


def _csv(table: pd.DataFrame, index: bool = False) -> Callable[[Path], Any]:
    return lambda p: table.to_csv(p, index=index, float_format="%.6g")


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def exploration_files(ex: Exploration, lang: str = "en") -> dict[str, Callable[[Path], Any]]:
    """The files an exploration writes, each as a function that writes it to a given path."""
    from .. import plots
    from . import figures

    lang = resolve_language(lang)
    outcomes = ex.outcomes.merge(ex.met, on=["world", "policy"], how="left")
    scores = ex.scores.rename_axis("uncertainty")
    files: dict[str, Callable[[Path], Any]] = {
        "experiments.parquet": lambda p: ex.experiments.to_parquet(p, index=False),
        "outcomes.parquet": lambda p: outcomes.to_parquet(p, index=False),
        "robustness.csv": _csv(ex.robustness),
        "satisficing.csv": _csv(ex.satisficing),
        "prim_boxes.csv": _csv(ex.boxes),
        "cart.csv": _csv(ex.cart),
        "feature_scores.csv": _csv(scores, index=True),
        "prim_trajectories.csv": _csv(trajectories(ex)),
    }
    title = text("explore_title", lang, n=ex.scenarios, seeds=ex.space.seeds)
    files["robustness.png"] = lambda p: plots.save(
        figures.robustness_figure(ex.robustness, ex.satisficing, title=title, lang=lang), p
    )
    files["feature_scores.png"] = lambda p: plots.save(
        figures.feature_scores_figure(ex.scores, lang=lang), p
    )
    for policy, result in ex.prim.items():
        if result.trajectories:
            first = result.trajectories[0]
            files[f"prim_{_safe(policy)}.png"] = lambda p, t=first, n=policy: plots.save(
                figures.prim_figure(t, n, lang=lang), p
            )
    if ex.interactions is not None:
        sweep = ex.interactions
        s2 = sweep.indices[sweep.indices["index"] == "S2"]
        table = s2.rename(columns={"parameter": "pair", "value": "S2", "confidence": "S2_conf"})
        files["interactions.csv"] = _csv(table[["outcome", "pair", "S2", "S2_conf"]])
        files["lever_groups.csv"] = _csv(lever_groups(sweep.indices))
        files["interactions.png"] = lambda p: plots.save(
            figures.interactions_figure(sweep.indices, sweep.samples, lang=lang), p
        )
    return files


def trajectories(ex: Exploration) -> pd.DataFrame:
    """policy, box and PRIM's peeling trajectory (coverage, density, mass, restricted
    dimensions, the chosen box marked), for every policy with a box."""
    frames = [
        t.assign(policy=policy) for policy, result in ex.prim.items() for t in result.trajectories
    ]
    columns = ["policy", "box", "id", "coverage", "density", "mass", "res_dim", "selected"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def redraw(folder: Path, name: str, lang: str):
    """A figure of an exploration folder drawn again, in ``lang``, from the folder's tables
    (for a brief in another language than the folder's figures); None if it cannot be."""
    import json

    from . import figures

    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if name == "robustness.png":
        title = text("explore_title", lang, n=manifest["scenarios"], seeds=len(manifest["seeds"]))
        return figures.robustness_figure(
            pd.read_csv(folder / "robustness.csv"),
            pd.read_csv(folder / "satisficing.csv"),
            title=title,
            lang=lang,
        )
    if name == "feature_scores.png":
        scores = pd.read_csv(folder / "feature_scores.csv", index_col="uncertainty")
        return figures.feature_scores_figure(scores, lang=lang)
    if name == "interactions.png" and (folder / "lever_groups.csv").is_file():
        groups = pd.read_csv(folder / "lever_groups.csv")
        pairs = pd.read_csv(folder / "interactions.csv")
        tidy = [
            groups.assign(
                index=kind,
                parameter=groups.group,
                value=groups[kind],
                confidence=groups[f"{kind}_conf"],
            )
            for kind in ("S1", "ST")
        ]
        tidy.append(
            pairs.assign(index="S2", parameter=pairs.pair, value=pairs.S2, confidence=pairs.S2_conf)
        )
        columns = ["outcome", "parameter", "index", "value", "confidence"]
        indices = pd.concat([t[columns] for t in tidy], ignore_index=True)
        return figures.interactions_figure(indices, manifest["interactions"]["samples"], lang=lang)
    if name.startswith("prim_") and (folder / "prim_trajectories.csv").is_file():
        table = pd.read_csv(folder / "prim_trajectories.csv")
        for policy in dict.fromkeys(table.policy):
            if name == f"prim_{_safe(policy)}.png":
                first = table[(table.policy == policy) & (table.box == 1)]
                return figures.prim_figure(first.reset_index(drop=True), policy, lang=lang)
    return None


def lever_groups(indices: pd.DataFrame) -> pd.DataFrame:
    """outcome, group, S1, ST (with intervals) and ``interaction`` = ST - S1: the share of
    variance a lever group explains only together with other groups."""
    main = indices[indices["index"].isin(["S1", "ST"])]
    wide = main.pivot_table(
        index=["outcome", "parameter"], columns="index", values=["value", "confidence"], sort=False
    )
    table = pd.DataFrame(
        {
            "S1": wide[("value", "S1")],
            "S1_conf": wide[("confidence", "S1")],
            "ST": wide[("value", "ST")],
            "ST_conf": wide[("confidence", "ST")],
        }
    )
    table["interaction"] = table.ST - table.S1
    return table.rename_axis(["outcome", "group"]).reset_index()


def _ranges(ex: Exploration) -> dict[str, dict[str, Any]]:
    """Each uncertainty's range: the space's bounds, or (drawn from a posterior, or
    categorical) what the worlds hold."""
    dims = {d.name: d for d in ex.space.uncertainties}
    out = {}
    for name in ex.worlds.columns:
        d = dims.get(name)
        if d is not None and d.kind == "categorical":
            out[name] = {"choices": list(d.choices)}
        elif d is not None and name not in (ex.posterior_columns or ()):
            out[name] = {"low": d.low, "high": d.high}
        else:
            values = ex.worlds[name]
            out[name] = {"low": float(values.min()), "high": float(values.max()),
                         "from": "posterior"}  # fmt: skip
    return out


def save_exploration(
    ex: Exploration,
    folder,
    *,
    lang: str = "en",
    started: dt.datetime | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> Path:
    """Write the exploration's outputs beside its chunks, each file atomically and the
    manifest last."""
    started = started or dt.datetime.now(dt.UTC)
    with claimed(folder) as claim:
        files = exploration_files(ex, lang)
        clash = sorted(set(files) & claim.foreign_files())
        if clash:
            raise claim.error(
                f"holds {', '.join(clash)}, which oasim did not write", "choose a new folder"
            )
        space = ex.space
        write_beside(
            claim.path,
            files,
            started,
            {"workers": workers, "scheduler": scheduler},
            command="explore",
            space=space.to_manifest(),
            policies=[p.to_manifest() for p in ex.policies],
            reference=ex.reference,
            scenarios=ex.scenarios,
            master_seed=ex.seed,
            seeds=replicate_seeds(ex.seed, space.seeds),
            preset=ex.policies[0].params.hierarchy.preset,
            steps=space.weeks,
            uncertainties=_ranges(ex),
            criteria={c.outcome: c.rule for c in space.criteria},
            criteria_tolerance={c.outcome: c.tolerance for c in space.criteria},
            goals=dict(space.goals),
            posterior=ex.posterior,
            runs=len(ex.raw),
            interactions=None
            if ex.interactions is None
            else {
                "problem": ex.interactions.problem.to_manifest(),
                "samples": ex.interactions.samples,
                "runs": len(ex.interactions.raw),
            },
            notes=ex.notes,
        )
        return claim.path
