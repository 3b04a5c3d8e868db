"""The members of a hand derivation M₀ = M₁ = … = M_k: where the text is cut, the text of
each member as typed, and whether a member only names the quantity (its M₀)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp

from symbrnn.judge.indices import IndexReader
from symbrnn.judge.notation import AnswerParseError, Token

MAX_MEMBERS = 12  # members of one derivation (a sheet's longest derivation has six)


@dataclass
class Member:
    """One member of a derivation M₀ = M₁ = … = M_k: its text, its value, what was read."""

    index: int  # 1-based, after a M₀ that names the quantity is dropped
    latex: str
    expr: object
    notes: list = field(default_factory=list)


def split_members(tokens: list[Token]) -> list[tuple[list[Token], int, int]]:
    """The members of a derivation: its tokens cut at every top-level '=', each with the
    span of text it came from.

    Outside a matrix, the alignment marks of ``aligned``/``align*`` (``&`` and ``\\\\``)
    only lay the lines out: they are dropped. A leading '=' (a line that starts with
    '=') leaves an empty first member, dropped too.
    """
    members: list[list[Token]] = [[]]
    spans = [0]
    depth = matrices = 0
    for tok in tokens[:-1]:
        if tok.kind == "begin":
            matrices += 1
        elif tok.kind == "endmatrix":
            matrices -= 1
        elif matrices == 0 and tok.kind in ("cell", "row"):
            continue
        if tok.text in ("{", "(", "["):
            depth += 1
        elif tok.text in ("}", ")", "]"):
            depth -= 1
        if tok.kind == "op" and tok.text == "=" and depth == 0 and matrices == 0:
            members.append([])
            spans += [tok.pos, tok.pos + 1]
        else:
            members[-1].append(tok)
    spans.append(tokens[-1].pos)
    pairs = [(m, spans[2 * i], spans[2 * i + 1]) for i, m in enumerate(members)]
    if not members[0] and len(members) > 1:
        pairs.pop(0)
    for number, (member, _, _) in enumerate(pairs, 1):
        if not member:
            raise AnswerParseError("answer.empty_member", index=number)
    if len(pairs) > MAX_MEMBERS:
        raise AnswerParseError("answer.too_many_members", limit=MAX_MEMBERS)
    return [([*m, Token("end", "", m[-1].pos + len(m[-1].text))], a, b) for m, a, b in pairs]


_LAYOUT_EDGE = (
    r"(?:\s|&|\\\\|\\(?:begin|end)\s*\{\s*\w+\*?\s*\}|\\(?:text\w*|mbox)\s*\{[^{}]*\}"
    r"|\\q?quad(?![A-Za-z])|\\[,;!: ]|\$|%[^\n]*)+"
)
_EDGES = re.compile(f"^{_LAYOUT_EDGE}|{_LAYOUT_EDGE}$")


def member_source(text: str, start: int, end: int) -> str:
    """A member's text as the student typed it, without the layout around it."""
    return _EDGES.sub("", text[start:end])


def names_quantity(tokens: list[Token], quantity, context: dict) -> bool:
    """Whether a member is only the quantity's own name (∂L/∂W, ∂h_3/∂h_1): the M₀ of a
    derivation, dropped before judging."""
    kinds = [t.kind for t in tokens]
    if quantity is not None and quantity.kind == "gradient" and _nabla(tokens) == quantity.name:
        return True
    if kinds[:1] != ["frac"] or quantity is None:
        return False
    parts, i = [], 1
    for _ in range(2):
        if tokens[i].text != "{" or tokens[i + 1].kind != "partial":
            return False
        i += 2
        if tokens[i].text == "^":  # ∂⁺
            i += 1
            i += 3 if tokens[i].text == "{" else 1
        if tokens[i].kind != "name":
            return False
        letter, sub = tokens[i].text, None
        i += 1
        if tokens[i].text == "_":
            if tokens[i + 1].text == "{":
                close = next((j for j in range(i + 2, len(tokens)) if tokens[j].text == "}"), None)
                if close is None:
                    return False
                sub, i = tokens[i + 2 : close], close + 1
            else:
                sub, i = [tokens[i + 1]], i + 2
        if tokens[i].text != "}":
            return False
        parts.append((letter, sub))
        i += 1
    if tokens[i].kind != "end":
        return False
    (num, num_sub), (den, den_sub) = parts
    if quantity.kind == "input":
        return num == quantity.name and den == quantity.wrt and num_sub == den_sub
    if quantity.kind == "gradient":
        name = den + ("" if den_sub is None else "_" + "".join(t.text for t in den_sub))
        return num == "L" and num_sub is None and name == quantity.name
    try:
        values = [
            IndexReader(
                sub, {k: sp.Integer(v) for k, v in context.items() if isinstance(v, int)}, 0
            ).read()
            if sub
            else None
            for sub in (num_sub, den_sub)
        ]
    except AnswerParseError:
        return False
    return (num, den, values[0], values[1]) == (
        quantity.name,
        quantity.name,
        quantity.t,
        quantity.k,
    )


def _nabla(tokens) -> str | None:
    """The parameter of ``\\nabla_W L`` (∇_{W_f} L), else None."""
    texts = [t.text for t in tokens if t.kind != "end"]
    if len(texts) < 4 or texts[0] != "\\nabla" or texts[1] != "_" or texts[-1] != "L":
        return None
    inner = texts[2:-1]
    if inner[:1] == ["{"] and inner[-1:] == ["}"]:
        inner = inner[1:-1]
    return "".join(inner) or None
