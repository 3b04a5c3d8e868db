"""The ``symbrnn`` command line: a thin layer over the library.

Each command's docstring is its help. Library errors become one line on
stderr with exit code 2 (bad input) or 1 (failed derivation). Heavy modules
are imported inside the commands that need them.
"""

from __future__ import annotations

import json
import sys

import click

from symbrnn.errors import InputError, SymbrnnError

FORMATS = click.Choice(["text", "json", "latex"])


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="symbrnn")
def cli():
    """symbrnn: symbolic derivations for recurrent networks (RNN, LSTM, GRU).

    Every formula is derived from a cell's equations by the chain rule, then
    checked against brute force.

    \b
    Examples:
      symbrnn params --cell lstm --timesteps 12 --features 72 --units 100,100 --classes 8
      symbrnn params --explain summary.txt
      symbrnn expand --T 3
    """


def _units(ctx, param, value):
    try:
        units = [int(u) for u in value.split(",") if u.strip()]
    except ValueError:
        raise click.BadParameter(
            f"expected sizes separated by commas, e.g. 100,100; got {value!r}"
        ) from None
    if not units or any(u <= 0 for u in units):
        raise click.BadParameter(f"expected positive sizes separated by commas; got {value!r}")
    return units


def _positive(ctx, param, value):
    if value is not None and value <= 0:
        raise click.BadParameter(f"must be a positive integer, got {value}")
    return value


@cli.command()
@click.option("--cell", type=click.Choice(["rnn", "lstm", "gru"]), default="rnn", show_default=True)
@click.option(
    "--timesteps",
    type=int,
    default=12,
    show_default=True,
    callback=_positive,
    help="Sequence length (shown in output shapes).",
)
@click.option(
    "--features",
    type=int,
    default=72,
    show_default=True,
    callback=_positive,
    help="Input dimension d.",
)
@click.option(
    "--units",
    default="100,100",
    show_default=True,
    callback=_units,
    help="One recurrent layer per size; all but the last return sequences.",
)
@click.option(
    "--classes",
    type=int,
    default=None,
    callback=_positive,
    help="Add a Dense head with this many outputs.",
)
@click.option(
    "--convention", type=click.Choice(["keras", "pytorch"]), default="keras", show_default=True
)
@click.option(
    "--reset-after/--no-reset-after",
    default=True,
    show_default=True,
    help="GRU variant (Keras only): Keras 3 resets after the recurrent product.",
)
@click.option("--bidirectional", is_flag=True, help="Wrap each recurrent layer in Bidirectional.")
@click.option(
    "--explain",
    "explain",
    metavar="FILE",
    help="Explain a pasted model summary instead ('-' reads stdin).",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def params(
    cell,
    timesteps,
    features,
    units,
    classes,
    convention,
    reset_after,
    bidirectional,
    explain,
    fmt,
    output,
):
    """Explain where every parameter of a stacked recurrent model comes from.

    Builds the model from the options and prints a Keras-style summary with,
    for each layer, the formula of its count and its weights as the framework
    stores them. With --explain, reads a summary (markdown table, Keras 2 or
    Keras 3 summary()) and says which convention produces each row; exits 1
    when a row is not explained.

    \b
    Examples:
      symbrnn params --cell gru --no-reset-after --units 100,100 --classes 8
      symbrnn params --cell lstm --convention pytorch --units 64 --format json
      pbpaste | symbrnn params --explain -
    """
    from symbrnn import params_report as report

    if explain:
        from symbrnn.io import read_text
        from symbrnn.summary import explain_summary

        text = read_text(explain)
        explanations = explain_summary(text)
        if fmt == "json":
            out = json.dumps(report.explain_json(explanations, text), indent=2, ensure_ascii=False)
        elif fmt == "latex":
            out = report.explain_latex(explanations, text)
        else:
            out = report.explain_text(explanations, text)
        _emit(out, output)
        info = report.explain_json(explanations, text)
        return 1 if info["flagged"] or not info["total_matches"] else 0

    from symbrnn.params import build_model

    model = build_model(
        cell,
        timesteps=timesteps,
        features=features,
        units=units,
        classes=classes,
        convention=convention,
        reset_after=reset_after,
        bidirectional=bidirectional,
    )
    if fmt == "json":
        out = json.dumps(report.model_json(model), indent=2, ensure_ascii=False)
    elif fmt == "latex":
        out = report.model_latex(model)
    else:
        out = report.model_text(model)
    _emit(out, output)
    return 0


def _emit(text, output):
    from symbrnn.io import emit

    emit(text, output)


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
    except click.exceptions.Abort:
        click.echo("symbrnn: aborted", err=True)
        sys.exit(130)
    except SymbrnnError as exc:
        click.echo(f"symbrnn: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(rc if isinstance(rc, int) else 0)


__all__ = ["InputError", "cli", "main"]
