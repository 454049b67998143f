"""``write_brief``: one self-contained HTML policy brief from a folder of oasim results.

The folder's ``manifest.json`` says which command wrote it (``compare``, ``sensitivity`` or
``explore``); :mod:`sim.brief.comparison`, :mod:`sim.brief.sweep` or
:mod:`sim.brief.exploration` turns its tables into sections of plain sentences, tables and
figures, and the jinja2 templates of ``sim/brief/templates`` lay them out. The
page is one file: figures are embedded as ``data:`` URIs, the style sheet is inline, there is
no script, no web font and no link that leaves the file (a Content-Security-Policy says so to
the browser too), so it can be mailed, archived or printed to A4 as it is.

Writing is atomic, and a brief only ever replaces a brief: an existing file at ``out`` that
does not carry the brief's ``<meta name="generator" content="oasim brief">`` is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jinja2

from ..i18n import LANGUAGES
from ..outputs import ENVIRONMENT, is_brief
from ..provenance import write_atomic
from . import text as tx
from .folder import BriefError, read_manifest

__all__ = ["GENERATOR_TAG", "BriefError", "is_brief", "render_brief", "write_brief"]

GENERATOR_TAG = "oasim brief"
_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment(folder: Path) -> dict[str, Any]:
    try:
        env = json.loads((folder / ENVIRONMENT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return env if isinstance(env, dict) else {}


# ---- provenance ------------------------------------------------------------------------------
def provenance(folder: Path, manifest: dict, lang: str) -> dict[str, Any]:
    """The footer: what computed these results, with which seeds, when."""
    env = _environment(folder)
    kind = manifest["command"]
    rows: list[tuple[str, str]] = [
        (tx.t("prov.version", lang), str(manifest.get("oasim_version", "?"))),
        (tx.t("prov.command", lang), f"oasim {kind}"),
        (tx.t("prov.folder", lang), folder.name),
    ]
    if kind == "sensitivity":
        rows.append((tx.t("prov.method", lang), str(manifest.get("method", "?"))))
        rows.append((tx.t("prov.samples", lang), str(manifest.get("samples", "?"))))
        problem = manifest.get("problem") or {}
        preset, steps = problem.get("preset"), problem.get("steps")
    else:
        preset, steps = manifest.get("preset"), manifest.get("steps")
    if kind == "compare":
        rows.append((tx.t("prov.replicates", lang), str(manifest.get("replicates", "?"))))
    if kind == "explore":
        rows.append((tx.t("prov.worlds", lang), str(manifest.get("scenarios", "?"))))
    if preset:
        rows.append((tx.t("prov.preset", lang), str(preset)))
    if steps:
        rows.append((tx.t("prov.steps", lang), str(steps)))
    if manifest.get("master_seed") is not None:
        rows.append((tx.t("prov.master_seed", lang), str(manifest["master_seed"])))
    computed = env.get("finished") or manifest.get("date") or manifest.get("created")
    rows.append(
        (tx.t("prov.computed", lang), str(computed) if computed else tx.t("not_recorded", lang))
    )
    rows.append((tx.t("prov.written", lang), dt.date.today().isoformat()))
    argv = env.get("argv")
    files = manifest.get("files") or {}
    return {
        "heading": tx.t("h.provenance", lang),
        "rows": rows,
        "argv": " ".join(["oasim", *map(str, argv[1:])]) if isinstance(argv, list) else "",
        "seeds_label": tx.t("prov.seeds", lang),
        "seeds": ", ".join(str(s) for s in manifest.get("seeds") or []),
        "files_label": tx.t("prov.files", lang),
        "files": [
            (name, str(digest).removeprefix("sha256:")[:16]) for name, digest in files.items()
        ],
    }


# ---- rendering -------------------------------------------------------------------------------
def _jinja() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise BriefError(f"language {lang!r}: allowed {', '.join(LANGUAGES)}")
    return lang


def render_brief(results_dir: str | Path, lang: str = "en") -> str:
    """The brief's HTML for a folder of results (nothing is written)."""
    from .comparison import compare
    from .exploration import explore
    from .sweep import sensitivity

    check_lang(lang)
    folder = Path(results_dir)
    manifest = read_manifest(folder)
    kind = manifest["command"]
    brief = {"compare": compare, "sensitivity": sensitivity}.get(kind, explore)(
        folder, manifest, lang
    )
    context = {
        "lang": lang,
        "html_lang": "zh-Hans" if lang == "zh" else "en",
        "generator": GENERATOR_TAG,
        "brief_label": tx.t("brief", lang),
        "kind_label": tx.t(f"kind.{kind}", lang),
        "subtitle": tx.t("subtitle", lang),
        "t_question": tx.t("h.question", lang),
        "question_original_label": "",
        "provenance": provenance(folder, manifest, lang),
        **brief,
    }
    return _jinja().get_template("brief.html.j2").render(**context)


# ---- writing ---------------------------------------------------------------------------------
def check_out(out: Path) -> None:
    """Refuse a target a brief must not replace: a folder, or a file that is not a brief."""
    if out.is_dir():
        raise BriefError(f"{out}: is a folder; give the name of the HTML file to write")
    if out.exists() and not is_brief(out):
        raise BriefError(
            f"{out}: exists and was not written by oasim brief; refusing to replace it: "
            "remove it or give another output file"
        )


def write_brief(results_dir: str | Path, lang: str = "en", out: str | Path | None = None) -> Path:
    """Write the policy brief of a folder of results; return its path.

    ``lang`` is ``"en"`` or ``"zh"``; ``out`` defaults to ``results_dir/brief-<lang>.html``.
    Raises :class:`BriefError` for a missing folder, a folder without an oasim manifest, a
    command that has no brief, an unknown language, or an ``out`` that exists and is not a
    brief. The file appears complete or not at all.
    """
    check_lang(lang)
    folder = Path(results_dir)
    read_manifest(folder)  # the folder's errors before the target's
    target = Path(out) if out is not None else folder / f"brief-{lang}.html"
    check_out(target)
    html = render_brief(folder, lang)
    return write_atomic(target, lambda tmp: tmp.write_text(html, encoding="utf-8"))
