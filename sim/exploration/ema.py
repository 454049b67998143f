"""oasim as an EMA Workbench model: uncertainties, levers and outcomes from the catalogue.

::

    from ema_workbench import SequentialEvaluator, perform_experiments
    from sim.exploration import ema_model, ema_policies, load_space

    space = load_space("beliefs")
    model = ema_model(space, seeds=[1, 2])
    experiments, outcomes = perform_experiments(
        model, scenarios=50, policies=ema_policies(space, ["baseline", "combination_realistic"])
    )

EMA names parameters with Python identifiers, so a dotted name ``anxiety.from_superior`` becomes
``anxiety__from_superior`` (:func:`identifier`); the function the model calls,
:func:`run_oasim`, turns them back, so a run through EMA's evaluators is the same run, number for
number, as one on oasim's own fast path (``oasim explore``) with the same parameters and seed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..params import CATALOGUE, LEVERS
from ..run import run_scenario
from ..scenario import Scenario
from .parameters import ema_parameter, from_identifiers, identifier, lever_parameters
from .space import Space

__all__ = ["ema_model", "ema_policies", "ema_scenarios", "run_oasim"]

STEPS = "oasim_steps"  # a constant of the model, not a parameter of the catalogue


def _plain(name: str, value: Any) -> Any:
    """A value as the catalogue expects it (EMA hands over numpy scalars)."""
    kind = CATALOGUE[name].kind
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    return value


def run_oasim(seed: int, oasim_steps: int, **parameters: Any) -> dict[str, float]:
    """One replicate for EMA: every keyword but the seed and the horizon is a parameter,
    named by its identifier; returns the run's summary (every outcome)."""
    dotted = from_identifiers(parameters)
    spec = Scenario.from_overrides(
        {k: _plain(k, v) for k, v in dotted.items()}, name="ema", source="EMA experiment"
    )
    return run_scenario(spec, seed=int(seed), steps=int(oasim_steps))


def ema_model(space: Space, seeds: Sequence[int], name: str = "oasim"):
    """An EMA ``ReplicatorModel`` of oasim: the space's uncertainties, every lever of the
    catalogue, the space's outcomes (with their kinds, each the mean over the replications),
    one replication per seed, and the space's fixed settings and horizon as constants."""
    from ema_workbench import Constant, ReplicatorModel, ScalarOutcome

    model = ReplicatorModel(name, function=run_oasim)
    model.uncertainties = [ema_parameter(d) for d in space.uncertainties]
    model.levers = lever_parameters()
    kinds = {
        "minimize": ScalarOutcome.MINIMIZE,
        "maximize": ScalarOutcome.MAXIMIZE,
        "info": ScalarOutcome.INFO,
    }
    # Each outcome is the mean over the replications (seeds), as in oasim explore's tables.
    model.outcomes = [
        ScalarOutcome(o, kind=kinds[space.goals.get(o, "info")], function=np.mean)
        for o in space.outcomes
    ]
    own = space.reference.params.changed()
    constants = {**{k: v for k, v in own.items() if not CATALOGUE[k].is_lever}, **space.settings}
    model.constants = [Constant(identifier(k), v) for k, v in constants.items()]
    model.constants = [*model.constants, Constant(STEPS, space.weeks)]
    model.replications = [{"seed": int(s)} for s in seeds]
    return model


def ema_policies(space: Space, scenarios: Iterable) -> list:
    """EMA policies (``Sample``s named after the scenarios) holding every lever's value."""
    from ema_workbench import Sample

    out = []
    for scenario in scenarios:
        spec = space.policy(scenario)
        levers = {identifier(k): spec.params[k] for k in LEVERS}
        out.append(Sample(name=spec.name, **levers))
    return out


def ema_scenarios(worlds) -> list:
    """EMA scenarios (``Sample``s) of a table of states of the world (:meth:`Space.sample`)."""
    from ema_workbench import Sample

    return [
        Sample(name=int(i), **{identifier(k): v for k, v in row.items()})
        for i, row in zip(worlds.index, worlds.to_dict(orient="records"), strict=True)
    ]
