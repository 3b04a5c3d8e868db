"""``symbrnn serve``: the local web page."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from symbrnn.cli.options import lang_option
from symbrnn.errors import InputError
from symbrnn.words import Msg, say

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command(short_help="Serve the checker and the derivations on a local web page.")
@click.option("--host", default="127.0.0.1", help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000)
@click.option("--open/--no-open", "open_browser", default=False, help="Open a browser.")
@click.option(
    "--class/--teacher",
    "class_mode",
    default=None,
    help="--class: for a class, serve no answer key, no expected formula, no derivation "
    "(the default when --host is not the loopback); --teacher: everything (the default on "
    "127.0.0.1).",
)
@click.option(
    "--session",
    metavar="FILE.sqlite",
    help="A TD session (with --class): every check stored in this SQLite file (created "
    "with --roster, reopened without), personal student links, a teacher's dashboard.",
)
@click.option(
    "--roster",
    metavar="STUDENTS.csv",
    help="With --session: the students (CSV columns id or idnumber or email, name or "
    "firstname and lastname, optionally variant), as Moodle and AMC export them.",
)
@lang_option("The language of the lines on the terminal (default en).")
def serve(host, port, open_browser, class_mode, session, roster, lang):
    """Serve the checker and the derivations on a local web page (offline).

    Pages: /check (a student's answer, its live preview and what symbrnn read, the
    verdict), /expand, /params, /sheet, /spectral; the API answers with the same
    JSON as the commands (POST /api/check, GET /api/expand...). It listens on
    127.0.0.1 unless --host says otherwise; it never accepts a cell file or a sheet
    upload, and bounds every request. Opened to a class (--host 0.0.0.0) it runs in
    class mode unless --teacher says otherwise.

    \b
    Example:
      symbrnn serve --port 8000 --open
      symbrnn serve --host 0.0.0.0 --port 8000     # for a class: no key served
      symbrnn serve --class --session td5.sqlite --roster students.csv
    """
    try:
        import uvicorn
    except ImportError:
        raise InputError.said("cli.error.serve_extra") from None
    from symbrnn.web.app import create_app

    loopback = host in LOOPBACK
    if class_mode is None:
        class_mode = not loopback or session is not None
    lang = lang or "en"
    store = _open_session(session, roster, class_mode, lang)
    if not loopback:
        warning = "cli.serve.exposed_class" if class_mode else "cli.serve.exposed_keys"
        click.echo(f"symbrnn: {say(warning, lang, host=host)}", err=True)
    _check_port_free(host, port)
    url = f"http://{'127.0.0.1' if host in LOOPBACK else host}:{port}/check"
    mode = Msg.of("cli.serve.class_mode" if class_mode else "cli.serve.teacher_mode")
    click.echo(f"symbrnn: {say('cli.serve.serving', lang, url=url, mode=mode)}", err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    if store is None:
        app = create_app(class_mode=class_mode, warm=True)
    else:
        from symbrnn.web.session import create_session_app

        base = url.rsplit("/", 1)[0]
        page = f"{base}/t/{store.teacher_token}"
        click.echo(f"symbrnn: {say('cli.serve.dashboard', lang, url=page)}", err=True)
        click.echo(f"symbrnn: {say('cli.serve.links', lang, url=page + '/links')}", err=True)
        app = create_session_app(store, warm=True)
    _run(uvicorn, app, host, port)
    return 0


def _open_session(session, roster, class_mode, lang):
    """The session's store (its roster's students added), or None without --session."""
    if session is None:
        if roster is not None:
            raise InputError.said("cli.error.roster_session")
        return None
    if not class_mode:
        raise InputError.said("cli.error.session_class")
    from symbrnn.web.roster import read_roster
    from symbrnn.web.session_store import SessionStore

    if roster is None and not Path(session).is_file():
        raise InputError.said("cli.error.session_new", path=session)
    students, id_column = read_roster(roster) if roster else ([], None)
    store = SessionStore(session)
    if id_column:
        store.set_meta("id_column", id_column)
    added = store.add_students(students)
    total = len(store.students())
    words = dict(path=session, count=total, added=added)
    click.echo(f"symbrnn: {say('cli.serve.session', lang, **words)}", err=True)
    return store


# Under a class's load: a deep listen queue and kept-alive connections that outlive a
# student's pause, so no connection is refused or reset; on Ctrl-C, requests in flight
# get SHUTDOWN_SECONDS to finish, then the rest is abandoned (a check's thread, a
# compile's pdflatex: killed) and the server's build folders are removed.
BACKLOG = 4096
KEEP_ALIVE_SECONDS = 75
SHUTDOWN_SECONDS = 2


def _run(uvicorn, app, host: str, port: int) -> None:
    """Serve until Ctrl-C or SIGTERM, then end at once, leaving no process nor folder."""
    from symbrnn.web.lifecycle import end

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        backlog=BACKLOG,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
    )
    stopped = 0
    try:
        uvicorn.Server(config).run()
    except KeyboardInterrupt:  # uvicorn raises the signal it stopped on, once stopped
        stopped = 130
    finally:
        end()
        sys.stdout.flush()
        sys.stderr.flush()
    # threads still judging an answer are abandoned, not waited for
    os._exit(stopped)


def _check_port_free(host: str, port: int) -> None:
    """One line (exit 2) when the address cannot be listened on: a busy port, a bad host."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise InputError.said(
            "cli.error.listen_host", host=host, reason=exc.strerror or exc
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            reason = exc.strerror or exc
            raise InputError.said(
                "cli.error.listen_port", host=host, port=port, reason=reason
            ) from None
