"""Policy briefs (sim.brief): one self-contained HTML file from a folder of compare, sensitivity
or explore results, in English and Chinese.

The committed demo folders are copied to a temporary folder first (a brief is written into the
results folder by default, and the repository's results/ must stay as committed); the explore
folder is synthetic, built here to the layout ``oasim explore`` writes. The last tests open the
briefs in Debian's headless Chromium (skipped without it), with every request that would leave
the file refused and counted.
"""

from __future__ import annotations

import hashlib
import html as htmlmod
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS

from sim.brief import BriefError, write_brief
from sim.brief.text import param_label
from sim.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "results" / "demo"
GENERATOR_META = '<meta name="generator" content="oasim brief">'


# ---- helpers ---------------------------------------------------------------------------------
def copy_demo(name: str, tmp_path: Path) -> Path:
    src = DEMO / name
    if not (src / "manifest.json").is_file():
        pytest.skip(f"{src} is not in this checkout")
    dest = tmp_path / name
    shutil.copytree(src, dest)
    return dest


def text_of(page: str) -> str:
    """The visible text of a brief: tags dropped, entities decoded, spaces collapsed."""
    page = re.sub(r"<(style|head)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", htmlmod.unescape(re.sub(r"<[^>]+>", " ", page)))


def section_text(page: str, section_id: str) -> str:
    m = re.search(rf'<section id="{section_id}">(.*?)</section>', page, flags=re.S)
    assert m, f"no section {section_id!r}"
    return text_of(m.group(1))


def assert_self_contained(page: str, images: int | None = None) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert GENERATOR_META in page
    refs = re.findall(r"""\b(?:src|href|action|poster)\s*=\s*["']?\s*([^"'\s>]*)""", page)
    assert not [r for r in refs if re.match(r"(?i)(https?:|//|ftp:|file:)", r)]
    assert not [r for r in refs if not r.startswith("data:")]  # no relative file either
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "@import" not in page and "@font-face" not in page and "url(" not in page
    srcs = re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", page)
    assert all(s.startswith("data:image/png;base64,") for s in srcs)
    if images is not None:
        assert len(srcs) == images


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tiny_png(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=50)
    ax.plot([0, 1, 2], [0, 1, 0.5])
    fig.savefig(path)
    plt.close(fig)


UNCERTAINTIES = {
    "anxiety.from_superior": {"low": 0.2, "high": 0.5},
    "cascade.escalation": {"low": 0.3, "high": 0.9},
    "burnout.gain": {"low": 0.05, "high": 0.1},
}
CRITERIA = {"burnout": "lower", "service_quality": "not_lower"}
GOALS = {
    "township_hours": "minimize",
    "service_quality": "maximize",
    "burnout": "minimize",
    "lever_cost": "info",
}
OUTCOMES = ["township_hours", "hours_pure_formalism", "service_quality", "burnout", "lever_cost"]


def make_explore(folder: Path, worlds: int = 40) -> Path:
    """A small folder as ``oasim explore`` writes it: baseline (the status quo), a library
    remedy and a policy of the user's own, in ``worlds`` states of the world."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(7)
    policies = [
        {"name": "baseline", "path": "scenarios/baseline.toml", "overrides": {}},
        {
            "name": "quota_cut_with_oversight",
            "path": "scenarios/quota_cut_with_oversight.toml",
            "overrides": {"quota.meetings_cut": 0.4, "oversight.strength": 1.0},
        },
        {
            "name": "my_package",
            "path": "policies/my_package.toml",
            "description": "A county's own package: fewer indicators and a data bureau.",
            "overrides": {"indicators.count": 40, "data_bureau.merge": 1.0},
        },
    ]
    from sim.scenario import SCENARIO_DIR, load_scenario

    for p in policies[:2]:
        p["description"] = load_scenario(SCENARIO_DIR / f"{p['name']}.toml").description
    names = [p["name"] for p in policies]
    world = np.repeat(np.arange(worlds), len(names))
    policy = np.tile(names, worlds)
    draws = {k: rng.uniform(v["low"], v["high"], worlds) for k, v in UNCERTAINTIES.items()}
    experiments = pd.DataFrame({"world": world, "policy": policy})
    for k, v in draws.items():
        experiments[k] = v[world]
    experiments.to_parquet(folder / "experiments.parquet")
    a = draws["anxiety.from_superior"][world]
    effect = {"baseline": 0.0, "quota_cut_with_oversight": 1.0, "my_package": 0.5}
    e = np.array([effect[n] for n in policy])
    outcomes = pd.DataFrame(
        {
            "world": world,
            "policy": policy,
            "township_hours": 60 - 8 * e + 20 * a + rng.normal(0, 0.5, world.size),
            "hours_pure_formalism": 15 - 6 * e + rng.normal(0, 0.3, world.size),
            "service_quality": 0.7 + 0.1 * e - 0.1 * a + rng.normal(0, 0.01, world.size),
            "burnout": 0.6 - 0.2 * e * (a < 0.41) + rng.normal(0, 0.01, world.size),
            "lever_cost": 4.0 * e + rng.normal(0, 0.1, world.size).clip(0),
        }
    )
    outcomes.to_parquet(folder / "outcomes.parquet")
    wide = outcomes.set_index(["world", "policy"])
    rows, sat = [], []
    for n in names:
        own = wide.xs(n, level="policy")
        ref = wide.xs("baseline", level="policy")
        meets = {
            "burnout": own.burnout < ref.burnout,
            "service_quality": own.service_quality >= ref.service_quality,
        }
        if n != "baseline":  # the status quo is not judged against itself
            sat.append(
                {
                    "policy": n,
                    "satisficing_share": float(np.logical_and(*meets.values()).mean()),
                    **{f"meets_{o}": float(m.mean()) for o, m in meets.items()},
                }
            )
        for o in OUTCOMES:
            table = wide[o].unstack("policy")
            best = table.min(axis=1) if GOALS.get(o) != "maximize" else table.max(axis=1)
            regret = (table[n] - best).abs()
            rows.append(
                {
                    "policy": n,
                    "outcome": o,
                    "max_regret": regret.max(),
                    "p90_regret": regret.quantile(0.9),
                    "mean": own[o].mean(),
                    "mean_effect": (own[o] - ref[o]).mean(),
                }
            )
    pd.DataFrame(rows).to_csv(folder / "robustness.csv", index=False)
    pd.DataFrame(sat).to_csv(folder / "satisficing.csv", index=False)
    box = [
        ("anxiety.from_superior", 0.41, 0.5),
        ("cascade.escalation", 0.3, 0.9),  # the full range: not a restriction
    ]
    full = {k: (v["low"], v["high"]) for k, v in UNCERTAINTIES.items()}
    pd.DataFrame(
        [
            {
                "policy": "quota_cut_with_oversight",
                "box": 0,
                "parameter": k,
                "low": lo,
                "high": hi,
                "range_low": full[k][0],
                "range_high": full[k][1],
                "kept": None,
                "coverage": 0.78,
                "density": 0.85,
                "mass": 0.31,
                "failures": 14,
                "worlds": worlds,
            }
            for k, lo, hi in box
        ]
    ).to_csv(folder / "prim_boxes.csv", index=False)
    scores = pd.DataFrame(  # the choice of policy is scored as a feature too
        {
            "uncertainty": [*UNCERTAINTIES, "policy"],
            "township_hours": [0.5, 0.2, 0.1, 0.2],
            "service_quality": [0.5, 0.3, 0.2, 0.0],
            "burnout": [0.6, 0.1, 0.3, 0.0],
        }
    )
    scores.to_csv(folder / "feature_scores.csv", index=False)
    pd.DataFrame(
        {
            "outcome": ["township_hours", "burnout"],
            "pair": ["quota cuts x oversight", "data bureau x indicator cap"],
            "S2": [0.12, 0.001],
            "S2_conf": [0.03, 0.01],
        }
    ).to_csv(folder / "interactions.csv", index=False)
    for png in ("robustness.png", "feature_scores.png", "interactions.png"):
        tiny_png(folder / png)
    tiny_png(folder / "prim_quota_cut_with_oversight.png")
    files = sorted(p.name for p in folder.iterdir())
    manifest = {
        "generator": "oasim",
        "command": "explore",
        "oasim_version": "0.1.0",
        "policies": policies,
        "reference": "baseline",
        "scenarios": worlds,
        "seeds": [11, 12],
        "preset": "classroom",
        "steps": 104,
        "uncertainties": UNCERTAINTIES,
        "criteria": CRITERIA,
        "criteria_tolerance": {"burnout": 0.0, "service_quality": 0.005},
        "goals": GOALS,
        "space": {"name": "beliefs", "description": "Which package holds up?\nAcross beliefs."},
        "files": {f: "sha256:" + sha(folder / f) for f in files},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


# ---- compare ---------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_brief(tmp_path, lang):
    folder = copy_demo("compare", tmp_path)
    manifest_before = sha(folder / "manifest.json")
    path = write_brief(folder, lang=lang)
    assert path == folder / f"brief-{lang}.html"
    page = path.read_text(encoding="utf-8")
    assert_self_contained(page, images=2)  # forest.png and timeseries.png
    text = text_of(page)
    # The policies by their library titles, in the brief's language.
    titles = {
        "en": ("Baseline: the status quo", "The combination punch at full strength"),
        "zh": ("基线：现状", "满格力度的组合拳（上限）"),
    }[lang]
    for title in titles:
        assert title in text
    # The headline numbers of comparison.csv, in words.
    comp = pd.read_csv(folder / "comparison.csv").set_index(["scenario", "outcome"])
    hours = comp.loc[("combination_punch", "township_hours")]
    assert hours["diff"] < 0 and hours.excludes_zero
    cut, lo, hi = -hours["diff"], -hours.diff_ci_high, -hours.diff_ci_low
    unit = {"en": "h/week", "zh": "小时/周"}[lang]
    assert f"{cut:.1f} {unit}" in text
    assert f"{lo:.1f}" in text and f"{hi:.1f}" in text
    if lang == "en":
        assert f"Cuts township officials' working hours by {cut:.1f} h/week" in text
        assert f"95% interval {lo:.1f} to {hi:.1f}" in text
    else:
        assert f"乡镇干部周工时减少 {cut:.1f} 小时/周" in text
        assert f"95% 区间：{lo:.1f} 至 {hi:.1f}" in text
    burnout = comp.loc[("combination_punch", "burnout")]
    assert f"{-100 * burnout['diff']:.1f}" in text  # percentage points
    cost = comp.loc[("combination_punch", "lever_cost")]
    assert f"{cost['mean']:.1f}" in section_text(page, "costs")
    # A side effect the package has in the demo: more reported results not backed by work.
    gaming = comp.loc[("combination_punch", "gaming_share")]
    assert f"{100 * gaming['diff']:.1f}" in section_text(page, "failures")
    # Headings in the brief's language only.
    if lang == "zh":
        assert "政策简报" in text and "主要发现" in text and "注意事项" in text
        assert '<html lang="zh-Hans">' in page
    else:
        assert "政策简报" not in text and "主要发现" not in text
        assert "Policy brief" in text and "Caveats" in text
    # Provenance: version, command, seeds.
    prov = text_of(page.split('id="provenance"', 1)[1])
    assert "0.1.0" in prov and "oasim compare" in prov
    assert str(json.loads((folder / "manifest.json").read_text())["seeds"][0]) in prov
    # The results folder is left as it was, apart from the brief.
    assert sha(folder / "manifest.json") == manifest_before
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


# ---- sensitivity -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "key"),
    [("sensitivity-levers-sobol", "ST"), ("sensitivity-levers-morris", "mu_star")],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sensitivity_brief(tmp_path, name, key, lang):
    folder = copy_demo(name, tmp_path)
    page = write_brief(str(folder), lang=lang).read_text(encoding="utf-8")
    method = "sobol" if key == "ST" else "morris"
    assert_self_contained(page, images=1)
    text = text_of(page)
    idx = pd.read_csv(folder / "indices.csv")
    top = (
        idx[(idx.outcome == "township_hours") & (idx["index"] == key)]
        .sort_values("value", ascending=False)
        .iloc[0]
    )
    label = param_label(top.parameter, lang)
    headline = section_text(page, "headline")
    assert label[1:] in headline  # (its first letter is lower case inside a sentence)
    if method == "sobol":
        assert f"{100 * top.value:.0f}%" in headline
    # Every factor varied is listed with its range, by its label.
    varied = section_text(page, "varied")
    assert param_label("quota.inspections_cut", lang) in varied
    assert "0 – 0.7" in varied
    assert ("政策简报" in text) == (lang == "zh")
    assert "oasim sensitivity" in text_of(page.split('id="provenance"', 1)[1])


# ---- explore ---------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explore_brief(tmp_path, lang):
    folder = make_explore(tmp_path / "explore")
    page = write_brief(folder, lang=lang).read_text(encoding="utf-8")
    assert_self_contained(page, images=4)  # robustness, prim, feature scores, interactions
    text = text_of(page)
    sat = pd.read_csv(folder / "satisficing.csv").set_index("policy")
    share = sat.loc["quota_cut_with_oversight", "satisficing_share"]
    headline = section_text(page, "headline")
    assert f"{100 * share:.0f}%" in headline
    # The policies: a library remedy by its title, the user's own by its name and description.
    title = {"en": "Quota cuts with an oversight body", "zh": "限量减负并设专门监督机构"}[lang]
    assert title in text
    assert "My package" in text and "A county's own package" in text
    # Where it fails: the PRIM box in words; the full-range dimension is not a condition.
    failures = section_text(page, "failures")
    anxiety = param_label("anxiety.from_superior", lang)
    escalation = param_label("cascade.escalation", lang)
    if lang == "en":
        assert "it fails to reduce the share of officials burnt out" in failures
        assert f"{anxiety} is above 0.41" in failures
        assert "holds 78% of the failures, and 85% of the worlds in it fail" in failures
    else:
        assert "未能降低干部倦怠比例" in failures
        assert f"{anxiety}高于 0.41" in failures
        assert "78%" in failures and "85%" in failures
    assert escalation not in failures
    # The user's policy has no box: said so, without inventing one.
    assert {"en": "No simple region", "zh": "无法用简单的假设区间"}[lang] in failures
    # Regret ranking, costs, feature scores and interactions.
    assert {"en": "worst-case regret", "zh": "最坏情况遗憾值"}[lang] in headline
    costs = section_text(page, "costs")
    outcomes = pd.read_parquet(folder / "outcomes.parquet")
    mean_cost = outcomes[outcomes.policy == "quota_cut_with_oversight"].lever_cost.mean()
    assert f"{mean_cost:.1f}" in costs
    assumptions = section_text(page, "assumptions")
    assert anxiety[1:] in assumptions and "50%" in assumptions
    assert {"en": "besides the choice of policy (20%)", "zh": "除所选政策（20%）外"}[lang] in (
        assumptions
    )
    varied = section_text(page, "varied")
    assert {"en": "up to 0.5 percentage points", "zh": "不超过 0.5 个百分点"}[lang] in varied
    interactions = section_text(page, "interactions")
    assert "12%" in interactions
    assert {"en": "data bureau", "zh": "数据局"}[lang] not in interactions  # S2 ≈ 0: not said
    assert ("政策简报" in text) == (lang == "zh")


def test_explore_brief_tolerates_missing_optional_files(tmp_path):
    folder = make_explore(tmp_path / "explore")
    for name in (
        "interactions.csv",
        "interactions.png",
        "prim_boxes.csv",
        "prim_quota_cut_with_oversight.png",
        "feature_scores.csv",
        "feature_scores.png",
        "outcomes.parquet",
        "experiments.parquet",
    ):
        (folder / name).unlink()
    page = write_brief(folder).read_text(encoding="utf-8")
    assert_self_contained(page, images=1)
    assert 'id="interactions"' not in page
    assert "No simple region" in section_text(page, "failures")


def test_explore_brief_with_empty_prim_table(tmp_path):
    folder = make_explore(tmp_path / "explore")
    (folder / "prim_boxes.csv").write_text(
        "policy,box,parameter,low,high,coverage,density,mass,failures,worlds\n"
    )
    page = write_brief(folder, lang="zh").read_text(encoding="utf-8")
    assert "无法用简单的假设区间" in section_text(page, "failures")


# ---- bad input and safety --------------------------------------------------------------------
def test_brief_error_is_an_input_error():
    assert issubclass(BriefError, InputError)


def test_missing_folder(tmp_path):
    with pytest.raises(BriefError, match=r"nowhere.*no such folder"):
        write_brief(tmp_path / "nowhere")


def test_folder_without_manifest(tmp_path):
    (tmp_path / "runs.csv").write_text("a\n1\n")
    with pytest.raises(BriefError, match=rf"{re.escape(str(tmp_path))}.*manifest\.json"):
        write_brief(tmp_path)
    assert not (tmp_path / "brief-en.html").exists()


def test_folder_not_written_by_oasim(tmp_path):
    (tmp_path / "manifest.json").write_text('{"command": "compare"}')
    with pytest.raises(BriefError, match="not written by oasim"):
        write_brief(tmp_path)


def test_unknown_command(tmp_path):
    (tmp_path / "manifest.json").write_text('{"generator": "oasim", "command": "run"}')
    with pytest.raises(BriefError, match=r"'run'.*compare, sensitivity, explore"):
        write_brief(tmp_path)


def test_unknown_language(tmp_path):
    folder = make_explore(tmp_path / "explore", worlds=8)
    with pytest.raises(BriefError, match=r"'fr'.*en, zh"):
        write_brief(folder, lang="fr")
    assert not list(folder.glob("brief-*"))


def test_incomplete_folder_names_the_missing_file(tmp_path):
    folder = make_explore(tmp_path / "explore", worlds=8)
    (folder / "satisficing.csv").unlink()
    with pytest.raises(BriefError, match=r"satisficing\.csv: missing"):
        write_brief(folder)
    assert not (folder / "brief-en.html").exists()


def test_refuses_to_replace_a_file_it_did_not_write(tmp_path):
    folder = make_explore(tmp_path / "explore", worlds=8)
    mine = folder / "brief-en.html"
    mine.write_text("<html>my own notes</html>")
    with pytest.raises(BriefError, match=r"brief-en\.html.*not written by oasim brief"):
        write_brief(folder)
    assert mine.read_text() == "<html>my own notes</html>"
    # Nor an oasim result file, nor a folder.
    before = sha(folder / "satisficing.csv")
    with pytest.raises(BriefError, match="not written by oasim brief"):
        write_brief(folder, out=folder / "satisficing.csv")
    assert sha(folder / "satisficing.csv") == before
    with pytest.raises(BriefError, match="is a folder"):
        write_brief(folder, out=tmp_path)


def test_replaces_its_own_brief_atomically(tmp_path):
    folder = make_explore(tmp_path / "explore", worlds=8)
    first = write_brief(folder, lang="zh")
    first.write_text(first.read_text(encoding="utf-8") + "<!-- stale -->", encoding="utf-8")
    again = write_brief(folder, lang="zh")
    assert again == first and "stale" not in again.read_text(encoding="utf-8")
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporaries left
    other = write_brief(folder, lang="en", out=tmp_path / "briefs" / "explore.html")
    assert other == tmp_path / "briefs" / "explore.html" and other.is_file()


# ---- in a browser ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("briefs")
    compare = copy_demo("compare", tmp)
    explore = make_explore(tmp / "explore", worlds=16)
    return {
        (kind, lang): write_brief(folder, lang=lang)
        for kind, folder in (("compare", compare), ("explore", explore))
        for lang in ("en", "zh")
    }


@pytest.mark.parametrize("kind", ["compare", "explore"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_brief_in_chromium_offline_and_printable(browser, briefs, kind, lang):
    path = briefs[kind, lang]
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    leaving: list[str] = []

    def local_only(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            leaving.append(url)
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    try:
        page.goto(path.as_uri(), wait_until="load")
        brief = {"en": "Policy brief", "zh": "政策简报"}[lang]
        assert page.title().startswith(brief)
        heading = page.locator("h1")
        assert heading.count() == 1 and heading.is_visible()
        assert heading.inner_text().strip() and heading.inner_text() in page.title()
        widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
        assert widths and all(w > 0 for w in widths)
        page.emulate_media(media="print")
        breaks = page.eval_on_selector_all(
            "figure, table", "els => els.map(e => getComputedStyle(e).breakInside)"
        )
        assert breaks and set(breaks) == {"avoid"}
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF")
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert pages >= 1
    finally:
        context.close()
    assert leaving == []
