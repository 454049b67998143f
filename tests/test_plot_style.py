"""sim.plots draws its figures in its house style without restyling the program that imports it."""

from __future__ import annotations

import json
import subprocess
import sys

import matplotlib as mpl
import pytest
from PIL import Image

import sim
from sim import plots

# Run in a fresh interpreter: in this one sim.plots is imported already.
IMPORT_ONLY = """
import json
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot
before = dict(matplotlib.rcParams)
import sim.plots
after = dict(matplotlib.rcParams)
print(json.dumps(sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))))
"""


def test_importing_sim_plots_leaves_matplotlib_rc_params_alone(root):
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ONLY],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []


@pytest.fixture(scope="module")
def timeseries():
    return sim.simulate(seed=1, steps=4, preset="classroom").timeseries


def test_figures_get_the_house_style_whatever_the_global_settings(timeseries, tmp_path):
    # A program with its own global settings keeps them, and the figure keeps the house style.
    theirs = {
        "figure.dpi": 50,
        "savefig.dpi": 72,
        "axes.grid": False,
        "axes.spines.top": True,
        "axes.titleweight": "normal",
        "legend.frameon": True,
    }
    with mpl.rc_context(theirs):
        before = dict(mpl.rcParams)
        fig = plots.overview_figure(timeseries, lang="en")
        assert dict(mpl.rcParams) == before
        plots.save(fig, tmp_path / "overview.png")
        assert dict(mpl.rcParams) == before
    ax = fig.axes[0]
    assert fig.dpi == plots.STYLE["figure.dpi"]
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert ax.title.get_fontweight() == "bold"
    assert ax.title.get_fontsize() == plots.STYLE["axes.titlesize"]
    assert all(line.get_visible() for line in ax.yaxis.get_gridlines())
    assert not ax.get_legend().get_frame_on()
    with Image.open(tmp_path / "overview.png") as png:
        assert png.info["dpi"] == pytest.approx((plots.STYLE["savefig.dpi"],) * 2, abs=0.5)
