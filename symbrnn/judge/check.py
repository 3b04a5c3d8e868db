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
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sympy import BlockMatrix, Identity, MatAdd, MatMul, Transpose, preorder_traversal
from sympy.matrices.common import ShapeError

from symbrnn.engine.derive import Derivation, collapse, expand_products
from symbrnn.engine.matexpr import BracketPower, OrderedProduct, TimeVec, add
from symbrnn.engine.quantity import MAX_T, parse_quantity
from symbrnn.errors import LANGS
from symbrnn.judge.answer_parser import AnswerParseError, parse_derivation
from symbrnn.judge.calculus import tidy, unnamed
from symbrnn.judge.general import is_general, judge_general
from symbrnn.judge.letters import in_its_notation
from symbrnn.judge.messages import JudgeError, Msg, say
from symbrnn.judge.points import cached_points, hypothesis_points
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text

if TYPE_CHECKING:  # a right answer is judged without the table of mistakes
    from symbrnn.judge.diagnose import Diagnosis

LAYOUTS = ("numerator", "denominator", "either")
CHECK_SECONDS = 20  # the longest one check may take, in the terminal and on the web page
MAX_GRADIENT_T = 30  # ∂L/∂W with T(T+1)/2 terms, each an ordered product


@dataclass
class Step:
    """One member of a derivation, judged against the quantity."""

    index: int
    latex: str
    outcome: str
    diagnoses: list[Diagnosis] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)
    counterexample: dict | None = None

    def as_json(self, lang: str = "en") -> dict:
        return {
            "index": self.index,
            "latex": self.latex,
            "outcome": self.outcome,
            "diagnosis": [d.text(lang) for d in self.diagnoses],
            "answer_notes": [d.code for d in self.diagnoses],
            "notes": [n.text(lang) for n in self.notes],
            "counterexample": self.counterexample,
        }


@dataclass
class Verdict:
    """What ``check`` says of one answer (a derivation of one or several members).

    Messages are said in ``lang`` (fr or en); codes (``answer_notes``) do not depend on it.
    """

    equivalent: bool
    quantity: str
    expected: str
    answer: str
    outcome: str = "equivalent"
    diagnoses: list[Diagnosis] = field(default_factory=list)
    counterexample: dict | None = None
    notes: list[Msg] = field(default_factory=list)
    expected_latex: str = ""
    yours_latex: str = ""
    steps: list[Step] = field(default_factory=list)
    lang: str = "en"
    course_form: str = ""
    answer_latex: str = ""  # the expected result as a student would hand it in
    group: str = ""  # the same for every answer equal to this one at every test point
    instance: dict | None = None  # a general answer: the values of t, k (T) where it fails

    @property
    def note(self) -> str:
        return "; ".join(n.text(self.lang) for n in self.notes)

    @property
    def diagnosis(self) -> list[str]:
        return [d.text(self.lang) for d in self.diagnoses]

    @property
    def answer_notes(self) -> list[str]:
        """Stable codes of the diagnoses (ORDER, TRANSPOSE, BIAS_MISSING...), for grading."""
        codes = [d.code for d in self.diagnoses]
        return codes + [c for c in self._step_codes() if c not in codes]

    def _step_codes(self) -> list[str]:
        return ["RIGHT_AFTER_WRONG"] if _right_after_wrong(self.steps) else []

    @property
    def first_wrong_step(self) -> int | None:
        return next((s.index for s in self.steps if s.outcome != "equivalent"), None)

    @property
    def right_steps_before_wrong(self) -> int:
        """How many members are right before the first wrong one (for follow-through)."""
        first = self.first_wrong_step
        return len(self.steps) if first is None else first - 1

    def as_json(self) -> dict:
        return {
            "equivalent": self.equivalent,
            "outcome": self.outcome,
            "verdict": say(f"verdict.{self.outcome}", self.lang),
            "quantity": self.quantity,
            "lang": self.lang,
            "expected": self.expected,
            "expected_course_form": self.course_form,
            "expected_answer_latex": self.answer_latex,
            "answer": self.answer,
            "expected_latex": self.expected_latex,
            "yours_latex": self.yours_latex,
            "diagnosis": self.diagnosis,
            "answer_notes": self.answer_notes,
            "counterexample": self.counterexample,
            "note": self.note,
            "steps": [s.as_json(self.lang) for s in self.steps],
            "first_wrong_step": self.first_wrong_step,
            "group": self.group,
            "instance": self.instance,
        }

    def text(self) -> str:
        """The verdict for the terminal, in the verdict's language."""
        import json

        lang = self.lang

        def line(key, value):
            return f"  {say('label.' + key, lang)}: {value}"

        lines = [f"{say('verdict.' + self.outcome, lang)}: {self.quantity}"]
        if self.expected:  # not when the time ran out before it was derived
            lines.append(line("expected", self.expected))
        if self.course_form and self.course_form != self.expected:
            lines.append(f"    = {self.course_form}  ({say('label.course_form', lang)})")
        if len(self.steps) > 1:
            lines.append(f"  {say('label.steps', lang)}:")
            for s in self.steps:
                mark = {"equivalent": "✓", "not_equivalent": "✗"}.get(s.outcome, "?")
                lines.append(f"    {mark} {s.index}. {s.latex}")
                lines += [f"         {d.text(lang)}" for d in s.diagnoses]
                lines += [f"         ({n.text(lang)})" for n in s.notes]
            if self.first_wrong_step is not None:
                lines.append(
                    "  " + say("label.first_wrong_step", lang, index=self.first_wrong_step)
                )
        elif self.answer:
            lines.append(line("yours", self.answer))
        shown = self.notes
        if len(self.steps) > 1:  # a step's notes are shown with the step
            shown = [n for n in self.notes if all(n not in s.notes for s in self.steps)]
        if shown:
            lines.append(line("note", "; ".join(n.text(lang) for n in shown)))
        if len(self.steps) <= 1:
            lines += [line("diagnosis", d) for d in self.diagnosis]
        if self.counterexample:
            lines.append(line("counterexample", json.dumps(self.counterexample)))
        return "\n".join(lines)

    def __repr__(self):
        return f"Verdict({self.outcome}: {self.quantity}{', ' + ', '.join(self.answer_notes) if self.diagnoses else ''})"

    def _repr_html_(self):
        """A small table for a notebook: the verdict, both sides as math, what was found."""
        from html import escape

        def row(label, value, math=False):
            shown = f"${escape(value, quote=False)}$" if math else escape(value)
            return f"<tr><th style='text-align:left'>{escape(say(label, self.lang))}</th><td>{shown}</td></tr>"

        verdict = say(f"verdict.{self.outcome}", self.lang)
        rows = [f"<tr><td colspan='2'><b>{escape(verdict)}</b>: {escape(self.quantity)}</td></tr>"]
        if self.expected_latex:
            rows.append(row("label.expected", self.expected_latex, math=True))
        if self.yours_latex:
            rows.append(row("label.yours", self.yours_latex, math=True))
        rows += [row("label.diagnosis", d) for d in self.diagnosis]
        rows += [row("label.note", n.text(self.lang)) for n in self.notes]
        return "<table>" + "".join(rows) + "</table>"

    def _repr_latex_(self):
        yours = f"\\text{{yours: }} {self.yours_latex}" if self.yours_latex else ""
        return f"$\\text{{{self.outcome.replace('_', ' ')}}}\\quad {yours}$"


def _right_after_wrong(steps) -> bool:
    return (
        len(steps) > 1
        and steps[-1].outcome == "equivalent"
        and any(s.outcome != "equivalent" for s in steps)
    )


def reference(D: Derivation, q, *, T=None, paths="all"):
    """The engine's expression for the quantity, with the sheet's form for gradients."""
    if q.kind == "jacobian":
        return D.jacobian(q.name, q.t, q.k, paths=paths)
    if q.kind == "input":  # ∂u/∂v of one step, as the chain rule derives it inside the step
        return D.within_step(D.state_node(q.name), D.trace.leaves["x"], q.t)
    terms = [
        D.gradient_term(q.name, t, k, paths=paths) for t in range(1, T + 1) for k in range(1, t + 1)
    ]
    return add(*terms)


def check_answer(
    cell,
    quantity: str,
    answer: str,
    *,
    T=None,
    paths="all",
    layout="either",
    lang="en",
    hypothesis=None,
    budget: float | None = None,
    also=(),
) -> Verdict:
    """Judge a hand derivation M₀ = M₁ = … = M_k, member by member; diagnose the first
    member that differs from the engine's result.

    ``also``: gradients the question accepts as well (a sheet's ``also = ["dL/dW"]``: III.2
    answered with ∂L/∂W): an answer whose first member has not the question's shape is
    judged as the first of them, at ``T``, that it has the shape of.

    ``hypothesis`` maps gate names to constants the question assumes (IV.3: f_t = 1,
    i_t = 0). Raises :class:`AnswerParseError` (exit 2) for an answer that cannot be read.
    An answer that takes more than ``budget`` seconds (default CHECK_SECONDS, counted from
    the first step, checked in every loop of reading and judging) cannot be judged: its
    verdict says so (exit 3). Messages are in ``lang``.
    """
    from symbrnn.numeric.instantiate import time_limit

    if lang not in LANGS:
        raise JudgeError("check.lang", lang=repr(lang))
    budget = CHECK_SECONDS if budget is None else budget
    try:
        with time_limit(budget, _TooLong()):
            options = {"paths": paths, "layout": layout, "lang": lang, "hypothesis": hypothesis}
            q = _quantity(quantity)
            if not is_general(q, T):
                verdict = _check_answer(cell, quantity, answer, T=T, **options)
                for other in also if isinstance(T, int) and _shape_first(verdict) else ():
                    gradient = _check_answer(cell, other, answer, T=T, **options)
                    if not _shape_first(gradient):
                        return gradient
                return verdict
            return judge_general(
                q,
                quantity,
                T,
                lambda case: _check_answer(
                    cell, case.quantity, answer, T=case.T, letters=case.letters, **options
                ),
            )
    except _TooLong:
        verdict = Verdict(False, quantity, "", "", outcome="cannot_judge", lang=lang)
        verdict.notes.append(Msg.of("check.too_long", seconds=f"{budget:g}"))
        return verdict


def _shape_first(verdict) -> bool:
    """The answer's first member has not the shape of the quantity judged."""
    first = verdict.steps[0] if verdict.steps else None
    return first is not None and [d.code for d in first.diagnoses] == ["SHAPE"]


class _TooLong(BaseException):
    """The check's time is up. A BaseException, so that no handler of a failed edit or a
    failed evaluation mistakes it for a wrong answer."""


def _quantity(quantity: str):
    from symbrnn.engine.quantity import QuantityError

    try:
        return parse_quantity(quantity, allow_input=True)
    except QuantityError as exc:
        shown = repr(quantity)[:60]
        if exc.reason == "order":
            raise JudgeError("check.quantity_order", quantity=shown) from None
        if exc.reason == "steps":
            raise JudgeError("check.steps_range", limit=MAX_T) from None
        raise JudgeError("check.quantity", quantity=shown) from None


def reading_context(q, T=None, paths="all") -> dict:
    """The steps an answer to ``q`` is read at: t and k of a Jacobian (and T when given),
    the one step of ∂u/∂v (u, v and a without a step are read at it), or T of a gradient;
    the question's paths (a named ∂c_t/∂c_k is the direct path under "direct")."""
    if q.kind == "jacobian":
        return {"t": q.t, "k": q.k, "paths": paths} | ({"T": T} if T else {})
    if q.kind == "input":
        return {"step": q.t}
    return {"T": T, "paths": paths}


def _check_answer(
    cell, quantity, answer, *, T, paths, layout, lang, hypothesis, letters=None
) -> Verdict:
    if layout not in LAYOUTS:
        raise JudgeError("check.layout", layout=repr(layout), choices=", ".join(LAYOUTS))
    if paths not in ("all", "direct"):
        raise JudgeError("check.paths", paths=repr(paths))
    q = _quantity(quantity)
    D = Derivation.of(cell)  # shared: its test points are cached with it
    if q.kind == "gradient" and q.name not in D.params:
        raise JudgeError(
            "check.no_param", cell=cell.name, param=q.name[:40], known=", ".join(D.params)
        )
    if q.kind != "gradient" and q.name not in D.states:
        raise JudgeError(
            "check.no_state", cell=cell.name, state=q.name[:40], known=", ".join(D.states)
        )
    if q.kind == "input" and cell.notation.get(q.wrt, q.wrt) != "x":
        raise JudgeError("check.not_input", quantity=f"∂{q.name}/∂{q.wrt}"[:60], wrt=q.wrt[:40])
    if q.kind == "jacobian":
        if q.t > MAX_T:
            raise JudgeError("check.steps_range", limit=MAX_T)
        steps = q.t
    elif q.kind == "input":
        steps = q.t
    else:
        if not 1 <= T <= MAX_GRADIENT_T:
            raise JudgeError("check.T_range", limit=MAX_GRADIENT_T, T=T)
        steps = T
    context = reading_context(q, T, paths) | (letters or {})  # a general answer's t, k, T
    ref = reference(D, q, T=T, paths=paths)
    expected, expected_latex, course, key = _expected_forms(D, q, T, paths, ref)
    verdict = Verdict(False, quantity, expected, "", expected_latex=expected_latex, lang=lang)
    verdict.course_form, verdict.answer_latex = course, key
    points = cached_points(D, max(int(steps), 1))
    held = None
    if hypothesis:
        held = (hypothesis_points(D, max(int(steps), 1), hypothesis), set(hypothesis))
        verdict.notes.append(Msg.of("note.hypothesis", hypothesis=_shown_hypothesis(hypothesis)))
    try:
        members = parse_derivation(answer, cell, context, q)
    except AnswerParseError as exc:
        special = _unreadable_as_verdict(exc, verdict, cell, q)
        if special is None:
            raise
        return special
    judged = Judge(D, q, ref, points, cell=cell, T=T, paths=paths, layout=layout, held=held)
    previous = None
    for member in members:
        step = judged.step(member, previous)
        verdict.steps.append(step)
        previous = (member, step)
    last = members[-1].expr
    if not isinstance(last, Exception):
        verdict.group = judged.points.fingerprint(last)
        last = in_its_notation(D, last, q.t) if q.kind == "input" else written_out(last)
        verdict.answer, verdict.yours_latex = text(last), latex(last)
    wrong = [s for s in verdict.steps if s.outcome != "equivalent"]
    for s in verdict.steps:
        for n in s.notes:
            if n not in verdict.notes and n.key != "note.carried":
                verdict.notes.append(n)
    if not wrong:
        verdict.equivalent, verdict.outcome = True, "equivalent"
        return verdict
    first = wrong[0]
    verdict.outcome = "cannot_judge" if first.outcome == "cannot_judge" else "not_equivalent"
    verdict.diagnoses, verdict.counterexample = first.diagnoses, first.counterexample
    if _right_after_wrong(verdict.steps):
        verdict.notes.append(Msg.of("note.right_after_wrong", index=first.index))
    return verdict


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
        points, ref = self.points, self.ref
        gradient_shaped = self._gradient_shaped(yours)
        if gradient_shaped is not None:  # ∇_W L with the shape of W: the engine's matrix form
            ref = gradient_shaped
        same, where = points.equal(yours, ref)
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
        from symbrnn.judge.diagnose import Diagnosis, diagnose, repaired  # wrong answers only

        if where and "error" in where:  # not a matrix of the right shape at some size
            step.counterexample = where
            if "entry (" in where["error"]:  # an element-level member indexing past a matrix
                found = diagnose(yours, ref, points, self.D, self.q, cell=self.cell)
                detail = where["error"].split("entry ", 1)[1][:60]
                step.diagnoses = [d for d in found if d.code != "UNKNOWN"] or [
                    Diagnosis("SHAPE", Msg.of("diag.ENTRY_RANGE", detail="entry " + detail))
                ]
                return step
            named = repaired(yours, ref, points, self.D, self.q, cell=self.cell, T=self.T)
            step.diagnoses = named or [
                Diagnosis("SHAPE", _shape_message(where["error"], yours, ref))
            ]
            return step
        if where and "point" in where:
            step.counterexample = self.counterexample(where, yours)
        prev_member, prev_step = previous if previous else (None, None)
        if (
            prev_member is not None
            and prev_step is not None
            and prev_step.outcome == "not_equivalent"
        ):
            try:
                carried = points.equal(yours, prev_member.expr)[0]
            except Exception:
                carried = False
            if carried:
                step.diagnoses = list(prev_step.diagnoses)
                step.notes.append(Msg.of("note.carried", index=prev_step.index))
                return step
        target = (
            unnamed(prev_member.expr)
            if prev_member is not None
            and prev_step is not None
            and prev_step.outcome == "equivalent"
            else None
        )
        step.diagnoses = diagnose(
            yours,
            ref,
            points,
            self.D,
            self.q,
            cell=self.cell,
            T=None if gradient_shaped is not None else self.T,  # no (t, k) rows to compare
            paths=self.paths,
            target=target,
            future=any(n.key == "note.future_zero" for n in member.notes),
        )
        return step

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


def _unreadable_as_verdict(exc, verdict, cell, q):
    """Answers that are wrong rather than unreadable: a product that is not defined, a
    bias the bias-free cell does not have."""
    from symbrnn.judge.diagnose import Diagnosis

    if exc.key == "answer.not_matrices":
        verdict.outcome = "not_equivalent"
        verdict.diagnoses = [Diagnosis("SHAPE", Msg.of("diag.SHAPE"))]
        return verdict
    if exc.key in ("answer.unknown_symbol", "answer.unknown_parameter") and not cell.bias:
        name = exc.params.get("symbol") or exc.params.get("name") or ""
        if name.split("_")[0] == "b":
            verdict.outcome = "not_equivalent"
            verdict.diagnoses = [Diagnosis("BIAS_EXTRA", Msg.of("diag.BIAS_EXTRA", bias=name))]
            return verdict
    return None


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


def _expected_forms(D, q, T, paths, ref) -> tuple[str, str, str, str]:
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
    return written_out(ref)


def answer_form(D, q, ref) -> str:
    """:func:`answer_expression` in LaTeX."""
    return latex(answer_expression(D, q, ref))


def course_form(D, q, ref, T) -> str:
    """The expected result in the course's form: [Diag(σ')W]^n for one state; the plain
    sum of the chain rule for a cell of several states (IV.4), beside the block form."""
    if q.kind == "input":
        return ""
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


def _shown_hypothesis(hypothesis: dict) -> str:
    return ", ".join(f"{name}_t = {value}" for name, value in sorted(hypothesis.items())) + " (∀t)"


def _other_product_convention(expr):
    prods = expr.atoms(OrderedProduct)
    if not prods:
        return None
    return expr.xreplace({p: _reversed_product(p) for p in prods})


def _reversed_product(p: OrderedProduct):
    """The same product read with j = lo on the left."""
    j = p.index
    return OrderedProduct(p.body.xreplace({j: p.lo + p.hi - j}), j, p.lo, p.hi)


__all__ = [
    "LAYOUTS",
    "AnswerParseError",
    "ShapeError",
    "Step",
    "Verdict",
    "answer_expression",
    "check_answer",
    "reference",
]
