"""Each member (step) of a derivation M₀ = M₁ = … judged against the engine's result.

A :class:`Judge` compares one member with the reference at the question's test points,
accepts the other layout and the other product convention with a note, carries a wrong
member's diagnoses to the members equal to it, and names a product or sum whose shapes do
not fit (``shape_message``) before searching the table of mistakes.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from sympy import MatAdd, MatMul, Transpose, preorder_traversal

from symbrnn.engine.matexpr import OrderedProduct, TimeVec, add
from symbrnn.judge.calculus import unnamed
from symbrnn.judge.messages import Msg
from symbrnn.judge.verdict import Step
from symbrnn.printing.text import text


class Judge:
    """Judges the members of one derivation at the same test points."""

    def __init__(self, D, q, ref, points, *, cell, T, paths, layout, held=None):
        self.D, self.q, self.ref, self.default_points = D, q, ref, points
        self.held = held  # (points where the hypothesis holds, the names it fixes)
        self.cell, self.T, self.paths, self.layout = cell, T, paths, layout
        self._matrix_ref = None

    def step(self, member, previous) -> Step:
        step = self._step(member, previous)
        if self.q.kind == "input":  # II.1's diagnoses in its own letters: v and A v
            from symbrnn.judge.letters import question_letters, relettered

            letters = question_letters(self.D, self.q.t)
            step.diagnoses = [replace(d, said=relettered(d.said, letters)) for d in step.diagnoses]
        return step

    def _step(self, member, previous) -> Step:
        step = Step(member.index, member.latex, "not_equivalent", notes=list(member.notes))
        yours = member.expr
        if isinstance(yours, Exception):  # a product that is not defined
            from symbrnn.judge.diagnose import Diagnosis

            step.diagnoses = [Diagnosis("SHAPE", Msg.of("diag.SHAPE"))]
            return step
        self.points = self._points_for(yours)
        gradient_shaped = self._gradient_shaped(yours)
        ref = self.ref if gradient_shaped is None else gradient_shaped  # ∇_W L shaped as W
        same, where = self.points.equal(yours, ref)
        if not same and where and "cannot judge" in where.get("error", ""):
            step.outcome = "cannot_judge"
            step.notes.append(Msg.of("verdict.cannot_judge"))
            return step
        accepted = self._accepted(yours, same, ref)
        if gradient_shaped is not None and same:
            accepted = [Msg.of("note.gradient_shape", param=self.q.name)]
        if accepted is not None:
            step.outcome = "equivalent"
            step.notes += accepted
            return step
        if where and "error" in where:  # not a matrix of the right shape at some size
            step.counterexample = where
            step.diagnoses = self._ill_shaped(yours, ref, where["error"])
            return step
        if where and "point" in where:
            step.counterexample = self.counterexample(where, yours)
        if self._carried(step, yours, previous):
            return step
        from symbrnn.judge.diagnose import diagnose  # wrong answers only

        prev_member, prev_step = previous or (None, None)
        right_before = prev_step is not None and prev_step.outcome == "equivalent"
        step.diagnoses = diagnose(
            yours,
            ref,
            self.points,
            self.D,
            self.q,
            cell=self.cell,
            T=None if gradient_shaped is not None else self.T,  # no (t, k) rows to compare
            paths=self.paths,
            target=unnamed(prev_member.expr) if right_before else None,
            future=any(n.key == "note.future_zero" for n in member.notes),
        )
        return step

    def _ill_shaped(self, yours, ref, error: str) -> list:
        """The diagnoses of a member that is not a matrix of the right shape: an entry
        indexed past a matrix, else the one edit that makes it defined, else its shapes."""
        from symbrnn.judge.diagnose import Diagnosis, diagnose, repaired

        if "entry (" in error:  # an element-level member indexing past a matrix
            found = diagnose(yours, ref, self.points, self.D, self.q, cell=self.cell)
            detail = error.split("entry ", 1)[1][:60]
            return [d for d in found if d.code != "UNKNOWN"] or [
                Diagnosis("SHAPE", Msg.of("diag.ENTRY_RANGE", detail="entry " + detail))
            ]
        named = repaired(yours, ref, self.points, self.D, self.q, cell=self.cell, T=self.T)
        return named or [Diagnosis("SHAPE", _shape_message(error, yours, ref))]

    def _carried(self, step, yours, previous) -> bool:
        """A wrong member equal to the wrong member before it carries its diagnoses."""
        prev_member, prev_step = previous or (None, None)
        if prev_step is None or prev_step.outcome != "not_equivalent":
            return False
        try:
            carried = self.points.equal(yours, prev_member.expr)[0]
        except Exception:
            carried = False
        if carried:
            step.diagnoses = list(prev_step.diagnoses)
            step.notes.append(Msg.of("note.carried", index=prev_step.index))
        return carried

    def _points_for(self, yours):
        """Under a question's hypothesis (f_t = 1, i_t = 0), an answer that no longer names
        the gates it fixes (I) is judged where the hypothesis holds; one that still names
        them (∏ Diag(f_j)) must be right as it is written, at ordinary points."""
        if self.held is None:
            return self.default_points
        points, fixed = self.held
        named = {v.name for v in yours.atoms(TimeVec)}
        return self.default_points if named & fixed else points

    def _gradient_shaped(self, yours):
        """The matrix form Σ_t Σ_k [∂L_t/∂h_k ∂⁺h_k/∂a_k]ᵀ v_kᵀ of ∂L/∂P when the answer has
        the shape of P (not the row ∂L/∂vec(P) of the numerator layout), else None."""
        if self.q.kind != "gradient" or self.T is None:
            return None
        param = self.D.params[self.q.name]
        if getattr(yours, "shape", None) != param.shape or param.shape == self.ref.shape:
            return None
        if self._matrix_ref is None:
            self._matrix_ref = add(
                *(
                    self.D.gradient_matrix_term(self.q.name, t, k)
                    for t in range(1, self.T + 1)
                    for k in range(1, t + 1)
                )
            )
        return self._matrix_ref

    def _accepted(self, yours, same, ref):
        """The notes of an accepted member, or None when it is not equivalent."""
        points = self.points
        if same and self.layout != "denominator":
            return []
        if self.layout != "numerator" and points.equal(Transpose(yours), ref)[0]:
            return [Msg.of("note.denominator_layout")]
        other = _other_product_convention(yours)
        if other is not None and points.equal(other, ref)[0]:
            return [Msg.of("note.product_convention")]
        # Pascanu et al.: ∏ Wᵀ Diag(σ'(a_j)), the denominator layout of the whole product
        pascanu = other is not None and self.layout != "numerator"
        if pascanu and points.equal(Transpose(other), ref)[0]:
            return [Msg.of("note.denominator_layout")]
        return None

    def counterexample(self, where, yours) -> dict:
        """The point where the member differs, with everything needed to reproduce it."""
        out = self.points.describe(where["point"]) | {
            k: where[k] for k in ("entry", "yours", "expected")
        }
        opaque = self.points.opaque_values(where["point"], yours, self.ref)
        if opaque:
            out["opaque"] = opaque
        return out


def _mismatch(expr, kind, fits):
    """The first neighbours (a, b) of the smallest ``kind`` node (a product, a sum) of
    ``expr`` whose shapes do not ``fit``, or None."""
    for node in sorted(expr.atoms(kind), key=_node_count):
        matrices = [f for f in node.args if getattr(f, "is_Matrix", False)]
        for a, b in itertools.pairwise(matrices):
            if not fits(a, b):
                return a, b
    return None


def _shape_message(error: str, yours, ref) -> Msg:
    """Say which product or sum is not defined, or which shape the answer has, in n and d."""
    product = _mismatch(yours, MatMul, lambda a, b: a.shape[1] == b.shape[0])
    if product:
        a, b = product
        hint = Msg.of("diag.SHAPE_HINT_DIAG") if a.shape[1] == 1 and b.shape[0] != 1 else ""
        sides = {"left": text(a), "right": text(b), "left_dims": _dims(a), "right_dims": _dims(b)}
        return Msg.of("diag.SHAPE_PRODUCT", hint=hint, **sides)
    total = _mismatch(yours, MatAdd, lambda a, b: a.shape == b.shape)
    if total:
        a, b = total
        sides = {"left": text(a), "right": text(b), "left_dims": _dims(a), "right_dims": _dims(b)}
        return Msg.of("diag.SHAPE_SUM", **sides)
    if error.startswith("shapes differ"):
        return Msg.of("diag.SHAPE_DIFFERS", yours=_dims(yours), expected=_dims(ref))
    return Msg.of("diag.SHAPE")


def _node_count(expr) -> int:
    """The size of an expression tree (the smallest faulty product is the one to name)."""
    return sum(1 for _ in preorder_traversal(expr))


def _dims(m) -> str:
    """A shape in n and d as a reader writes it: n×n², never n**2."""
    return "×".join(text(s).replace("**2", "²").replace("**3", "³") for s in m.shape)


def _other_product_convention(expr):
    prods = expr.atoms(OrderedProduct)
    if not prods:
        return None
    return expr.xreplace({p: _reversed_product(p) for p in prods})


def _reversed_product(p: OrderedProduct):
    """The same product read with j = lo on the left."""
    j = p.index
    return OrderedProduct(p.body.xreplace({j: p.lo + p.hi - j}), j, p.lo, p.hi)


__all__ = ["Judge"]
