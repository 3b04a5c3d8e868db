"""The ``symbrnn`` command line: a thin layer over the library.

Each command's docstring is its help. The commands only read options, call
the library, and print in the format asked; library errors become one line on
stderr with exit code 2 (bad input) or 1 (failed derivation). Heavy modules
are imported inside the commands that need them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys

import click

from symbrnn.cli.group import cli  # each command's module is imported when it is named
from symbrnn.errors import LANGS, InputError, SymbrnnError, flag


class _ClosedStream:
    """Standard output when the shell closed it (``symbrnn params >&-``)."""

    encoding = "utf-8"

    def write(self, text):
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self):
        pass

    def isatty(self):
        return False


def _streams() -> None:
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
    if sys.stderr is not None and hasattr(sys.stderr, "reconfigure"):
        sys.stderr.reconfigure(errors="backslashreplace")  # an error message always shows


def _silence_stdout() -> None:
    """Point standard output at /dev/null so that Python's own flush at exit cannot fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _lang(argv) -> str:
    """The language the command was asked to speak (``--lang fr``, ``--lang=fr``); else
    English: an error is said before (or without) the sheet whose language it would take."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg[7:]
        if arg.startswith("--lang") and value in LANGS:
            return value
    return "en"


def _fail(key: str, lang: str, **params) -> None:
    from symbrnn.words import say

    _silence_stdout()
    with contextlib.suppress(OSError, ValueError, AttributeError):
        click.echo(f"symbrnn: error: {say(key, lang, **params)}", err=True)
    sys.exit(2)


def _stop_on_sigterm() -> None:
    """SIGTERM stops symbrnn as Ctrl-C does: clean-up runs (temporaries, LaTeX), exit 130."""
    import signal
    import threading

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def main(argv=None) -> None:
    """Entry point: run the CLI and turn errors into one line and an exit code."""
    _streams()
    _stop_on_sigterm()
    lang = _lang(argv)
    try:
        rc = cli.main(args=argv, prog_name="symbrnn", standalone_mode=False)
        sys.stdout.flush()  # a full disk or a closed stream is reported here, not at exit
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(2)
    except click.ClickException as exc:
        hint = ""
        if exc.ctx is not None and exc.ctx.command_path:
            hint = f" (see '{exc.ctx.command_path} --help')"
        click.echo(f"symbrnn: error: {exc.format_message()}{hint}", err=True)
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        from symbrnn.words import say

        click.echo(f"symbrnn: {say('cli.error.interrupted', lang)}", err=True)
        sys.exit(130)
    except SymbrnnError as exc:
        click.echo(f"symbrnn: error: {exc.text(lang, flag)}", err=True)
        sys.exit(exc.exit_code)
    except SystemExit as exc:
        # Click turns a closed pipe into exit 1; for a Unix tool it is exit 0, silently
        if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            _silence_stdout()
            sys.exit(0)
        raise
    except UnicodeEncodeError as exc:
        encoding = getattr(sys.stdout, "encoding", exc.encoding)
        _fail("cli.error.encoding", lang, encoding=encoding, char=repr(exc.object[exc.start]))
    except MemoryError:
        _fail("cli.error.memory", lang)
    except RecursionError:
        _fail("cli.error.nested", lang)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # `symbrnn params | head -1`: the reader has it
            _silence_stdout()
            sys.exit(0)
        _fail("cli.error.stdout", lang, reason=exc.strerror or exc)
    sys.exit(rc if isinstance(rc, int) else 0)


__all__ = ["InputError", "cli", "main"]
