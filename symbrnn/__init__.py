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

_PUBLIC = {
    "Cell": "symbrnn.engine.cell",
    "Derivation": "symbrnn.engine.derive",
    "DerivationError": "symbrnn.errors",
    "InputError": "symbrnn.errors",
    "SymbrnnError": "symbrnn.errors",
    "check_answer": "symbrnn.judge.check",
    "evaluate_spec": "symbrnn.numeric.evaluate",
    "expand_gradient": "symbrnn.engine.expand",
    "expand_jacobian": "symbrnn.engine.expand",
    "generic": "symbrnn.engine.activations",
    "gru": "symbrnn.engine.cells",
    "identity": "symbrnn.engine.activations",
    "latex": "symbrnn.printing.latex",
    "lstm": "symbrnn.engine.cells",
    "make_cell": "symbrnn.engine.cells",
    "relu": "symbrnn.engine.activations",
    "sigmoid": "symbrnn.engine.activations",
    "simple_rnn": "symbrnn.engine.cells",
    "tanh": "symbrnn.engine.activations",
    "text": "symbrnn.printing.text",
}

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
