"""Start the Solara server for ``oasim app``, offline.

Solara's page loads its JavaScript, CSS and fonts through the server's asset proxy
(``/_solara/cdn/<package>@<version>/<file>``), which serves them from its cache folder and
fetches from a public CDN only what is missing there. The ``solara-assets`` package (in the
``app`` extra, at solara's own version) installs every file the page needs into
``<environment>/share/solara/cdn``, which is that cache folder by default; so the page needs no
CDN as long as nothing points ``SOLARA_ASSETS_PROXY_CACHE_DIR`` elsewhere.

Solara reads its settings from the environment when it is first imported, so this module
imports Solara only inside :func:`serve`, after setting the environment.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import sys
import warnings
from pathlib import Path

from ..errors import InputError

__all__ = [
    "CLASS_ENV",
    "LANG_ENV",
    "AppError",
    "assets_problem",
    "check_port",
    "network_address",
    "page_assets",
    "serve",
]

LANG_ENV = "OASIM_APP_LANG"  # the page's initial language, read by sim.app.page
CLASS_ENV = "OASIM_APP_CLASS"  # "1": the class dashboard is on (oasim app --class)
INSTALL_HINT = "pip install 'oasim[app]' (or pip install -e '.[app]' in a checkout)"
# What the page template loads from the CDN: "{{cdn}}/<package>@<version>/<file>".
_TEMPLATE_ASSET = re.compile(r"\{\{\s*cdn\s*\}\}/((?:@[\w.-]+/)?[\w.-]+@[\w.-]+)/")


class AppError(InputError):
    """The classroom app cannot start: a missing extra, a port in use, a bad address."""


def page_assets(template: str) -> list[str]:
    """The ``<package>@<version>`` folders a Solara page template loads from the CDN."""
    return sorted(set(_TEMPLATE_ASSET.findall(template)))


def assets_problem(cache_dir: Path, packages: list[str]) -> str | None:
    """Why ``cache_dir`` cannot serve the page offline, or None if it can."""
    missing = [p for p in packages if not (cache_dir / p).is_dir()]
    if not missing:
        return None
    return f"the page assets {', '.join(missing)} are missing from {cache_dir}"


def check_port(host: str, port: int) -> None:
    """Raise :class:`AppError` unless the server can listen on ``host:port``.

    Binds the way uvicorn will (SO_REUSEADDR, IPv6 when the host has a colon), so that a port
    uvicorn could take is not refused, and one it could not take is refused before anything is
    printed rather than after the "serving" line.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except socket.gaierror as err:
        raise AppError(
            f"cannot serve on host {host!r}: {err.strerror}; use e.g. --host 127.0.0.1"
        ) from None
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise AppError(
                f"port {port} on {host} is in use (another oasim app?); choose another with --port"
            ) from None
        if err.errno == errno.EADDRNOTAVAIL:
            raise AppError(
                f"cannot serve on host {host!r}: it is not an address of this machine; "
                "use 127.0.0.1 (this machine only) or 0.0.0.0 (every network interface)"
            ) from None
        if err.errno == errno.EACCES:
            raise AppError(
                f"port {port} needs administrator rights; choose one above 1023 with --port"
            ) from None
        raise AppError(f"cannot serve on {host}:{port}: {err.strerror or err}") from None


def _import_solara():
    """Import Solara and Mesa's visualisation, or say which extra is missing. Only these
    imports are guarded: an ImportError in oasim's own page is a bug, shown with its traceback."""
    try:
        import mesa.visualization  # noqa: F401  (the page is built from it)
        import solara.server.settings
        from solara.__main__ import run
    except ImportError as err:
        # Also a plain ImportError: a half-installed or mismatched extra fails that way.
        raise AppError(f"the classroom app needs the 'app' extra ({err}): {INSTALL_HINT}") from err
    return solara.server.settings, run


def _warn_if_assets_missing(settings) -> None:
    cache_dir = Path(settings.assets.proxy_cache_dir)
    template = Path(settings.__file__).parent / "templates" / "solara.html.j2"
    try:
        packages = page_assets(template.read_text(encoding="utf-8"))
    except OSError:  # a solara without this template: nothing to check against
        return
    if settings.assets.fontawesome_enabled:  # the icons, named apart from the template
        packages += page_assets("{{cdn}}" + settings.assets.fontawesome_path)
    # The charts' libraries (sim.app.vega): the installed versions, or "vega@5" if none is.
    from .vega import vega_libs

    packages += sorted({path.split("/")[0] for path in vega_libs(cache_dir).values()})
    problem = assets_problem(cache_dir, packages)
    if problem is None:
        return
    if "SOLARA_ASSETS_PROXY_CACHE_DIR" in os.environ:
        fix = "SOLARA_ASSETS_PROXY_CACHE_DIR points there: unset it to use the installed assets"
    else:
        fix = f"install the 'app' extra: {INSTALL_HINT}"
    print(
        f"oasim app: warning: {problem}, so the page will fetch them from cdn.jsdelivr.net and "
        f"stay blank offline; {fix}",
        file=sys.stderr,
        flush=True,
    )


def network_address() -> str | None:
    """This computer's address on its network (the one students type), or None if it has none.

    Asks the operating system which address a packet to a documentation-only address
    (192.0.2.1, RFC 5737) would leave from; connecting a UDP socket sends nothing."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("192.0.2.1", 9))
            address = sock.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith(("0.", "127.")) else address


def _quiet_cookie_notice() -> None:
    """Silence the one notice Solara prints for every student who opens the page.

    Solara's server (``solara.server.starlette``) sets its session cookie with SameSite=None,
    which browsers accept only over https or from "localhost"; for a page opened over plain
    http at any other address (``127.0.0.1``, or the teacher's address on the classroom
    network) it falls back to SameSite=Lax and warns, 15 lines at every page load: a class of
    30 fills the terminal and hides real errors. Lax is right here (the page is not embedded
    in another site), so that warning, from that module, is ignored; every other warning
    still shows.
    """
    warnings.filterwarnings(
        "ignore",
        message="Cookies with samesite=none",
        category=UserWarning,
        module="solara.server.starlette",
    )


def serve(
    port: int = 8765, lang: str = "en", host: str = "127.0.0.1", class_mode: bool = False
) -> None:
    """Serve the classroom page at http://host:port until Ctrl-C (SIGINT), and return once
    the server has shut down cleanly. With ``class_mode``, students' pages can send their runs
    to the class dashboard at http://host:port/class.

    Raises :class:`AppError` before printing anything when the ``app`` extra is missing, the
    port is taken or the host is not an address of this machine.
    """
    # No usage statistics sent from a classroom, and no attempt to reach the internet for them.
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")
    os.environ[LANG_ENV] = lang
    os.environ[CLASS_ENV] = "1" if class_mode else ""
    # No "This website runs on Solara" badge over the page's corner.
    os.environ["SOLARA_THEME_SHOW_BANNER"] = "false"
    os.environ.setdefault("SOLARA_THEME_TITLE", "oasim")
    settings, run = _import_solara()
    check_port(host, port)
    _warn_if_assets_missing(settings)

    import click

    _quiet_cookie_notice()
    args = [
        "sim.app.page",
        *("--host", host, "--port", str(port)),
        "--production",  # no auto-restart on file changes, minified JavaScript
        "--no-open",
        "--no-check-version",  # would ask pypi.org at every start
    ]
    shown_host = f"[{host}]" if ":" in host else host
    print(
        f"oasim app: serving the classroom page at http://{shown_host}:{port}/ (Ctrl-C to stop)",
        flush=True,
    )
    wildcard = host in ("0.0.0.0", "::")
    if wildcard and (address := network_address()) is not None:
        print(f"oasim app: students on this network open http://{address}:{port}/", flush=True)
    if class_mode:
        here = "127.0.0.1" if wildcard else shown_host
        print(f"oasim app: the class dashboard is at http://{here}:{port}/class", flush=True)
    # Uvicorn shuts down cleanly on Ctrl-C, then raises it again; click turns it into Abort.
    with contextlib.suppress(KeyboardInterrupt, click.exceptions.Abort):
        run.main(args=args, prog_name="solara run", standalone_mode=False)
