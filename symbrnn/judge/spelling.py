"""Notation as students write it, brought to the course's tokens before the grammar reads
them. Nothing here evaluates anything: tokens in, tokens out, positions kept.

- the decimal comma: ``0{,}25`` always, ``0,25`` (no space) outside a sub- or superscript;
- the transpose written before its matrix: ``{}^t W``, ``{}^{\\top} W``;
- a trailing shape (``\\in \\mathbb{R}^{n\\times d}``) and trailing punctuation, dropped.

>>> from symbrnn.judge.notation import tokenize
>>> [t.text for t in respell(tokenize(r"0{,}25 W", True))]
['0.25', 'W', '']
"""

from __future__ import annotations

import re

from symbrnn.judge.accents import accents, closing, unwrapped
from symbrnn.judge.notation import Token

_OPEN = {"(": ")", "[": "]", "{": "}"}


def respell(tokens: list[Token]) -> list[Token]:
    """The decimal comma, the prefix transpose, accents on a function and the operator d of
    a total derivative, rewritten in the course's tokens."""
    tokens = _d_operators(accents(unwrapped(tokens)))
    out: list[Token] = []
    scripts = []  # the depth of braces where each open sub/superscript began
    depth = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "op":
            after = tokens[i + 1].text if i + 1 < len(tokens) else None
            if tok.text == "{" and after == "}" and _prefix_transpose(tokens[i + 2 : i + 6]):
                out.append(Token("pretranspose", "{}^T", tok.pos))
                i += 2 + _prefix_transpose(tokens[i + 2 : i + 6])
                continue
            if tok.text in "_^" and after == "{":
                scripts.append(depth)
            if tok.text == "{":
                depth += 1
            elif tok.text == "}":
                depth -= 1
                if scripts and scripts[-1] == depth:
                    scripts.pop()
        if tok.kind not in ("number", "font"):  # no other respelling starts at it
            out.append(tok)
            i += 1
            continue
        nxt = tokens[i + 1 : i + 6]
        texts = [t.text for t in nxt]
        if tok.kind == "number" and "." not in tok.text:
            decimal = _decimal(tok, nxt, inside=bool(scripts))
            if decimal is not None:
                out.append(decimal[0])
                i += decimal[1]
                continue
        letter = texts[:1] == ["{"] and texts[2:3] == ["}"] and nxt[1].kind == "name"
        if tok.kind == "font" and letter:  # \boldsymbol{W}: the letter W
            out.append(nxt[1])
            i += 4
            continue
        out.append(tok)
        i += 1
    return out


def _d_operators(tokens: list[Token]) -> list[Token]:
    """The d of ``\\frac{d h_t}{d W}``, ``\\frac{\\mathrm{d} h_t}{\\mathrm{d} h_k}`` and
    ``\\mathrm{d}h_3/\\mathrm{d}h_1`` as a ``partial`` token spelled ``d`` (a total
    derivative: see ``calculus``); d in both the numerator and the denominator, else left."""
    out = list(tokens)
    for i, tok in enumerate(tokens):
        if tok.kind == "frac" and i + 2 < len(tokens) and tokens[i + 1].text == "{":
            close = closing(tokens, i + 1)
            top = _d_spelling(tokens, i + 2)
            if close is not None and tokens[close + 1].text == "{":
                bottom = _d_spelling(tokens, close + 2)
                if top and bottom:
                    _mark_d(out, i + 2, top)
                    _mark_d(out, close + 2, bottom)
                elif _of_states(tokens, i + 2, top, close + 2, bottom):
                    _mark_d(out, i + 2 if top else close + 2, top or bottom, "\\partial")
        elif (top := _d_spelling(tokens, i)) and (i == 0 or tokens[i - 1].kind != "partial"):
            slash = _after_name(tokens, i + top)
            if slash is not None and tokens[slash].text == "/":
                bottom = _d_spelling(tokens, slash + 1)
                if bottom:
                    _mark_d(out, i, top)
                    _mark_d(out, slash + 1, bottom)
    return [t for t in out if t is not None]


def _d_spelling(tokens, i) -> int:
    """How many tokens at ``i`` spell the operator d before a variable (0: none)."""
    if i >= len(tokens) or tokens[i].kind not in ("font", "words", "cmd", "name"):
        return 0
    texts = [t.text for t in tokens[i : i + 5]]
    kinds = [t.kind for t in tokens[i : i + 5]]
    if kinds[:1] == ["font"] and texts[1:4] == ["{", "d", "}"]:
        used = 4  # \mathrm{d}, \operatorname{d}
    elif kinds[:1] == ["words"] and re.fullmatch(r"\\\w+\s*\{\s*d\s*\}", texts[0] or ""):
        used = 1  # \text{d}
    elif (kinds[:1] == ["cmd"] and texts[0] in ("\\dd", "\\diff", "\\mathd")) or (
        kinds[:1] == ["name"] and texts[0] == "d"
    ):
        used = 1
    else:
        return 0
    after = tokens[i + used] if i + used < len(tokens) else None
    return used if after is not None and after.kind in ("name", "tilde", "font", "partial") else 0


def _after_name(tokens, i) -> int | None:
    """The index after a variable at ``i`` and its subscript (h, h_3, h_{t-1}, L_t)."""
    if i >= len(tokens) or tokens[i].kind != "name":
        return None
    i += 1
    if i < len(tokens) and tokens[i].text == "_":
        if i + 1 < len(tokens) and tokens[i + 1].text == "{":
            close = closing(tokens, i + 1)
            return None if close is None else close + 1
        return i + 2
    return i


def _of_states(tokens, top_at, top, bottom_at, bottom) -> bool:
    """d on one side of a fraction, ∂ on the other, between two states (a lowercase letter:
    ``\\frac{\\mathrm{d} c_3}{\\partial h_2}``): the same Jacobian, read as ∂ (a
    derivative by a parameter or of the loss stays as written: total or immediate?)."""
    if bool(top) == bool(bottom):
        return False
    sides = [(top_at + top, top), (bottom_at + bottom, bottom)]
    for at, used in sides:
        if not used and (at >= len(tokens) or tokens[at].kind != "partial"):
            return False
        at += not used
        while at < len(tokens) and (tokens[at].kind in ("font", "tilde") or tokens[at].text == "{"):
            at += 1
        if at >= len(tokens) or tokens[at].kind != "name" or not tokens[at].text.islower():
            return False
    return True


def _mark_d(out, at, used, spelled="d"):
    out[at] = Token("partial", spelled, out[at].pos)
    for j in range(at + 1, at + used):
        out[j] = None


def _decimal(tok, nxt, inside):
    """0{,}25 anywhere, 0,25 (written together) outside sub- and superscripts."""
    texts = [t.text for t in nxt]
    kinds = [t.kind for t in nxt]
    if texts[:3] == ["{", ",", "}"] and kinds[3:4] == ["number"] and nxt[3].text.isdigit():
        return Token("number", f"{tok.text}.{nxt[3].text}", tok.pos), 5
    together = (
        texts[:1] == [","]
        and kinds[1:2] == ["number"]
        and nxt[1].text.isdigit()
        and nxt[0].pos == tok.pos + len(tok.text)
        and nxt[1].pos == nxt[0].pos + 1
    )
    if together and not inside:
        return Token("number", f"{tok.text}.{nxt[1].text}", tok.pos), 3
    return None


def _prefix_transpose(toks) -> int:
    """How many tokens after ``{}`` spell a transpose before its matrix (0: none)."""
    texts = [t.text for t in toks]
    if toks[:1] and toks[0].kind == "transpose":
        return 1
    if texts[:2] in (["^", "t"], ["^", "T"]):
        return 2
    if texts[:4] in (["^", "{", "t", "}"], ["^", "{", "T", "}"]):
        return 4
    return 0


def trim_member(tokens: list[Token]) -> list[Token]:
    """A member without the shape stated after it (``\\in \\mathbb{R}^{n\\times n}``) and
    without its closing punctuation."""
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.text in _OPEN:
            depth += 1
        elif tok.text in _OPEN.values():
            depth -= 1
        elif tok.kind == "in" and depth == 0 and i > 0:
            tokens = [*tokens[:i], Token("end", "", tok.pos)]
            break
    body, end = tokens[:-1], tokens[-1]
    while body and (body[-1].kind == "stop" or body[-1].text == ","):
        body.pop()
    return [*body, end]
