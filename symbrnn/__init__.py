"""symbrnn: symbolic derivation engine for recurrent neural networks.

Declare a cell once as a step function; derive, verify and print its
Jacobians and gradients.

>>> from symbrnn import Derivation, simple_rnn, text
>>> text(Derivation(simple_rnn()).step_jacobian("h", "h", 3))
"Diag(σ'(a₃)) W"
"""

from symbrnn.engine.activations import generic, identity, relu, sigmoid, tanh
from symbrnn.engine.cell import Cell
from symbrnn.engine.cells import gru, lstm, make_cell, simple_rnn
from symbrnn.engine.derive import Derivation
from symbrnn.errors import DerivationError, InputError, SymbrnnError
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text

__all__ = [
    "Cell",
    "Derivation",
    "DerivationError",
    "InputError",
    "SymbrnnError",
    "generic",
    "gru",
    "identity",
    "latex",
    "lstm",
    "make_cell",
    "relu",
    "sigmoid",
    "simple_rnn",
    "tanh",
    "text",
]
