"""Where a wrong answer goes wrong: the search that reads the table of mistakes.

A wrong answer is named by lookup first (:mod:`symbrnn.judge.lookup`: the table applied
once to the question's key, its mistaken keys kept by their values at the test points);
else every row of :data:`~symbrnn.judge.mistakes.EDITS` is tried on the answer, then
:func:`locate_terms`, :func:`locate_summands` and :func:`locate_factor` say which (t, k)
term, which summand or which factor of a product is wrong, then every pair of rows (an
answer with two mistakes).
"""

from __future__ import annotations

import itertools

import sympy as sp
from sympy import BlockMatrix, MatAdd, MatMul, preorder_traversal

from symbrnn.engine.matexpr import Apply, add, mul, neg
from symbrnn.judge import mistakes
from symbrnn.judge.calculus import unnamed
from symbrnn.judge.edits import (
    distribute,
    key_terms,
    locate_factor,
    matrix_left_out,
    mistaken_keys,
    regrouped,
    single_edits,
    step_of,
)
from symbrnn.judge.messages import Msg
from symbrnn.judge.mistakes import Context, Diagnosis, ZeroBias, message, products_written_out
from symbrnn.printing.text import text

MAX_PAIR_TRIES = 120  # evaluations the two-edit search may spend (a class has many wrong answers)


def two_edits(yours, ctx: Context) -> list[Diagnosis]:
    """Two rows whose edits together explain the answer (the first pair found)."""
    tries = 0
    fixes = [row for row in mistakes.EDITS if row.fix is not None and row.pairs]
    for a, b in itertools.combinations(fixes, 2):
        for first, p1 in a.fix(yours, ctx):
            for second, p2 in b.fix(first, ctx):
                tries += 1
                if tries > MAX_PAIR_TRIES:
                    return []
                if ctx.fixes(second):
                    return [
                        Diagnosis(
                            f"{a.code}+{b.code}",
                            Msg.of("diag.TWO_EDITS", first=message(a, p1), second=message(b, p2)),
                        )
                    ]
    for a in fixes:
        for row in mistakes.EDITS:
            if row.mistake is None:
                continue
            for wrong, second in mistaken_keys(row, ctx):
                if isinstance(wrong, ZeroBias):
                    continue
                for first, p1 in a.fix(yours, ctx):
                    tries += 1
                    if tries > MAX_PAIR_TRIES:
                        return []
                    if ctx.fixes(first, wrong):
                        return [
                            Diagnosis(
                                f"{a.code}+{row.code}",
                                Msg.of("diag.TWO_EDITS", first=message(a, p1), second=second),
                            )
                        ]
    return []


# -- locating the mistake in a product or a sum -------------------------------------


def locate_terms(yours, ctx: Context) -> list[Diagnosis]:
    """Which (t, k) terms of ∂L/∂W are missing, extra or wrong; a wrong term is named with
    its own mistake and never makes its right neighbours "missing"."""
    q, D = ctx.q, ctx.D
    if q.kind != "gradient" or ctx.T is None:
        return []
    remaining = dict(key_terms(ctx)[0])  # built once per question
    try:
        mine = [m for m in distribute(yours) if not getattr(m, "is_ZeroMatrix", False)]
    except ValueError:
        return []
    unmatched = []
    for term in mine:
        match = next((key for key, e in remaining.items() if ctx.fixes(term, e)), None)
        if match is None:
            unmatched.append(term)
        else:
            remaining.pop(match)
    if len(D.states) > 1:
        unmatched = _paths_of_one_term(unmatched, remaining, ctx)
    out, extra = _wrong_terms(unmatched, remaining, ctx)
    if len(out) > 1 and len({d.code for d in out}) == 1 and not remaining and not extra:
        out = [_every_term(out)]
    if remaining:
        terms = ", ".join(f"({t}, {k})" for t, k in sorted(remaining))
        out.append(Diagnosis("MISSING_TERM", Msg.of("diag.MISSING_TERM", terms=terms)))
    if extra:
        shown = "; ".join(text(t) for t in extra[:4]) + ("; …" if len(extra) > 4 else "")
        out.append(Diagnosis("EXTRA_TERM", Msg.of("diag.EXTRA_TERM", terms=shown)))
    return out


def _paths_of_one_term(unmatched, remaining, ctx: Context) -> list:
    """The summands of one (t, k) term of a cell of several states, written path by path
    (∂L₂/∂h₂ ∂h₂/∂h₁ ∂⁺h₁/∂W_f + ∂L₂/∂h₂ ∂h₂/∂c₁ ∂⁺c₁/∂W_f), matched as one term; the
    summands left unmatched, those of a wrong term added into one."""
    groups: dict = {}
    for term in unmatched:
        groups.setdefault((step_of(term, "t"), step_of(term, "k")), []).append(term)
    out = []
    for key, terms in groups.items():
        if len(terms) > 1 and None not in key and key in remaining:
            if ctx.fixes(add(*terms), remaining[key]):
                remaining.pop(key)
                continue
            out.append(add(*terms))
        else:
            out.extend(terms)
    return out


def _wrong_terms(unmatched, remaining, ctx: Context) -> tuple[list, list]:
    """Each unmatched term named as a wrong (t, k) term (popped from ``remaining``), or
    kept as an extra one."""
    out: list[Diagnosis] = []
    extra = []
    for term, key in zip(unmatched, _paired(unmatched, remaining), strict=True):
        if key not in remaining:
            extra.append(term)
            continue
        right = _as_written(remaining.pop(key), ctx, key)  # the same (t, k): a wrong term
        sub = Context(right, ctx.points, ctx.D, ctx.q, ctx.cell, None, ctx.paths, right)
        found = (
            single_edits(term, sub)
            or (locate_factor(term, sub) if len(ctx.D.states) > 1 else [])
            or locate_factor(unnamed(term), sub)
        )
        t, k = key
        if found:
            said = Msg.of("diag.WRONG_TERM", t=t, k=k, why=found[0].said)
            out.append(Diagnosis(found[0].code, said))
        else:
            said = Msg.of(
                "diag.WRONG_TERM_UNKNOWN", t=t, k=k, yours=text(term), expected=text(right)
            )
            out.append(Diagnosis("WRONG_TERM", said))
    return out, extra


def _every_term(out: list[Diagnosis]) -> Diagnosis:
    """Every term wrong by the same mistake: said once, shown on the longest product."""

    def span(d):
        p = dict(d.said.params)
        return int(p.get("t", 0)) - int(p.get("k", 0))

    first = max(out, key=span).said
    why = dict(first.params).get("why", first)
    return Diagnosis(out[0].code, Msg.of("diag.EVERY_TERM", why=why))


def _as_written(term, ctx: Context, key):
    """A term of a cell of several states as a student writes it (∂h_t/∂c_k ∂⁺c_k/∂W_f),
    not in the engine's block form, when the two agree at the test points."""
    from symbrnn.judge.named import named_gradient_term

    blocks = any(isinstance(node, BlockMatrix) for node in preorder_traversal(term))
    if not blocks and len(ctx.D.states) == 1:
        return term
    written = named_gradient_term(ctx.D, ctx.q.name, *key)
    return written if written is not None and ctx.fixes(written, term) else term


def _paired(unmatched, remaining) -> list:
    """The (t, k) of each wrong term: its own, else (as many wrong terms as terms left) the
    first term left that agrees with the steps it still names (∂L_t/∂h_t left out: its k;
    ∂⁺h_t/∂W for ∂⁺h_k/∂W: its t), else the one term left."""
    keys = [(step_of(term, "t"), step_of(term, "k")) for term in unmatched]
    if len(unmatched) != len(remaining):
        return keys
    free = [key for key in remaining if key not in keys]
    out = []
    for t, k in keys:
        if (t, k) in remaining:
            out.append((t, k))
            continue
        match = next((f for f in free if t in (None, f[0]) and k in (None, f[1])), None)
        match = match or next((f for f in free if t == f[0] or k == f[1]), None)
        match = match or (free[0] if len(free) == 1 else None)
        if match is not None:
            free.remove(match)
        out.append(match)
    return out


MAX_SUMMANDS = 40  # terms of a Jacobian written out as a sum, for locating a missing one


def locate_summands(yours, ctx: Context) -> list[Diagnosis]:
    """A Jacobian written as a sum of paths (the LSTM's ∂c_t/∂c_{t−1}, a GRU step): the
    terms missing from the answer, or extra in it, against the chain rule's terms."""
    if ctx.q.kind == "gradient" or products_written_out(ctx.ref) is None:
        return []
    try:
        theirs = [t for t in distribute(products_written_out(ctx.ref)) if not _is_zero(t)]
        mine = [t for t in distribute(yours) if not _is_zero(t)]
    except Exception:  # a form that cannot be written out term by term
        return []
    if len(theirs) < 2 or len(theirs) > MAX_SUMMANDS or len(mine) > MAX_SUMMANDS:
        return []
    remaining = list(theirs)
    extra = []
    for term in mine:
        match = next((e for e in remaining if ctx.fixes(term, e)), None)
        if match is None:
            extra.append(term)
        else:
            remaining.remove(match)
    if not remaining and not extra:
        return []
    if len(remaining) > len(theirs) // 2 + 1 or len(extra) > 2:
        return []  # too far from the chain rule's terms for a term to be the mistake
    out = []
    if remaining:
        shown = "; ".join(text(t) for t in remaining[:3])
        out.append(Diagnosis("MISSING_SUMMAND", Msg.of("diag.MISSING_SUMMAND", terms=shown)))
    if extra:
        shown = "; ".join(text(t) for t in extra[:3])
        out.append(Diagnosis("EXTRA_SUMMAND", Msg.of("diag.EXTRA_SUMMAND", terms=shown)))
    return out


def _is_zero(m) -> bool:
    return bool(getattr(m, "is_ZeroMatrix", False))


def repaired(yours, ref, points, D, q, *, cell=None, T=None) -> list[Diagnosis]:
    """A member that is not defined as matrices (U for W, σ′(v) for σ′(A v), Aᵀ for A)
    named by the row of the table whose one edit makes it right, or []."""
    from symbrnn.judge.nested import locate_in

    ctx = Context(ref, points, D, q, cell, T)
    searches = (
        lambda: single_edits(yours, ctx) or locate_factor(yours, ctx),
        lambda: (
            [d for d in locate_terms(yours, ctx) if d.code != "WRONG_TERM"]
            if q.kind == "gradient"
            else locate_in(yours, products_written_out(ref) or ref, ctx)
        ),
        lambda: matrix_left_out(yours, ctx),
        lambda: single_edits(regrouped(yours), ctx) if regrouped(yours) is not None else [],
    )
    for search in searches:
        try:
            found = search()
        except Exception:  # an edit of an ill-shaped answer that cannot be evaluated
            continue
        found = [d for d in found if d.code in NAMED_WHEN_UNDEFINED or d.code in ROW_CODES]
        if found:
            return found
    return []


NAMED_WHEN_UNDEFINED = {  # not a factor "wrong" by its shape
    "MISSING_FACTOR",
    "EXTRA_FACTOR",
    "MISSING_TERM",
    "MISSING_SUMMAND",
    "EXTRA_SUMMAND",
}
ROW_CODES = {row.code for row in mistakes.EDITS}


def inverted(yours, ctx: Context) -> list[Diagnosis]:
    """An answer that names ∂h_k/∂h_t (k < t, read as 0) where ∂h_t/∂h_k is due: named
    when it equals the key with those Jacobians 0 (a gradient: its terms k = t)."""
    from symbrnn.judge.mistake_rows import inverted_jacobian

    for wrong, params in inverted_jacobian(ctx):
        if ctx.fixes(yours, wrong):
            return [Diagnosis("INVERTED", Msg.of("diag.INVERTED", **params))]
    return []


def diagnose(
    yours, ref, points, D, q, *, cell=None, T=None, paths="all", target=None, future=False
):
    """The mistakes of a wrong answer: one edit of the table, else where in its products
    and sums it goes wrong, else two edits; UNKNOWN when none explains it. ``future``: the
    answer names a Jacobian of a past state by a later one (read as 0)."""
    from symbrnn.judge.lookup import looked_up

    ctx = Context(ref, points, D, q, cell, T, paths, target)
    found = inverted(yours, ctx) if future else []
    found = found or looked_up(yours, ctx) or single_edits(yours, ctx)
    if not found:
        found = locate_terms(yours, ctx) if q.kind == "gradient" else []
    if not found and q.kind != "gradient":
        from symbrnn.judge.nested import locate_in

        found = locate_in(yours, products_written_out(ref) or ref, ctx)
    if not found:
        found = locate_summands(yours, ctx)
    if not found:
        found = locate_factor(yours, ctx)
    if not found:
        found = locate_difference(yours, ctx)
    if not found and _bound_for_value(yours, ref):
        found = [Diagnosis("BOUND_FOR_VALUE", Msg.of("diag.BOUND_FOR_VALUE"))]
    if not found:
        found = two_edits(yours, ctx)
    return found or [Diagnosis("UNKNOWN", Msg.of("diag.UNKNOWN"))]


def _bound_for_value(yours, ref) -> bool:
    """A numeric factor in place of the derivatives of the activation: (1/4)^n W^n, a
    product of a number and matrices (never a sum such as 2I − W)."""
    if not isinstance(yours, MatMul) or yours.atoms(Apply) or not ref.atoms(Apply):
        return False
    numbers = [a for a in yours.args if getattr(a, "is_number", False)]
    return any(a not in (1, -1) for a in numbers) and not yours.atoms(MatAdd)


MAX_DIFFERENCE = 2  # terms the answer and the key may differ by, for them to be named


def locate_difference(yours, ctx: Context) -> list[Diagnosis]:
    """The answer is the key plus a short sum (2I − W for I: I − W does not belong) or
    minus one (a path left out): the terms that differ, said as extra or missing."""
    try:
        ref = products_written_out(ctx.ref) or ctx.ref
        mine, theirs = distribute(yours), distribute(ref)
        terms = _collected([*mine, *(neg(t) for t in theirs)])
        size = len(mine) + len(theirs)
    except Exception:  # a form that cannot be written out term by term
        return []
    left = _cancelled(terms, ctx) if len(terms) <= 4 * MAX_DIFFERENCE else terms
    if not 1 <= len(left) <= MAX_DIFFERENCE or len(left) >= size:
        return []
    theirs = distribute(ref)
    if all(_negative(t) and any(ctx.fixes(neg(t), r) for r in theirs) for t in left):
        shown = text(add(*(neg(t) for t in left)))  # the key's own terms, left out
        return [Diagnosis("MISSING_SUMMAND", Msg.of("diag.MISSING_SUMMAND", terms=shown))]
    shown = " ".join(
        ("− " if _negative(t) else "+ ") + text(neg(t) if _negative(t) else t)
        for t in sorted(left, key=_negative)
    ).removeprefix("+ ")
    return [Diagnosis("EXTRA_SUMMAND", Msg.of("diag.EXTRA_SUMMAND", terms=shown))]


def _collected(terms) -> list:
    """Terms with the same matrices added up (2I − I is I), those that vanish left out."""
    coefficients: dict = {}
    for term in terms:
        numbers = [a for a in term.args if a.is_number] if isinstance(term, MatMul) else []
        matrices = mul(*(a for a in term.args if not a.is_number)) if numbers else term
        coefficients[matrices] = coefficients.get(matrices, 0) + sp.Mul(*numbers)
    return [c * m if c != 1 else m for m, c in coefficients.items() if c != 0]


def _cancelled(terms, ctx) -> list:
    """The terms left once those that cancel at the test points are set aside (σ′ written
    two ways)."""
    left = list(range(len(terms)))
    for i in range(len(terms)):
        if i in left:
            twin = next((j for j in left if j != i and ctx.fixes(terms[i], neg(terms[j]))), None)
            if twin is not None:
                left.remove(i)
                left.remove(twin)
    return [terms[i] for i in left]


def _negative(term) -> bool:
    coeff = term.args[0] if isinstance(term, MatMul) else None
    return bool(getattr(coeff, "is_number", False) and coeff < 0)


__all__ = ["Diagnosis", "diagnose"]
