"""oasim's parameters as EMA Workbench parameters.

EMA names parameters with Python identifiers, so a dotted name ``anxiety.from_superior``
becomes ``anxiety__from_superior``; every module that hands parameters to EMA or reads them
back uses these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..params import CATALOGUE, LEVERS
from ..sensitivity.problem import Dimension

__all__ = ["ema_parameter", "from_identifiers", "identifier", "lever_parameters"]

SEP = "__"


def identifier(name: str) -> str:
    """EMA's name for a dotted parameter name."""
    return name.replace(".", SEP)


def from_identifiers(values: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted names for a mapping keyed by EMA identifiers."""
    return {k.replace(SEP, "."): v for k, v in values.items()}


def ema_parameter(dim: Dimension):
    """The EMA parameter of a dimension of a space or problem file."""
    from ema_workbench import CategoricalParameter, IntegerParameter, RealParameter

    name = identifier(dim.name)
    if dim.kind == "categorical":
        return CategoricalParameter(name, list(dim.choices))
    if dim.kind == "integer":
        return IntegerParameter(name, int(dim.low), int(dim.high))
    return RealParameter(name, float(dim.low), float(dim.high))


def lever_parameters() -> list:
    """Every lever of the catalogue as an EMA parameter over the catalogue's range."""
    out = []
    for name in LEVERS:
        p = CATALOGUE[name]
        if p.kind == "choice":
            dim = Dimension(name, "categorical", choices=p.choices)
        elif p.kind == "bool":
            dim = Dimension(name, "categorical", choices=(False, True))
        else:
            dim = Dimension(name, "integer" if p.kind == "int" else "continuous", p.low, p.high)
        out.append(ema_parameter(dim))
    return out
