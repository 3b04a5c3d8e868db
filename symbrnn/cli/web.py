"""``symbrnn serve``: the local web page."""

from __future__ import annotations

import click

from symbrnn.cli.group import cli
from symbrnn.errors import InputError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--open/--no-open", "open_browser", default=False, show_default=True, help="Open a browser."
)
def serve(host, port, open_browser):
    """Serve the checker and the derivations on a local web page (offline).

    Pages: /check (a student's answer, its live preview and what symbrnn read, the
    verdict), /expand, /params, /sheet, /spectral; the API answers with the same
    JSON as the commands (POST /api/check, GET /api/expand...). It listens on
    127.0.0.1 unless --host says otherwise; it never accepts a cell file or a sheet
    upload, and bounds every request.

    \b
    Example:
      symbrnn serve --port 8000 --open
    """
    try:
        import uvicorn
    except ImportError:
        raise InputError("symbrnn serve needs its extra: pip install 'symbrnn[serve]'") from None
    from symbrnn.web.app import create_app

    if host not in LOOPBACK:
        click.echo(
            f"symbrnn: warning: listening on {host}: other machines can reach this page", err=True
        )
    url = f"http://{'127.0.0.1' if host in LOOPBACK else host}:{port}/check"
    click.echo(f"symbrnn: serving on {url} (Ctrl-C stops)", err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
    return 0
