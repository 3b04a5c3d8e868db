"""Where a wrong answer goes wrong: small edits that make it right, each with a stable code.

Each row of :data:`EDITS` is one classic mistake of the course: an edit of the
answer and the words for it. An edit that turns the answer into the expected
result (at every test point) is a diagnosis. Codes are stable (``ORDER``,
``TRANSPOSE``, ``BIAS_MISSING``...) so that a class's common mistakes can be
counted and scored.
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import MatAdd, MatMul, MatrixSymbol, Symbol, Transpose

from symbrnn.engine.matexpr import Apply, Diag, OrderedProduct, TimeVec
from symbrnn.judge.points import cached_points
from symbrnn.printing.text import text


@dataclass(frozen=True)
class Diagnosis:
    code: str
    message: str


NOTES = {
    "TRANSPOSE": "the whole answer is transposed",
    "TRANSPOSE_ONE": "one matrix transposed too many or too few times",
    "ORDER": "factors in the wrong order",
    "SIGMA_FOR_PRIME": "σ in place of σ′ (or the reverse)",
    "WRONG_ACTIVATION": "the derivative of another activation",
    "ARGUMENT": "φ′ of the state instead of the pre-activation",
    "TIME_SHIFT": "every time index off by one",
    "BOUNDS": "wrong bounds of a product",
    "MISSING_PATH": "a path of the gated cell is missing",
    "BIAS_MISSING": "the bias is missing",
    "MISSING_TERM": "a term (t, k) of the sum is missing",
    "EXTRA_TERM": "a term that does not belong",
    "SHAPE": "a product that is not defined",
    "UNKNOWN": "no single edit explains the difference",
}


def diagnose(yours, ref, points, D, q, *, cell=None, T=None, paths="all") -> list[Diagnosis]:
    """Small edits of the answer that make it right, said in words."""
    found: list[Diagnosis] = []

    def fixes(candidate) -> bool:
        try:
            return points.equal(candidate, ref)[0]
        except Exception:  # an edit that makes no sense as matrices is simply not the fix
            return False

    def add(code, message):
        if all(d.message != message for d in found):
            found.append(Diagnosis(code, message))

    if fixes(Transpose(yours)):
        add(
            "TRANSPOSE",
            "your answer is the transpose of the expected one (numerator layout: ∂u/∂v has "
            "one row per entry of u)",
        )
    for P in sorted(yours.atoms(MatrixSymbol), key=str):
        transposed = [t for t in yours.atoms(Transpose) if t.arg == P]
        if transposed:
            edit, message = (
                yours.xreplace({t: P for t in transposed}),
                f"a transpose too many: {P}ᵀ should be {P}",
            )
        else:
            edit, message = (
                yours.xreplace({P: Transpose(P)}),
                f"a transpose too few: {P} should be {P}ᵀ",
            )
        if fixes(edit):
            add("TRANSPOSE_ONE", message)
    if isinstance(yours, MatMul) and any(fixes(MatMul(*o)) for o in _reorderings(yours.args)):
        add(
            "ORDER",
            "the factors are in the wrong order (matrix products do not commute): "
            "the factor of the latest step goes on the left",
        )
    applies = yours.atoms(Apply)
    if applies and fixes(
        yours.xreplace({a: Apply(a.fn, a.vec, 1 - a.order) for a in applies if a.order <= 1})
    ):
        add(
            "SIGMA_FOR_PRIME",
            "σ in place of σ′ (or the reverse): the Jacobian of φ(a) is Diag(φ′(a)), not Diag(φ(a))",
        )
    for other in ("sigmoid", "tanh", "relu", "identity"):
        swapped = {a: Apply(other, a.vec, a.order) for a in applies if a.order and a.fn != other}
        if swapped and fixes(yours.xreplace(swapped)):
            add("WRONG_ACTIVATION", f"the derivative of the wrong activation: use {_name(other)}′")
    _argument_of_prime(yours, D, fixes, add)
    for shift in (1, -1):
        moved = {
            v: TimeVec(v.name, v.time + shift, *v.shape)
            for v in yours.atoms(TimeVec)
            if v.time.is_Integer
        }
        if moved and fixes(yours.xreplace(moved)):
            add(
                "TIME_SHIFT",
                f"every time index is off by {-shift:+d} (∂h_t/∂h_{{t−1}} is read at step t)",
            )
    for p in yours.atoms(OrderedProduct):
        for lo, hi in ((p.lo + 1, p.hi), (p.lo - 1, p.hi), (p.lo, p.hi + 1), (p.lo, p.hi - 1)):
            if fixes(yours.xreplace({p: OrderedProduct(p.body, p.index, lo, hi)})):
                add(
                    "BOUNDS",
                    f"product bounds: ∏_{{{p.index}={p.lo}}}^{{{p.hi}}} should run from "
                    f"{p.index}={lo} to {hi}",
                )
    if q.kind == "jacobian" and len(D.states) > 1 and paths == "all":
        direct = D.jacobian(q.name, q.t, q.k, paths="direct")
        if points.equal(yours, direct)[0]:
            others = ", ".join(s for s in D.states if s != q.name)
            add(
                "MISSING_PATH",
                f"only the direct path through {q.name}: the paths through {others} "
                "(e.g. h_{t-1} and the gates) are missing",
            )
    _missing_gate_path(yours, D, q, paths, points, add)
    if cell is not None and cell.bias and any(p.shape[1] == 1 for p in D.params.values()):
        unbiased = cached_points(D, points.T, zero_bias=True)
        if unbiased.equal(yours, ref)[0]:
            biases = ", ".join(n for n, P in D.params.items() if P.shape[1] == 1)
            add(
                "BIAS_MISSING",
                f"missing bias {biases}: the pre-activation is W h_{{t−1}} + U x_t + b",
            )
    for diagnosis in _term_differences(yours, ref, points, D, q, T=T, paths=paths):
        add(*diagnosis)
    return found or [
        Diagnosis(
            "UNKNOWN", "no single edit explains the difference; compare with the expected result"
        )
    ]


def _missing_gate_path(yours, D, q, paths, points, add):
    """A single-state gated cell (GRU, MGU): the answer leaves out the paths through one
    gate (∂h_t/∂h_{t−1} without the terms through z_t, or through r_t)."""
    if q.kind != "jacobian" or len(D.states) > 1 or q.t == q.k:
        return
    j = Symbol("j", integer=True)
    for gate in D.gates():
        without = OrderedProduct(D.step_without(q.name, (gate,), j), j, q.k + 1, q.t)
        try:
            same = points.equal(yours, without)[0]
        except Exception:  # an answer that makes no sense here is simply not this mistake
            same = False
        if same:
            add(
                "MISSING_PATH",
                f"the path through {gate}_t is missing: {q.name}_t depends on {q.name}_{{t−1}} "
                f"through {gate}_t too",
            )
            return


def _name(fn: str) -> str:
    return {"sigmoid": "σ", "tanh": "tanh", "relu": "relu", "identity": "id"}[fn]


def _argument_of_prime(yours, D, fixes, add):
    """φ′(h_j) written for φ′(a_j): the derivative is taken at the pre-activation."""
    pre = {
        node.name: node.args[0].name
        for node in D.trace.nodes
        if node.op == "apply" and node.name and node.args[0].name
    }
    edits = {}
    for a in yours.atoms(Apply):
        vec = a.vec
        if a.order and isinstance(vec, TimeVec) and vec.name in pre:
            edits[a] = Apply(a.fn, TimeVec(pre[vec.name], vec.time, *vec.shape), a.order)
    if edits and fixes(yours.xreplace(edits)):
        add("ARGUMENT", "φ′ is taken at the pre-activation a_j, not at the state h_j")


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


def _term_differences(yours, ref, points, D, q, *, T=None, paths="all") -> list[tuple[str, str]]:
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
            (
                "MISSING_TERM",
                "missing term(s) for (t, k) = "
                + ", ".join(f"({t}, {k})" for t, k in sorted(remaining)),
            )
        )
    if unmatched_mine:
        out.append(
            ("EXTRA_TERM", "extra or wrong term(s): " + "; ".join(text(t) for t in unmatched_mine))
        )
    return out
