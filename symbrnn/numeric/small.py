"""Small dense matrices of floats in pure Python: the judge's numbers without NumPy.

The judge evaluates answers at a few test points with matrices of size n ≤ 4; at that size
Python floats cost less than NumPy's call overhead, and a ``check`` does not pay NumPy's
import. A :class:`Small` is immutable (the evaluators keep values in memos); its
operations check shapes (no broadcasting: W + U is an error when d = 1 as well), a float
that overflows is ±inf as in IEEE arithmetic. ``SMALL`` is the backend of
:mod:`symbrnn.numeric.instantiate` built on it.

>>> a = Small.of([[1, 2], [3, 4]])
>>> matmul(a, eye(2)).tolist(), transpose(a).tolist()
([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [2.0, 4.0]])
>>> add(a, zeros(2, 1))
Traceback (most recent call last):
...
ValueError: a sum of a (2, 2) and a (2, 1) matrix
"""

from __future__ import annotations

import math
from operator import add as _plus
from operator import mul

from symbrnn.numeric.instantiate import Ops


class Small:
    """A rows × cols matrix: ``rows`` is a tuple of tuples of floats."""

    __slots__ = ("rows", "shape")

    def __init__(self, rows: tuple, cols: int | None = None):
        self.rows = rows
        self.shape = (len(rows), len(rows[0]) if rows else (cols or 0))

    @classmethod
    def of(cls, rows) -> Small:
        """A matrix of any nested rows of numbers."""
        return cls(tuple(tuple(float(v) for v in row) for row in rows))

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1]

    def entries(self):
        """Every entry, row by row."""
        return [v for row in self.rows for v in row]

    def tolist(self) -> list:
        return [list(row) for row in self.rows]

    def map(self, f) -> Small:
        """f applied to every entry."""
        return Small(tuple(tuple(map(f, row)) for row in self.rows), self.shape[1])

    def __rmul__(self, c) -> Small:  # a number times the matrix (a wide point's inputs)
        return scale(c, self)

    def __array__(self, dtype=None, copy=None):  # NumPy reads it (tests, numeric commands)
        import numpy as np

        return np.array(self.tolist(), dtype=dtype or float).reshape(self.shape)

    def __repr__(self):
        return f"Small({self.tolist()})"


def _same_shape(a: Small, b: Small, what: str):
    if a.shape != b.shape:
        raise ValueError(f"a {what} of a {a.shape} and a {b.shape} matrix")


def matmul(a: Small, b: Small) -> Small:
    if a.shape[1] != b.shape[0]:
        raise ValueError(f"a product of a {a.shape} and a {b.shape} matrix")
    cols = tuple(zip(*b.rows, strict=True))
    if not cols:
        return zeros(a.shape[0], b.shape[1])
    return Small(tuple(tuple(sum(map(mul, row, col)) for col in cols) for row in a.rows))


def add(a: Small, b: Small) -> Small:
    _same_shape(a, b, "sum")
    return Small(
        tuple(tuple(map(_plus, r, s)) for r, s in zip(a.rows, b.rows, strict=True)), a.shape[1]
    )


def hadamard(a: Small, b: Small) -> Small:
    _same_shape(a, b, "Hadamard product")
    return Small(
        tuple(tuple(map(mul, r, s)) for r, s in zip(a.rows, b.rows, strict=True)), a.shape[1]
    )


def scale(c, a: Small) -> Small:
    try:
        c = float(c)
    except OverflowError:  # 10^400 W: a number too large for a float is ±inf
        c = math.copysign(math.inf, float(c > 0) - 0.5)
    return Small(tuple(tuple(c * x for x in row) for row in a.rows), a.shape[1])


def diag(v: Small) -> Small:
    """The diagonal matrix of the entries of v."""
    values = v.entries()
    n = len(values)
    return Small(
        tuple(tuple(x if i == j else 0.0 for j in range(n)) for i, x in enumerate(values)), n
    )


def eye(n: int) -> Small:
    return Small(tuple(tuple(1.0 if i == j else 0.0 for j in range(n)) for i in range(n)), n)


def zeros(rows: int, cols: int) -> Small:
    return Small(((0.0,) * cols,) * rows, cols)


def ones(n: int) -> Small:
    return Small(((1.0,),) * n, 1)


def transpose(a: Small) -> Small:
    return Small(tuple(zip(*a.rows, strict=True)), a.shape[0])


def block(grid) -> Small:
    """The matrix of a grid of blocks: the blocks of a row share their height, of a column
    their width."""
    rows = []
    widths = [b.shape[1] for b in grid[0]] if grid else []
    for line in grid:
        height = line[0].shape[0]
        if [b.shape[1] for b in line] != widths or any(b.shape[0] != height for b in line):
            raise ValueError("blocks of mismatched shapes")
        for i in range(height):
            rows.append(tuple(x for b in line for x in b.rows[i]))
    return Small(tuple(rows), sum(widths))


def max_abs(a: Small) -> float:
    """The largest |entry| (nan when an entry is nan), 0 for an empty matrix."""
    out = 0.0
    for x in a.entries():
        if x != x:
            return math.nan
        out = max(out, abs(x))
    return out


def isfinite(a: Small) -> bool:
    """Whether every entry is finite."""
    return all(math.isfinite(x) for x in a.entries())


SMALL = Ops(
    matmul=matmul,
    add=add,
    scale=scale,
    hadamard=hadamard,
    diag=diag,
    apply=lambda act, v, order: v.map(act.scalar if order == 0 else act.scalar_derivative),
    identity=eye,
    zeros=zeros,
    ones=ones,
    transpose=transpose,
    block=block,
)
