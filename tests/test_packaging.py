"""An installed wheel, not the checkout: the scenario library and the sensitivity problems ship
inside the package, and ``oasim`` finds them from any folder.

One module fixture builds the wheel (about 10 s), installs it into a temporary folder and runs
the installed package there, with that folder on PYTHONPATH and the working folder outside the
repository, so that nothing of the source tree can stand in for what the wheel lacks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import sim
from sim.scenario import SCENARIO_DIR
from sim.sensitivity import load_problem

ROOT = Path(__file__).resolve().parent.parent
# What the build reads: pyproject.toml names the readme and the licence.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "sim", "scenarios", "data")

FACTS = """
import json, sys
from pathlib import Path
import sim
from sim.scenario import SCENARIO_DIR, load_scenario
from sim.sensitivity import load_problem

site = Path(sys.argv[1])
levers = load_problem(site / "sim" / "scenarios" / "sensitivity" / "levers.toml")
campaigns = load_scenario("result_with_campaigns")
mine = load_scenario("mine.toml")
print(json.dumps({
    "sim": sim.__file__,
    "library": str(SCENARIO_DIR),
    "baseline": load_scenario("baseline").path,
    "levers_base": levers.base.path,
    "levers_by_name": load_problem("levers").path,
    "campaigns": [campaigns.path, list(campaigns.bases)],
    "mine": [list(mine.bases), mine.params["assessment.mode"], mine.params["anxiety.base"]],
}))
"""


@dataclass(frozen=True)
class Installed:
    wheel: Path
    site: Path
    work: Path  # the working folder of every command, outside the repository
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            args, cwd=self.work, env=self.env, capture_output=True, text=True, timeout=300
        )
        if done.returncode:
            pytest.fail(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
        return done

    def python(self, *args: str) -> subprocess.CompletedProcess:
        return self.run(sys.executable, *args)


def _check(*args: str | Path) -> None:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600)
    if done.returncode:
        pytest.fail(f"{args} exited {done.returncode}:\n{done.stdout}{done.stderr}")


@pytest.fixture(scope="module")
def installed() -> Iterator[Installed]:
    # tempfile rather than pytest's tmp_path: a --basetemp inside the checkout would put the
    # working folder back in the repository.
    tmp = Path(tempfile.mkdtemp(prefix="oasim-packaging-")).resolve()
    assert not tmp.is_relative_to(ROOT)
    try:
        # Built from a copy: a build in the checkout leaves a build/ folder whose stale files a
        # later wheel would ship, and races with anyone building there at the same time.
        src = tmp / "src"
        for name in SOURCES:
            origin = ROOT / name
            if origin.is_dir():
                ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
                shutil.copytree(origin, src / name, ignore=ignore)
            else:
                src.mkdir(exist_ok=True)
                shutil.copy2(origin, src / name)
        python = (sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet")
        _check(*python, "wheel", src, "--no-deps", "-w", tmp / "dist")
        (wheel,) = (tmp / "dist").glob("oasim-*.whl")
        site = tmp / "site"
        _check(*python, "install", "--no-deps", "--target", site, wheel)
        work = tmp / "work"
        work.mkdir()
        # The installed package runs its rules and phases as plain Python and numpy: what is
        # checked here is what the wheel holds, and compiling them again for a fresh install
        # takes minutes (the compiled engine gives the same numbers: tests/test_engine.py).
        env = {**os.environ, "PYTHONPATH": str(site), "NUMBA_DISABLE_JIT": "1"}
        yield Installed(wheel, site, work, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def facts(installed) -> dict:
    (installed.work / "mine.toml").write_text(
        'base = "result_with_campaigns"\n[parameters]\nanxiety.base = 0.2\n', encoding="utf-8"
    )
    done = installed.python("-c", FACTS, str(installed.site))
    return json.loads(done.stdout.splitlines()[-1])


def _library(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.toml")}


def test_the_wheel_carries_the_library_and_every_module(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    library = _library(ROOT / "scenarios")
    assert {"baseline.toml", "sensitivity/levers.toml"} <= library
    assert {f"sim/scenarios/{name}" for name in library} <= names
    # The package list in pyproject.toml is explicit: a subpackage left out of it still
    # imports in a checkout, so only the wheel shows it missing.
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "sim").rglob("*.py")}
    assert modules - names == set(), "list the subpackage in pyproject.toml [tool.setuptools]"
    # Nothing beside the package: no top-level scenarios/ in site-packages.
    tops = {name.split("/")[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"sim"}


def test_the_installed_package_carries_the_targets(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert "sim/data/targets.toml" in names
    assert "sim/scenarios/calibration/priors.toml" in names
    done = installed.run(str(installed.site / "bin" / "oasim"), "targets")
    assert "township_day" in done.stdout and "calibration" in done.stdout


def test_the_installed_package_is_the_one_imported(installed, facts):
    site = installed.site
    assert Path(facts["sim"]).is_relative_to(site)
    assert Path(facts["library"]) == site / "sim" / "scenarios"
    assert _library(Path(facts["library"])) == _library(ROOT / "scenarios")


def test_library_names_and_bases_resolve_in_the_installed_package(installed, facts):
    library = installed.site / "sim" / "scenarios"
    assert Path(facts["baseline"]) == library / "baseline.toml"
    path, bases = facts["campaigns"]
    assert Path(path) == library / "result_with_campaigns.toml"
    assert bases == ["baseline"]
    # A user's file in the working folder inherits through two files of the library.
    assert facts["mine"] == [["result_with_campaigns", "baseline"], "result_campaigns", 0.2]


def test_installed_sensitivity_problems_find_their_scenario(installed, facts):
    library = installed.site / "sim" / "scenarios"
    assert Path(facts["levers_base"]) == library / "baseline.toml"
    assert Path(facts["levers_by_name"]) == library / "sensitivity" / "levers.toml"


def test_the_installed_package_carries_the_exploration_space(installed):
    code = (
        "from sim.exploration import load_space; from sim.sensitivity import load_problem; "
        "s = load_space('beliefs'); print(s.path); print(load_problem(s.interactions).path)"
    )
    space, problem = installed.python("-c", code).stdout.split()[-2:]
    library = installed.site / "sim" / "scenarios"
    assert Path(space) == library / "exploration" / "beliefs.toml"
    assert Path(problem) == library / "sensitivity" / "remedies.toml"


def test_oasim_scenarios_lists_the_installed_library(installed):
    # The console script that pip wrote, as a user would type it.
    done = installed.run(str(installed.site / "bin" / "oasim"), "scenarios")
    names = {line for line in done.stdout.splitlines() if line and not line.startswith(" ")}
    assert "baseline" in names
    assert names == {p.stem for p in (ROOT / "scenarios").glob("*.toml")}


def test_oasim_run_baseline_from_the_installed_library(installed):
    out = installed.work / "baseline"
    argv = ("run", "baseline", "--preset", "classroom", "--steps", "3", "--seed", "1")
    installed.python("-m", "sim", *argv, "--out", str(out), "--quiet")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    # Outside the working folder, so the manifest keeps the installed file's absolute path.
    assert Path(manifest["scenario"]["path"]) == installed.site / "sim/scenarios/baseline.toml"


def test_oasim_sensitivity_runs_a_library_problem_by_name(installed):
    out = installed.work / "ishigami"
    argv = ("sensitivity", "ishigami", "--samples", "8", "--workers", "1", "--resamples", "10")
    installed.python("-m", "sim", *argv, "--out", str(out), "--quiet")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    problem = installed.site / "sim" / "scenarios" / "sensitivity" / "ishigami.toml"
    assert Path(manifest["problem"]["path"]) == problem


def test_a_problem_name_resolves_in_the_checkout_too():
    problem = load_problem("levers")
    assert Path(problem.path) == SCENARIO_DIR / "sensitivity" / "levers.toml"
    assert Path(problem.base.path) == SCENARIO_DIR / "baseline.toml"
    assert Path(sim.__file__).resolve().parent.parent / "scenarios" == SCENARIO_DIR
