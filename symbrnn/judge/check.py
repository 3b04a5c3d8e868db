"""Judge a hand derivation: equivalent to the engine's result or not, why, and a counterexample.

Equivalence is decided on the mathematics: both expressions are evaluated at
several random points along real trajectories of the cell, at several sizes
(see :mod:`symbrnn.judge.points`), never by comparing strings. Four outcomes:
``equivalent``; ``not_equivalent`` (with a counterexample and, where one edit
explains it, a diagnosis); ``cannot_judge`` (names what is unknown); and
``unreadable`` (an :class:`AnswerParseError`, exit 2, with the position).

>>> from symbrnn.engine.cells import simple_rnn
>>> check_answer(simple_rnn(), "dh_3/dh_2", r"\\mathrm{diag}(\\sigma'(W h_2 + U x_3 + b)) W").outcome
'equivalent'
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from sympy import MatMul, Transpose, preorder_traversal
from sympy.matrices.common import ShapeError

from symbrnn.engine.derive import Derivation
from symbrnn.engine.matexpr import OrderedProduct, add
from symbrnn.engine.quantity import MAX_T, parse_quantity
from symbrnn.errors import InputError
from symbrnn.judge.answer_parser import AnswerParseError, parse_answer
from symbrnn.judge.diagnose import Diagnosis, diagnose
from symbrnn.judge.points import cached_points
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text

LAYOUTS = ("numerator", "denominator", "either")
CHECK_SECONDS = 20  # the longest one check may take, in the terminal and on the web page
MAX_GRADIENT_T = 30  # ∂L/∂W with T(T+1)/2 terms, each an ordered product


@dataclass
class Verdict:
    """What ``check`` says of one answer."""

    equivalent: bool
    quantity: str
    expected: str
    answer: str
    outcome: str = "equivalent"
    diagnoses: list[Diagnosis] = field(default_factory=list)
    counterexample: dict | None = None
    note: str = ""
    expected_latex: str = ""
    yours_latex: str = ""

    @property
    def diagnosis(self) -> list[str]:
        return [d.message for d in self.diagnoses]

    @property
    def answer_notes(self) -> list[str]:
        """Stable codes of the diagnoses (ORDER, TRANSPOSE, BIAS_MISSING...), for grading."""
        return [d.code for d in self.diagnoses]

    def as_json(self) -> dict:
        return {
            "equivalent": self.equivalent,
            "outcome": self.outcome,
            "quantity": self.quantity,
            "expected": self.expected,
            "answer": self.answer,
            "expected_latex": self.expected_latex,
            "yours_latex": self.yours_latex,
            "diagnosis": self.diagnosis,
            "answer_notes": self.answer_notes,
            "counterexample": self.counterexample,
            "note": self.note,
        }

    def text(self) -> str:
        """The verdict for the terminal."""
        head = {
            "equivalent": "✓ equivalent",
            "not_equivalent": "✗ not equivalent",
            "cannot_judge": "? cannot judge",
        }[self.outcome]
        lines = [f"{head}: {self.quantity}", f"  expected: {self.expected}"]
        if self.answer:
            lines.append(f"  yours:    {self.answer}")
        if self.note:
            lines.append(f"  note: {self.note}")
        lines += [f"  diagnosis: {d}" for d in self.diagnosis]
        if self.counterexample:
            import json

            lines.append(f"  counterexample: {json.dumps(self.counterexample)}")
        return "\n".join(lines)

    def __repr__(self):
        return f"Verdict({self.outcome}: {self.quantity}{', ' + ', '.join(self.answer_notes) if self.diagnoses else ''})"

    def _repr_html_(self):
        from html import escape

        return "<pre>" + escape(self.text()) + "</pre>"

    def _repr_latex_(self):
        yours = f"\\text{{yours: }} {self.yours_latex}" if self.yours_latex else ""
        return f"$\\text{{{self.outcome.replace('_', ' ')}}}\\quad {yours}$"


def reference(D: Derivation, q, *, T=None, paths="all"):
    """The engine's expression for the quantity, with the sheet's form for gradients."""
    if q.kind == "jacobian":
        return D.jacobian(q.name, q.t, q.k, paths=paths)
    terms = [
        D.gradient_term(q.name, t, k, paths=paths) for t in range(1, T + 1) for k in range(1, t + 1)
    ]
    return add(*terms)


_DERIVATIONS: dict = {}
_KEEP = 64  # derivations kept (a long-running server sees few distinct cells)


def _derivation(cell) -> Derivation:
    """One derivation per cell object (its test points are cached with it), the most
    recent ``_KEEP`` kept."""
    key = id(cell)
    if key not in _DERIVATIONS or _DERIVATIONS[key][0] is not cell:
        if len(_DERIVATIONS) >= _KEEP:
            _DERIVATIONS.pop(next(iter(_DERIVATIONS)))
        _DERIVATIONS[key] = (cell, Derivation(cell))
    return _DERIVATIONS[key][1]


def check_answer(
    cell, quantity: str, answer: str, *, T=None, paths="all", layout="either"
) -> Verdict:
    """Compare a hand derivation with the engine's result; diagnose when it differs.

    Raises :class:`AnswerParseError` (exit 2) for an answer that cannot be read, and an
    InputError (exit 2) for one that takes more than CHECK_SECONDS to judge.
    """
    from symbrnn.numeric.instantiate import time_limit

    try:
        with time_limit(CHECK_SECONDS, _TooLong()):
            return _check_answer(cell, quantity, answer, T=T, paths=paths, layout=layout)
    except _TooLong:
        raise InputError(
            f"the answer takes more than {CHECK_SECONDS} s to check: too much work (write "
            "out fewer terms)"
        ) from None


class _TooLong(BaseException):
    """The check's time is up. A BaseException, so that no handler of a failed edit or a
    failed evaluation mistakes it for a wrong answer."""


def _check_answer(cell, quantity, answer, *, T, paths, layout) -> Verdict:
    if layout not in LAYOUTS:
        raise InputError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
    if paths not in ("all", "direct"):
        raise InputError(f"unknown paths {paths!r}; choose all or direct")
    q = parse_quantity(quantity)
    if q.kind == "jacobian" and not q.concrete:
        raise InputError(f"quantity {quantity!r}: give the steps, e.g. d{q.name}_3/d{q.name}_1")
    D = _derivation(cell)
    if q.kind == "jacobian":
        D.check_state(q.name)
        steps = q.t
        context = {"t": q.t, "k": q.k}
    else:
        D.check_param(q.name)
        if T is None:
            raise InputError("dL/d... needs --T (the number of steps)")
        if not 1 <= T <= MAX_GRADIENT_T:
            raise InputError(f"--T must be 1..{MAX_GRADIENT_T} for dL/d... (got {T})")
        steps = T
        context = {"T": T}
    if q.kind == "jacobian" and q.t > MAX_T:
        raise InputError(f"at most {MAX_T} steps")
    ref = reference(D, q, T=T, paths=paths)
    notes: list[str] = []
    verdict = Verdict(False, quantity, text(ref), "", expected_latex=latex(ref))
    try:
        yours = parse_answer(answer, cell, context, notes)
    except AnswerParseError as exc:
        if "not make sense as matrices" not in str(exc):
            raise
        verdict.outcome = "not_equivalent"
        verdict.diagnoses = [Diagnosis("SHAPE", f"the product is not defined: {_shape_words(exc)}")]
        return verdict
    verdict.answer, verdict.yours_latex = text(yours), latex(yours)
    points = cached_points(D, max(int(steps), 1))
    same, where = points.equal(yours, ref)
    if not same and where and "cannot judge" in where.get("error", ""):
        verdict.outcome, verdict.note = "cannot_judge", where["error"]
        return verdict
    if same and layout != "denominator":
        return _accept(verdict, notes)
    if layout != "numerator" and points.equal(Transpose(yours), ref)[0]:
        notes.append(
            "your answer uses the denominator layout (the transpose, as Pascanu et al. 2013 "
            "write Wᵀ Diag(σ')); symbrnn writes the numerator layout"
        )
        return _accept(verdict, notes)
    other = _other_product_convention(yours)
    if other is not None and points.equal(other, ref)[0]:
        notes.append(
            "equivalent when ∏ is read with the factor j = lower bound on the left; symbrnn "
            "reads ∏_{j=a}^{b} with j = b on the left, as ∂h_t/∂h_k = ∂h_t/∂h_{t-1} ⋯ ∂h_{k+1}/∂h_k"
        )
        return _accept(verdict, notes)
    verdict.outcome, verdict.note = "not_equivalent", "; ".join(notes)
    if where and "error" in where:  # not a matrix of the right shape at some size (n, d)
        verdict.diagnoses = [Diagnosis("SHAPE", _shape_message(where["error"], yours, ref))]
        verdict.counterexample = where
        return verdict
    verdict.diagnoses = diagnose(yours, ref, points, D, q, cell=cell, T=T, paths=paths)
    if where and "point" in where:
        verdict.counterexample = points.describe(where["point"]) | {
            k: where[k] for k in ("entry", "yours", "expected")
        }
    elif where:
        verdict.counterexample = where
    return verdict


def _accept(verdict: Verdict, notes) -> Verdict:
    verdict.equivalent, verdict.outcome, verdict.note = True, "equivalent", "; ".join(notes)
    return verdict


def _shape_message(error: str, yours, ref) -> str:
    """Say which product is not defined, or which shape the answer has, in n and d."""
    for product in sorted(yours.atoms(MatMul), key=_node_count):
        factors = [f for f in product.args if getattr(f, "is_Matrix", False)]
        for a, b in itertools.pairwise(factors):
            if a.shape[1] != b.shape[0]:
                hint = " (a missing Diag?)" if a.shape[1] == 1 and b.shape[0] != 1 else ""
                return (
                    f"the product {text(a)} {text(b)} is not defined: {text(a)} is "
                    f"{_dims(a)} and {text(b)} is {_dims(b)}{hint}"
                )
    if error.startswith("shapes differ"):
        return f"your answer is {_dims(yours)}, the result is {_dims(ref)}"
    return f"the product is not defined for every n and d ({error.removeprefix('cannot evaluate: ')[:120]})"


def _node_count(expr) -> int:
    """The size of an expression tree (the smallest faulty product is the one to name)."""
    return sum(1 for _ in preorder_traversal(expr))


def _dims(m) -> str:
    return "×".join(text(s) for s in m.shape)


def _shape_words(exc) -> str:
    message = str(exc).split(": ", 1)[-1]
    return message.replace("Matrices", "").strip() or "the shapes of the factors do not match"


def _other_product_convention(expr):
    prods = expr.atoms(OrderedProduct)
    if not prods:
        return None
    return expr.xreplace({p: _reversed_product(p) for p in prods})


def _reversed_product(p: OrderedProduct):
    """The same product read with j = lo on the left."""
    j = p.index
    return OrderedProduct(p.body.xreplace({j: p.lo + p.hi - j}), j, p.lo, p.hi)


__all__ = ["LAYOUTS", "AnswerParseError", "ShapeError", "Verdict", "check_answer", "reference"]
