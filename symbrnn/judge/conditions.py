"""The condition a hedge states (``K ou I si t = k``, ``… pour t ≥ 2``, ``0 sinon``),
weighed at the question's steps: it decides whether the expression before it is another
member of the answer (judged) or a case that does not hold here (prose). Comparisons of
steps only (t, k, T, integers, + and −, joined by ',' or *et*); anything else is prose.

>>> from symbrnn.judge.notation import tokenize
>>> toks = tokenize(r"W \\text{ si } t \\ge 2", True)
>>> holds("si", toks, 1, {"t": 3}), holds("si", toks, 1, {"t": 1}), holds("si", toks, 1, {})
(True, False, None)
"""

from __future__ import annotations

import re

from symbrnn.judge.indices import IndexReader
from symbrnn.judge.notation import AnswerParseError, Token

_JOINS = re.compile(r"^[\s,;]*(?:et|and|,)[\s,;]*$", re.IGNORECASE)


def _inner(words: str) -> str:
    return words[words.index("{") + 1 : -1] if "{" in words else words


_OTHERWISE = re.compile(r"(?<!\w)(?:sinon|otherwise|else)(?!\w)", re.IGNORECASE)
_COMPARE = {"=": "==", "<": "<", ">": ">", "≤": "<=", "≥": ">=", "<=": "<=", ">=": ">="}
_COMPARE |= {f"\\{w}": "<=" for w in ("le", "leq", "leqslant")}
_COMPARE |= {f"\\{w}": ">=" for w in ("ge", "geq", "geqslant")} | {"\\lt": "<", "\\gt": ">"}
_COMPARE |= {"\\ne": "!=", "\\neq": "!="}
_CHECKS = {
    "!=": int.__ne__,
    "==": int.__eq__,
    "<": int.__lt__,
    ">": int.__gt__,
    "<=": int.__le__,
    ">=": int.__ge__,
}


def says_otherwise(tok: Token) -> bool:
    """``sinon``, ``otherwise``, ``else``: the case where the conditions before fail."""
    return tok.kind in ("words", "remark") and bool(_OTHERWISE.search(_inner(tok.text)))


def holds(words: str, tokens, at, context) -> bool | None:
    """Whether the condition that follows the words at ``at`` holds at the question's steps
    (``t ≥ 2``, ``t = k``, ``1 ≤ k < t``, joined by ',' or ``et``): True, False, or None when
    it says something else (``pour tout t``, ``si f_t = 1``)."""
    if _OTHERWISE.search(words):
        return False
    parts: list[list[Token]] = [[]]
    for tok in tokens[at + 1 :]:
        if tok.kind in ("words", "remark") and _JOINS.match(_inner(tok.text)):
            parts.append([])
        elif tok.kind in ("words", "remark", "end", "row"):
            break
        elif tok.text == "," or tok.kind == "stop":
            parts.append([])
        else:
            parts[-1].append(tok)
    parts = [part for part in parts if part]
    compares = [_comparison(part) for part in parts]
    if False in compares:  # t = k, Y sinon: the condition ends where the comparisons do
        parts = parts[: compares.index(False)]
    verdicts = [_compare(part, context) for part in parts]
    if not verdicts or None in verdicts:
        return None
    return all(verdicts)


def _compares(tok: Token) -> bool:
    return tok.kind == "compare" or tok.text in ("=", "\\ne", "\\neq")


def _comparison(part: list[Token]) -> bool:
    """Steps compared: letters, numbers, + − ( ), and at least one comparison."""
    simple = all(t.kind in ("name", "number") or _compares(t) or t.text in "+-()" for t in part)
    return simple and any(_compares(t) for t in part)


def _compare(part: list[Token], context) -> bool | None:
    """``a ≤ b < c`` at the question's steps, or None when a side is not a step's value."""
    sides: list[list[Token]] = [[]]
    ops = []
    for tok in part:
        if _compares(tok):
            ops.append(_COMPARE.get(tok.text))
            sides.append([])
        else:
            sides[-1].append(tok)
    if not ops or None in ops or not all(sides):
        return None
    try:
        values = [IndexReader(side, context, side[0].pos).read() for side in sides]
    except AnswerParseError:
        return None
    if any(getattr(v, "free_symbols", None) for v in values):
        return None
    return all(
        _CHECKS[op](int(a), int(b)) for op, a, b in zip(ops, values, values[1:], strict=False)
    )


def case_list(tokens, first) -> tuple[list, int] | None:
    """The cases of ``X si t > k, Y si t = k`` from the words at ``first``: [(the start of
    its member, None for the first one; the index of its words)] and where the last
    condition ends; None unless two cases or more, each a comparison of steps."""
    found, words, start = [], first, None
    while True:
        end = _condition_end(tokens, words + 1)
        if end is None:
            return None
        found.append((start, words))
        nxt = _next_case(tokens, end)
        if nxt is None:
            return (found, end) if len(found) > 1 else None
        start, words = end + 1, nxt


def _condition_end(tokens, at) -> int | None:
    """Where the comparison of steps from ``at`` ends (None: none there)."""
    j = at
    while j < len(tokens) - 1 and (
        tokens[j].kind in ("name", "number") or _compares(tokens[j]) or tokens[j].text in "+-"
    ):
        j += 1
    return j if j > at and any(_compares(t) for t in tokens[at:j]) else None


def _next_case(tokens, end) -> int | None:
    """After a condition and its comma, the words that open the next case's condition."""
    if tokens[end].text not in (",", ";") and not (
        tokens[end].kind == "words" and _inner(tokens[end].text).strip() in (",", ";")
    ):
        return None
    depth = 0
    for j in range(end + 1, len(tokens) - 1):
        tok = tokens[j]
        if depth == 0 and tok.kind in ("words", "remark"):
            return j if j > end + 1 and _IF.match(_inner(tok.text)) else None
        if tok.kind == "row" or (depth == 0 and tok.text == "="):
            return None
        depth += (tok.text in "([{") - (tok.text in ")]}")
    return None


_IF = re.compile(r"^[\s(,;:]*(?:si|if|when|quand|lorsque|lorsqu['’]?|pour|for)[\s,;:]*$", re.I)
