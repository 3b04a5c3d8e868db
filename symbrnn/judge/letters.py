"""A diagnosis of ∂u/∂v (II.1) said in the question's own letters: v and A v, not x₁, a₁.

The judge reads a one-step answer at the question's step (u = σ(A v) as u₁ = σ(A x₁));
what it says of it is written back in the letters of the cell's declaration, as the
question writes them: the input by its letter (v), a pre-activation by its definition
(A v), the state without its step (u).
"""

from __future__ import annotations

import re

from symbrnn.engine.matexpr import TimeVec
from symbrnn.judge.messages import Msg
from symbrnn.printing.text import text


def in_its_notation(D, expr, t):
    """A one-step result in the letters of its cell: Diag(σ'(A v)) A, not Diag(σ'(a₁)) A."""
    from sympy import MatrixSymbol

    defined = dict(D.definitions(t, declared_only=True))
    out = expr.xreplace({v: d for v, d in defined.items() if v.name not in D.states})
    inputs = {v for v in out.atoms(TimeVec) if v.name == "x"}
    letters = {name for name, target in D.cell.notation.items() if target == "x"}
    if letters:
        out = out.xreplace({v: MatrixSymbol(sorted(letters)[0], *v.shape) for v in inputs})
    return out


def question_letters(D, t) -> dict[str, str]:
    """{the judge's text of a one-step quantity: the question's text} at step ``t``."""
    out = {}
    for v, _ in D.definitions(t, declared_only=True):
        out[text(v)] = v.name if v.name in D.states else text(in_its_notation(D, v, t))
    x = D.vec("x", t)
    out[text(x)] = text(in_its_notation(D, x, t))
    return {k: v for k, v in out.items() if k != v}


def relettered(said: Msg, letters: dict[str, str]) -> Msg:
    """``said`` with every parameter written in ``letters`` (a nested Msg too)."""
    if not letters:
        return said
    pattern = re.compile(
        r"(?<![\w])("
        + "|".join(re.escape(k) for k in sorted(letters, key=len, reverse=True))
        + r")(?![\w₀-₉])"
    )

    def shown(value):
        if isinstance(value, Msg):
            return relettered(value, letters)
        if isinstance(value, str):
            return pattern.sub(lambda m: letters[m[1]], value)
        return value

    return Msg(said.key, tuple((k, shown(v)) for k, v in said.params))


__all__ = ["question_letters", "relettered"]
