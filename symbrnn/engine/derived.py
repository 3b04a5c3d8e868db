"""``expand(cell, quantity, T)``: one call from a quantity's name to its expansion, kept with
the cell it was derived from (what its printers need)."""

from __future__ import annotations

from dataclasses import dataclass

from symbrnn.engine.derive import Derivation
from symbrnn.engine.expand import Expansion, expand_gradient, expand_jacobian
from symbrnn.engine.quantity import parse_quantity


@dataclass(frozen=True)
class Derived:
    """An expansion, the cell it comes from and the cell's parameters by name."""

    expansion: Expansion
    cell: object
    params: dict


def expand(cell, quantity: str, T, *, state=None, paths: str = "all") -> Derived:
    """``quantity`` (dL/dW, dh/dh, dc/dc...) expanded over ``T`` steps (an int or a Symbol).

    >>> from symbrnn.engine.cells import simple_rnn
    >>> len(list(expand(simple_rnn(), "dL/dW", 2).expansion.iter_terms()))
    3
    """
    q = parse_quantity(quantity)
    if q.kind == "gradient":
        exp = expand_gradient(cell, q.name, T, state=state, paths=paths)
    else:
        exp = expand_jacobian(cell, q.name, T, paths=paths)
    return Derived(exp, cell, Derivation.of(cell).params)
