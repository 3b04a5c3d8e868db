"""The random-point identity test in exact integer arithmetic (integers modulo a prime).

Both sides of a derived identity are evaluated at one random point of the field
Z/pZ, p = 2⁶¹ − 1, with no SymPy expression built per element:

- the **derived** side: the engine's matrix formula, evaluated by the
  :class:`~symbrnn.numeric.instantiate.Evaluator` on modular integer matrices;
- the **brute-force** side: the cell run forward element by element with dual
  numbers (each entry carries its value and its derivative along every seed
  direction), so the derivative comes from the cell's equations through the
  product rule alone, never from the engine's local Jacobians.

Activation values are unknowns of the identity: φ applied to a value z is
read from a random table, and φ'(z) is the activation's *derived* derivative
written in those unknowns (σ' = σ(1 − σ), tanh' = 1 − tanh², φ' a second
unknown for the generic φ). Both sides read the same tables, so a wrong
formula differs from the brute force at a random point with probability
≥ 1 − deg/p (Schwartz–Zippel), deg being the degree of the identity: a few
hundred at most here, against p ≈ 2.3·10¹⁸.

>>> import random
>>> from symbrnn.engine.cells import lstm
>>> from symbrnn.engine.derive import Derivation
>>> D = Derivation.of(lstm())
>>> jacobian_agrees(D, "c", "c", t=4, k=1, n=2, d=1, rng=random.Random(0))
True
"""

from __future__ import annotations

import random
from functools import cache

import numpy as np
import sympy
from sympy.core.sympify import _sympify  # strict: never parses a string

from symbrnn.errors import DerivationError
from symbrnn.numeric.instantiate import Evaluator, Ops, draw_point, forward
from symbrnn.numeric.loss import gradient_value, loss_partials, squared_error_ops

PRIME = 2**61 - 1


def residue(c) -> int:
    """A rational constant of a formula as an element of Z/pZ.

    >>> residue(sympy.Rational(1, 2)) * 2 % PRIME
    1
    """
    c = _sympify(c)
    if not c.is_Rational:
        raise DerivationError.said("proof.error.modular_constant", value=str(c))
    return int(c.p) * pow(int(c.q), -1, PRIME) % PRIME


def _compile(expr, xi, unknowns):
    """A polynomial in xi and the unknowns as a Python function (z, us) -> residue."""
    if expr == xi:
        return lambda z, us: z
    if expr in unknowns:
        i = unknowns.index(expr)
        return lambda z, us: us[i]
    if expr.is_Rational:
        value = residue(expr)
        return lambda z, us: value
    parts = [_compile(a, xi, unknowns) for a in expr.args]
    if expr.is_Add:
        return lambda z, us: sum(f(z, us) for f in parts) % PRIME
    if expr.is_Mul:

        def product(z, us):
            out = 1
            for f in parts:
                out = out * f(z, us) % PRIME
            return out

        return product
    if expr.is_Pow and expr.exp.is_Integer:
        base, e = parts[0], int(expr.exp)
        return lambda z, us: pow(base(z, us), e, PRIME)
    raise DerivationError.said("proof.error.modular_expr", expr=str(expr))


@cache
def _modular_forms(act):
    """φ and φ' of an activation as polynomials in z and in the unknowns φ's form holds
    (σ(z), tanh(z), a Piecewise branch, φ'(z) …), derived once per activation."""
    xi = sympy.Dummy("xi", real=True)
    form, derivative = act.sympy_form(xi), act.derivative(xi)
    atoms = sorted(
        form.atoms(sympy.Function)
        | derivative.atoms(sympy.Function)
        | _irrational(form)
        | _irrational(derivative),
        key=str,
    )
    unknowns = [sympy.Dummy(f"u{i}") for i in range(len(atoms))]
    swap = dict(zip(atoms, unknowns, strict=True))
    return (
        len(atoms),
        _compile(form.xreplace(swap), xi, unknowns),
        _compile(derivative.xreplace(swap), xi, unknowns),
    )


def _irrational(expr) -> set:
    """The constants of a form that are not rational (√2, π, √(2/π) in GELU's tanh form):
    unknowns of the identity like φ's own values, since both sides read the same φ and φ'
    (the identity holds whatever number they stand for)."""
    if expr.is_number and not expr.is_Rational:
        return {expr}
    out: set = set()
    for a in expr.args:
        out |= _irrational(a)
    return out


class ModularPoint:
    """One random point: random residues for the inputs and random activation tables."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.tables: dict = {}

    def matrix(self, rows: int, cols: int) -> np.ndarray:
        return np.array(
            [[self.rng.randrange(PRIME) for _ in range(cols)] for _ in range(rows)], dtype=object
        )

    def activation(self, act, z: int, order: int) -> int:
        """φ(z) (order 0) or φ'(z) (order 1) at this point."""
        if order > 1:
            raise DerivationError.said("proof.error.modular_order", order=order)
        count, form, derivative = _modular_forms(act)
        key = (act.name, z)
        us = self.tables.get(key)
        if us is None:
            us = self.tables[key] = [self.rng.randrange(PRIME) for _ in range(count)]
        return (form if order == 0 else derivative)(z, us)

    def apply(self, act, v: np.ndarray, order: int) -> np.ndarray:
        out = np.empty(v.shape, dtype=object)
        for index, z in np.ndenumerate(v):
            out[index] = self.activation(act, z, order)
        return out


def modular_ops(point: ModularPoint) -> Ops:
    """The backend of the derived side: integer matrices modulo p."""
    return Ops(
        matmul=lambda a, b: (a @ b) % PRIME,
        add=lambda a, b: (a + b) % PRIME,
        scale=lambda c, a: (residue(c) * a) % PRIME,
        hadamard=lambda a, b: (a * b) % PRIME,
        diag=lambda v: np.diag(v.ravel()).astype(object),
        apply=point.apply,
        identity=lambda n: np.identity(n, dtype=object),
        zeros=lambda r, c: np.zeros((r, c), dtype=object),
        ones=lambda n: np.ones((n, 1), dtype=object),
        transpose=lambda a: a.T,
        block=np.block,
    )


class Dual:
    """A matrix value ``v`` (r, c) with its derivatives ``t`` (m, r, c) along m seeds."""

    __slots__ = ("t", "v")

    def __init__(self, v: np.ndarray, t: np.ndarray):
        self.v, self.t = v, t

    @property
    def shape(self):
        return self.v.shape


def _constant(v: np.ndarray, seeds: int) -> Dual:
    """A value whose derivative along every seed is 0."""
    return Dual(v, np.zeros((seeds, *v.shape), dtype=object))


def dual_ops(point: ModularPoint, seeds: int) -> Ops:
    """The brute-force backend: forward-mode derivatives, entry by entry, modulo p."""

    def apply(act, x, order):
        if order != 0:
            raise DerivationError.said("proof.error.modular_apply")
        slope = point.apply(act, x.v, 1)
        return Dual(point.apply(act, x.v, 0), (slope * x.t) % PRIME)

    def diag(x):
        tangents = np.array([np.diag(t.ravel()) for t in x.t], dtype=object)
        return Dual(np.diag(x.v.ravel()).astype(object), tangents)

    return Ops(
        matmul=lambda a, b: Dual((a.v @ b.v) % PRIME, (a.t @ b.v + a.v @ b.t) % PRIME),
        add=lambda a, b: Dual((a.v + b.v) % PRIME, (a.t + b.t) % PRIME),
        scale=lambda c, a: Dual((residue(c) * a.v) % PRIME, (residue(c) * a.t) % PRIME),
        hadamard=lambda a, b: Dual((a.v * b.v) % PRIME, (a.t * b.v + a.v * b.t) % PRIME),
        diag=diag,
        apply=apply,
        identity=lambda n: _constant(np.identity(n, dtype=object), seeds),
        zeros=lambda r, c: _constant(np.zeros((r, c), dtype=object), seeds),
        ones=lambda n: _constant(np.ones((n, 1), dtype=object), seeds),
        transpose=lambda a: Dual(a.v.T, a.t.transpose(0, 2, 1)),
        block=lambda rows: Dual(
            np.block([[b.v for b in row] for row in rows]),
            np.block([[b.t for b in row] for row in rows]),
        ),
    )


def _seeded(value: np.ndarray, seeds: int) -> Dual:
    """A variable: the derivative of entry number i along seed i is 1."""
    tangents = np.zeros((seeds, *value.shape), dtype=object)
    for i, index in enumerate(np.ndindex(value.shape)):
        tangents[(i, *index)] = 1
    return Dual(value, tangents)


class _Point:
    """Random inputs of one trial, on both backends."""

    def __init__(self, D, n, d, T, rng):
        self.point = ModularPoint(rng)
        self.values, self.xs, self.initial = draw_point(
            D, n, d, T, lambda kind, _, rows, cols: self.point.matrix(rows, cols)
        )
        self.ys = [self.point.matrix(n, 1) for _ in range(T)]
        self.ops = modular_ops(self.point)
        self.env = forward(D, self.values, self.xs, self.initial, self.ops)
        self.dims = {D.n: n, D.d: d}

    def dual(self, seeds: int, seeded: str | None = None):
        values = {
            p: _seeded(v, seeds) if p == seeded else _constant(v, seeds)
            for p, v in self.values.items()
        }
        return (
            dual_ops(self.point, seeds),
            values,
            [_constant(x, seeds) for x in self.xs],
            {s: _constant(v, seeds) for s, v in self.initial.items()},
        )


def jacobian_agrees(D, state, wrt, *, t, k, n, d, rng, paths="all", derived=None) -> bool:
    """∂state_t/∂wrt_k: the derived product against forward-mode brute force, at one point."""
    derived = derived if derived is not None else D.jacobian(state, t, k, wrt=wrt, paths=paths)
    detach = frozenset(set(D.states) - {state}) if paths == "direct" else frozenset()
    at = _Point(D, n, d, t, rng)
    formula = Evaluator(at.env, at.values, at.ops, at.dims)(derived)
    ops, values, xs, initial = at.dual(n)
    base = forward(D, values, xs, initial, ops) if detach else None
    seed = _seeded(np.zeros((n, 1), dtype=object), n)
    run = forward(
        D, values, xs, initial, ops, perturb={(wrt, k): seed}, detach=detach or None, base=base
    )
    brute = run[state, t].t[:, :, 0].T  # brute[i, j] = ∂state_t[i]/∂wrt_k[j]
    return bool(np.array_equal(brute % PRIME, np.asarray(formula, dtype=object) % PRIME))


def gradient_agrees(D, param, *, T, n, d, rng, terms=None) -> bool:
    """∂L/∂param for L = Σ_t ½‖h_t − y_t‖²: the derived double sum against brute force."""
    at = _Point(D, n, d, T, rng)
    steps = range(1, T + 1)

    def row(h, y):  # ∂L_t/∂h_t, by the same forward-mode rule as the brute force
        m = h.shape[0]
        loss = squared_error_ops(dual_ops(at.point, m), _seeded(h, m), _constant(y, m))
        return loss.t[:, 0, 0].reshape(1, m)

    partials = loss_partials(D, at.env, at.ys, steps, row=row)
    formula = gradient_value(D, param, T, at.env, at.values, at.ops, at.dims, partials)
    size = at.values[param].size
    ops, values, xs, initial = at.dual(size, seeded=param)
    run = forward(D, values, xs, initial, ops)
    loss = None
    for t in steps:
        term = squared_error_ops(ops, run[D.states[0], t], _constant(at.ys[t - 1], size))
        loss = term if loss is None else ops.add(loss, term)
    brute = loss.t[:, 0, 0].reshape(at.values[param].shape)
    return bool(np.array_equal(brute % PRIME, np.asarray(formula, dtype=object) % PRIME))


__all__ = ["PRIME", "ModularPoint", "gradient_agrees", "jacobian_agrees", "residue"]
