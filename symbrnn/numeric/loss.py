"""The loss, defined once: L = Σ_t L_t with L_t = ½‖h_t − y_t‖², and ∂L/∂P from the derived terms.

Every command that needs numbers (``evaluate``, ``verify``, the sheets, the
spectral curves) uses these functions, on SymPy or NumPy values alike.

>>> import numpy as np
>>> squared_error(np.array([[1.0], [2.0]]), np.array([[0.0], [0.0]]))
2.5
>>> numeric_squared_error_row(np.array([[1.0], [2.0]]), np.array([[0.0], [1.0]]))
array([[1., 1.]])
"""

from __future__ import annotations

import functools

import numpy as np
import sympy
from sympy import Matrix

from symbrnn.engine.derive import Derivation, Loss
from symbrnn.engine.matexpr import Partial, TimeVec
from symbrnn.numeric.instantiate import Evaluator


def squared_error(h, y):
    """L_t = ½‖h − y‖² for column vectors (SymPy ``Matrix`` or NumPy arrays)."""
    if isinstance(h, np.ndarray):
        return 0.5 * float(np.sum((h - y) ** 2))
    return sum(((hi - yi) ** 2 for hi, yi in zip(h, y, strict=True)), 0) / 2


def squared_error_ops(ops, h, y):
    """L_t = ½‖h − y‖² on any backend, through its operations only (a 1×1 matrix)."""
    diff = ops.add(h, ops.scale(-1, y))
    return ops.scale(sympy.Rational(1, 2), ops.matmul(ops.transpose(diff), diff))


def total_loss(D: Derivation, env, ys, steps):
    """L = Σ_{t ∈ steps} ½‖h_t − y_t‖², h_t read from an unrolled run ``env``."""
    return sum((squared_error(env[D.states[0], t], ys[t - 1]) for t in steps), 0)


def squared_error_row(h: Matrix, y: Matrix) -> Matrix:
    """∂L_t/∂h_t for L_t = ½‖h_t − y_t‖², derived with sympy.diff (a row vector)."""
    hs = sympy.symbols(f"u0:{h.rows}")
    row = Matrix([[sympy.diff(squared_error(Matrix(hs), y), hi) for hi in hs]])
    return row.xreplace(dict(zip(hs, h, strict=True)))


@functools.lru_cache(maxsize=16)
def _squared_error_row_function(n: int):
    """The derived row as a NumPy function of (h, y), built once per size from our own
    expression (no user text reaches it)."""
    hs, ys = sympy.symbols(f"h0:{n}"), sympy.symbols(f"y0:{n}")
    from symbrnn.engine.functions import numpy_function

    return numpy_function([hs, ys], squared_error_row(Matrix(hs), Matrix(ys)))


def numeric_squared_error_row(h, y) -> np.ndarray:
    """:func:`squared_error_row` for NumPy vectors."""
    n = h.shape[0]
    row = _squared_error_row_function(n)(np.ravel(h), np.ravel(y))
    return np.asarray(row, dtype=float).reshape(1, n)


def loss_partials(D: Derivation, env, ys, steps, row=squared_error_row) -> dict:
    """{∂L_t/∂h_t: its value} for the steps that carry a loss."""
    return {
        Partial(Loss(t), TimeVec(D.states[0], t, D.n)): row(env[D.states[0], t], ys[t - 1])
        for t in steps
    }


def gradient_value(D: Derivation, param, T, env, values, ops, dims, partials, loss_steps=None):
    """∂L/∂param at values: Σ_t Σ_k of the derived matrix-form terms."""
    ev = Evaluator(env, values, ops, dims, partials)
    total = None
    for t in loss_steps or range(1, T + 1):
        for k in range(1, t + 1):
            term = ev(D.gradient_matrix_term(param, t, k))
            total = term if total is None else ops.add(total, term)
    return total


__all__ = [
    "gradient_value",
    "loss_partials",
    "numeric_squared_error_row",
    "squared_error",
    "squared_error_ops",
    "squared_error_row",
    "total_loss",
]
