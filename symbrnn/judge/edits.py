"""The edits that explain an answer at its top level: one row of the table of mistakes, or
the one factor of a product that is wrong, missing or extra. The search
(:mod:`symbrnn.judge.diagnose`), the lookup (:mod:`symbrnn.judge.lookup`) and the search inside
sums (:mod:`symbrnn.judge.nested`) all read them.
"""

from __future__ import annotations

import itertools

from sympy import MatAdd, MatMul, MatrixSymbol, ZeroMatrix, preorder_traversal

from symbrnn.engine.derive import Loss
from symbrnn.engine.matexpr import OrderedProduct, Partial, TimeVec, add, mul
from symbrnn.judge import mistakes
from symbrnn.judge.messages import Msg
from symbrnn.judge.mistake_rows import occurrences, replaced_at
from symbrnn.judge.mistakes import Context, Diagnosis, ZeroBias, message
from symbrnn.judge.points import cached_points
from symbrnn.printing.text import text

MAX_TERMS = 600  # terms of a distributed sum


def distribute(expr) -> list:
    """The terms of an expression with every product of sums multiplied out."""
    if isinstance(expr, MatAdd):
        out = []
        for a in expr.args:
            out.extend(distribute(a))
            if len(out) > MAX_TERMS:
                raise ValueError("too many terms")
        return out
    if isinstance(expr, MatMul):
        options = [distribute(a) if isinstance(a, MatAdd) else [a] for a in expr.args]
        count = 1
        for o in options:
            count *= len(o)
        if count > MAX_TERMS:
            raise ValueError("too many terms")
        return [mul(*combo) for combo in itertools.product(*options)]
    return [expr]


def matches(ctx: Context, yours, wrong) -> bool:
    if isinstance(wrong, ZeroBias):
        unbiased = cached_points(ctx.D, ctx.points.T, zero_bias=True)
        try:
            return unbiased.equal(yours, ctx.ref)[0]
        except Exception:
            return False
    return ctx.fixes(yours, wrong)


def single_edits(yours, ctx: Context) -> list[Diagnosis]:
    """Every row of the table whose one edit explains the answer."""
    found: list[Diagnosis] = []

    def add_found(code, said):
        if all(d.said != said for d in found):
            found.append(Diagnosis(code, said))

    worth = _rows_for_terms(yours, ctx)
    for i, row in enumerate(mistakes.EDITS):
        if row.fix is not None:
            if worth is None or i in worth:
                for said in _fixing(yours, ctx, row, None if worth is None else worth[i]):
                    add_found(row.code, said)
        else:
            for wrong, said in mistaken_keys(row, ctx):
                if matches(ctx, yours, wrong):
                    add_found(row.code, said)
    if any(d.code == "TIME_SHIFT" for d in found):  # every index shifted says it all
        found = [d for d in found if d.code != "TIME_ONE"]
    biases = [d for d in found if d.code == "BIAS_MISSING"]
    if len(biases) > 1:  # one bias left out is named alone, not with every bias of the cell
        fewest = min(biases, key=lambda d: len(str(dict(d.said.params).get("biases", ""))))
        found = [d for d in found if d.code != "BIAS_MISSING" or d is fewest]
    return found


def _fixing(yours, ctx: Context, row, expected) -> list:
    """What the row's edits that make the answer right say; ``expected``: what its edits
    of the wrong terms alone said (those edits are tried first, the others only when none
    of them is the fix)."""
    edits = _edits(row, yours, ctx)
    if expected:
        said = [m for e, m in edits if m in expected and ctx.fixes(e)]
        if said:
            return said
    return [m for e, m in edits if ctx.fixes(e)]


_EDITS: dict = {}  # (row, expression, question) -> the row's edits of it and what they say


def _edits(row, expr, ctx: Context) -> list:
    """The row's edits of ``expr`` and their messages, made once: a wrong (t, k) term is
    edited when its sum is searched and again when the term is named."""
    key = (row.key, row.fix, expr, id(ctx.D), ctx.q, ctx.paths, id(ctx.cell))
    kept = _EDITS.get(key)
    if kept is None or kept[0] is not ctx.D:
        if len(_EDITS) > 4096:
            _EDITS.clear()
        made = [(edited, message(row, params)) for edited, params in row.fix(expr, ctx)]
        kept = _EDITS[key] = (ctx.D, made)
    return kept[1]


def mistaken_keys(row, ctx: Context) -> list:
    """A ``mistake`` row's mistaken keys of the question and what they say, made once per
    question (they do not depend on the answer)."""
    key = (row.key, row.mistake, id(ctx.D), ctx.q, ctx.T, ctx.paths, id(ctx.cell), ctx.ref)
    kept = _EDITS.get(key)
    if kept is None or kept[0] is not ctx.D:
        if len(_EDITS) > 4096:
            _EDITS.clear()
        made = [(wrong, message(row, params)) for wrong, params in row.mistake(ctx)]
        kept = _EDITS[key] = (ctx.D, made)
    return kept[1]


_KEY_TERMS: dict = {}  # (D, quantity, T, paths, points) -> the key's (t, k) terms, fingerprints


def key_terms(ctx: Context) -> tuple[dict, list, object]:
    """The (t, k) terms of the key of ∂L/∂P and their fingerprints at the test points,
    built once per question (a class's wrong answers are compared with them again and
    again), and their sum."""
    q = ctx.q
    key = (id(ctx.D), q.name, ctx.T, ctx.paths, id(ctx.points))
    kept = _KEY_TERMS.get(key)
    if kept is None or kept[0] is not ctx.D or kept[1] is not ctx.points:
        if len(_KEY_TERMS) > 64:
            _KEY_TERMS.clear()
        terms = {
            (t, k): ctx.D.gradient_term(q.name, t, k, paths=ctx.paths)
            for t in range(1, ctx.T + 1)
            for k in range(1, t + 1)
        }
        prints = [ctx.points.fingerprint(e) for e in terms.values()]
        kept = _KEY_TERMS[key] = (ctx.D, ctx.points, terms, prints, add(*terms.values()))
    return kept[2], kept[3], kept[4]


def _unmatched(yours, ctx: Context):
    """(the answer's terms, the key's terms) left once the (t, k) terms of a sum equal at
    the test points are paired one to one; None when the answer is not such a sum or no
    term of it is the key's."""
    if ctx.q.kind != "gradient" or not isinstance(ctx.T, int) or not isinstance(yours, MatAdd):
        return None
    terms, prints, whole = key_terms(ctx)
    if not ctx.fixes(whole):
        return None  # the key is not the sum of these terms (a hypothesis, another form)
    try:
        if any(distribute(a) != [a] for a in yours.args):
            return None  # a product of sums: an edit may act on several terms at once
    except ValueError:
        return None
    left = (
        dict(zip(prints, terms.values(), strict=True)) if len(set(prints)) == len(prints) else None
    )
    if left is None or "" in left:
        return None
    wrong = []
    for term in yours.args:
        mark = ctx.points.fingerprint(term)
        if mark and mark in left:
            left.pop(mark)
        else:
            wrong.append(term)
    if len(wrong) == len(yours.args):
        return None
    return wrong, list(left.values())


def _rows_for_terms(yours, ctx: Context):
    """The rows of the table worth trying on a sum of (t, k) terms some of which are the
    key's: those whose edit of the other terms alone makes them the key's terms left (an
    edit of the whole sum that changes a right term is not the fix); None when the answer
    is not such a sum (every row is tried). Each row kept with what its fixing edits said."""
    split = _unmatched(yours, ctx)
    if split is None:
        return None
    wrong, right = split
    if not wrong:
        return []  # every term is the key's: terms are missing, no edit puts them back
    shape = yours.shape
    mine = add(*wrong)
    theirs = add(*right) if right else ZeroMatrix(*shape)
    worth = {}
    for i, row in enumerate(mistakes.EDITS):
        if row.fix is None:
            continue
        try:
            said = [m for e, m in _edits(row, mine, ctx) if ctx.fixes(e, theirs)]
        except Exception:  # an edit the terms alone do not take: tried on the whole
            said = [None]
        if said:
            worth[i] = said
    return worth


def factors(expr, limit=12) -> list:
    """The factors of a product, left to right, short ordered products written out."""
    parts = list(expr.args) if isinstance(expr, MatMul) else [expr]
    out = []
    for p in parts:
        if isinstance(p, OrderedProduct) and p.length.is_Integer and 0 <= p.length <= limit:
            for f in p.factors():
                out.extend(f.args if isinstance(f, MatMul) else [f])
        else:
            out.append(p)
    return [f for f in out if not (getattr(f, "is_number", False) and f == 1)]


def locate_factor(yours, ctx: Context) -> list[Diagnosis]:
    """The one factor of a product that is wrong, missing or extra (counted from the left)."""
    target = ctx.target if ctx.target is not None else ctx.ref
    mine, theirs = factors(yours), factors(target)
    if not mine or not theirs or len(mine) + len(theirs) < 3:
        return []  # a whole answer for a whole key says nothing a factor would
    if len(mine) == len(theirs):
        for i, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            if a == b:
                continue
            edited = mul(*mine[:i], b, *mine[i + 1 :])
            if ctx.fixes(edited):
                return [
                    Diagnosis(
                        "WRONG_FACTOR",
                        Msg.of(
                            "diag.WRONG_FACTOR", position=i + 1, yours=text(a), expected=text(b)
                        ),
                    )
                ]
    elif len(mine) + 1 == len(theirs):
        for i, b in enumerate(theirs):
            if ctx.fixes(mul(*mine[:i], b, *mine[i:])):
                return [
                    Diagnosis(
                        "MISSING_FACTOR",
                        Msg.of("diag.MISSING_FACTOR", position=i + 1, expected=text(b)),
                    )
                ]
    elif len(mine) == len(theirs) + 1:
        for i, a in enumerate(mine):
            if ctx.fixes(mul(*mine[:i], *mine[i + 1 :])):
                return [
                    Diagnosis(
                        "EXTRA_FACTOR", Msg.of("diag.EXTRA_FACTOR", position=i + 1, yours=text(a))
                    )
                ]
    return _aligned(mine, theirs, ctx)


MAX_MIDDLE = 3  # factors a located mistake may span (beyond, it says nothing useful)


def _aligned(mine, theirs, ctx) -> list[Diagnosis]:
    """The factors that differ once the equal ones at both ends are set aside."""

    def same(a, b):
        return a == b or (getattr(a, "shape", 0) == getattr(b, "shape", 1) and ctx.fixes(a, b))

    start = 0
    while start < min(len(mine), len(theirs)) and same(mine[start], theirs[start]):
        start += 1
    end = 0
    while end < min(len(mine), len(theirs)) - start and same(
        mine[len(mine) - 1 - end], theirs[len(theirs) - 1 - end]
    ):
        end += 1
    mid_mine, mid_theirs = mine[start : len(mine) - end], theirs[start : len(theirs) - end]
    if max(len(mid_mine), len(mid_theirs)) > MAX_MIDDLE or not (mid_mine or mid_theirs):
        return []
    if not ctx.fixes(mul(*mine[:start], *mid_theirs, *mine[len(mine) - end :])):
        return []
    if not mid_mine:
        said = Msg.of("diag.MISSING_FACTOR", position=start + 1, expected=text(mul(*mid_theirs)))
        return [Diagnosis("MISSING_FACTOR", said)]
    if not mid_theirs:
        said = Msg.of("diag.EXTRA_FACTOR", position=start + 1, yours=text(mul(*mid_mine)))
        return [Diagnosis("EXTRA_FACTOR", said)]
    if len(mid_mine) == 1:
        said = Msg.of(
            "diag.WRONG_FACTOR",
            position=start + 1,
            yours=text(mid_mine[0]),
            expected=text(mul(*mid_theirs)),
        )
        return [Diagnosis("WRONG_FACTOR", said)]
    said = Msg.of(
        "diag.WRONG_FACTORS",
        first=start + 1,
        last=start + len(mid_mine),
        yours=text(mul(*mid_mine)),
        expected=text(mul(*mid_theirs)),
    )
    return [Diagnosis("WRONG_FACTORS", said)]


def regrouped(yours):
    """∏ body · P read back as ∏ [body P]: a matrix that is not square is left after the
    product by the reader (∏_j [Diag(σ'(a_j)) U] is not defined), put back inside it; an
    empty product (t = k) is I whatever its body: no edit of it can be named."""
    args = list(yours.args) if isinstance(yours, MatMul) else []
    for i, a in enumerate(args):
        after = args[i + 1 :]
        if (
            isinstance(a, OrderedProduct)
            and a.length != 0
            and after
            and all(isinstance(f, MatrixSymbol) for f in after)
        ):
            return mul(*args[:i], OrderedProduct(mul(a.body, *after), a.index, a.lo, a.hi))
    return None


def step_of(term, kind):
    """The t of ∂L_t/∂h_t or the k of ∂⁺h_k/∂W in a term of ∂L/∂W, else None."""
    for p in term.atoms(Partial):
        if kind == "t" and isinstance(p.num, Loss) and p.num.time.is_Integer:
            return int(p.num.time)
        if kind == "k" and p.immediate and isinstance(p.num, TimeVec) and p.num.time.is_Integer:
            return int(p.num.time)
    return None


def matrix_left_out(yours, ctx: Context) -> list[Diagnosis]:
    """A vector without the matrix in front of it (W_z h₂ + x₃ for W_z h₂ + U_z x₃), or a
    matrix without its vector (W_f + U_f x₄ for W_f h₃ + U_f x₄): the matrix or the vector
    of the cell that, put back, makes the answer right."""
    kernels = [
        ctx.D.params[p.name]
        for p in ctx.D.trace.parameters
        if p.role in ("recurrent_kernel", "input_kernel")
    ]
    vectors = sorted(yours.atoms(TimeVec), key=str)
    for v in vectors:
        for path in occurrences(yours, v):
            for P in (P for P in kernels if P.shape[1] == v.shape[0]):
                if ctx.fixes(replaced_at(yours, path, mul(P, v))):
                    said = Msg.of("diag.MATRIX_LEFT_OUT", vector=text(v), expected=text(P))
                    return [Diagnosis("MISSING_FACTOR", said)]
    times = {v.time for v in vectors}
    states = {ctx.D.vec(s, t) for s in (*ctx.D.states, "x") for t in times}
    vectors = sorted(set(vectors) | states, key=str)
    multiplied = _multiplied(ctx.D, times)
    for P in sorted(yours.atoms(MatrixSymbol) & set(kernels), key=str):
        for path in occurrences(yours, P):
            for v in (v for v in vectors + multiplied.get(P, []) if P.shape[1] == v.shape[0]):
                if ctx.fixes(replaced_at(yours, path, mul(P, v))):
                    said = Msg.of("diag.VECTOR_LEFT_OUT", matrix=text(P), expected=text(v))
                    return [Diagnosis("MISSING_FACTOR", said)]
    return []


def _multiplied(D, times) -> dict:
    """What each matrix multiplies in the definitions of the steps ``times`` when it is not
    a vector alone (the GRU's W_h (r₃ ⊙ h₂))."""
    out: dict = {}
    for t in sorted(times, key=str):
        try:
            definitions = D.definitions(t)
        except Exception:  # a step the cell does not define
            continue
        for _, e in definitions:
            for node in preorder_traversal(e):
                if isinstance(node, MatMul) and len(node.args) == 2:
                    P, v = node.args
                    if isinstance(P, MatrixSymbol) and not isinstance(v, TimeVec):
                        out.setdefault(P, []).append(v)
    return out
