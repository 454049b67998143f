"""The teaching notebooks are committed clean and draw every figure in the chosen language.

These checks only read the notebooks' JSON (fast). Executing them is nbmake's job:
``python -m pytest --nbmake notebooks/``.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
EXPECTED = {
    "01_quickstart.ipynb",
    "02_compare_policies.ipynb",
    "03_sensitivity.ipynb",
    "04_classroom_exercise.ipynb",
    "05_calibration.ipynb",
    "06_robust_policy.ipynb",
}
# Figure functions of sim.plots: every call must pass lang=LANG.
PLOT_FUNCTIONS = {
    "overview_figure",
    "bands_figure",
    "forest_figure",
    "indices_figure",
    "morris_figure",
    "robustness_figure",
    "prim_figure",
    "feature_scores_figure",
    "interactions_figure",
}


def code_cells(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def name_of(call: ast.Call) -> str:
    """'plots.bands_figure', 'plt.subplots', 'tr', ... for a call."""
    parts = []
    func = call.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


def test_the_notebooks_exist():
    assert {p.name for p in NOTEBOOKS} >= EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for i, cell in enumerate(code_cells(path)):
        assert cell.get("outputs") == [], f"{path.name}: code cell {i} has outputs"
        assert cell.get("execution_count") is None, f"{path.name}: code cell {i} has a count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_are_plain_python(path):
    """No shell escapes or magics: nbmake runs the notebook with the current interpreter."""
    for i, cell in enumerate(code_cells(path)):
        ast.parse(source(cell), filename=f"{path.name}[{i}]")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_language_is_set_at_the_top(path):
    cells = [source(c) for c in code_cells(path)]
    assert cells, f"{path.name}: no code"
    first = ast.parse(cells[0])
    assigned = {
        target.id: node.value.value
        for node in first.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert assigned.get("LANG") == "en", f"{path.name}: the first code cell must set LANG = 'en'"
    assert "i18n.resolve_language(LANG)" in cells[0], f"{path.name}: resolve LANG at the top"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_follows_lang(path):
    """sim.plots figures get lang=LANG; figures drawn by hand get the language's font."""
    for i, cell in enumerate(code_cells(path)):
        tree = ast.parse(source(cell))
        names = [name_of(c) for c in calls(tree)]
        for call in calls(tree):
            if name_of(call).split(".")[-1] in PLOT_FUNCTIONS:
                lang = {k.arg: k.value for k in call.keywords}.get("lang")
                assert isinstance(lang, ast.Name) and lang.id == "LANG", (
                    f"{path.name}: cell {i}: {name_of(call)} without lang=LANG"
                )
        if any(n in ("plt.subplots", "plt.figure") for n in names):
            assert "i18n.apply_font" in names, (
                f"{path.name}: cell {i} draws a figure without i18n.apply_font(fig, L)"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_do_not_need_the_app(path):
    for i, cell in enumerate(code_cells(path)):
        tree = ast.parse(source(cell))
        modules = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (node.names if isinstance(node, ast.Import) else [node])
        ]
        assert not any(m and m.startswith(("sim.app", "solara")) for m in modules), (
            f"{path.name}: cell {i} imports the app"
        )
