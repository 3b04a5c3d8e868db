"""The one table of operations a cell may use: a row per operation.

Each row says, in one place, everything a layer needs to know about an
operation: how many arguments it takes, its value as a matrix expression
(``matrix``), its value on a numeric backend (``evaluate``: SymPy ``Matrix`` or
NumPy arrays), its local Jacobian with respect to argument i (``local``,
numerator layout), how it prints (glyph and precedence), and which of its
arguments may be a parameter (``kernel_arg`` for the P of ``P @ v``, an input or a
recurrent kernel by the size of v; ``vector_role`` for a parameter vector among the
arguments: ``bias`` for + and −, ``elementwise`` for the w of ``w ⊙ v``). Tracing, the chain
rule, instantiation, printing, parameter counts and drawings all read this
table: adding an operation is one row (plus tests).

>>> [op.name for op in OPS.values() if not op.leaf]
['matmul', 'add', 'sub', 'hadamard', 'apply']
>>> OPS["hadamard"].text, OPS["sub"].precedence < OPS["hadamard"].precedence
('⊙', True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Op:
    """One operation of a traced cell."""

    name: str
    arity: int
    text: str = ""  # infix glyph in Unicode text ("" for leaves, juxtaposition for matmul)
    latex: str = ""  # infix glyph in LaTeX
    precedence: int = 9  # binding strength when printed (leaves and applications bind tightest)
    matrix: Callable | None = None  # (args, node) -> matrix expression (engine.matexpr)
    evaluate: Callable | None = None  # (backend, args, node) -> value on a numeric backend
    local: Callable | None = None  # (node, args, i, n) -> ∂node/∂(argument i) at a step
    kernel_arg: int | None = None  # the argument that is a weight matrix (P in P @ v)
    vector_role: str | None = None  # a parameter vector (n,) among the arguments: its role
    leaf: bool = False

    @property
    def differentiable_args(self) -> tuple[int, ...]:
        """The arguments the chain rule goes through (not the weight matrix of P @ v)."""
        return tuple(i for i in range(self.arity) if i != self.kernel_arg)


def _m():
    """engine.matexpr, imported on first use: tracing and counting never need SymPy."""
    from symbrnn.engine import matexpr

    return matexpr


OPS: dict[str, Op] = {
    op.name: op
    for op in (
        Op("state", 0, leaf=True),
        Op("input", 0, leaf=True),
        Op("param", 0, leaf=True),
        Op("one", 0, leaf=True),
        Op("zero", 0, leaf=True),  # a dropped bias: absorbed by + when traced
        Op(
            "matmul",
            2,
            text="",
            latex=r"\,",
            precedence=3,
            matrix=lambda a, node: _m().mul(a[0], a[1]),
            evaluate=lambda be, a, node: be.matmul(a[0], a[1]),
            local=lambda node, a, i, n: a[0],  # ∂(P v)/∂v = P
            kernel_arg=0,
        ),
        Op(
            "add",
            2,
            text="+",
            latex="+",
            precedence=1,
            matrix=lambda a, node: _m().add(a[0], a[1]),
            evaluate=lambda be, a, node: be.add(a[0], a[1]),
            local=lambda node, a, i, n: _m().Identity(n),
            vector_role="bias",
        ),
        Op(
            "sub",
            2,
            text="−",
            latex="-",
            precedence=1,
            matrix=lambda a, node: _m().add(a[0], _m().neg(a[1])),
            evaluate=lambda be, a, node: be.add(a[0], be.scale(-1, a[1])),
            local=lambda node, a, i, n: _m().Identity(n) if i == 0 else _m().neg(_m().Identity(n)),
            vector_role="bias",
        ),
        Op(
            "hadamard",
            2,
            text="⊙",
            latex=r"\odot",
            precedence=2,
            matrix=lambda a, node: _m().hadamard(a[0], a[1]),
            evaluate=lambda be, a, node: be.hadamard(a[0], a[1]),
            local=lambda node, a, i, n: _m().Diag(a[1 - i]),  # ∂(u ⊙ v)/∂u = Diag(v)
            vector_role="elementwise",
        ),
        Op(
            "apply",
            1,
            precedence=9,
            matrix=lambda a, node: _m().Apply(node.fn.name, a[0], 0),
            evaluate=lambda be, a, node: be.apply(node.fn, a[0], 0),
            # ∂φ(u)/∂u = Diag(φ'(u))
            local=lambda node, a, i, n: _m().Diag(_m().Apply(node.fn.name, a[0], 1)),
        ),
    )
}

LEAF_OPS = tuple(name for name, op in OPS.items() if op.leaf)


__all__ = ["LEAF_OPS", "OPS", "Op"]
