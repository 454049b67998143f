"""Every public function of every sim.rules module is exercised by a test in tests/rules/."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import sim.rules

HERE = Path(__file__).resolve().parent
TEST_TEXT = "\n".join(
    p.read_text(encoding="utf-8") for p in HERE.glob("test_*.py") if p.name != Path(__file__).name
)
MODULES = [m.name for m in pkgutil.iter_modules(sim.rules.__path__)]


def public_functions(module_name: str) -> list[str]:
    module = importlib.import_module(f"sim.rules.{module_name}")
    return [
        name
        for name, obj in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and obj.__module__ == module.__name__
    ]


@pytest.mark.parametrize("module_name", MODULES)
def test_every_rule_function_has_a_test(module_name):
    functions = public_functions(module_name)
    assert functions, f"sim.rules.{module_name} has no rule functions"
    untested = [f for f in functions if f"{f}(" not in TEST_TEXT]
    assert not untested, f"sim.rules.{module_name}: no test calls {untested}"
