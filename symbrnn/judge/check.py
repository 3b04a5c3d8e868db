"""Judge a hand derivation: equivalent to the engine's result or not, why, and a counterexample.

Equivalence is decided on the mathematics: both expressions are evaluated at
several random points along real trajectories of the cell, at several sizes
(see :mod:`symbrnn.judge.points`), never by comparing strings. Four outcomes:
``equivalent``; ``not_equivalent`` (with a counterexample and, where one edit
explains it, a diagnosis); ``cannot_judge`` (names what is unknown); and
``unreadable`` (an :class:`AnswerParseError`, exit 2, with the position).
The verdict is a record (:mod:`symbrnn.judge.verdict`); the expected result and its forms
come from :mod:`symbrnn.judge.expected`; each member is judged by
:class:`symbrnn.judge.steps.Judge`.

>>> from symbrnn.engine.cells import simple_rnn
>>> check_answer(simple_rnn(), "dh_3/dh_2", r"\\mathrm{diag}(\\sigma'(W h_2 + U x_3 + b)) W").outcome
'equivalent'
"""

from __future__ import annotations

from symbrnn.engine.derive import Derivation
from symbrnn.engine.quantity import MAX_T, QuantityError, parse_quantity
from symbrnn.errors import LANGS
from symbrnn.judge.answer_parser import AnswerParseError, parse_derivation
from symbrnn.judge.expected import expected_forms, reference, written_out
from symbrnn.judge.general import _steps, is_general, judge_general
from symbrnn.judge.letters import in_its_notation
from symbrnn.judge.messages import JudgeError, Msg
from symbrnn.judge.points import cached_points, hypothesis_points
from symbrnn.judge.steps import Judge
from symbrnn.judge.verdict import Verdict, right_after_wrong
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text

LAYOUTS = ("numerator", "denominator", "either")
CHECK_SECONDS = 20  # the longest one check may take, in the terminal and on the web page
MAX_GRADIENT_T = 30  # ∂L/∂W with T(T+1)/2 terms, each an ordered product


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
            written = {"written_steps": _steps(quantity)} if q.kind == "jacobian" else {}
            return judge_general(
                q,
                quantity,
                T,
                lambda case: _check_answer(
                    cell, case.quantity, answer, T=case.T, letters=case.letters | written, **options
                ),
            )
    except _TooLong:
        verdict = Verdict(quantity, "", "", outcome="cannot_judge", lang=lang)
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
    steps = _steps_judged(cell, D, q, T)
    context = reading_context(q, T, paths) | (letters or {})  # a general answer's t, k, T
    ref = reference(D, q, T=T, paths=paths)
    expected, expected_latex, course, key = expected_forms(D, q, T, paths, ref)
    verdict = Verdict(
        quantity, expected, "", "not_equivalent", expected_latex=expected_latex, lang=lang
    )
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
    return _concluded(verdict)


def _steps_judged(cell, D, q, T):
    """The steps the question runs over (the test points' horizon), once its quantity and
    its names are checked for the cell (a :class:`JudgeError` otherwise)."""
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
    if q.kind == "gradient":
        if not 1 <= T <= MAX_GRADIENT_T:
            raise JudgeError("check.T_range", limit=MAX_GRADIENT_T, T=T)
        return T
    if q.kind == "jacobian" and q.t > MAX_T:
        raise JudgeError("check.steps_range", limit=MAX_T)
    return q.t


def _concluded(verdict: Verdict) -> Verdict:
    """The verdict of the judged steps: its notes, its outcome, the first wrong step's
    diagnoses and counterexample."""
    wrong = [s for s in verdict.steps if s.outcome != "equivalent"]
    for s in verdict.steps:
        for n in s.notes:
            if n not in verdict.notes and n.key != "note.carried":
                verdict.notes.append(n)
    if not wrong:
        verdict.outcome = "equivalent"
        return verdict
    first = wrong[0]
    verdict.outcome = "cannot_judge" if first.outcome == "cannot_judge" else "not_equivalent"
    verdict.diagnoses, verdict.counterexample = first.diagnoses, first.counterexample
    if right_after_wrong(verdict.steps):
        verdict.notes.append(Msg.of("note.right_after_wrong", index=first.index))
    return verdict


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


def _shown_hypothesis(hypothesis: dict) -> str:
    return ", ".join(f"{name}_t = {value}" for name, value in sorted(hypothesis.items())) + " (∀t)"


__all__ = ["CHECK_SECONDS", "LAYOUTS", "check_answer", "reading_context"]
