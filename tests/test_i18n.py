"""English and Chinese: every text has both, Chinese figures use a CJK font, and without one
the figures fall back to English."""

from __future__ import annotations

import re
import warnings

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

import sim
from sim import i18n, plots
from sim.cli import main
from sim.outcomes import OUTCOMES

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def timeseries():
    return sim.simulate(seed=2, steps=8, preset="classroom").timeseries


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_every_text_and_outcome_has_english_and_chinese():
    for key, entry in i18n.TEXT.items():
        assert entry.get("en") and entry.get("zh"), key
    for outcome in OUTCOMES:
        entry = i18n.OUTCOME_TEXT[outcome.name]
        assert entry["en"] and HAN.search(entry["zh"]), outcome.name


def test_outcome_labels_carry_translated_units():
    assert i18n.outcome_label("township_hours", "en") == "township hours (h/week)"
    assert i18n.outcome_label("township_hours", "zh") == "乡镇干部周工时（小时/周）"
    assert i18n.outcome_label("burnout_final", "en").endswith("(final week) (0-1)")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="allowed en, zh"):
        i18n.resolve_language("fr")


@pytest.mark.skipif(i18n.cjk_font() is None, reason="no CJK font installed")
def test_chinese_figures_use_the_cjk_font_on_every_text(timeseries):
    fig = plots.overview_figure(timeseries, title="基线", lang="zh")
    texts = list(fig.findobj(Text))
    assert any(HAN.search(t.get_text()) for t in texts)
    assert "各层级组织焦虑" in _texts(fig)
    assert all(t.get_fontfamily()[0] == i18n.cjk_font() for t in texts)
    plt.close(fig)


def test_english_figures_have_no_chinese_labels(timeseries):
    fig = plots.overview_figure(timeseries, lang="en")
    assert "Anxiety by level" in _texts(fig)
    assert not any(HAN.search(t) for t in _texts(fig))
    plt.close(fig)


def test_without_a_cjk_font_chinese_falls_back_to_english_with_one_warning(monkeypatch, timeseries):
    monkeypatch.setattr(i18n, "cjk_font", lambda: None)
    i18n._warn_no_font.cache_clear()
    with pytest.warns(UserWarning, match="No Chinese"):
        fig = plots.overview_figure(timeseries, lang="zh")
    assert "Anxiety by level" in _texts(fig)
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once only
        assert i18n.resolve_language("zh") == "en"
    i18n._warn_no_font.cache_clear()


@pytest.mark.skipif(i18n.cjk_font() is None, reason="no CJK font installed")
def test_run_draws_its_figure_in_chinese(tmp_path):
    out = tmp_path / "zh"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        code = main(
            [
                "run",
                "scenarios/baseline.toml",
                "--preset",
                "classroom",
                "--steps",
                "6",
                "--out",
                str(out),
                "--quiet",
                "--lang",
                "zh",
            ]
        )
    assert code == 0
    assert (out / "overview.png").stat().st_size > 10_000


def test_an_unknown_language_on_the_command_line_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", "scenarios/baseline.toml", "--lang", "fr", "--out", str(tmp_path / "x")])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
