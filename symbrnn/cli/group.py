"""The ``symbrnn`` command group; the commands register themselves on it."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="symbrnn")
def cli():
    """symbrnn: symbolic derivations for recurrent networks (RNN, LSTM, GRU).

    Every formula is derived from a cell's equations by the chain rule, then
    checked against brute force.

    \b
    Examples:
      symbrnn params --cell lstm --timesteps 12 --features 72 --units 100,100 --classes 8
      symbrnn params --explain examples/summary.md
      symbrnn expand --T 3
    """


def _register() -> None:
    from symbrnn.cli.doctor import doctor  # a command of its own module (light: Click only)

    cli.add_command(doctor)


_register()
