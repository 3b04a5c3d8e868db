"""The registry of a sheet's results: a producer per result, a typed result per producer.

>>> import dataclasses
>>> from symbrnn.sheets import results  # registers every producer
>>> [f.name for f in dataclasses.fields(RESULT_TYPES["bptt"])]
['general', 'collapsed', 'step', 'product', 'matrix']
"""

from __future__ import annotations

import dataclasses

PRODUCERS: dict = {}
RESULT_TYPES: dict = {}


def producer(name, *fields):
    """Register a producer of the result ``name`` with exactly these fields."""
    cls = dataclasses.make_dataclass(f"{name.capitalize()}Result", fields, frozen=True)
    cls.__doc__ = f"r.{name}: " + ", ".join(fields)
    RESULT_TYPES[name] = cls

    def register(fn):
        def typed(sizes):
            return cls(**fn(sizes))

        typed.__doc__ = fn.__doc__
        PRODUCERS[name] = typed
        return fn

    return register


def eq(lhs, rhs) -> str:
    """``lhs = rhs`` in LaTeX."""
    from symbrnn.printing.latex import latex

    return f"{latex(lhs)} = {latex(rhs)}"


def rnn_of(sizes):
    """The sheet's simple RNN: its activation, no bias."""
    from symbrnn.engine.activations import activation
    from symbrnn.engine.cells import simple_rnn

    return simple_rnn(activation(sizes["activation"]), bias=False)
