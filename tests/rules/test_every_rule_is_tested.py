"""Every rule (public function of a sim.rules module) is called by the model and by a test.

Calls are read from the syntax tree of the source, so a rule's name in a comment, a string or a
docstring does not count, nor does an import that is never called. Which module of sim/ calls
a rule does not matter: any module outside sim/rules counts as the model, and so does a rule
the model uses, for the rules it calls in turn.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIM, TESTS = ROOT / "sim", ROOT / "tests"
RULES = SIM / "rules"
PREFIX = "sim.rules."

# Known gaps, rule -> why: each entry expects its test to fail, and a strict xfail reports the
# day it passes, so that the entry is then removed. Empty: every rule is used and tested.
UNUSED_BY_MODEL: dict[str, str] = {}
UNTESTED: dict[str, str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def bindings(tree: ast.Module, module: str, is_package: bool) -> dict[str, str]:
    """What each name bound by an import or a top-level ``def`` refers to, as a dotted name."""
    bound: dict[str, str] = {}
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:  # ``import a.b`` binds ``a``
                    head = alias.name.partition(".")[0]
                    bound[head] = head
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            if node.level == 0:
                base = node.module or ""
            elif node.module:
                base = f"{base}.{node.module}"
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            bound[node.name] = f"{module}.{node.name}"
    return bound


def dotted(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        base = dotted(expr.value)
        return f"{base}.{expr.attr}" if base else None
    return None


def calls(node: ast.AST, bound: dict[str, str]) -> Iterator[str]:
    """Dotted names of everything called under ``node`` whose first name is bound."""
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and (name := dotted(call.func)):
            head, _, rest = name.partition(".")
            if head in bound:
                yield f"{bound[head]}.{rest}" if rest else bound[head]


def parse(path: Path) -> tuple[ast.Module, dict[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return tree, bindings(tree, module_name(path), path.name == "__init__.py")


@cache
def rules() -> dict[str, ast.FunctionDef]:
    """Every rule by dotted name, with its definition."""
    found = {}
    for path in sorted(RULES.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = module_name(path)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                found[f"{module}.{node.name}"] = node
    return found


@cache
def reexported() -> dict[str, str]:
    """Names sim/rules/__init__.py imports from its modules (``sim.rules.relax``, say)."""
    _, bound = parse(RULES / "__init__.py")
    return {f"{PREFIX}{name}": target for name, target in bound.items()}


def canonical(name: str) -> str:
    for alias, target in reexported().items():
        if name == alias or name.startswith(f"{alias}."):
            return target + name.removeprefix(alias)
    return name


def rules_called(node: ast.AST, bound: dict[str, str]) -> set[str]:
    return {name for name in map(canonical, calls(node, bound)) if name in rules()}


def called_in(paths: list[Path]) -> set[str]:
    found = set()
    for path in paths:
        tree, bound = parse(path)
        found |= rules_called(tree, bound)
    return found


@cache
def used_by_model() -> set[str]:
    """Rules called by sim/ outside sim/rules, then the rules those rules call, and so on."""
    used = called_in([p for p in sorted(SIM.rglob("*.py")) if RULES not in p.parents])
    callees = {}
    for path in sorted(RULES.glob("*.py")):
        _, bound = parse(path)
        for name, node in rules().items():
            if name.rpartition(".")[0] == module_name(path):
                callees[name] = rules_called(node, bound)
    frontier = set(used)
    while frontier:
        frontier = set().union(*(callees[name] for name in frontier)) - used
        used |= frontier
    return used


@cache
def used_by_tests() -> set[str]:
    return called_in([p for p in sorted(TESTS.rglob("*.py")) if p != Path(__file__).resolve()])


def short(name: str) -> str:
    return name.removeprefix(PREFIX)


def cases(known: dict[str, str], what: str) -> list:
    return [
        pytest.param(
            short(name),
            marks=[pytest.mark.xfail(strict=True, reason=f"{what}: {known[short(name)]}")]
            if short(name) in known
            else [],
        )
        for name in rules()
    ]


def test_every_rules_module_holds_rules():
    modules = {p.stem for p in RULES.glob("*.py") if not p.name.startswith("_")}
    assert modules == {short(name).partition(".")[0] for name in rules()}


@pytest.mark.parametrize("rule", cases(UNUSED_BY_MODEL, "not called by the model"))
def test_the_model_calls_every_rule(rule):
    unused = sorted(short(n) for n in set(rules()) - used_by_model())
    assert PREFIX + rule in used_by_model(), f"no module of sim/ calls {rule}; unused: {unused}"


@pytest.mark.parametrize("rule", cases(UNTESTED, "not called by any test"))
def test_a_test_calls_every_rule(rule):
    untested = sorted(short(n) for n in set(rules()) - used_by_tests())
    assert PREFIX + rule in used_by_tests(), f"no test calls {rule}; untested: {untested}"


def test_known_gaps_are_rules():
    # A rule removed or renamed takes its entry with it.
    names = {short(name) for name in rules()}
    assert set(UNUSED_BY_MODEL) <= names
    assert set(UNTESTED) <= names


SAMPLE = '''
"""anxiety.relax(x) in a docstring."""
import sim.rules.cascade
from sim import rules
from sim.rules import demand as d
from sim.rules.anxiety import relax as r
from sim.rules.burnout import strain  # imported, never called
from ..rules import trust

# output.productivity(x) in a comment
TEXT = "work.trace_intensity(x) in a string"


def step():
    r(1)
    d.handoff_load(1)
    sim.rules.cascade.markup_step(1)
    rules.inspection.merged_lines(1)
    trust.bad_news(1)
    return strain
'''


def test_only_calls_count_not_comments_strings_or_imports():
    tree = ast.parse(SAMPLE)
    bound = bindings(tree, "sim.experiments.sample", is_package=False)
    assert rules_called(tree, bound) == {
        f"{PREFIX}{name}"
        for name in (
            "anxiety.relax",
            "demand.handoff_load",
            "cascade.markup_step",
            "inspection.merged_lines",
            "trust.bad_news",
        )
    }
