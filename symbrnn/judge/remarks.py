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

from symbrnn.judge.conditions import _comparison, case_list, holds, says_otherwise
from symbrnn.judge.definitions import STEPS, Definition, definition, is_name, pieces
from symbrnn.judge.notation import Token

_OPENS_REMARK = re.compile(
    r"^[\s(,;:]*(?:où|ou|avec|with|where|en\s+notant|notant|en\s+posant|posant|on\s+note|"
    r"on\s+pose|soit|posons|notons|here|ici|given|for|pour|sachant|since|car|because|let|i\.e\.|si|if|when|"
    r"whenever|quand|lorsque|lorsqu|or|sinon|otherwise|else|unless|sauf|tant|dès|"
    # a negation: what follows is what the answer is not (K et non W^2), never a member
    r"et\s+non|et\s+pas|non\s+pas|non|pas|not|and\s+not|plutôt\s+que|au\s+lieu\s+de|"
    r"instead\s+of|rather\s+than)(?!\w)",
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
_IF = re.compile(r"^[\s(,;:]*(?:si|if|when|quand|lorsque|lorsqu['’]?|pour|for)[\s,;:]*$", re.I)
_JOINS = re.compile(r"^[\s,;]*(?:et|and|,)[\s,;]*$", re.IGNORECASE)
_OPEN = {"(": ")", "[": "]", "{": "}"}


@dataclass
class Remarks:
    definitions: list[Definition] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # conditions and words read as prose
    own: list = field(default_factory=list)  # (name, index, value, source) of the cell's names


def read_remarks(
    tokens: list[Token], text: str = "", restates=None, context=None
) -> tuple[list[Token], Remarks]:
    """The tokens of the derivation without its remarks, and the remarks' definitions. A
    remark opens with a word (``où``, ``avec``, ``where``, ``with``…) and runs to the end of
    the text, or to a line break followed by ``=`` where the derivation goes on; the
    derivation's own ``\\text{donc}`` stay words, dropped. ``context``: the question's steps
    (t, k, T), which decide whether a hedge's condition (``ou I si t = k``) holds."""
    return _Reader(tokens, text, restates, context or {}).read()


class _Reader:
    """One pass over the tokens: each token is a hedge (another member), a bracket of words,
    a premise, the word that opens a remark, or a token of the derivation."""

    def __init__(self, tokens, text, restates, context):
        self.tokens, self.text, self.restates, self.context = tokens, text, restates, context
        self.remarks = Remarks()
        self.main: list[Token] = []
        self.skip: set[int] = set()
        self.depth = 0
        self.done = False

    def read(self) -> tuple[list[Token], Remarks]:
        i = 0
        while i < len(self.tokens) - 1 and not self.done:
            if i in self.skip:
                i += 1
                continue
            at = self._hedge(i)
            steps = (self._aside, self._said, self._premise, self._cases, self._otherwise)
            for step in (*steps, self._remark):
                at = step(i) if at is None else at
            if at is None:
                tok = self.tokens[i]
                self.depth += (tok.text in _OPEN) - (tok.text in _OPEN.values())
                self.main.append(tok)
                at = i + 1
            i = at
        if not self.done:
            self.main.append(self.tokens[-1])
        return [t for t in self.main if t.kind not in ("words", "remark")], self.remarks

    def _hedge(self, i):
        """``K ou W^2``: the word as an '=' before another member; a case that does not
        hold (``ou I si t = k``) opens a remark."""
        tok, main = self.tokens[i], self.main
        bracket = self.depth > 0 and bool(main) and main[-1].text in ("(", "[")
        if self.depth and not bracket:
            return None
        member, close = _another_member(self.tokens, i, bracket, self.context)
        if member == "case":
            return self._remark(i, opened=True)
        if not member:
            return None
        if bracket:  # K (ou W²): the bracket around the other member, dropped
            main.pop()
            self.depth -= 1
            self.skip.add(close)
        while main and (main[-1].kind == "stop" or main[-1].text == ","):
            main.pop()
        main.append(Token("op", "=", tok.pos + len(tok.text) - 1))  # the word as an =
        return i + 1

    def _aside(self, i):
        """\\text{ (matrice } n \\times n \\text{)}: prose around math, dropped."""
        aside = _aside_end(self.tokens, i) if self.depth == 0 else None
        if aside is None:
            return None
        tok, close = self.tokens[i], self.tokens[aside]
        self.remarks.skipped.append(self._source(tok, close))
        rest = _inner(close.text).split(")", 1)[1] if close.kind == "words" else ""
        if re.search(r"\w", rest):  # \text{) ou } W^2: the words after the bracket
            words = Token("words", "{" + rest + "}", close.pos)
            self.tokens = [*self.tokens[:aside], words, *self.tokens[aside + 1 :]]
            return aside
        return aside + 1

    def _said(self, i):
        """A bracket after the answer that only says something of it: a shape ``(n \\times
        d)``, words around letters ``(\\text{identité } n \\times n)``, ``(j \\text{
        décroissant})``: prose."""
        tokens = self.tokens
        if self.depth or tokens[i].text != "(" or tokens[i].kind != "op" or not self.main:
            return None
        close, depth = None, 0
        for j in range(i, len(tokens) - 1):
            depth += (tokens[j].text == "(") - (tokens[j].text == ")")
            if depth == 0:
                close = j
                break
        if close is None or tokens[close + 1].kind not in ("end", "words", "remark", "row", "stop"):
            return None
        inside = tokens[i + 1 : close]
        if inside and _comparison(inside):  # (t \ge 1): a condition on the steps, prose
            self.remarks.skipped.append(self._source(tokens[i], tokens[close]))
            return close + 1
        if not inside or any(t.kind not in ("words", "name", "times") for t in inside):
            return None
        words = [_inner(t.text) for t in inside if t.kind == "words"]
        if any(_RESTATES.match(w) or _CONDITION.search(w) for w in words):
            return None  # (ou bien W^2), (si t = k): a hedge or a case, read as one
        prose = any(re.search(r"[^\W\d_]{2}", w) for w in words)
        shape = {t.text for t in inside if t.kind == "name"} <= {"n", "d", "m"}
        if not (prose or (shape and any(t.kind == "times" for t in inside))):
            return None
        self.remarks.skipped.append(self._source(tokens[i], tokens[close]))
        return close + 1

    def _premise(self, i):
        """h_t = σ(a_t) donc …: a definition; ∂h_t/∂h_{t−1} = … d'où …: a side result."""
        premise = _premise(self.main, self.tokens[i], self.restates) if self.depth == 0 else None
        if premise is None:
            return None
        math = _math(self.main)
        source = self._source(math[0], math[-1])
        if premise == "definition":
            for piece in _statements(math):  # a_t = W h_{t−1} + U x_t, h_t = σ(a_t)
                definition(piece, self._source(piece[0], piece[-1]), self.remarks)
        else:
            self.remarks.skipped.append(source)  # a side result, not the answer's member
        self.main = []
        return i + 1

    def _otherwise(self, i):
        """``X si t = k, sinon Y`` (or ``…, Y sinon``) where the condition does not hold at
        the question's steps: Y in place of X, the condition prose."""
        tokens, tok = self.tokens, self.tokens[i]
        if tok.kind != "words" or not self.main or self.depth or not _IF.match(_inner(tok.text)):
            return None
        if holds(_inner(tok.text), tokens, i, self.context) is not False:
            return None
        other = next((j for j in range(i + 1, len(tokens) - 1) if says_otherwise(tokens[j])), None)
        if other is None:
            return None
        if tokens[other + 1].kind in ("end", "words", "row"):  # …, Y sinon
            comma = next((j for j in range(i + 1, other) if _is_comma(tokens[j])), None)
            if comma is None or comma + 1 == other:
                return None
            rest = [*tokens[comma + 1 : other], tokens[-1]]
        else:
            rest = tokens[other + 1 :]
        cut = max(
            (n for n, t in enumerate(self.main) if t.text == "=" and t.kind == "op"), default=-1
        )
        if cut + 1 < len(self.main):
            self.remarks.skipped.append(self._source(self.main[cut + 1], tokens[other]))
        del self.main[cut + 1 :]
        self.tokens = [*tokens[:i], *rest]
        return i

    def _cases(self, i):
        """``X si t > k, Y si t = k`` (and ``\\begin{cases}``): the member of the case whose
        condition holds at the question's steps, the other cases prose."""
        tokens, tok = self.tokens, self.tokens[i]
        if tok.kind != "words" or not self.main or self.depth or not _IF.match(_inner(tok.text)):
            return None
        listed = case_list(tokens, i)
        if listed is None:
            return None
        found, end = listed
        verdicts = [holds(_inner(tokens[w].text), tokens, w, self.context) for _, w in found]
        if None in verdicts or True not in verdicts:
            return None
        start, _ = found[verdicts.index(True)]
        self.remarks.skipped.append(self._source(tok, tokens[end - 1]))
        if start is not None:  # another case's member, in place of the first one
            cut = max(
                (n for n, t in enumerate(self.main) if t.text == "=" and t.kind == "op"),
                default=-1,
            )
            del self.main[cut + 1 :]
        member = tokens[start : found[verdicts.index(True)][1]] if start is not None else []
        self.tokens = [*tokens[:i], *member, *tokens[end:]]
        return i

    def _remark(self, i, opened=False):
        """A remark from ``i`` to its end: its definitions read, its prose kept aside."""
        tokens, main = self.tokens, self.main
        after = tokens[i + 1 : i + 8] if self.depth == 0 else ()
        if not (opened or _opens_remark(tokens[i], after)):
            return None
        while main and (main[-1].kind in ("stop", "words") or main[-1].text in (",", "(", "[")):
            main.pop()  # the comma before the remark, the bracket that opens it
        stop = _remark_end(tokens, i)
        cases = _cases_end(tokens, i)
        if cases is not None:  # Pour T = 2 : $$ … $$, the derivation goes on
            given = " ".join(t.text for t in tokens[i + 1 : cases] if t.kind != "words")
            self.remarks.skipped.append(f"{_inner(tokens[i].text).strip()} {given}")
            if main:
                main.append(Token("op", "=", tokens[cases].pos))
            return cases
        for piece, source in pieces(tokens[i:stop], self.text):
            definition(piece, source, self.remarks)
        if stop == len(tokens) - 1:
            main.append(Token("end", "", tokens[i].pos))
            self.done = True
        return stop

    def _source(self, first, last) -> str:
        return self.text[first.pos : last.pos + len(last.text)] if self.text else ""


def _is_comma(tok) -> bool:
    return tok.text == "," or (tok.kind == "words" and _inner(tok.text).strip() in (",", ";"))


def _another_member(tokens, at, enclosed=False, context=None) -> tuple[str | None, int | None]:
    """Whether the word at ``at`` restates the member before it (``ou``, ``soit``,
    ``i.e.``, ``donc``…) and is followed by an expression: up to the end, a line that goes
    on with '=', another remark, or a condition that holds (``ou W^2 pour t ≥ 2``: the
    condition is prose); no top-level '=' (then a definition: ``soit a_t = …``). "member",
    "case" (the expression is a case that does not hold here: ``ou I si t = k``, ``0
    sinon``) or None; ``enclosed``: the word opens a bracket (``(ou W^2)``), where the
    member ends, and where it closes."""
    tok = tokens[at]
    if tok.kind not in ("words", "remark") or not _RESTATES.match(_inner(tok.text)):
        return None, None
    from symbrnn.judge.members import _joins

    depth = seen = 0
    close = None
    for j in range(at + 1, len(tokens) - 1):
        nxt = tokens[j]
        if nxt.kind in ("words", "remark"):
            inner = _inner(nxt.text)
            if _CONDITION.search(inner):
                if seen and not enclosed and holds(inner, tokens, j, context) is not False:
                    break  # K ou X pour t ≥ 2: X is another member, the condition prose
                return ("case" if seen and not enclosed else None), None
            if re.search(r"\w", inner) or _opens_remark(nxt):
                break  # another remark (où a_t = …) ends the member
            continue
        if depth == 0 and (_joins(nxt) or nxt.kind == "define"):
            return None, None
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
    member = seen > 0 and (close is not None or not enclosed)
    return ("member" if member else None), close


_THEREFORE = re.compile(
    r"^[\s,;:]*(?:et\s+)?(?:donc|d['’]où|alors|ainsi|on\s+a|so|hence|thus|therefore|then)[\s,;:]*$",
    re.IGNORECASE,
)


def _premise(main, tok, restates=None) -> str | None:
    """What the text read so far is when a word of consequence follows it: a forward
    equation stated before the answer (``h_t = \\sigma(a_t) \\text{ donc } …``, one name and
    one '='): "definition"; a side result, another derivative than the quantity
    (``∂h_t/∂h_{t−1} = … \\text{ d'où } ∂h_3/∂h_1 = …``): "lemma"; else None."""
    word = tok.kind == "words" and _THEREFORE.match(_inner(tok.text))
    if not (word or tok.kind == "row" or _goes_on(tok)):
        return None
    math = _math(main)
    if math and all(_defines(piece) for piece in _statements(math)):
        return "definition"  # a_t = W h_{t−1} + U x_t, h_t = σ(a_t): cut at commas
    equals = [j for j, t in enumerate(math) if t.kind == "op" and t.text == "="]
    from symbrnn.judge.members import _derivative, _ended

    lhs = math[: equals[0]] if len(equals) == 1 and 0 < equals[0] < len(math) - 1 else None
    if lhs and restates is not None and _derivative(lhs) is not None and not restates(_ended(lhs)):
        return "lemma"
    return None


_ARROWS = {"\\Rightarrow", "\\Longrightarrow", "\\implies"}  # A ⟹ B: A a premise when it is one


def _math(main: list[Token]) -> list[Token]:
    """The math of the text read so far, without the ⟹ that opens its line."""
    math = [t for t in main if t.kind not in ("words", "remark", "row", "cell")]
    return math[1:] if math and _goes_on(math[0]) else math


def _statements(math: list[Token]) -> list[list[Token]]:
    """The statements of a line, cut at its top-level commas and ';'."""
    out: list[list[Token]] = [[]]
    depth = 0
    for tok in math:
        depth += (tok.text in _OPEN) - (tok.text in _OPEN.values())
        out.append([]) if depth == 0 and tok.text in (",", ";") else out[-1].append(tok)
    return [piece for piece in out if piece]


def _defines(piece: list[Token]) -> bool:
    """``name = value``: one '=' with a name before it."""
    equals = [j for j, t in enumerate(piece) if t.kind == "op" and t.text == "="]
    return len(equals) == 1 and 0 < equals[0] < len(piece) - 1 and is_name(piece[: equals[0]])


_CASE = re.compile(r"^[\s(,;:]*(?:pour|for|with|avec|si|if|when|quand|lorsque)[\s]*$", re.I)


def _cases_end(tokens, start) -> int | None:
    """Where the case a remark states ends when the derivation goes on after it
    (``\\text{Pour } T = 2 \\text{ : } …``: a step or horizon given a number), else None."""
    if not _CASE.match(_inner(tokens[start].text)):
        return None
    j = start + 1
    while j + 2 < len(tokens) and [tokens[j].text] in STEPS and tokens[j + 1].text == "=":
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
    """Where a bracket of words opened in a ``\\text{}`` ends: in a later one
    (``\\text{ (matrice } n \\times n \\text{)}``) or at its bare ')' (``\\text{(hyp. }
    f_t = 1)``), else None; a bracket that opens a remark (``(avec a_t = …)``) is a remark."""
    inner = _inner(tokens[start].text) if tokens[start].kind == "words" else ""
    if inner.count("(") <= inner.count(")") or not re.search(r"[^\W\d_]{2}", inner):
        return None
    opened = _OPENS_REMARK.match(inner.rsplit("(", 1)[1])
    depth = 0
    for j in range(start + 1, len(tokens) - 1):
        tok = tokens[j]
        if tok.kind == "words":
            words = _inner(tok.text)
            return j if words.count(")") > words.count("(") else None
        if tok.kind == "op" and tok.text in "()":
            depth += 1 if tok.text == "(" else -1
            if depth < 0:
                return None if opened else j
    return None


def _remark_end(tokens, start) -> int:
    """Where a remark opened at ``start`` ends: a line break followed by '=' or ⟹, a word
    of consequence (``donc``, ``d'où``) or ⟹ (the derivation goes on), else the end."""
    for j in range(start + 1, len(tokens) - 1):
        tok = tokens[j]
        if _goes_on(tok) or (tok.kind == "words" and _THEREFORE.match(_inner(tok.text))):
            return j
        if tok.kind == "row":
            after = [t for t in tokens[j + 1 :] if t.kind != "cell"]
            if after and ((after[0].kind == "op" and after[0].text == "=") or _goes_on(after[0])):
                return j
    return len(tokens) - 1


def _goes_on(tok: Token) -> bool:
    return tok.kind == "cmd" and tok.text in _ARROWS


def _opens_remark(tok: Token, after: list[Token] = ()) -> bool:
    if tok.kind == "remark":
        return True
    if tok.text in (",", ";") and tok.kind in ("op", "stop"):  # …, D_t = Diag(σ'(a_t))
        equals = next((j for j, t in enumerate(after) if t.text == "=" or t.kind == "define"), 0)
        return 0 < equals <= 6 and is_name(list(after[:equals]))
    return tok.kind == "words" and bool(_OPENS_REMARK.match(_inner(tok.text)))


def _inner(words: str) -> str:
    return words[words.index("{") + 1 : -1] if "{" in words else words
