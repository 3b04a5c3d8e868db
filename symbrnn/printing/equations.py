"""A cell's declared equations, printed by the same printers as every derived formula.

>>> from symbrnn.engine.cells import simple_rnn
>>> equations(simple_rnn(bias=False))
['a_t = W h_{t−1} + U x_t', 'h_t = σ(a_t)']
>>> from symbrnn.printing.latex import latex
>>> equations(simple_rnn(bias=False), latex)[1]
'h_{t} = \\\\sigma\\\\left(a_{t}\\\\right)'
"""

from __future__ import annotations

from symbrnn.engine.derive import Derivation
from symbrnn.printing.text import text


def equations(cell, printer=text) -> list[str]:
    """``quantity_t = definition`` for each equation the declaration writes, in its order."""
    pairs = Derivation(cell).definitions(declared_only=True)
    return [f"{printer(lhs)} = {printer(rhs)}" for lhs, rhs in pairs]
