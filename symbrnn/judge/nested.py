"""Where in a sum of the chain rule's paths a wrong answer goes wrong, followed down.

The key of a cell of several states or gates is a sum of paths whose terms are products,
some holding a sum in brackets (the LSTM's ∂c_t/∂c_{t−1}, a GRU step). A wrong answer
written the same way differs in one term: the search follows the answer and the key down
through their sums and products to that term, and names its mistake there (a factor
missing, extra or wrong, or a row of the table) with the term it is in.
"""

from __future__ import annotations

from sympy import MatAdd

from symbrnn.engine.matexpr import add, mul, neg
from symbrnn.judge.edits import factors, locate_factor, single_edits
from symbrnn.judge.messages import Msg
from symbrnn.judge.mistakes import Context, Diagnosis
from symbrnn.printing.text import text

MAX_NESTING = 4  # sums and products a mistake is located in, one inside the other


def _unmatched(mine, theirs, ctx):
    """The members of ``mine`` and of ``theirs`` left once equal pairs are set aside."""
    remaining, extra = list(theirs), []
    for a in mine:
        match = next((b for b in remaining if a == b), None)
        if match is None:
            match = next((b for b in remaining if ctx.fixes(a, b)), None)
        if match is None:
            extra.append(a)
        else:
            remaining.remove(match)
    if 0 < len(extra) <= 4 and 0 < len(remaining) <= 4:  # Diag(h₂ − h̃₃) for two terms of the key
        extra, remaining = _grouped(extra, remaining, ctx)
        remaining, extra = _grouped(remaining, extra, ctx)
    return extra, remaining


def _grouped(ones, others, ctx):
    """``ones`` and ``others`` without each one that equals the sum of two others."""
    ones, others = list(ones), list(others)
    for a in list(ones):
        pair = next(
            (
                (b, c)
                for i, b in enumerate(others)
                for c in others[i + 1 :]
                if ctx.fixes(a, add(b, c))
            ),
            None,
        )
        if pair is not None:
            ones.remove(a)
            others = [o for o in others if o is not pair[0] and o is not pair[1]]
    return ones, others


def locate_in(yours, theirs, ctx: Context, depth=MAX_NESTING) -> list[Diagnosis]:
    """The one summand (of a sum) or factor (of a product) where ``yours`` goes wrong,
    followed down through sums and products written as the key writes them: in the term
    that differs, what is missing, extra or wrong (a row of the table, else the factor)."""
    sub = Context(theirs, ctx.points, ctx.D, ctx.q, ctx.cell, None, ctx.paths, theirs)
    if not depth:
        return []
    if isinstance(yours, MatAdd) and isinstance(theirs, MatAdd):
        extra, missing = _unmatched(yours.args, theirs.args, sub)
        if extra and missing and sub.fixes(neg(add(*extra)), add(*missing)):
            shown = {"yours": text(add(*extra)), "expected": text(add(*missing))}
            return [Diagnosis("SIGN", Msg.of("diag.SIGN_TERM", **shown))]
        if len(extra) == len(missing) == 1:
            inner = locate_in(extra[0], missing[0], sub, depth - 1)
            term = text(missing[0])
            return [
                d
                if d.said.key == "diag.IN_TERM"  # the innermost term says where
                else Diagnosis(d.code, Msg.of("diag.IN_TERM", term=term, why=d.said))
                for d in inner
            ]
        if missing and not extra and len(missing) <= 2:
            shown = "; ".join(text(t) for t in missing)
            return [Diagnosis("MISSING_SUMMAND", Msg.of("diag.MISSING_SUMMAND", terms=shown))]
        if extra and not missing and len(extra) <= 2:
            shown = "; ".join(text(t) for t in extra)
            return [Diagnosis("EXTRA_SUMMAND", Msg.of("diag.EXTRA_SUMMAND", terms=shown))]
        return []
    mine, their = factors(yours), factors(theirs)
    if len(mine) == len(their) >= 2:
        differ = [i for i, (a, b) in enumerate(zip(mine, their, strict=True)) if a != b]
        if len(differ) == 1 and ctx_fixes_at(sub, mine, differ[0], their[differ[0]]):
            i = differ[0]
            if isinstance(mine[i], MatAdd):
                return locate_in(mine[i], their[i], sub, depth - 1)
            alone = Context(their[i], ctx.points, ctx.D, ctx.q, ctx.cell, None, ctx.paths, their[i])
            found = single_edits(mine[i], alone)  # the one factor, its row (σ for σ′ in it)
            if found and depth < MAX_NESTING:
                return found
    if depth == MAX_NESTING:
        return []  # the whole answer: the search's own steps follow
    return single_edits(yours, sub) or locate_factor(yours, sub)  # a row names it best


def ctx_fixes_at(ctx, mine, i, right) -> bool:
    return ctx.fixes(mul(*mine[:i], right, *mine[i + 1 :]))


__all__ = ["locate_in"]
