"""Options shared by the commands, their validation, and output."""

from __future__ import annotations

import json
import os
import sys

import click

from symbrnn.engine.cells import CELLS
from symbrnn.errors import LANGS
from symbrnn.io import check_output_path, to_json_value
from symbrnn.io import emit as print_or_write
from symbrnn.judge.question import MAX_SEED
from symbrnn.words import say


def format_option(*choices: str, help: str | None = None):
    """``--format``, one of ``choices``, the first by default."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], help=help
    )


def whole_option(*names: str, top: int, default: int | None = None, help: str | None = None):
    """A whole number from 1 to ``top`` (``--T``, ``--features``…)."""
    return click.option(*names, type=click.IntRange(1, top), default=default, help=help)


def variant_seed_option(help_text: str):
    """``--variant-seed N``: one variant of a sheet (the sheet, check and grade)."""
    return click.option(
        "--variant-seed", type=click.IntRange(0, MAX_SEED), metavar="N", help=help_text
    )


def jobs_option(help_text: str):
    """``--jobs N``: processes at once, 0 (read as the cores this process may run on) for one
    per core."""
    return click.option(
        "--jobs",
        type=click.IntRange(0, 64),
        default=0,
        callback=lambda ctx, param, value: value or cores(),
        help=help_text,
    )


def lang_option(help_text: str):
    """``--lang fr|en``, unset by default (the command picks the sheet's language)."""
    return click.option("--lang", type=click.Choice(list(LANGS)), help=help_text)


class ActivationName(click.ParamType):
    """An activation of the engine's table, read when the option is parsed: one registered
    at run time is accepted too; ``bounded``: only those with a known γ = sup|φ'|."""

    name = "activation"

    def __init__(self, bounded: bool = False):
        self.bounded = bounded

    def names(self) -> tuple[str, ...]:
        from symbrnn.engine.activations import ACTIVATIONS, bounded_activations

        return bounded_activations() if self.bounded else tuple(ACTIVATIONS)

    def get_metavar(self, param, ctx=None):
        return "[" + "|".join(self.names()) + "]"

    def convert(self, value, param, ctx):
        if value in self.names():
            return value
        self.fail(f"{value!r} is not one of {', '.join(map(repr, self.names()))}", param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(n) for n in self.names() if n.startswith(incomplete)]


def _cell_help() -> str:
    names = ", ".join(CELLS)
    keras = ", ".join(c.keras for c in CELLS.values() if c.keras)
    return (
        f"{names} (or their Keras names {keras}), or your own as FILE.py:NAME or "
        "module:NAME (this imports and runs the file's code: use files you trust)."
    )


CELL_HELP = _cell_help()


def units_list(ctx, param, value):
    if len(value) > 1000:
        raise click.BadParameter("too long: at most 32 layers")
    try:
        units = [int(u) for u in value.split(",") if u.strip()]
    except ValueError:
        raise click.BadParameter(
            f"expected sizes separated by commas, e.g. 100,100; got {value!r}"
        ) from None
    if not units or any(u <= 0 for u in units):
        raise click.BadParameter(f"expected positive sizes separated by commas; got {value!r}")
    if len(units) > 32 or any(u > 10**7 for u in units):
        raise click.BadParameter("at most 32 layers of at most 10,000,000 units")
    return units


def cell_options(f):
    """The options that choose a cell, shared by the derivation commands."""
    options = [
        click.option("--cell", "cell_name", default="rnn", metavar="CELL", help=CELL_HELP),
        click.option(
            "--activation",
            type=ActivationName(),
            help="Activation of the simple RNN (default sigmoid, as on the sheet; "
            "phi: generic, φ' stays symbolic).",
        ),
        click.option("--bias/--no-bias", default=True, help="Include the biases of the cell."),
        click.option(
            "--reset-after/--no-reset-after",
            default=False,
            help="GRU variant: --no-reset-after is the course's (Keras ≤ 2.3); "
            "--reset-after is tf.keras 2, Keras 3 and PyTorch.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def T_option(ctx, param, value):
    """``--T N|T``: a number of steps, or the symbol T (the general form)."""
    if value.strip() == "T":
        from sympy import Symbol

        return Symbol("T", integer=True, positive=True)
    try:
        T = int(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a positive integer or the letter T, got {value!r}"
        ) from None
    if T <= 0:
        raise click.BadParameter(
            f"must be a positive integer (or T for the symbolic form), got {T}"
        )
    return T


def dump_json(data) -> str:
    """JSON as every command prints it (strict: no NaN or Infinity)."""
    return json.dumps(to_json_value(data), indent=2, ensure_ascii=False, allow_nan=False)


def checked_output(ctx, param, value):
    """``-o FILE`` checked as it is read, before any work: a regular file or a new path (a
    device, a named pipe or a folder is one line)."""
    if value not in (None, "-"):
        check_output_path(value)
    return value


def emit_output(text, output, lang: str = "en"):
    """``text`` (or its chunks) to stdout or ``-o FILE``, then ``wrote FILE``."""
    print_or_write(text, output)
    wrote(output, lang)


def wrote(output, lang: str = "en") -> None:
    """``wrote FILE`` on stderr once a file is written, as every command that writes one says."""
    if output not in (None, "-"):
        click.echo(say("cli.wrote", lang, path=output), err=True)


def say_report(report, output) -> int:
    """grade's report on stdout (without ``-o``); its warnings, summary and the files written
    on stderr, in the report's language."""
    for warning in report.warnings:
        click.echo(warning, err=True)
    if output is None:
        sys.stdout.write(report.text)
    click.echo(report.summary, err=True)
    for path in report.paths:
        wrote(path, report.lang)
    return 0


def progress(label: str, lang: str = "en"):
    """A progress bar on stderr, for ``progress(total)`` arguments of the library."""

    def bar(total: int):
        text = say(f"cli.progress.{label}", lang)
        return click.progressbar(length=total, label=text, file=sys.stderr, show_pos=True)

    return bar


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def output_option(f):
    """``-o FILE``: write to FILE instead of stdout (checked before any work)."""
    return click.option(
        "-o",
        "--output",
        metavar="FILE",
        callback=checked_output,
        help="Write to FILE instead of stdout.",
    )(f)
