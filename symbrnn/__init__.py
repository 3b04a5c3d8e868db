"""symbrnn: symbolic derivation engine for recurrent neural networks.

Declare a cell once as a step function; derive, verify and print its
Jacobians and gradients. Names are imported on first use, so that commands
that need no SymPy (``symbrnn params``, ``--help``) start light.

>>> from symbrnn import Derivation, simple_rnn, text
>>> text(Derivation.of(simple_rnn()).step_jacobian("h", "h", 3))
"Diag(σ'(a₃)) W"
"""

from __future__ import annotations

import importlib

_MODULES = {  # each public name's module, imported on first use
    "symbrnn.engine.activations": ("generic", "identity", "relu", "sigmoid", "tanh"),
    "symbrnn.engine.cell": ("Cell",),
    "symbrnn.engine.cells": ("gru", "lstm", "make_cell", "simple_rnn"),
    "symbrnn.engine.derive": ("Derivation",),
    "symbrnn.engine.expand": ("expand_gradient", "expand_jacobian"),
    "symbrnn.errors": ("DerivationError", "InputError", "SymbrnnError"),
    "symbrnn.judge.check": ("check_answer",),
    "symbrnn.numeric.evaluate": ("evaluate_spec",),
    "symbrnn.printing.latex": ("latex",),
    "symbrnn.printing.text": ("text",),
}
_PUBLIC = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name == "__version__":  # from the installed metadata: one version, in pyproject.toml
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("symbrnn")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'symbrnn' has no attribute {name!r}")


def __dir__():
    return __all__
