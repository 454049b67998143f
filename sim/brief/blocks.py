"""The blocks a brief's sections are made of, and the sentences every kind of brief shares.

A section is a heading and a list of blocks (a paragraph, a list, a sub-heading, a table, a
figure or a policy card) that the templates lay out; each kind of results folder has its
builder (:mod:`sim.brief.comparison`, :mod:`sim.brief.sweep`, :mod:`sim.brief.exploration`).
The sentences are built from :mod:`sim.brief.text`, with the numbers of the tables in them.
"""

from __future__ import annotations

import functools
import io
import math
import re
import warnings
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import plots
from ..params import CATALOGUE
from ..scenario import SCENARIO_DIR, load_scenario
from . import text as tx
from .folder import embed, figure

__all__ = [
    "TOP",
    "caveats",
    "factor_label",
    "fig",
    "h3",
    "joined",
    "note",
    "num",
    "p",
    "policy_card",
    "policy_title",
    "quantity",
    "range_text",
    "section",
    "sentence",
    "strong",
    "table",
    "table_label",
    "ul",
]

TOP = 3  # drivers named per outcome
_REMEDY_NOTE = re.compile(r"\s*[（(](?:remedy|对策)[)）]\s*$")


# ---- small helpers ---------------------------------------------------------------------------
def sentence(text: Any) -> Any:
    """A list item or paragraph starts with a capital (also after a leading <strong>)."""
    if isinstance(text, Markup):
        m = re.match(r"^((?:<strong>)?)(.)", str(text), flags=re.S)
        if m and m.group(2).islower():
            i = m.end(1)
            return Markup(str(text)[:i] + str(text)[i].upper() + str(text)[i + 1 :])
        return text
    return tx.cap(text) if isinstance(text, str) else text


def p(text: Any) -> dict:
    return {"type": "p", "text": sentence(text)}


def note(text: Any) -> dict:
    return {"type": "note", "text": text}


def h3(text: Any) -> dict:
    return {"type": "h3", "text": text}


def ul(items: list) -> dict:
    return {"type": "ul", "items": [sentence(i) for i in items]}


def table(headers: list, rows: list, caption: Any = "", numeric: tuple = ()) -> dict:
    return {
        "type": "table",
        "headers": headers,
        "rows": rows,
        "caption": caption,
        "numeric": set(numeric),
    }


def fig(folder: Path, name: str, caption: str, lang: str, redraw=None) -> dict | None:
    """A figure of the folder; ``redraw(folder, name, lang)`` may draw it again in the
    brief's language from the folder's tables (else the folder's own PNG is used)."""
    drawn = redraw(folder, name, lang) if redraw is not None else None
    if drawn is not None:
        buffer = io.BytesIO()
        plots.save(drawn, buffer)
        f = embed(buffer.getvalue(), name, caption)
    else:
        f = figure(folder, name, caption)
        if f is not None and lang == "zh":
            f["caption"] = (caption + " " + tx.t("figure_lang_note", lang)).strip()
    return None if f is None else {"type": "figure", **f}


def section(key: str, heading: str, blocks: list) -> dict:
    return {"id": key, "heading": heading, "blocks": [b for b in blocks if b is not None]}


def joined(items: list[str], lang: str) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    if lang == "zh":
        return "、".join(items[:-1]) + "和" + items[-1]
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + ", and " + items[-1]


def strong(text: Any) -> Markup:
    return Markup("<strong>{}</strong>").format(text)


def num(value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return math.nan
    return x


# ---- policies --------------------------------------------------------------------------------
@functools.cache
def _library(name: str):
    path = SCENARIO_DIR / f"{name}.toml"
    if not path.is_file():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_scenario(path)
    except Exception:  # a library file that does not load names nothing
        return None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def policy_title(entry: dict, lang: str) -> str:
    """A policy's title: the library's (in ``lang``) when the entry is that library scenario."""
    name = str(entry.get("name") or "?")
    lib = _library(name)
    if lib is not None and _norm(lib.description) == _norm(entry.get("description", "")):
        title = (lib.title_zh if lang == "zh" else "") or lib.title
        if title:
            return _REMEDY_NOTE.sub("", title)
    words = name.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def policy_card(entry: dict, lang: str, reference: bool = False) -> dict:
    name = str(entry.get("name") or "?")
    description = entry.get("description") or ""
    lib = _library(name)
    if lang == "zh" and lib is not None and _norm(lib.description) == _norm(description):
        description = lib.description_zh or description
    overrides = entry.get("overrides") or {}
    settings = [
        (tx.cap(tx.param_label(k, lang)), tx.param_value(k, v, lang)) for k, v in overrides.items()
    ]
    return {
        "type": "policy",
        "title": policy_title(entry, lang),
        "name": name,
        "file_label": tx.t("scenario_file", lang),
        "note": tx.t("reference_note", lang) if reference else "",
        "description": tx.paragraphs(description),
        "settings_label": tx.t("settings", lang),
        "settings": settings,
        "settings_none": tx.t("settings_none", lang),
    }


def caveats(lang: str, *extra: Any) -> dict:
    items = [
        tx.t("caveat.model", lang),
        *[e for e in extra if e],
        tx.t("caveat.levers", lang),
        tx.t("caveat.leaves_out", lang),
    ]
    return section("caveats", tx.t("h.caveats", lang), [ul(items)])


def quantity(outcome: str, x: float, lang: str, dec: int | None = None) -> str:
    unit = tx.outcome_unit(outcome, lang)
    return f"{tx.fmt(x, dec)} {unit}".strip()


# ---- labels shared by the kinds of brief ------------------------------------------------
def factor_label(name: str, lang: str) -> str:
    """A parameter or group, as it reads inside a sentence."""
    label = tx.param_label(name, lang) if name in CATALOGUE else tx.group_label(name, lang)
    return tx.lower_first(label) if lang == "en" else label


def range_text(name: str, spec: dict, lang: str) -> str:
    """A factor's range as a reader sees it: its choices, or its bounds (from the posterior,
    where a calibration drew them)."""
    if spec.get("choices"):
        return " / ".join(tx.param_value(name, c, lang) for c in spec["choices"])
    bounds = spec.get("bounds") or [spec.get("low"), spec.get("high")]
    if len(bounds) == 2 and all(isinstance(b, int | float) for b in bounds):
        text = tx.fmt_range(*bounds)
        if spec.get("from") == "posterior":
            text += tx.t("from_posterior", lang)
        return text
    return "–"


def table_label(o: str, lang: str) -> str:
    """An outcome as a table's column or row names it, with its unit."""
    label = tx.cap(tx.outcome_label(o, lang, plain=False))
    unit = "%" if tx.is_share(o) else tx.outcome_unit(o, lang)
    if not unit:
        return label
    return f"{label}（{unit}）" if lang == "zh" else f"{label} ({unit})"
