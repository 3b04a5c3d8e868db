"""Proof of what symbrnn prints: derived results against brute force.

Exact: the cell is unrolled element by element with SymPy symbols (a generic
φ whose derivative stays φ' where the cell allows it), the brute-force
derivative is ``sympy.diff`` of the unrolled quantity, and the derived
matrix formula, instantiated at the same symbols, must be *equal* (the
difference expands to 0). Numeric: the derived formula at random numbers
against central finite differences.

>>> from symbrnn.cells import simple_rnn
>>> verify_jacobian(simple_rnn(bias=False), "h", t=3, k=1, n=2, d=1).equal
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import sympy
from sympy import Matrix

from symbrnn.derive import Derivation, Loss
from symbrnn.errors import InputError
from symbrnn.instantiate import SYMPY, Evaluator, forward
from symbrnn.matexpr import Partial, TimeVec


@dataclass
class Verification:
    """The outcome of one check."""

    quantity: str
    cell: str
    sizes: dict
    method: str
    equal: bool
    seconds: float
    detail: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "quantity": self.quantity,
            "cell": self.cell,
            "sizes": self.sizes,
            "method": self.method,
            "equal": self.equal,
            "seconds": round(self.seconds, 3),
            **self.detail,
        }


def symbolic_values(derivation: Derivation, n: int, d: int, T: int):
    """Parameters, inputs and initial states as matrices of fresh symbols."""
    values = {}
    for name, P in derivation.params.items():
        rows, cols = (
            int(sympy.sympify(s).subs({derivation.n: n, derivation.d: d})) for s in P.shape
        )
        values[name] = Matrix(rows, cols, lambda i, j, name=name: sympy.Symbol(f"{name}[{i},{j}]"))
    xs = [Matrix(d, 1, lambda i, j, t=t: sympy.Symbol(f"x{t}[{i}]")) for t in range(1, T + 1)]
    initial = {
        s: Matrix(n, 1, lambda i, j, s=s: sympy.Symbol(f"{s}0[{i}]")) for s in derivation.states
    }
    return values, xs, initial


def _is_zero_matrix(m: Matrix) -> bool:
    """Exact test: every activation value becomes an atom, then the polynomial must vanish.

    Both sides apply the activations to the very same unrolled arguments, so
    σ(a) and σ(a') are the same atom exactly when a and a' are the same
    expression; expanding inside them (the naive way) is what grows
    exponentially with T.
    """
    atoms: dict = {}
    for entry in m:
        for f in entry.atoms(sympy.Function):
            atoms.setdefault(f, sympy.Dummy())
    return all(sympy.expand(entry.xreplace(atoms)) == 0 for entry in m)


def verify_jacobian(cell, state, *, t, k, wrt=None, paths="all", n=2, d=1) -> Verification:
    """∂state_t/∂wrt_k: derived ordered product against sympy.diff of the unrolled cell."""
    _check_sizes(n=n, d=d, t=t, k=k)
    if k > t:
        raise InputError(f"need k ≤ t, got t={t}, k={k}")
    start = time.perf_counter()
    D = Derivation(cell)
    wrt = wrt or state
    values, xs, initial = symbolic_values(D, n, d, t)
    base = forward(D, values, xs, initial, SYMPY)
    eps = Matrix(n, 1, lambda i, j: sympy.Symbol(f"e[{i}]"))
    others = set(D.states) - {state} if paths == "direct" else None
    perturbed = forward(
        D, values, xs, initial, SYMPY, perturb={(wrt, k): eps}, detach=others, base=base
    )
    at_zero = {e: 0 for e in eps}
    brute = perturbed[state, t].jacobian(eps).xreplace(at_zero)
    derived_expr = D.jacobian(state, t, k, wrt=wrt, paths=paths)
    derived = Evaluator(base, values, SYMPY, {D.n: n, D.d: d})(derived_expr)
    equal = _is_zero_matrix(brute - derived)
    label = f"∂{state}_{t}/∂{wrt}_{k}" + (" (direct path)" if paths == "direct" else "")
    return Verification(
        label,
        cell.name,
        {"n": n, "d": d, "T": t},
        "exact (sympy.diff)",
        equal,
        time.perf_counter() - start,
    )


def squared_error_row(h: Matrix, y: Matrix) -> Matrix:
    """∂L_t/∂h_t for L_t = ½‖h_t − y_t‖², derived with sympy.diff (a row vector)."""
    hs = sympy.symbols(f"u0:{h.rows}")
    loss = sum((hi - yi) ** 2 for hi, yi in zip(hs, y, strict=True)) / 2
    row = Matrix([[sympy.diff(loss, hi) for hi in hs]])
    return row.xreplace(dict(zip(hs, h, strict=True)))


def gradient_value(D: Derivation, param, T, env, values, ys, ops, dims, loss_steps=None):
    """∂L/∂param at values: Σ_t Σ_k of the derived matrix-form terms."""
    steps = loss_steps or range(1, T + 1)
    partials = {}
    for t in steps:
        h_t = env[D.states[0], t]
        y_t = ys[t - 1]
        if ops is SYMPY:
            partials[Partial(Loss(t), TimeVec(D.states[0], t, D.n))] = squared_error_row(h_t, y_t)
        else:
            partials[Partial(Loss(t), TimeVec(D.states[0], t, D.n))] = _numeric_loss_row(h_t, y_t)
    ev = Evaluator(env, values, ops, dims, partials)
    total = None
    for t in steps:
        for k in range(1, t + 1):
            term = ev(D.gradient_matrix_term(param, t, k))
            total = term if total is None else ops.add(total, term)
    return total


def _numeric_loss_row(h, y):
    n = h.shape[0]
    row = squared_error_row(Matrix(sympy.symbols(f"hv0:{n}")), Matrix(sympy.symbols(f"yv0:{n}")))
    f = sympy.lambdify([sympy.symbols(f"hv0:{n}"), sympy.symbols(f"yv0:{n}")], row, "numpy")
    return np.asarray(f(np.ravel(h), np.ravel(y)), dtype=float).reshape(1, n)


def verify_gradient(cell, param, *, T, n=2, d=1) -> Verification:
    """∂L/∂param (squared error at every step) against sympy.diff of the unrolled loss."""
    _check_sizes(n=n, d=d, t=T, k=1)
    start = time.perf_counter()
    D = Derivation(cell)
    values, xs, initial = symbolic_values(D, n, d, T)
    ys = [Matrix(n, 1, lambda i, j, t=t: sympy.Symbol(f"y{t}[{i}]")) for t in range(1, T + 1)]
    env = forward(D, values, xs, initial, SYMPY)
    loss = sum(
        (
            sum((env[D.states[0], t][i] - ys[t - 1][i]) ** 2 for i in range(n)) / 2
            for t in range(1, T + 1)
        ),
        sympy.Integer(0),
    )
    P = values[param]
    brute = Matrix(P.rows, P.cols, lambda i, j: sympy.diff(loss, P[i, j]))
    derived = gradient_value(D, param, T, env, values, ys, SYMPY, {D.n: n, D.d: d})
    equal = _is_zero_matrix(brute - derived)
    return Verification(
        f"∂L/∂{param}",
        cell.name,
        {"n": n, "d": d, "T": T},
        "exact (sympy.diff)",
        equal,
        time.perf_counter() - start,
    )


def _check_sizes(**sizes):
    for name, value in sizes.items():
        if not isinstance(value, int) or value < 1:
            raise InputError(f"{name} must be a positive integer, got {value!r}")
