"""The remarks beside a derivation, read apart from it: a definition (``\\text{ où } a_3 =
W h_2 + U x_3``, ``\\quad \\text{(avec $a_t = …$)}``, ``, \\text{ with } …``) returned as
(name, index, value tokens), never multiplied in; a condition (``pour k < t``), prose;
a word that restates the answer (``ou``, ``soit``, ``i.e.``, ``donc``) before an expression:
another member; a forward equation stated first (``h_t = σ(a_t) \\text{ donc } …``): a
definition; a case given a number between two displays (``\\text{Pour } T = 2 :``), prose.

>>> from symbrnn.judge.notation import tokenize
>>> toks, remarks = read_remarks(tokenize(r"W \\text{ où } a_t = W h_{t-1}", True))
>>> [t.text for t in toks], [[t.text for t in d.lhs] for d in remarks.definitions]
(['W', ''], [['a', '_', 't']])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from symbrnn.judge.notation import Token

_OPENS_REMARK = re.compile(
    r"^[\s(,;:]*(?:où|ou|avec|with|where|en\s+notant|notant|en\s+posant|posant|on\s+note|"
    r"on\s+pose|soit|posons|notons|here|ici|given|for|pour|sachant|since|car|because|let|i\.e\.|si|if|when|whenever|quand|lorsque|lorsqu)(?!\w)",
    re.IGNORECASE,
)
# a word that restates the member before it or offers another (``K \\text{ ou } K'``,
# ``\\text{, i.e. }``, ``\\text{donc}``): what follows it, when it is an expression (no '='
# and no condition), is another member of the derivation, judged like one
_RESTATES = re.compile(
    r"^[\s(,;:]*(?:(?:ou|or)(?:\s+(?:bien|encore|alors|plutôt|peut-être|rather|maybe|perhaps|"
    r"equivalently))?|soit(?:\s+encore)?|i\.\s?e\.?|c\.?-?à-?d\.?|c'est-à-dire|autrement\s+dit|"
    r"that\s+is|in\s+other\s+words|donc|d['’]où|hence|so|thus|therefore|ainsi|equivalently|"
    r"voire|peut-être|maybe|perhaps)[\s,;:]*$",
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


def read_remarks(tokens: list[Token], text: str = "", restates=None) -> tuple[list[Token], Remarks]:
    """The tokens of the derivation without its remarks, and the remarks' definitions. A
    remark opens with a word (``où``, ``avec``, ``where``, ``with``…) and runs to the end of
    the text, or to a line break followed by ``=`` where the derivation goes on; the
    derivation's own ``\\text{donc}`` stay words, dropped."""
    remarks = Remarks()
    main: list[Token] = []
    skip: set[int] = set()
    i = depth = 0
    while i < len(tokens) - 1:
        tok = tokens[i]
        if i in skip:
            i += 1
            continue
        bracket = depth > 0 and bool(main) and main[-1].text in ("(", "[")
        member, close = _another_member(tokens, i, bracket) if depth == 0 or bracket else (0, 0)
        if member and bracket:  # K (ou W²): the bracket around the other member, dropped
            main.pop()
            depth -= 1
            skip.add(close)
        if member:
            while main and (main[-1].kind == "stop" or main[-1].text == ","):
                main.pop()
            main.append(Token("op", "=", tok.pos + len(tok.text) - 1))  # the word as an =
            i += 1
            continue
        aside = _aside_end(tokens, i) if depth == 0 else None
        if aside is not None:  # \text{ (matrice } n \times n \text{)}: prose around math
            close = tokens[aside]
            remarks.skipped.append(text[tok.pos : close.pos + len(close.text)] if text else "")
            rest = _inner(close.text).split(")", 1)[1]
            i = aside + 1
            if re.search(r"\w", rest):  # \text{) ou } W^2: the words after the bracket
                tokens = [*tokens[:aside], Token("words", "{" + rest + "}", close.pos), *tokens[i:]]
                i = aside
            continue
        premise = _premise(main, tok, restates) if depth == 0 else None
        if premise is not None:  # h_t = σ(a_t) donc …: a definition; ∂h_t/∂h_{t−1} = … d'où
            math = [t for t in main if t.kind not in ("words", "remark", "row", "cell")]
            source = text[math[0].pos : math[-1].pos + len(math[-1].text)] if text else ""
            if premise == "definition":
                _definition(math, source, remarks)
            else:
                remarks.skipped.append(source)  # a side result, not the answer's member
            main = []
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
        cases = _cases_end(tokens, i)
        if cases is not None:  # Pour T = 2 : $$ … $$, the derivation goes on
            given = " ".join(t.text for t in tokens[i + 1 : cases] if t.kind != "words")
            remarks.skipped.append(f"{_inner(tok.text).strip()} {given}")
            if main:
                main.append(Token("op", "=", tokens[cases].pos))
            i = cases
            continue
        for piece, source in _pieces(tokens[i:stop], text):
            _definition(piece, source, remarks)
        if stop == len(tokens) - 1:
            main.append(Token("end", "", tokens[i].pos))
            break
        i = stop
    else:
        main.append(tokens[-1])
    return [t for t in main if t.kind not in ("words", "remark")], remarks


def _another_member(tokens, at, enclosed=False) -> tuple[bool, int | None]:
    """Whether the word at ``at`` restates the member before it (``ou``, ``soit``,
    ``i.e.``, ``donc``…) and is followed by an expression: up to the end, a line that goes
    on with '=', or another remark, no top-level '=' (then a definition: ``soit a_t = …``)
    and no condition (``pour k < t``, ``si … sinon``); ``enclosed``: the word opens a
    bracket (``(ou W^2)``), where the member ends, and where it closes."""
    tok = tokens[at]
    if tok.kind not in ("words", "remark") or not _RESTATES.match(_inner(tok.text)):
        return False, None
    from symbrnn.judge.members import _joins

    depth = seen = 0
    close = None
    for j in range(at + 1, len(tokens) - 1):
        nxt = tokens[j]
        if nxt.kind in ("words", "remark"):
            inner = _inner(nxt.text)
            if _CONDITION.search(inner):
                return False, None
            if re.search(r"\w", inner) or _opens_remark(nxt):
                break  # another remark (où a_t = …) ends the member
            continue
        if depth == 0 and (_joins(nxt) or nxt.kind == "define"):
            return False, None
        if enclosed and depth == 0 and nxt.text in (")", "]"):
            close = j
            break
        if depth == 0 and nxt.kind == "row":
            after = [t for t in tokens[j + 1 :] if t.kind != "cell"]
            if after and after[0].kind == "op" and after[0].text == "=":
                break
        if depth == 0 and nxt.text in (",", ";") and _opens_remark(nxt, tokens[j + 1 : j + 8]):
            break
        depth += (nxt.text in _OPEN) - (nxt.text in _OPEN.values())
        seen += nxt.kind not in ("stop", "row", "cell") and nxt.text not in (",", ")", "]")
    return seen > 0 and (close is not None or not enclosed), close


_THEREFORE = re.compile(
    r"^[\s,;:]*(?:et\s+)?(?:donc|d['’]où|alors|ainsi|on\s+a|so|hence|thus|therefore|then)[\s,;:]*$",
    re.IGNORECASE,
)


def _premise(main, tok, restates=None) -> str | None:
    """What the text read so far is when a word of consequence follows it: a forward
    equation stated before the answer (``h_t = \\sigma(a_t) \\text{ donc } …``, one name and
    one '='): "definition"; a side result, another derivative than the quantity
    (``∂h_t/∂h_{t−1} = … \\text{ d'où } ∂h_3/∂h_1 = …``): "lemma"; else None."""
    if tok.kind != "words" or not _THEREFORE.match(_inner(tok.text)):
        return None
    math = [t for t in main if t.kind not in ("words", "remark", "row", "cell")]
    equals = [j for j, t in enumerate(math) if t.kind == "op" and t.text == "="]
    if len(equals) != 1 or not 0 < equals[0] < len(math) - 1:
        return None
    lhs = math[: equals[0]]
    if _is_name(lhs):
        return "definition"
    from symbrnn.judge.members import _derivative, _ended

    if restates is not None and _derivative(lhs) is not None and not restates(_ended(lhs)):
        return "lemma"
    return None


_CASE = re.compile(r"^[\s(,;:]*(?:pour|for|with|avec|si|if|when|quand|lorsque)[\s]*$", re.I)


def _cases_end(tokens, start) -> int | None:
    """Where the case a remark states ends when the derivation goes on after it
    (``\\text{Pour } T = 2 \\text{ : } …``: a step or horizon given a number), else None."""
    if not _CASE.match(_inner(tokens[start].text)):
        return None
    j = start + 1
    while j + 2 < len(tokens) and [tokens[j].text] in _STEPS and tokens[j + 1].text == "=":
        if tokens[j + 2].kind != "number":
            return None
        j += 3
        while tokens[j].kind in ("stop", "words") and not re.search(r"\w", _inner(tokens[j].text)):
            j += 1
        if tokens[j].text == ",":
            j += 1
    if j == start + 1 or tokens[j].kind == "end":
        return None
    return j


def _aside_end(tokens, start) -> int | None:
    """Where a bracket of words opened in a ``\\text{}`` and closed in a later one ends
    (``\\text{ (matrice } n \\times n \\text{)}``), else None."""
    inner = _inner(tokens[start].text) if tokens[start].kind == "words" else ""
    if inner.count("(") <= inner.count(")") or not re.search(r"[^\W\d_]{2}", inner):
        return None
    for j in range(start + 1, len(tokens) - 1):
        if tokens[j].kind == "words":
            words = _inner(tokens[j].text)
            return j if words.count(")") > words.count("(") else None
    return None


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


_STEPS = [["t"], ["k"], ["T"], ["j"], ["\\tau"], ["τ"]]  # a step's letter: never a definition


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
    step = len(equals) == 1 and [t.text for t in piece[: equals[0]]] in _STEPS  # k = t: a case
    if len(equals) != 1 or not _is_name(piece[: equals[0]]) or equals[0] == len(piece) - 1 or step:
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
