"""The members of a hand derivation M₀ = M₁ = … = M_k: where the text is cut, the text of
each member as typed, and whether a member only names the quantity (its M₀)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp

from symbrnn.judge.accents import Bracket
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


# what joins two statements of a derivation (A ⟹ B) or two members of an approximation
# (IV.2: ∂c_t/∂c_k ≈ ∏ Diag(f_j)): read as the '=' between members
_CONNECTIVES = {
    "\\Rightarrow",
    "\\Longrightarrow",
    "\\implies",
    "\\iff",
    "\\Leftrightarrow",
    "\\Longleftrightarrow",
    "\\therefore",
    "\\approx",
    "\\simeq",
    "\\thickapprox",
}


def _joins(tok: Token) -> bool:
    """Whether a token cuts a derivation into members: '=' or a connective."""
    return (tok.kind == "op" and tok.text == "=") or (
        tok.kind == "cmd" and tok.text in _CONNECTIVES
    )


def split_members(tokens: list[Token], restates=None) -> list[tuple[list[Token], int, int]]:
    """The members of a derivation: its tokens cut at every top-level '=' (or ≈, ⟹), each
    with the span of text it came from.

    Outside a matrix, the alignment marks of ``aligned``/``align*`` (``&`` and ``\\\\``)
    only lay the lines out: they are dropped. A leading '=' (a line that starts with
    '=') leaves an empty first member, dropped too, as does a connective next to an '='
    (``\\Rightarrow = …``). ``restates(tokens)`` says whether tokens only name the
    quantity: that name written again at the start of a later line (``\\text{donc}``,
    ``$$ … $$``, ``\\\\``, ``\\Rightarrow`` before it) is the left-hand side restated, not a
    member or a factor of one.
    """
    tokens, starts = _line_marks_dropped(tokens)
    members: list[list[Token]] = [[]]
    spans = [0]
    joins: list[bool] = []  # whether each cut is a connective (its empty sides dropped)
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
        if _joins(tok) and depth == 0 and matrices == 0:
            members.append([])
            spans += [tok.pos, tok.pos + len(tok.text)]
            joins.append(tok.kind == "cmd")
        else:
            members[-1].append(tok)
    spans.append(tokens[-1].pos)
    pairs = [(m, spans[2 * i], spans[2 * i + 1]) for i, m in enumerate(members)]
    beside = [False, *joins]  # a connective before (or after) a member
    for i, j in enumerate(joins):
        beside[i] = beside[i] or j
    pairs = [p for p, near in zip(pairs, beside, strict=True) if p[0] or not near]
    if restates is not None:
        pairs = _restated_dropped(pairs, restates, starts)
    if pairs and not pairs[0][0] and len(pairs) > 1:
        pairs.pop(0)
    for number, (member, _, _) in enumerate(pairs, 1):
        if not member:
            raise AnswerParseError("answer.empty_member", index=number)
    if len(pairs) > MAX_MEMBERS:
        raise AnswerParseError("answer.too_many_members", limit=MAX_MEMBERS)
    return [([*m, Token("end", "", m[-1].pos + len(m[-1].text))], a, b) for m, a, b in pairs]


_ANNOTATED = ("\\overset", "\\stackrel", "\\underset")


def _line_marks_dropped(tokens):
    """The tokens without the marks of a line of ``align*``: the spacing after a line
    break (``\\\\[2mm]``), a number written by hand at the end of a line (``\\qquad
    (2)``, ``(*)``), brackets left empty by the words they held (``(\\text{chaîne})``), and
    an annotated sign read as the sign (``\\overset{(1)}{=}``, ``\\stackrel{\\text{IV.4}}{=}``);
    and the positions of the tokens that start a line."""
    out, starts, i = [], set(), 0
    while i < len(tokens):
        tok = tokens[i]
        skipped = _layout_mark(tokens, i)
        if skipped:
            if tok.kind == "row":
                out.append(tok)
            i += skipped
            continue
        if tok.kind == "cmd" and tok.text in _ANNOTATED:
            sign, used = _annotated_sign(tokens, i)
            if sign is not None:
                out.append(sign)
                i += used
                continue
        if out and out[-1].kind == "row":
            starts.add(tok.pos)
        out.append(tok)
        i += 1
    return out, starts


def _layout_mark(tokens, i) -> int:
    """How many tokens from ``i`` only mark the layout (0: none)."""
    if tokens[i].kind != "row" and tokens[i].text not in ("(", "["):
        return 0  # each mark starts at a line break or a bracket
    if isinstance(tokens[i], Bracket):
        return 0  # \boxed{2}: a box's bracket holds mathematics
    texts = [t.text for t in tokens[i : i + 7]]
    kinds = [t.kind for t in tokens[i : i + 7]]
    if kinds[0] == "row" and texts[1:2] == ["["] and "]" in texts[2:7]:
        inside = tokens[i + 2 : i + 2 + texts[2:7].index("]")]
        if inside and inside[0].kind == "number" and all(t.kind == "name" for t in inside[1:]):
            return 3 + len(inside)
    if texts[:2] in (["(", ")"], ["[", "]"]):
        return 2
    numbered = texts[:1] == ["("] and texts[2:3] == [")"] and kinds[3:4] in (["row"], ["end"])
    numbered = numbered and _close_set(tokens[i : i + 3])
    if numbered and (kinds[1] == "number" or texts[1] in ("*", "\\star", "\\ast")):
        return 3
    return 0


def _close_set(three) -> bool:
    """``(2)``, ``( 2 )``: an equation number's brackets stand close to it; those set off by
    ``\\bigl( 2 \\bigr)`` hold mathematics."""
    opened, inside, close = three
    return inside.pos - opened.pos <= 3 and close.pos - inside.pos - len(inside.text) <= 2


def _annotated_sign(tokens, i):
    """``\\overset{…}{=}`` at ``i``: the sign it sets (a token), and the tokens used."""
    _, after = _braced(tokens, i + 1)
    sign, end = _braced(tokens, after)
    if sign is None or len(sign) != 1 or not _joins(sign[0]):
        return None, 0
    return sign[0], end - i


def _restated_dropped(pairs, restates, starts=frozenset()):
    """The members without the quantity's name written again: a later member that is
    only that name is dropped, and a member that ends with it (the next line's left-hand
    side: ``… \\\\ ∂h_3/∂h_1 &= …``) is cut before it. A line that states another
    Jacobian on the way (``\\\\ ∂h_2/∂h_1 &= Diag(σ'(a_2)) W \\\\ ∂h_3/∂h_1 &= …``) is a
    side result: not a member of the derivation."""
    ends = [
        _restated_at(m, restates) if i < len(pairs) - 1 else None
        for i, (m, _, _) in enumerate(pairs)
    ]
    out, skip = [], False
    for number, (member, start, end) in enumerate(pairs):
        last = number == len(pairs) - 1
        if skip or (number and member and restates(_ended(member))):
            skip = False
            continue
        side = None if last or ends[number] is not None else _side_at(member, starts)
        if side is not None and number + 2 < len(pairs) and ends[number + 1] is not None:
            member, end, skip = member[:side], member[side].pos, True
        elif ends[number] is not None and not last:
            member, end = member[: ends[number]], member[ends[number]].pos
        out.append((member, start, end))
    return out


MAX_NAME = 40  # tokens of a derivative's name written at the end of a member (∂⁺h_{t-1}/∂W_f)


def _restated_at(member, restates):
    """Where the quantity's name is written again at the end of a member, or None."""
    return next((at for at in _tail_starts(member) if restates(_ended(member[at:]))), None)


def _side_at(member, starts):
    """Where a line that names another derivative (its left-hand side) ends the member."""
    found = (at for at in _tail_starts(member) if member[at].pos in starts)
    return next((at for at in found if _derivative(member[at:])), None)


def _tail_starts(member):
    """The places among the last tokens of a member where a name may start: outside
    every bracket, after the first token."""
    depth, out = 0, []
    first = max(1, len(member) - MAX_NAME)
    for at, tok in enumerate(member):
        if at >= first and depth == 0 and tok.text not in ("}", ")", "]"):
            out.append(at)
        depth += (tok.text in ("{", "(", "[")) - (tok.text in ("}", ")", "]"))
    return out


def _ended(tokens):
    return [*tokens, Token("end", "", tokens[-1].pos + len(tokens[-1].text))]


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
    derivation, dropped before judging. Its spellings: ``\\frac{∂h_3}{∂h_1}``,
    ``∂h_3/∂h_1``, ``\\frac{d h_3}{d h_1}`` (``\\mathrm{d}``), ``\\mathcal{L}`` for L, in
    brackets or not."""
    if quantity is None:
        return False
    if quantity.kind == "gradient" and _nabla(tokens) == quantity.name:
        return True
    parts = _derivative(_unwrapped([t for t in tokens if t.kind != "end"]))
    if parts is None:
        return False
    (num, num_sub), (den, den_sub) = parts
    if quantity.kind == "input":
        return num == quantity.name and den == quantity.wrt and _same(num_sub, den_sub)
    if quantity.kind == "gradient":
        name = den + ("" if den_sub is None else "_" + "".join(t.text for t in den_sub))
        return num == "L" and num_sub is None and name == quantity.name
    written = context.get("written_steps")  # the general case: read in its own letters
    steps = {} if written else {k: sp.Integer(v) for k, v in context.items() if isinstance(v, int)}
    try:
        values = [IndexReader(sub, steps, 0).read() if sub else None for sub in (num_sub, den_sub)]
    except AnswerParseError:
        return False
    return (num, den, values[0], values[1]) == (
        quantity.name,
        quantity.name,
        *(written or (quantity.t, quantity.k)),
    )


def _same(a, b) -> bool:
    return [t.text for t in a or ()] == [t.text for t in b or ()]


def _unwrapped(toks: list[Token]) -> list[Token]:
    """The tokens without brackets around them all: (∂h_3/∂h_1)."""
    while len(toks) > 2 and toks[0].text in ("(", "[") and _closes_at_end(toks):
        toks = toks[1:-1]
    return toks


def _closes_at_end(toks) -> bool:
    depth = 0
    for i, tok in enumerate(toks):
        depth += (tok.text in ("(", "[", "{")) - (tok.text in (")", "]", "}"))
        if depth == 0:
            return i == len(toks) - 1
    return False


def _derivative(toks: list[Token]):
    """((letter, subscript tokens), (letter, subscript tokens)) of ∂u/∂v as written
    (\\frac{∂u}{∂v} or ∂u/∂v, ∂ or d), else None."""
    if toks[:1] and toks[0].kind == "frac":
        num, at = _braced(toks, 1)
        den, at = _braced(toks, at) if num is not None else (None, at)
        if den is None or at != len(toks):
            return None
    else:
        slash = [i for i, t in enumerate(toks) if t.text == "/"]
        if len(slash) != 1:
            return None
        num, den = toks[: slash[0]], toks[slash[0] + 1 :]
    parts = [_differential(part) for part in (num, den)]
    return None if None in parts else tuple(parts)


def _braced(toks, at):
    """The tokens inside the group that opens at ``at``, and where it ends."""
    if at >= len(toks) or toks[at].text != "{":
        return None, at
    depth = 0
    for i in range(at, len(toks)):
        depth += (toks[i].text == "{") - (toks[i].text == "}")
        if depth == 0:
            return toks[at + 1 : i], i + 1
    return None, at


def _differential(toks):
    """(letter, subscript tokens or None) of ∂h_3, ∂^+ h_k, d h_3, dL, ∂\\mathcal{L}."""
    if not toks or not (toks[0].kind == "partial" or toks[0].text == "d") or len(toks) < 2:
        return None
    i = 1
    if toks[i].text == "^" and toks[0].kind == "partial":  # ∂⁺
        i += 4 if i + 1 < len(toks) and toks[i + 1].text == "{" else 2
    if (
        toks[i : i + 1]
        and toks[i].text == "\\mathcal"
        and [t.text for t in toks[i + 1 : i + 4]] == ["{", "L", "}"]
    ):
        toks, i = [*toks[:i], toks[i + 2], *toks[i + 4 :]], i
    if i >= len(toks) or toks[i].kind != "name":
        return None
    letter, rest = toks[i].text, toks[i + 1 :]
    if not rest:
        return letter, None
    if rest[0].text != "_" or len(rest) < 2:
        return None
    if rest[1].text == "{":
        inner, at = _braced(rest, 1)
        return (letter, inner) if inner and at == len(rest) else None
    return (letter, [rest[1]]) if len(rest) == 2 else None


def _nabla(tokens) -> str | None:
    """The parameter of ``\\nabla_W L`` (∇_{W_f} L), else None."""
    texts = [t.text for t in tokens if t.kind != "end"]
    if len(texts) < 4 or texts[0] != "\\nabla" or texts[1] != "_" or texts[-1] != "L":
        return None
    inner = texts[2:-1]
    if inner[:1] == ["{"] and inner[-1:] == ["}"]:
        inner = inner[1:-1]
    return "".join(inner) or None
