"""The ``symbrnn`` command line: a thin layer over the library.

Each command's docstring is its help. The commands only read options, call
the library, and print in the format asked; library errors become one line on
stderr with exit code 2 (bad input) or 1 (failed derivation). Heavy modules
are imported inside the commands that need them.
"""

from __future__ import annotations

import sys

import click

from symbrnn.cli import course, derivations, web  # the modules register their commands
from symbrnn.cli.group import cli
from symbrnn.errors import InputError, SymbrnnError


def main(argv=None) -> None:
    """Entry point: run the CLI and turn errors into one line and an exit code."""
    try:
        rc = cli.main(args=argv, prog_name="symbrnn", standalone_mode=False)
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
        click.echo("symbrnn: interrupted", err=True)
        sys.exit(130)
    except SymbrnnError as exc:
        click.echo(f"symbrnn: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(rc if isinstance(rc, int) else 0)


__all__ = ["InputError", "cli", "course", "derivations", "main", "web"]
