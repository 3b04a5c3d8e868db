"""Judge a hand derivation: equivalent to the engine's result or not, why, and a counterexample.

Equivalence is decided on the mathematics: both expressions are evaluated at
several random points along real trajectories of the cell (so that
Diag(h_3 ⊙ (1 − h_3)) and Diag(σ'(a_3)) agree for a sigmoid cell), never by
comparing strings. Opaque symbols (∂L_t/∂h_t, ∂⁺h_k/∂W) get the same random
values on both sides.

>>> from symbrnn.engine.cells import simple_rnn
>>> check_answer(simple_rnn(), "dh_3/dh_2", r"\\mathrm{diag}(\\sigma'(W h_2 + U x_3 + b)) W").equivalent
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy import MatAdd, MatMul, MatrixSymbol, Transpose

from symbrnn.engine.derive import Derivation
from symbrnn.engine.matexpr import Apply, Diag, OrderedProduct, Partial, add
from symbrnn.engine.quantity import parse_quantity
from symbrnn.errors import InputError
from symbrnn.judge.answer_parser import AnswerParseError, parse_answer
from symbrnn.numeric.instantiate import NUMPY, Evaluator, forward
from symbrnn.printing.text import text

POINTS = 4
TOLERANCE = 1e-9


@dataclass
class Verdict:
    equivalent: bool
    quantity: str
    expected: str
    answer: str
    diagnosis: list[str] = field(default_factory=list)
    counterexample: dict | None = None
    note: str = ""

    def as_json(self) -> dict:
        return {
            "equivalent": self.equivalent,
            "quantity": self.quantity,
            "expected": self.expected,
            "answer": self.answer,
            "diagnosis": self.diagnosis,
            "counterexample": self.counterexample,
            "note": self.note,
        }


def reference(D: Derivation, q: dict, *, T=None, paths="all"):
    """The engine's expression for the quantity, with the sheet's form for gradients."""
    if q.kind == "jacobian":
        return D.jacobian(q.name, q.t, q.k, paths=paths)
    if T is None:
        raise InputError("dL/d... needs --T (the number of steps)")
    terms = [
        D.gradient_term(q.name, t, k, paths=paths) for t in range(1, T + 1) for k in range(1, t + 1)
    ]
    return add(*terms)


class Points:
    """Random trajectories of the cell, with shared values for opaque symbols."""

    def __init__(self, D: Derivation, T: int, n=2, d=1, seed=0, count=POINTS):
        self.D, self.n, self.d, self.T = D, n, d, T
        rng = np.random.default_rng(seed)
        self.points = []
        for _ in range(count):
            values = {}
            for name in D.params:
                values[name] = np.round(rng.uniform(-1, 1, D.concrete_shape(name, n, d)), 1)
            xs = [np.round(rng.uniform(-1, 1, (d, 1)), 1) for _ in range(T)]
            initial = {s: np.round(rng.uniform(-1, 1, (n, 1)), 1) for s in D.states}
            env = forward(D, values, xs, initial, NUMPY)
            self.points.append(
                {
                    "values": values,
                    "xs": xs,
                    "initial": initial,
                    "env": env,
                    "opaque": {},
                    "rng": np.random.default_rng(rng.integers(1 << 30)),
                }
            )

    def evaluate(self, expr, point):
        for p in expr.atoms(Partial):
            if p not in point["opaque"]:
                rows, cols = (
                    int(sp.sympify(s).subs({self.D.n: self.n, self.D.d: self.d})) for s in p.shape
                )
                point["opaque"][p] = point["rng"].normal(size=(rows, cols))
        ev = Evaluator(
            point["env"],
            point["values"],
            NUMPY,
            {self.D.n: self.n, self.D.d: self.d},
            point["opaque"],
        )
        return np.asarray(ev(expr), dtype=float)

    def equal(self, a, b) -> tuple[bool, dict | None]:
        for index, point in enumerate(self.points):
            try:
                va, vb = self.evaluate(a, point), self.evaluate(b, point)
            except (ValueError, KeyError, TypeError, np.linalg.LinAlgError) as exc:
                return False, {"error": f"cannot evaluate: {exc}"}
            if va.shape != vb.shape:
                return False, {"error": f"shapes differ: {va.shape} against {vb.shape}"}
            if not np.allclose(va, vb, rtol=TOLERANCE, atol=TOLERANCE):
                i, j = np.unravel_index(np.argmax(np.abs(va - vb)), va.shape)
                return False, {
                    "point": index,
                    "entry": [int(i), int(j)],
                    "yours": float(va[i, j]),
                    "expected": float(vb[i, j]),
                }
        return True, None

    def describe(self, index: int) -> dict:
        point = self.points[index]
        return {
            "n": self.n,
            "d": self.d,
            "weights": {k: v.tolist() for k, v in point["values"].items()},
            "x": [x.ravel().tolist() for x in point["xs"]],
            "initial": {k: v.ravel().tolist() for k, v in point["initial"].items()},
        }


def check_answer(cell, quantity: str, answer: str, *, T=None, paths="all") -> Verdict:
    """Compare a hand derivation with the engine's result; diagnose when it differs."""
    q = parse_quantity(quantity)
    if q.kind == "jacobian" and not q.concrete:
        raise InputError(f"quantity {quantity!r}: give the steps, e.g. d{q.name}_3/d{q.name}_1")
    D = Derivation(cell)
    if q.kind == "jacobian":
        D.check_state(q.name)
    else:
        D.check_param(q.name)
    steps = q.t if q.kind == "jacobian" else T
    context = {"t": q.t, "k": q.k} if q.kind == "jacobian" else {"T": T}
    ref = reference(D, q, T=T, paths=paths)
    yours = parse_answer(answer, cell, context)
    points = Points(D, max(int(steps or 1), 1))
    same, where = points.equal(yours, ref)
    verdict = Verdict(same, quantity, text(ref), text(yours))
    if same:
        return verdict
    other = _other_product_convention(yours)
    if other is not None and points.equal(other, ref)[0]:
        verdict.equivalent = True
        verdict.note = (
            "equivalent when ∏ is read with the factor j = lower bound on the left; symbrnn "
            "reads ∏_{j=a}^{b} with j = b on the left, as ∂h_t/∂h_k = ∂h_t/∂h_{t-1} ⋯ ∂h_{k+1}/∂h_k"
        )
        return verdict
    verdict.diagnosis = diagnose(yours, ref, points, D, q, T=T, paths=paths)
    if where and "point" in where:
        verdict.counterexample = points.describe(where["point"]) | {
            k: where[k] for k in ("entry", "yours", "expected")
        }
    elif where:
        verdict.counterexample = where
    return verdict


def _other_product_convention(expr):
    prods = expr.atoms(OrderedProduct)
    if not prods:
        return None
    return expr.xreplace({p: _reversed_product(p) for p in prods})


def _reversed_product(p: OrderedProduct):
    """The same product read with j = lo on the left."""
    j = p.index
    return OrderedProduct(p.body.xreplace({j: p.lo + p.hi - j}), j, p.lo, p.hi)


def diagnose(yours, ref, points: Points, D, q, *, T=None, paths="all") -> list[str]:
    """Small edits of the answer that make it right, said in words."""
    found = []

    def fixes(candidate) -> bool:
        try:
            return points.equal(candidate, ref)[0]
        except Exception:  # an edit that makes no sense as matrices is simply not the fix
            return False

    if fixes(Transpose(yours)):
        found.append(
            "your answer is the transpose of the expected one (numerator layout: ∂u/∂v has one row "
            "per entry of u)"
        )
    for P in sorted(yours.atoms(MatrixSymbol), key=str):
        transposed = [t for t in yours.atoms(Transpose) if t.arg == P]
        if transposed:
            edit = yours.xreplace({t: P for t in transposed})
            message = f"a transpose too many: {P}ᵀ should be {P}"
        else:
            edit = yours.xreplace({P: Transpose(P)})
            message = f"a transpose too few: {P} should be {P}ᵀ"
        if fixes(edit):
            found.append(message)
    if isinstance(yours, MatMul) and any(
        fixes(MatMul(*order)) for order in _reorderings(yours.args)
    ):
        found.append(
            "the factors are in the wrong order (matrix products do not commute): "
            "the factor of the latest step goes on the left"
        )
    applies = yours.atoms(Apply)
    if applies and fixes(
        yours.xreplace({a: Apply(a.fn, a.vec, 1 - a.order) for a in applies if a.order <= 1})
    ):
        found.append(
            "σ in place of σ′ (or the reverse): the Jacobian of φ(a) is Diag(φ′(a)), not Diag(φ(a))"
        )
    for p in yours.atoms(OrderedProduct):
        for lo, hi in ((p.lo + 1, p.hi), (p.lo - 1, p.hi), (p.lo, p.hi + 1), (p.lo, p.hi - 1)):
            if fixes(yours.xreplace({p: OrderedProduct(p.body, p.index, lo, hi)})):
                found.append(
                    f"product bounds: ∏_{{{p.index}={p.lo}}}^{{{p.hi}}} should run from "
                    f"{p.index}={lo} to {hi}"
                )
    if q.kind == "jacobian" and len(D.states) > 1 and paths == "all":
        direct = D.jacobian(q.name, q.t, q.k, paths="direct")
        if points.equal(yours, direct)[0]:
            others = ", ".join(s for s in D.states if s != q.name)
            found.append(
                f"only the direct path through {q.name}: the paths through {others} "
                "(e.g. h_{t-1} and the gates) are missing"
            )
    found.extend(_term_differences(yours, ref, points, D, q, T=T, paths=paths))
    return found or ["no single edit explains the difference; compare with the expected result"]


def _reorderings(args) -> list[list]:
    """The factors reversed one by one, and reversed by steps (each Diag with what follows it)."""
    chunks, current = [], []
    for a in args:
        if isinstance(a, Diag) and current:
            chunks.append(current)
            current = []
        current.append(a)
    chunks.append(current)
    return [list(reversed(args)), [a for chunk in reversed(chunks) for a in chunk]]


def _term_differences(yours, ref, points, D, q, *, T=None, paths="all") -> list[str]:
    if q.kind != "gradient":
        return []
    expected = {
        (t, k): D.gradient_term(q.name, t, k, paths=paths)
        for t in range(1, T + 1)
        for k in range(1, t + 1)
    }
    mine = list(yours.args) if isinstance(yours, MatAdd) else [yours]
    unmatched_mine = []
    remaining = dict(expected)
    for term in mine:
        match = next((key for key, e in remaining.items() if points.equal(term, e)[0]), None)
        if match is None:
            unmatched_mine.append(term)
        else:
            remaining.pop(match)
    out = []
    if remaining:
        out.append(
            "missing term(s) for (t, k) = " + ", ".join(f"({t}, {k})" for t, k in sorted(remaining))
        )
    if unmatched_mine:
        out.append("extra or wrong term(s): " + "; ".join(text(t) for t in unmatched_mine))
    return out


__all__ = ["AnswerParseError", "Verdict", "check_answer"]
