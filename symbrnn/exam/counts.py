"""The count mistakes of section I, each computed as the mistake computes it.

Each row of :data:`COUNT_MISTAKES` is a named wrong way to count the parameters of one
recurrent layer (a stable code, its words in ``words.py``, and how it counts), read from
the cell's gates as ``counts.params`` reads them: a new mistake is one row.

>>> asked = CountAsked("rnn", layer=2, units=4, input_size=3, features=2)
>>> asked.right, [(m.code, value) for m, value, _ in wrong_counts(asked)][:2]
(32, [('NO_BIAS', 28), ('NO_RECURRENT', 16)])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CountAsked:
    """One count question: recurrent layer ``layer`` of the model of ``cell`` (``units``
    wide, reading vectors of ``input_size``; the data has ``features``)."""

    cell: str
    layer: int
    units: int
    input_size: int
    features: int
    reset_after: bool = False

    def layer_count(self, **changes) -> int:
        from symbrnn.counts.params import recurrent_layer

        options = dict(units=self.units, features=self.input_size, reset_after=self.reset_after)
        return recurrent_layer(self.cell, **(options | changes)).params

    @property
    def right(self) -> int:
        return self.layer_count()

    def gates(self):
        from symbrnn.counts.params import gates
        from symbrnn.engine.cells import make_cell

        return gates(make_cell(self.cell, reset_after=self.reset_after, allow_files=False))


@dataclass(frozen=True)
class CountMistake:
    """A wrong count: its code, its words (``count.<code>``) and how it counts (None when
    the mistake cannot be made on this layer)."""

    code: str
    count: Callable[[CountAsked], tuple[int, dict] | None]


def _block(a: CountAsked, g, recurrent: bool = True, biases: bool = True) -> int:
    """One gate's parameters: n·d per kernel, n² per recurrent matrix, n per vector."""
    n, d = a.units, a.input_size
    vectors = len(g.elementwise) + biases * len(g.biases)
    return n * d * len(g.kernels) + recurrent * n * n * len(g.recurrent) + n * vectors


def _no_bias(a: CountAsked):
    return sum(_block(a, g, biases=False) for g in a.gates()), {}


def _no_recurrent(a: CountAsked):
    return sum(_block(a, g, recurrent=False) for g in a.gates()), {}


def _one_block(a: CountAsked):
    gates = a.gates()
    return None if len(gates) < 2 else (_block(a, gates[0]), {"blocks": len(gates)})


def _input_size(a: CountAsked):
    if a.layer < 2 or a.input_size == a.features:
        return None
    return a.layer_count(features=a.features), {"features": a.features, "previous": a.input_size}


def _pytorch(a: CountAsked):
    return a.layer_count(convention="pytorch"), {}


def _keras3_gru(a: CountAsked):
    if a.cell != "gru" or a.reset_after:
        return None
    return a.layer_count(reset_after=True), {}


COUNT_MISTAKES: tuple[CountMistake, ...] = (
    CountMistake("NO_BIAS", _no_bias),
    CountMistake("NO_RECURRENT", _no_recurrent),
    CountMistake("ONE_BLOCK", _one_block),
    CountMistake("INPUT_SIZE", _input_size),
    CountMistake("KERAS3_GRU", _keras3_gru),
    CountMistake("PYTORCH", _pytorch),
)
"""The table of count mistakes; a new one is a row, its words ``count.<code>`` and a test."""


def wrong_counts(asked: CountAsked):
    """(mistake, its count, its words' parameters) for every mistake that can be made on
    this layer and gives a number other than the right one and the ones before it."""
    seen = {asked.right}
    for mistake in COUNT_MISTAKES:
        made = mistake.count(asked)
        if made is None or made[0] in seen:
            continue
        seen.add(made[0])
        yield mistake, made[0], made[1]
