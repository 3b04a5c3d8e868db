"""The options of a formula question: the engine's result in a form that fits a line, and
the mistakes students make on it, proven wrong by ``check`` and ranked by how often they
are made.

The right option is the engine's result written short (a gradient as its double sum
Σ_t Σ_k with the ordered product ∏ of the course; a Jacobian of one state as its factors,
or as the collapsed power [Diag(σ′)W]^n when the question asks for the power; a one-factor
product as its factor). Each wrong option is one row of the checker's table of mistakes
(:func:`symbrnn.judge.mistakes.mistaken_forms`) made on it, or one of the exam's own edits
below (a gate for another, 0 for I under a hypothesis that makes the product I). An option is
kept only when ``check``, reading its LaTeX back with the question's settings and hypothesis,
judges it not equivalent and names that row's mistake, when its values at the test points
differ from every other option's, and when it uses no function the model does not have (no
relu′ in a sigmoid network).

>>> from symbrnn.judge.question import Question
>>> asked = Question("", "lemma", "du/dv", options=(("activation", "sigmoid"),))
>>> stem, right, pool = formula_pool(asked, "en", "written")
>>> print(right.latex)
\\operatorname{Diag}\\left(\\sigma'\\left(A v\\right)\\right) A
>>> {"MISSING_DIAG", "ORDER", "SIGMA_FOR_PRIME"} <= {o.answer_note for o in pool}
True
"""

from __future__ import annotations

import functools

from symbrnn.errors import InputError
from symbrnn.exam.option import ExamError, Option
from symbrnn.exam.stems import formula_stem
from symbrnn.judge.question import Question
from symbrnn.words import say

PER_MISTAKE = 3  # proven wrong options kept per note (variants draw among them)


@functools.lru_cache(maxsize=64)
def formula_pool(asked: Question, lang: str, form: str):
    """(stem, right option, every proven wrong option) of one question; ``form``
    is ``written`` (the result as a student writes it) or ``power`` (the collapsed power)."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.check import check_answer
    from symbrnn.judge.expected import reference
    from symbrnn.judge.mistakes import Context, mistaken_forms
    from symbrnn.judge.points import cached_points
    from symbrnn.printing.latex import latex

    cell = make_cell(asked.cell, allow_files=False, **asked.cell_options)
    T, paths, hypothesis = asked.T, asked.paths or "all", dict(asked.hypothesis) or None
    quantity = asked.quantity  # the engine's answer to it, and each mistake made on it

    judge = functools.partial(
        check_answer, cell, quantity, T=T, paths=paths, lang=lang, hypothesis=hypothesis
    )
    q = parse_quantity(quantity, allow_input=True)
    D = Derivation.of(cell)
    ref = reference(D, q, T=T, paths=paths)
    shown = short_form(D, q, ref, T, form)
    right_latex = latex(shown)
    held = _held(D, q, hypothesis)
    if held is not None:  # under a hypothesis the product has a value: the key says both
        right_latex = f"{right_latex} = {latex(held)}"
    verdict = judge(right_latex)
    if not verdict.equivalent:
        raise ExamError.said("exam.error.own_answer", quantity=quantity)
    groups = {right_latex, verdict.group}
    steps = max(int(T or q.t or 1), 1)
    ctx = Context(ref=ref, points=cached_points(D, steps), D=D, q=q, cell=cell, T=T, paths=paths)
    allowed = _functions(D)
    pool: list[Option] = []
    made = [(row.code, expr) for row, expr, _ in mistaken_forms(shown, ctx)]
    for code, expr in [*made, *exam_edits(D, q, shown, hypothesis)]:
        kept = sum(o.answer_note == code for o in pool)
        if kept >= PER_MISTAKE or not _functions(expr) <= allowed:
            continue
        try:
            option = _written(expr, hypothesis, held, right_latex)
            if option is None:
                continue
            verdict = judge(option)
        except (InputError, ValueError, TypeError, AttributeError):
            continue  # an edit that cannot be written or read back is no option
        same = option if hypothesis or not verdict.group else verdict.group
        said = _said(code, verdict, lang)
        if verdict.outcome != "not_equivalent" or same in groups or said is None:
            continue
        groups.add(same)
        pool.append(Option(option, False, code, said, verdict.counterexample))
    kind = "held" if held is not None else "paths" if len(D.states) > 1 else form
    right = Option(right_latex, True, mistake=right_feedback(q, kind, lang))
    return formula_stem(D, q, asked, lang, form), right, tuple(pool)


def _written(expr, hypothesis, held, right_latex: str) -> str | None:
    """A candidate's LaTeX as an option (with its value under the hypothesis); None when it
    is no option: a column vector transposed (A vᵀ, a slip no student writes), a value under
    the hypothesis not known, twice as long as the right one, or right under the hypothesis."""
    from sympy import Transpose

    from symbrnn.engine.matexpr import TimeVec
    from symbrnn.printing.latex import latex

    if any(t.arg.shape[1] == 1 for t in expr.atoms(Transpose)):
        return None
    expr = _one_factor_products(expr)
    option = latex(expr)
    value = _held_value(expr, hypothesis)
    if value is not None:
        return None if held is not None and value == held else f"{option} = {latex(value)}"
    fixed = hypothesis and any(v.name in hypothesis for v in expr.atoms(TimeVec))  # a gate held
    return None if fixed or len(option) > 1.3 * len(right_latex) + 40 else option


def _said(code, verdict, lang) -> str | None:
    """What the option's feedback says: the checker's own diagnosis of the option when it
    names the row that made it (or finds the product undefined: Aᵀ for A), the exam's words
    for its own edits; None when the checker names another mistake (no option)."""
    from symbrnn.judge.mistakes import EDITS

    if all(row.code != code for row in EDITS):
        return say(f"mistake.{code}", lang)
    notes, said = verdict.answer_notes, verdict.diagnosis
    if code in notes:
        return said[notes.index(code)] if len(said) == len(notes) else said[0]
    if notes[:1] == ["SHAPE"] and said and code in ("ORDER", "TRANSPOSE", "TRANSPOSE_ONE"):
        return said[0]
    return None


def short_form(D, q, ref, T, form):
    """The result written short (see the module's docstring)."""
    from symbrnn.engine.derive import collapse, expand_products
    from symbrnn.judge.expected import answer_expression

    if q.kind == "gradient" and len(D.states) == 1:
        return D.gradient(q.name, T)  # Σ_t Σ_k ∂L_t/∂h_t ∏ … ∂⁺h_k/∂W: one line
    if form == "power" and q.kind == "jacobian":
        return collapse(ref)
    if q.kind == "jacobian" and len(D.states) == 1:
        return expand_products(ref) if q.t - q.k <= 3 else ref
    return _one_factor_products(answer_expression(D, q, ref))


def _one_factor_products(expr):
    """A product of one factor printed as its factor (no ∏_{j=4}^{4})."""
    from symbrnn.engine.matexpr import OrderedProduct

    one = {p: p.factors()[0] for p in expr.atoms(OrderedProduct) if p.length == 1}
    return expr.xreplace(one) if one else expr


def _functions(expr) -> set:
    """The activations an expression (or a model, its definitions) applies."""
    from symbrnn.engine.matexpr import Apply

    if hasattr(expr, "definitions"):
        return set().union(*(_functions(rhs) for _lhs, rhs in expr.definitions()))
    return {str(a.fn) for a in expr.atoms(Apply)}


def _held(D, q, hypothesis):
    """The value of the direct product under a hypothesis that fixes its gates (IV.3's
    Diag(f₄)Diag(f₃)Diag(f₂) = I), else None."""
    if not hypothesis or q.kind != "jacobian":
        return None
    return _held_value(
        short_form(D, q, D.jacobian(q.name, q.t, q.k, paths="direct"), None, ""), hypothesis
    )


def _held_value(expr, hypothesis):
    """``expr`` with every Diag of a gate the hypothesis fixes replaced by its value (1: I,
    0: the zero matrix), when that leaves a constant; else None."""
    import sympy as sp

    from symbrnn.engine.derive import expand_products
    from symbrnn.engine.matexpr import Diag, TimeVec

    if not hypothesis:
        return None
    expr = expand_products(expr)
    fixed = {}
    for d in expr.atoms(Diag):
        vec = d.args[0]
        if isinstance(vec, TimeVec) and vec.args[0].name in hypothesis:
            n = d.shape[0]
            fixed[d] = sp.Identity(n) if hypothesis[vec.args[0].name] == 1 else sp.ZeroMatrix(n, n)
    if not fixed:
        return None
    value = sp.simplify(expr.xreplace(fixed).doit())
    if value.free_symbols - expr.shape[0].free_symbols:
        return None
    return value


def exam_edits(D, q, shown, hypothesis):
    """The mistakes the table does not make but students do: (code, expression)."""
    from symbrnn.engine.matexpr import Diag, TimeVec

    if not (hypothesis and q.kind == "jacobian"):
        return
    diags = [d for d in shown.atoms(Diag) if isinstance(d.args[0], TimeVec)]
    used = {d.args[0].name for d in diags}
    for gate in sorted(_gates(D) - used):  # another gate's product: Diag(i_j) for Diag(f_j)
        swap = {d: Diag(TimeVec(gate, d.args[0].time, d.shape[0])) for d in diags}
        yield "GATE_FOR_GATE", shown.xreplace(swap)
    import sympy as sp

    yield "ZERO_FOR_IDENTITY", sp.ZeroMatrix(*shown.shape)


def _gates(D) -> set:
    """The model's gates: its declared vectors that are a σ of an affine map."""
    from symbrnn.engine.matexpr import Apply, TimeVec

    return {
        lhs.name
        for lhs, rhs in D.definitions(declared_only=True)
        if isinstance(lhs, TimeVec) and isinstance(rhs, Apply) and rhs.fn == "sigmoid"
    }


def right_feedback(q, form, lang) -> str:
    """The right answer's feedback: what makes it right, in one line."""
    if q.kind in ("input", "gradient"):
        return say(f"right.{q.kind}", lang)
    key = form if form in ("power", "held", "paths") else "jacobian"
    return say(f"right.{key}", lang, steps=q.t - q.k)
