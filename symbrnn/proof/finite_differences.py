"""∂L/∂P from the derived formulas (NumPy) against central finite differences of the loss."""

from __future__ import annotations

import time

import numpy as np

from symbrnn.engine.derive import Derivation
from symbrnn.numeric.instantiate import NUMPY, draw_point, forward
from symbrnn.numeric.loss import (
    gradient_value,
    loss_partials,
    numeric_squared_error_row,
    total_loss,
)
from symbrnn.proof.report import Verification


def verify_numeric(cell, *, T, n=3, d=2, seed=0, eps=1e-6, derivation=None) -> list[Verification]:
    """∂L/∂P from the derived formulas (NumPy) against central finite differences of the loss."""
    D = derivation or Derivation.of(cell)
    if any(node.fn is not None and not node.fn.numbers for node in D.trace.nodes):
        return []  # a generic φ has no numbers: its proofs are the exact ones
    rng = np.random.default_rng(seed)
    scale = {"parameter": 0.7, "input": 1.0, "state": 0.5}
    values, xs, initial = draw_point(
        D,
        n,
        d,
        T,
        lambda kind, _, rows, cols: rng.normal(0, scale[kind], (rows, cols)),
        wide=True,  # inputs past the breakpoints of the activations: every piece is met
    )
    ys = [rng.normal(size=(n, 1)) for _ in range(T)]

    def loss(vals):
        return total_loss(D, forward(D, vals, xs, initial, NUMPY), ys, range(1, T + 1))

    env = forward(D, values, xs, initial, NUMPY)
    partials = loss_partials(D, env, ys, range(1, T + 1), row=numeric_squared_error_row)
    out = []
    for name in D.params:
        start = time.perf_counter()
        derived = gradient_value(D, name, T, env, values, NUMPY, {D.n: n, D.d: d}, partials)
        numeric = np.zeros_like(values[name])
        for index in np.ndindex(values[name].shape):
            up, down = dict(values), dict(values)
            up[name], down[name] = values[name].copy(), values[name].copy()
            up[name][index] += eps
            down[name][index] -= eps
            numeric[index] = (loss(up) - loss(down)) / (2 * eps)
        error = float(np.max(np.abs(derived - numeric)) / max(1.0, float(np.max(np.abs(numeric)))))
        out.append(
            Verification(
                f"∂L/∂{name} (numbers)",
                cell.name,
                {"n": n, "d": d, "T": T},
                "finite differences",
                error < 1e-6,
                time.perf_counter() - start,
                {"max_relative_error": error},
            )
        )
    return out
