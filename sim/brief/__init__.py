"""Policy briefs: one self-contained HTML page (English or Chinese) from a folder of results.

::

    from sim.brief import write_brief
    path = write_brief("results/demo/compare", lang="zh")   # results/demo/compare/brief-zh.html

A brief reads the folder written by ``oasim compare``, ``oasim sensitivity`` or
``oasim explore`` (its ``manifest.json`` says which) and says, in plain words for a policy
reader, what was asked, which policies were compared, what they do with intervals, where they
fail, what they cost, which assumptions matter and what the model leaves out, with the
provenance of the results at the foot of the page.
"""

from __future__ import annotations

from .build import BriefError, render_brief, write_brief

__all__ = ["BriefError", "render_brief", "write_brief"]
