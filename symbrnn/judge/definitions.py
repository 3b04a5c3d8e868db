"""The statements of a remark (``\\text{ où } D_t = \\mathrm{Diag}(σ'(a_t))``, ``(avec $a_t =
…$)``): cut at commas, *et*, and each ``$…$``; a statement ``name = value`` with a name of
one letter, its index and accents is a definition, anything else prose (a condition, a
case ``k = t``). Read by :mod:`symbrnn.judge.remarks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symbrnn.judge.notation import Token, tokenize

_MATH = re.compile(r"\$([^$]*)\$")
_OPEN = {"(": ")", "[": "]", "{": "}"}
_JOINS = re.compile(r"^[\s,;]*(?:et|and|,)[\s,;]*$", re.IGNORECASE)


def _inner(words: str) -> str:
    return words[words.index("{") + 1 : -1] if "{" in words else words


@dataclass
class Definition:
    """``lhs = rhs`` of a remark, as tokens (``rhs`` ends with an ``end`` token)."""

    lhs: list[Token]
    rhs: list[Token]
    source: str


def pieces(tokens: list[Token], text: str) -> list[tuple[list[Token], str]]:
    """The remark cut into its statements: at a top-level comma, ';', 'et'/'and', and each
    ``$…$`` inside a ``\\text{…}`` a statement of its own."""
    pieces: list[list[Token]] = [[]]
    depth = 0
    for tok in tokens:
        if tok.kind in ("words", "remark"):
            for m in _MATH.finditer(tok.text):
                offset = tok.pos + m.start(1)
                inner = tokenize(" " * offset + m.group(1))[:-1]
                pieces.append(inner)
                pieces.append([])
            if not _JOINS.match(_inner(tok.text)) or pieces[-1]:
                pieces.append([])
            continue
        if tok.text in _OPEN:
            depth += 1
        elif tok.text in _OPEN.values():
            depth -= 1
        if depth <= 0 and (tok.kind == "stop" or tok.kind == "row" or tok.text == ","):
            pieces.append([])
            depth = 0
            continue
        pieces[-1].append(tok)
    out = []
    for piece in pieces:
        while piece and piece[-1].text in (")", "]") and _unbalanced(piece):
            piece.pop()  # the bracket that closed the remark: (avec a_t = …)
        while piece and piece[0].text in ("(", "[") and _unbalanced(piece):
            piece.pop(0)
        if piece:
            last = piece[-1]
            out.append((piece, text[piece[0].pos : last.pos + len(last.text)] if text else ""))
    return out


def _unbalanced(piece) -> bool:
    depth = 0
    for tok in piece:
        depth += (tok.text in _OPEN) - (tok.text in _OPEN.values())
    return depth != 0


STEPS = [["t"], ["k"], ["T"], ["j"], ["\\tau"], ["τ"]]  # a step's letter: never a definition


def definition(piece: list[Token], source: str, remarks) -> None:
    """``name = value`` (or ``:=``, ``≔``, ``\\equiv``) with a name of one letter, its
    index and accents: a definition; anything else is a condition or prose, skipped."""
    depth = 0
    equals = []
    for i, tok in enumerate(piece):
        if tok.text in _OPEN:
            depth += 1
        elif tok.text in _OPEN.values():
            depth -= 1
        elif depth == 0 and (tok.kind == "define" or (tok.kind == "op" and tok.text == "=")):
            equals.append(i)
    step = len(equals) == 1 and [t.text for t in piece[: equals[0]]] in STEPS  # k = t: a case
    if len(equals) != 1 or not is_name(piece[: equals[0]]) or equals[0] == len(piece) - 1 or step:
        remarks.skipped.append(source or " ".join(t.text for t in piece))
        return
    i = equals[0]
    rhs = piece[i + 1 :]
    end = Token("end", "", rhs[-1].pos + len(rhs[-1].text))
    remarks.definitions.append(Definition(piece[:i], [*rhs, end], source))


def is_name(lhs: list[Token]) -> bool:
    """A letter (with \\tilde or a font around it) and an optional subscript."""
    kinds = [t.kind for t in lhs]
    texts = [t.text for t in lhs]
    at = 0
    if kinds[:1] in (["tilde"], ["font"]):
        at = 1
        if texts[at : at + 1] == ["{"]:
            if kinds[at + 1 : at + 3] != ["name", "op"] or texts[at + 2] != "}":
                return False
            at += 3
        elif kinds[at : at + 1] == ["name"]:
            at += 1
        else:
            return False
    elif kinds[:1] == ["name"]:
        at = 1
    else:
        return False
    if at == len(lhs):
        return True
    if texts[at] != "_" or at + 1 == len(lhs):
        return False
    if texts[at + 1] == "{":
        return texts[-1] == "}" and "{" not in texts[at + 2 : -1]
    return at + 2 == len(lhs)
