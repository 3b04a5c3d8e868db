"""Notation as students write it, brought to the course's tokens before the grammar reads
them. Nothing here evaluates anything: tokens in, tokens out, positions kept.

- the decimal comma: ``0{,}25`` always, ``0,25`` (no space) outside a sub- or superscript;
- the transpose written before its matrix: ``{}^t W``, ``{}^{\\top} W``;
- a remark after the derivation: ``\\text{ où } a_3 = W h_2 + U x_3``,
  ``\\quad \\text{(avec $a_t = …$)}``, ``, \\text{ with } …``: cut from the derivation and
  returned as definitions (name, index, value tokens), never multiplied in;
- a trailing shape (``\\in \\mathbb{R}^{n\\times d}``) and trailing punctuation, dropped.

>>> from symbrnn.judge.notation import tokenize
>>> toks, remarks = read_remarks(respell(tokenize(r"0{,}25 W \\text{ où } a_t = W h_{t-1}", True)))
>>> [t.text for t in toks], [[t.text for t in d.lhs] for d in remarks.definitions]
(['0.25', 'W', ''], [['a', '_', 't']])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from symbrnn.judge.accents import accents, closing, unwrapped
from symbrnn.judge.notation import Token

# the words that open a remark (a definition or a condition), not a new member
_OPENS_REMARK = re.compile(
    r"^[\s(,;:]*(?:où|ou|avec|with|where|en\s+notant|notant|en\s+posant|posant|on\s+note|"
    r"on\s+pose|soit|posons|notons|here|ici|given|for|pour|sachant|since|car|because|let|i\.e\.)(?!\w)",
    re.IGNORECASE,
)
# a word that restates the member before it or offers another (``K \\text{ ou } K'``,
# ``\\text{, i.e. }``, ``\\text{donc}``): what follows it, when it is an expression (no '='
# and no condition), is another member of the derivation, judged like one
_RESTATES = re.compile(
    r"^[\s(,;:]*(?:ou\s+bien|ou\s+encore|ou|or(?:\s+equivalently)?|soit(?:\s+encore)?|i\.\s?e\.?|"
    r"c\.?-?à-?d\.?|c'est-à-dire|autrement\s+dit|that\s+is|in\s+other\s+words|donc|d['’]où|"
    r"hence|so|thus|therefore|ainsi|equivalently)[\s,;:]*$",
    re.IGNORECASE,
)
# words that make what precedes them a condition or a case (K si k ≤ t, 0 sinon): prose
_CONDITION = re.compile(
    r"(?<!\w)(?:si|if|sinon|otherwise|else|quand|when|whenever|pour|for|lorsque|lorsqu|tant|"
    r"unless|sauf|dès)(?!\w)",
    re.IGNORECASE,
)
_JOINS = re.compile(r"^[\s,;]*(?:et|and|,)[\s,;]*$", re.IGNORECASE)
_MATH = re.compile(r"\$([^$]*)\$")
_OPEN = {"(": ")", "[": "]", "{": "}"}


@dataclass
class Definition:
    """``lhs = rhs`` of a remark, as tokens (``rhs`` ends with an ``end`` token)."""

    lhs: list[Token]
    rhs: list[Token]
    source: str


@dataclass
class Remarks:
    definitions: list[Definition] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # conditions and words read as prose
    own: list = field(default_factory=list)  # (name, index, value, source) of the cell's names


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
        if tok.text == "{" and texts[:1] == ["}"] and _prefix_transpose(nxt[1:]):
            used = 2 + _prefix_transpose(nxt[1:])
            out.append(Token("pretranspose", "{}^T", tok.pos))
            i += used
            continue
        if tok.text in "_^" and tok.kind == "op" and texts[:1] == ["{"]:
            scripts.append(depth)
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
            if scripts and scripts[-1] == depth:
                scripts.pop()
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
            if top and close is not None and tokens[close + 1].text == "{":
                bottom = _d_spelling(tokens, close + 2)
                if bottom:
                    _mark_d(out, i + 2, top)
                    _mark_d(out, close + 2, bottom)
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


def _mark_d(out, at, used):
    out[at] = Token("partial", "d", out[at].pos)
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


def read_remarks(tokens: list[Token], text: str = "") -> tuple[list[Token], Remarks]:
    """The tokens of the derivation without its remarks, and the remarks' definitions. A
    remark opens with a word (``où``, ``avec``, ``where``, ``with``…) and runs to the end of
    the text, or to a line break followed by ``=`` where the derivation goes on; the
    derivation's own ``\\text{donc}`` stay words, dropped."""
    remarks = Remarks()
    main: list[Token] = []
    i = depth = 0
    while i < len(tokens) - 1:
        tok = tokens[i]
        if depth == 0 and _another_member(tokens, i):
            while main and (main[-1].kind == "stop" or main[-1].text == ","):
                main.pop()
            main.append(Token("op", "=", tok.pos + len(tok.text) - 1))  # the word as an =
            i += 1
            continue
        if not _opens_remark(tok, tokens[i + 1 : i + 8] if depth == 0 else ()):
            depth += (tok.text in _OPEN) - (tok.text in _OPEN.values())
            main.append(tok)
            i += 1
            continue
        while main and (main[-1].kind in ("stop", "words") or main[-1].text in (",", "(", "[")):
            main.pop()  # the comma before the remark, the bracket that opens it
        stop = _remark_end(tokens, i)
        for piece, source in _pieces(tokens[i:stop], text):
            _definition(piece, source, remarks)
        if stop == len(tokens) - 1:
            main.append(Token("end", "", tokens[i].pos))
            break
        i = stop
    else:
        main.append(tokens[-1])
    return [t for t in main if t.kind not in ("words", "remark")], remarks


def _another_member(tokens, at) -> bool:
    """Whether the word at ``at`` restates the member before it (``ou``, ``soit``,
    ``i.e.``, ``donc``…) and is followed by an expression: up to the end, a line that goes
    on with '=', or another remark, no top-level '=' (then a definition: ``soit a_t = …``)
    and no condition (``pour k < t``, ``si … sinon``)."""
    tok = tokens[at]
    if tok.kind not in ("words", "remark") or not _RESTATES.match(_inner(tok.text)):
        return False
    from symbrnn.judge.members import _joins

    depth = seen = 0
    for j in range(at + 1, len(tokens) - 1):
        nxt = tokens[j]
        if nxt.kind in ("words", "remark"):
            inner = _inner(nxt.text)
            if _CONDITION.search(inner):
                return False
            if re.search(r"\w", inner) or _opens_remark(nxt):
                break  # another remark (où a_t = …) ends the member
            continue
        if depth == 0 and (_joins(nxt) or nxt.kind == "define"):
            return False
        if depth == 0 and nxt.kind == "row":
            after = [t for t in tokens[j + 1 :] if t.kind != "cell"]
            if after and after[0].kind == "op" and after[0].text == "=":
                break
        if depth == 0 and nxt.text in (",", ";") and _opens_remark(nxt, tokens[j + 1 : j + 8]):
            break
        depth += (nxt.text in _OPEN) - (nxt.text in _OPEN.values())
        seen += nxt.kind not in ("stop", "row", "cell") and nxt.text not in (",", ")", "]")
    return seen > 0


def _remark_end(tokens, start) -> int:
    """Where a remark opened at ``start`` ends: a line break followed by '=' (the
    derivation goes on), else the end of the text."""
    for j in range(start + 1, len(tokens) - 1):
        if tokens[j].kind == "row":
            after = [t for t in tokens[j + 1 :] if t.kind != "cell"]
            if after and after[0].kind == "op" and after[0].text == "=":
                return j
    return len(tokens) - 1


def _opens_remark(tok: Token, after: list[Token] = ()) -> bool:
    if tok.kind == "remark":
        return True
    if tok.text in (",", ";") and tok.kind in ("op", "stop"):  # …, D_t = Diag(σ'(a_t))
        equals = next((j for j, t in enumerate(after) if t.text == "=" or t.kind == "define"), 0)
        return 0 < equals <= 6 and _is_name(list(after[:equals]))
    return tok.kind == "words" and bool(_OPENS_REMARK.match(_inner(tok.text)))


def _inner(words: str) -> str:
    return words[words.index("{") + 1 : -1] if "{" in words else words


def _pieces(tokens: list[Token], text: str) -> list[tuple[list[Token], str]]:
    """The remark cut into its statements: at a top-level comma, ';', 'et'/'and', and each
    ``$…$`` inside a ``\\text{…}`` a statement of its own."""
    from symbrnn.judge.notation import tokenize

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


def _definition(piece: list[Token], source: str, remarks: Remarks):
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
    if len(equals) != 1 or not _is_name(piece[: equals[0]]) or equals[0] == len(piece) - 1:
        remarks.skipped.append(source or " ".join(t.text for t in piece))
        return
    i = equals[0]
    rhs = piece[i + 1 :]
    end = Token("end", "", rhs[-1].pos + len(rhs[-1].text))
    remarks.definitions.append(Definition(piece[:i], [*rhs, end], source))


def _is_name(lhs: list[Token]) -> bool:
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
