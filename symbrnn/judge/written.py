"""An answer once read, made ready to judge: its Σ with number bounds written out, each
forward-only derivative (:class:`Causal`) resolved, its products and sums tidied.

Answers to one question share most of their subtrees: the pure functions of these
immutable trees (``tidy``, the resolution) keep their results for the next answer, and
one walk of the tree bounds its work and finds its sums.
"""

from __future__ import annotations

import functools

import sympy as sp
from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy.matrices.expressions.hadamard import HadamardProduct

from symbrnn.engine.matexpr import (
    ERASED,
    BracketPower,
    Diag,
    Ones,
    OrderedProduct,
    RNNExpr,
    TimeSum,
    TimeVec,
    add,
    mul,
)
from symbrnn.judge.named import NamedJacobian
from symbrnn.judge.notation import AnswerParseError
from symbrnn.numeric.instantiate import check_deadline

TREE_CACHE = 8192  # subtrees of answers tidied, kept for the next answer to the question


class Causal(RNNExpr):
    """A derivative that exists only forward in time: ∂h_t/∂h_k is 0 when k > t, and
    ∂L_t/∂h_t, ∂⁺h_t/∂W are 0 at t = 0 (there is no L_0, and h_0 does not depend on W).
    Resolved by :func:`resolve_causal` once the sums are written out."""

    def __new__(cls, value, t, k):
        return sp.Basic.__new__(cls, value, _sympify(t), _sympify(k))

    value, t, k = (property(lambda self, i=i: self.args[i]) for i in range(3))

    @functools.cached_property
    def shape(self):  # asked at every product and sum built around it
        return self.args[0].shape


def resolve_causal(expr, zeroed=None):
    """Every :class:`Causal` replaced by its value, or by 0 once its steps say so (each
    such (t, k) appended to ``zeroed``); the products and sums around them tidied."""
    if not isinstance(expr, sp.Basic) or not _has(expr, Causal):
        return expr
    out, steps = _resolved(expr)
    if zeroed is not None:
        zeroed.extend(steps)
    return out


def _has(expr, kind) -> bool:
    """``expr`` holds a node of ``kind`` (a walk that stops at the first)."""
    return any(isinstance(n, kind) for n in sp.preorder_traversal(expr))


@functools.lru_cache(maxsize=TREE_CACHE)
def _resolved(expr) -> tuple:
    """(``expr`` resolved and tidied, the (t, k) of the Jacobians across steps set to 0): one
    walk, each subtree once (answers to a question share most of theirs)."""
    if not expr.args:
        return expr, ()
    if isinstance(expr, Causal):
        value, steps = _resolved(expr.value)
        t, k = expr.t, expr.k
        if t.is_Integer and k.is_Integer and k > t:
            across = ((int(t), int(k)),) if k != 1 else ()  # not ∂⁺h₀/∂W
            return sp.ZeroMatrix(*expr.shape), steps + across
        return value, steps
    parts = [_resolved(a) if a.args else (a, ()) for a in expr.args]
    steps = tuple(s for _, part in parts for s in part)
    return _rebuilt(expr, [a for a, _ in parts]), steps


def tidy(expr):
    """Products and sums rebuilt by the engine's ``mul`` and ``add`` (a factor that became
    0 absorbs its product; a term that became 0 leaves its sum)."""
    return _tidied(expr) if isinstance(expr, sp.Basic) and expr.args else expr


@functools.lru_cache(maxsize=TREE_CACHE)
def _tidied(expr):
    return _rebuilt(expr, [_tidied(a) if a.args else a for a in expr.args])


def _rebuilt(expr, args):
    if isinstance(expr, sp.MatMul):
        return mul(*args)
    if isinstance(expr, sp.MatAdd):
        return add(*args)
    changed = any(a is not b for a, b in zip(args, expr.args, strict=True))
    return expr.func(*args) if changed else expr


def unnamed(expr):
    """``expr`` with every Jacobian the student named replaced by its value (the form the
    search of the table of mistakes compares factor by factor)."""
    found = expr.atoms(NamedJacobian) if isinstance(expr, sp.Basic) else ()
    return tidy(expr.xreplace({n: unnamed(n.value) for n in found})) if found else expr


MAX_FACTORS = 64  # the factors of an elementwise ∏ written out (calculus.MAX_POWER)
MAX_WORK = 50_000  # the matrix operations an answer may describe once ∏, Σ and powers unroll


def answer_work(expr) -> int:
    """How many matrix operations ``expr`` describes once its sums, ordered products and
    powers with number bounds are written out: what bounds an answer that is short to type
    but huge to check (``\\prod_{j=1}^{100000} W``, five nested Σ of 100 terms)."""
    return _work(expr)[0]


def _work(expr) -> tuple[int, dict]:
    """:func:`answer_work`, and every subtree that has arguments (what one walk saw)."""
    memo: dict = {}

    def count(e) -> int:
        if e in memo:
            return memo[e]
        check_deadline()
        own = 1 + sum(count(a) for a in e.args if isinstance(a, sp.Basic) and a.args)
        repeat = 1
        if isinstance(e, TimeSum | OrderedProduct):
            lo, hi = e.lo, e.hi
            if lo.is_Integer and hi.is_Integer:
                repeat = max(int(hi) - int(lo) + 1, 1)
        elif isinstance(e, sp.MatPow | BracketPower):
            n = e.args[1]
            repeat = max(int(n), 1) if n.is_Integer and abs(n) <= 10**9 else 1
        total = own * repeat
        memo[e] = total
        if total > MAX_WORK:
            raise AnswerParseError("answer.too_much_work", limit=f"{MAX_WORK:,}")
        return total

    return count(expr), memo


def write_out_sums(expr, depth=0, zeroed=None):
    """Every Σ with number bounds written out as its terms, inner sums after outer ones."""
    if depth > 8:
        raise AnswerParseError("answer.sums_nested")
    if depth == 0:  # the walk that bounds the work finds the sums too
        sums = {e for e in _work(expr)[1] if isinstance(e, TimeSum)}
    else:
        sums = expr.atoms(TimeSum)
    for s in sorted(sums, key=lambda s: -len(s.atoms(TimeSum))):
        lo, hi = s.lo, s.hi
        if not (lo.is_Integer and hi.is_Integer):
            continue
        if hi - lo > 1000:
            raise AnswerParseError("answer.sum_too_long", count=hi - lo + 1)
        terms = [s.body.xreplace({s.index: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)]
        zero = sp.ZeroMatrix(*s.shape)
        written = expr.xreplace({s: add(*terms) if terms else zero})
        return write_out_sums(written, depth + 1, zeroed)
    if depth:  # the ∏ inside a sum, its bounds now numbers: its work bounded too
        _work(expr)
    expr = _pointwise(resolve_causal(expr, zeroed))
    if sums and expr.atoms(TimeSum):  # the values of Causal hold no Σ: only those left
        raise AnswerParseError("answer.sum_bounds")
    return expr


def _pointwise(expr):
    """(∏_j Diag(v_j)) 1, a ∏ of vectors inside a sum, once the sum is written out:
    v_3 ⊙ v_2 (1 when empty), as the student wrote it."""
    if not isinstance(expr, sp.Basic):
        return expr
    found = {}
    for m in expr.atoms(sp.MatMul):
        *front, last = m.args
        vecs = _diagonals(front) if isinstance(last, Ones) else None
        if vecs is not None:
            found[m] = HadamardProduct(*vecs) if len(vecs) > 1 else vecs[0] if vecs else last
    return expr.xreplace(found) if found else expr


def _diagonals(factors):
    """The vectors of a run of Diag(v) and ∏ Diag(v_j) with number bounds, else None."""
    out = []
    for f in factors:
        if isinstance(f, OrderedProduct) and isinstance(f.body, Diag) and f.length.is_Integer:
            if f.length > MAX_FACTORS:  # as ∏ with number bounds: powers up to 64
                raise AnswerParseError("answer.power_range", exponent=f.length, limit=MAX_FACTORS)
            out += [d.vec for d in f.factors()]
        elif isinstance(f, Diag):
            out.append(f.vec)
        else:
            return None
    return out


def has_erased_step(expr) -> bool:
    return any(v.time == ERASED for v in expr.atoms(TimeVec))
