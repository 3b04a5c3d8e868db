"""The ``symbrnn`` command group: each command is found in its module by its name.

A command's module is imported when the command is named (``symbrnn check`` does not
import grading, the exams, the web server or doctor's word book); listing the commands
(``--help``, ``cli.commands``) imports them all.
"""

from __future__ import annotations

from importlib import import_module

import click

# Each command's module (under symbrnn.cli); tests/cli/test_startup.py checks it whole.
_COMMANDS = {
    "course": ("check", "draw", "params", "sheet"),
    "derivations": ("evaluate", "expand", "spectral", "verify"),
    "doctor": ("doctor",),
    "exam": ("exam",),
    "grading": ("grade",),
    "web": ("serve",),
}
HOMES = {name: module for module, names in _COMMANDS.items() for name in names}


class LazyGroup(click.Group):
    """A group whose commands are imported from their module on first use."""

    @property
    def commands(self):
        for name in HOMES:
            self.get_command(None, name)
        return self._commands

    @commands.setter
    def commands(self, value):
        self._commands = value

    def get_command(self, ctx, cmd_name):
        if cmd_name not in self._commands and cmd_name in HOMES:
            module = import_module(f"symbrnn.cli.{HOMES[cmd_name]}")
            self._commands[cmd_name] = getattr(module, cmd_name)
        return self._commands.get(cmd_name)


@click.group(
    cls=LazyGroup,
    context_settings={
        "help_option_names": ["-h", "--help"],
        "max_content_width": 100,
        "show_default": True,
    },
)
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
