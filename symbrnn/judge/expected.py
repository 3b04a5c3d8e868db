"""The expected result of a question: the engine's expression and the forms it is shown in.

``reference`` is the engine's expression for the quantity (the sheet's sum of terms for a
gradient); the forms are the ones a reader sees: written out as a student hands it in
(``answer_expression``, short ordered products factor by factor), and the course's form
([Diag(σ')W]^n for one state, the plain sum of the chain rule for several states).
"""

from __future__ import annotations

from sympy import BlockMatrix, Identity, preorder_traversal

from symbrnn.engine.derive import Derivation, Loss, collapse, expand_products
from symbrnn.engine.matexpr import BracketPower, OrderedProduct, add
from symbrnn.judge.calculus import tidy
from symbrnn.judge.letters import in_its_notation
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text

_REFERENCES: dict = {}
_REFERENCES_KEPT = 256  # a class asks the same few questions: each key derived once


def reference(D: Derivation, q, *, T=None, paths="all"):
    """The engine's expression for the quantity, with the sheet's form for gradients
    (derived once per derivation, quantity, T and paths, and kept)."""
    key = (id(D), q, T, paths)
    kept = _REFERENCES.get(key)
    if kept is None or kept[0] is not D:
        if len(_REFERENCES) >= _REFERENCES_KEPT:
            _REFERENCES.pop(next(iter(_REFERENCES)))
        kept = _REFERENCES[key] = (D, _reference(D, q, T=T, paths=paths))
    return kept[1]


def _reference(D: Derivation, q, *, T=None, paths="all"):
    if q.kind == "jacobian":
        return D.jacobian(q.name, q.t, q.k, paths=paths)
    if q.kind == "input":  # ∂u/∂v of one step, as the chain rule derives it inside the step
        return D.within_step(D.state_node(q.name), D.trace.leaves["x"], q.t)
    terms = [
        D.gradient_term(q.name, t, k, paths=paths) for t in range(1, T + 1) for k in range(1, t + 1)
    ]
    return add(*terms)


MAX_WRITTEN_OUT = 4  # factors of an ordered product shown one by one in "expected"


def written_out(expr):
    """The expected result as a student writes it: short ordered products factor by factor
    (never an empty ∏_{j=2}^{1}: that is I); long ones stay products."""
    products = expr.atoms(OrderedProduct)
    if not products or any(not p.length.is_Integer or p.length > MAX_WRITTEN_OUT for p in products):
        return expr
    if any(isinstance(node, BlockMatrix) for node in preorder_traversal(expr)):
        return expr  # a block form stays one: its course form is given beside it
    return expand_products(expr)


_FORMS: dict = {}
_FORMS_KEPT = 256  # printed expected forms (a class asks the same few questions)


def expected_forms(D, q, T, paths, ref) -> tuple[str, str, str, str]:
    """How the expected result is shown (text, LaTeX, the course's form, the form a student
    hands in), printed once per derivation and quantity: a class asks the same ones."""
    key = (id(D), q, T, paths)
    if key not in _FORMS or _FORMS[key][0] is not D:
        if len(_FORMS) >= _FORMS_KEPT:
            _FORMS.pop(next(iter(_FORMS)))
        shown = answer_expression(D, q, ref)  # a short block form written out as its sum
        forms = (text(shown), latex(shown), course_form(D, q, ref, T), answer_form(D, q, ref))
        _FORMS[key] = (D, forms)
    return _FORMS[key][1]


def answer_expression(D, q, ref):
    """The expected result as a student would hand it in (and ``check`` reads it back):
    the lemma in its own letters, a cell of several states as the plain sum of its paths.
    The exam's wrong options are edits of this expression."""
    if q.kind == "input":
        return in_its_notation(D, ref, q.t)
    if len(D.states) > 1 and q.kind == "jacobian" and q.t - q.k <= 3:
        return expand_products(ref)
    if len(D.states) > 1 and q.kind == "gradient":
        return _named_terms(D, q, ref)
    return written_out(ref)


def _named_terms(D, q, ref):
    """∂L/∂W of a cell of several states as a student writes it, never the engine's block
    form: Σ ∂L_t/∂h_t ∂h_t/∂c_k ∂⁺c_k/∂W, its Jacobians named (when it is the key)."""
    from symbrnn.judge.named import named_gradient_term
    from symbrnn.judge.points import cached_points

    T = max((int(loss.time) for loss in ref.atoms(Loss)), default=0)
    terms = [named_gradient_term(D, q.name, t, k) for t in range(1, T + 1) for k in range(1, t + 1)]
    if not terms or any(term is None for term in terms):
        return written_out(ref)
    named = add(*terms)
    try:
        same = cached_points(D, T).equal(named, ref)[0]
    except Exception:  # a form that cannot be evaluated is not shown
        same = False
    return named if same else written_out(ref)


def answer_form(D, q, ref) -> str:
    """:func:`answer_expression` in LaTeX."""
    return latex(answer_expression(D, q, ref))


def course_form(D, q, ref, T) -> str:
    """The expected result in the course's form: [Diag(σ')W]^n for one state; the plain
    sum of the chain rule for a cell of several states (IV.4), never a block form."""
    if q.kind == "input" or (q.kind == "gradient" and len(D.states) > 1):
        return ""  # a gradient of several states: its named form is the one shown
    try:
        if q.kind == "jacobian" and len(D.states) > 1:
            if q.t - q.k > 3:
                return ""
            return text(expand_products(ref))
        collapsed = collapse(ref)
        powers = collapsed.atoms(BracketPower)
        return text(
            tidy(collapsed.xreplace({p: Identity(p.shape[0]) for p in powers if p.exponent == 0}))
        )
    except Exception:  # a form that cannot be written is simply not shown
        return ""


__all__ = ["answer_expression", "answer_form", "course_form", "reference", "written_out"]
