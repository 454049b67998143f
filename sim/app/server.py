"""Start the Solara server for ``oasim app``, offline.

Solara's page loads its JavaScript, CSS and fonts through the server's asset proxy
(``/_solara/cdn/<package>@<version>/<file>``), which serves them from
``SOLARA_ASSETS_PROXY_CACHE_DIR`` and fetches from a public CDN only what is missing there.
``tools/fetch-solara-assets`` (``make assets``) fills ``.solara-assets/`` in the repository from
the npm registry; :func:`serve` points Solara at it, so the page needs no CDN.

Solara reads its settings from the environment when it is first imported, so this module
imports Solara only inside :func:`serve`, after setting the environment.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

__all__ = ["ASSETS_DIR", "LANG_ENV", "assets_problem", "serve"]

LANG_ENV = "OASIM_APP_LANG"  # the page's initial language, read by sim.app.page
ASSETS_DIR = Path(__file__).resolve().parents[2] / ".solara-assets"
# Written by tools/fetch-solara-assets once every package is unpacked: "solara <version>".
ASSETS_STAMP = ".complete"


def assets_problem(folder: Path, solara_version: str) -> str | None:
    """Why ``folder`` cannot serve the page offline, or None if it can."""
    stamp = folder / ASSETS_STAMP
    if not stamp.is_file():
        return f"the offline page assets are missing from {folder}"
    filled_for = stamp.read_text(encoding="utf-8").strip()
    if filled_for != f"solara {solara_version}":
        return f"{folder} was filled for {filled_for}, but solara {solara_version} is installed"
    return None


def serve(port: int = 8765, lang: str = "en", host: str = "127.0.0.1") -> None:
    """Serve the classroom page at http://host:port until Ctrl-C (SIGINT), and return once
    the server has shut down cleanly."""
    os.environ.setdefault("SOLARA_ASSETS_PROXY_CACHE_DIR", str(ASSETS_DIR))
    # No usage statistics sent from a classroom, and no attempt to reach the internet for them.
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")
    os.environ[LANG_ENV] = lang

    from importlib.metadata import version

    import click
    from solara.__main__ import run

    folder = Path(os.environ["SOLARA_ASSETS_PROXY_CACHE_DIR"])
    problem = assets_problem(folder, version("solara"))
    if problem:
        print(
            f"oasim app: {problem}; run `make assets` (or tools/fetch-solara-assets) once. "
            "Until then the page needs internet access to cdn.jsdelivr.net.",
            file=sys.stderr,
        )
    args = [
        "sim.app.page",
        *("--host", host, "--port", str(port)),
        "--production",  # no auto-restart on file changes, minified JavaScript
        "--no-open",
        "--no-check-version",  # would ask pypi.org at every start
    ]
    # Uvicorn shuts down cleanly on Ctrl-C, then raises it again; click turns it into Abort.
    with contextlib.suppress(KeyboardInterrupt, click.exceptions.Abort):
        run.main(args=args, prog_name="solara run", standalone_mode=False)
