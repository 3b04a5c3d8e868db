"""An ellipsis between written-out factors or terms, read as the product or sum it stands
for: ``D_t W \\cdots D_{k+1} W`` is ``\\prod_{j=k+1}^{t} D_j W`` (a run of factors
written from its lowest step up is left to the message: ∏ would read it the other way),
``\\frac{∂h_t}{∂h_{t-1}} \\cdots \\frac{∂h_{k+1}}{∂h_k}`` the product of
the steps, ``X_1 + \\cdots + X_T`` a sum, ``f_t \\odot \\cdots \\odot f_{k+1}`` (in either
order: ⊙ commutes) the elementwise product ``\\bigodot``. A product's first factors that are
the pattern at the next steps (``f_t \\odot f_{t-1} \\odot \\cdots``) are in it: the
empty product at t = k. The two ends must be one pattern whose step indices all
move together (h_{t−1} beside h_t); an ellipsis that shows no such pattern (``W \\cdots W``:
how many?) is left to the reader's message. Tokens in, tokens out; nothing evaluated.

>>> from symbrnn.judge.notation import tokenize
>>> " ".join(t.text for t in ellipses(tokenize(r"D_t W \\cdots D_{k+1} W"))[:14])
'( \\\\prod _ { j = k + 1 } ^ { t }'
"""

from __future__ import annotations

import sympy as sp

from symbrnn.judge.indices import IndexReader
from symbrnn.judge.notation import AnswerParseError, Token

_OPEN, _CLOSE = ("(", "[", "{"), (")", "]", "}")
_TERM_ENDS = ("+", "-", "=")


def ellipses(tokens: list[Token]) -> list[Token]:
    """``tokens`` with each readable ellipsis replaced by its ∏ or Σ."""
    for _ in range(8):  # a few ellipses at most; each pass rewrites one
        at = next(
            (i for i, t in enumerate(tokens) if t.kind == "ellipsis" and _rewrite(tokens, i)),
            None,
        )
        if at is None:
            return tokens
        tokens = _rewrite(tokens, at)
    return tokens


def _rewrite(tokens, at) -> list[Token] | None:
    """The tokens with the ellipsis at ``at`` read, or None."""
    before, after = at - 1, at + 1
    op = None
    same = before >= 0 and after < len(tokens) and tokens[before].text == tokens[after].text
    if same and (tokens[before].kind in ("times", "hadamard") or tokens[before].text == "+"):
        op = tokens[before]
        before, after = before - 1, after + 1
    left = tokens[_term_start(tokens, before) : before + 1]
    right = tokens[after : _term_end(tokens, after)]
    whole = op is not None and op.text == "+"
    pointwise = op is not None and op.kind == "hadamard"  # ⊙ commutes: either order
    first = len(tokens[:before]) - len(left)
    if whole and first >= 0 and tokens[first].text == "-":
        return None  # − X_1 + ⋯ + X_T: the sign of the first term alone
    free = [c for c in "jilmpq" if all(t.text != c for t in tokens)]
    if not free:
        return None
    letter = free[0]
    for start in range(0, len(left)) if not whole else [0]:
        found = _pattern(left[start:], right, letter)
        if found is None or (whole and found[-1] != len(right)):
            continue
        *pattern, used = found
        if pattern[-1] and not (whole or pointwise):
            return None  # D_{k+1} W ⋯ D_t W: its left end on the left, not ∏'s order
        if not whole:  # f_t ⊙ f_{t−1} ⊙ ⋯ ⊙ f_{k+1}: one product, from f_t
            start, pattern[3] = _absorbed(left, start, op, pattern)
        sign = "sum" if whole else "bigodot" if pointwise else "prod"
        read = _written(sign, *pattern, tokens[at].pos)
        return [*tokens[: before + 1 - (len(left) - start)], *read, *tokens[after + used :]]
    return None


def _absorbed(left, start, op, pattern):
    """The run's first factors that are the pattern at the next steps (f_t before
    f_{t−1} ⋯): taken into the product; (its new start, its first factor's step)."""
    letter, high, ascending = pattern[1], pattern[3], pattern[4]
    while start > 0:
        end = start - (op is not None)
        if op is not None and left[end].text != op.text:
            break
        more = next(
            (
                (s, found)
                for s in range(end - 1, -1, -1)
                if (found := _pattern(left[s:end], left[start:], letter)) is not None
                and found[-1] == len(left) - start
            ),
            None,
        )
        step = more and _shift(more[1][3], high)
        if step != (-1 if ascending else 1):
            break
        start, high = more[0], more[1][3]
    return start, high


def _shift(upper, lower):
    """upper − lower, two steps' tokens, when a number; else None."""
    a, b = _value(upper), _value(lower)
    gap = None if a is None or b is None else sp.expand(a - b)
    return int(gap) if gap is not None and gap.is_Integer else None


def _term_start(tokens, i) -> int:
    """The first token of the run of factors that ends at ``i``."""
    depth = 0
    while i >= 0:
        tok = tokens[i]
        depth += (tok.text in _CLOSE) - (tok.text in _OPEN)
        if depth < 0 or (depth == 0 and _ends_term(tok)):
            return i + 1
        i -= 1
    return 0


def _term_end(tokens, i) -> int:
    depth = 0
    while i < len(tokens):
        tok = tokens[i]
        depth += (tok.text in _OPEN) - (tok.text in _CLOSE)
        if depth < 0 or (depth == 0 and _ends_term(tok)) or tok.kind == "end":
            return i
        i += 1
    return i


def _ends_term(tok) -> bool:
    return (
        (tok.kind == "op" and tok.text in _TERM_ENDS)
        or tok.kind in ("words", "remark", "row", "cell", "ellipsis", "compare", "in", "define")
        or (tok.kind == "op" and tok.text == ",")
    )


def _pattern(left, right, letter):
    """(template, its letter, the lowest and highest value's tokens, ascending, how many
    tokens of ``right`` it took) when ``left`` and a beginning of ``right`` are one pattern
    whose subscripts all differ by one shift, else None."""
    if not left or not _balanced(left):
        return None
    template: list[Token] = []
    base = None  # the first differing subscript: its two values and tokens
    i = j = 0
    while i < len(left):
        if j >= len(right):
            return None
        a, b = left[i], right[j]
        if a.text != b.text or a.kind != b.kind:
            return None
        template.append(a)
        i, j = i + 1, j + 1
        if a.text != "_":
            continue
        ga, gb = _group(left, i), _group(right, j)
        if ga is None or gb is None:
            return None
        span_a, span_b = _span(left, i), _span(right, j)
        if [t.text for t in ga] == [t.text for t in gb]:
            template.extend(left[i : i + span_a])
        else:
            va, vb = _value(ga), _value(gb)
            if va is None or vb is None or _prefix(ga) != _prefix(gb):
                return None
            cut = len(_prefix(ga))
            base = base or (va, vb, gb[cut:], ga[cut:])
            shift = sp.expand(va - base[0])
            if sp.expand(vb - base[1] - shift) != 0 or shift.free_symbols:
                return None
            template.extend(_shifted(letter, _prefix(ga, tokens=True), int(shift), a.pos))
        i, j = i + span_a, j + span_b
    if base is None or not _balanced(right[:j]):
        return None
    gap = sp.expand(base[0] - base[1])
    sample = gap.subs({s: 50 if str(s) != "k" else 1 for s in gap.free_symbols})
    return template, letter, base[2], base[3], bool(sample < 0), j


def _group(tokens, i):
    """The tokens of the subscript that starts at ``i`` (``{…}`` or one token)."""
    if i >= len(tokens):
        return None
    if tokens[i].text != "{":
        return [tokens[i]]
    depth = 0
    for j in range(i, len(tokens)):
        depth += (tokens[j].text == "{") - (tokens[j].text == "}")
        if depth == 0:
            return tokens[i + 1 : j]
    return None


def _span(tokens, i) -> int:
    group = _group(tokens, i)
    return 0 if group is None else (len(group) + 2 if tokens[i].text == "{" else 1)


def _prefix(group, tokens=False):
    """What comes before a subscript's step (the gate of a_{f,t}: ``f,``)."""
    texts = [t.text for t in group]
    cut = len(texts) - texts[::-1].index(",") if "," in texts else 0
    return group[:cut] if tokens else texts[:cut]


def _value(group):
    """A subscript's step (after the last comma: a_{f,t}), or None."""
    index = group[len(_prefix(group)) :]
    if not index:
        return None
    try:
        return IndexReader(index, {}, index[0].pos).read()
    except AnswerParseError:
        return None


def _shifted(letter, prefix, shift, pos) -> list[Token]:
    inner = [*prefix, Token("name", letter, pos)]
    if shift:
        inner += [
            Token("op", "+" if shift > 0 else "-", pos),
            Token("number", str(abs(shift)), pos),
        ]
    return [Token("op", "{", pos), *inner, Token("op", "}", pos)]


def _written(sign, template, letter, lo, hi, ascending, pos) -> list[Token]:
    """``( \\prod_{letter=lo}^{hi} ( template ) )`` or its Σ."""
    if ascending:
        lo, hi = hi, lo
    op = Token("prod" if sign == "bigodot" else sign, "\\" + sign, pos)
    head = [op, Token("op", "_", pos), Token("op", "{", pos), Token("name", letter, pos)]
    head += [Token("op", "=", pos), *lo, Token("op", "}", pos), Token("op", "^", pos)]
    head += [Token("op", "{", pos), *hi, Token("op", "}", pos)]
    body = [Token("op", "(", pos), *template, Token("op", ")", pos)]
    return [Token("op", "(", pos), *head, *body, Token("op", ")", pos)]


def _balanced(tokens) -> bool:
    depth = 0
    for tok in tokens:
        depth += (tok.text in _OPEN) - (tok.text in _CLOSE)
        if depth < 0:
            return False
    return depth == 0
