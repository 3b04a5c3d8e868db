"""TeX around the mathematics and accents on a function, brought to the course's tokens
before :mod:`symbrnn.judge.spelling` reads the rest: ``\\boxed{…}``, ``\\underbrace{…}_{…}``,
``\\textcolor{…}{…}``, ``{\\rm Diag}``, ``:=``; ``\\dot\\sigma``, ``{\\sigma}'``,
``\\mathrm{sech}^2`` (tanh′). Tokens in, tokens out, positions kept; nothing evaluated.

>>> from symbrnn.judge.notation import tokenize
>>> [t.text for t in accents(unwrapped(tokenize(r"\\boxed{\\dot\\sigma(a)}")))]
['(', '\\\\sigma', "'", '(', 'a', ')', ')', '']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symbrnn.judge.notation import AnswerParseError, Token, tokenize


@dataclass(frozen=True)
class Bracket(Token):
    """A bracket a box or a colour stands for (``\\boxed{2}``): mathematics, never a
    hand-written equation number ``(2)`` at the end of a line."""


_MATH = re.compile(r"\$([^$]*)\$")
# what a text-mode piece may hold and still be mathematics: a number, signs, brackets
_FIGURES = re.compile(r"[\s\d.,()×·*+\-]*\d[\s\d.,()×·*+\-]*")
# the words before a math piece that make it a remark's or a condition's (read there)
_PROSE_OPENS = re.compile(
    r"^[\s(,;:]*(?:où|avec|with|where|notant|posant|on\s+note|on\s+pose|soit|posons|notons|"
    r"sachant|given|let|for|pour|si|if|when|quand|lorsque|lorsqu|sinon|otherwise|hyp|"
    r"ou|or|i\.e|c'est|donc|d['’]où|hence|so|thus|car|since|because|et|and|non|not|pas|"
    r"plutôt|rather|au\s+lieu|instead)(?!\w)",
    re.IGNORECASE,
)


def unwrapped(tokens: list[Token]) -> list[Token]:
    """What surrounds the mathematics, dropped: ``\\boxed{X}``, ``\\textcolor{red}{X}``,
    ``\\underbrace{X}_{label}`` (X kept, in parentheses unless it holds an '='),
    ``\\overset{label}{=}``, ``\\color{red}``, plain TeX's ``{\\rm Diag}``, ``{\\bf W}``;
    ``:=`` between members is '='; an ellipsis is refused with a message."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "diag" and (close := _ones(tokens, i + 1)):
            out.append(Token("identity", "I", tok.pos))  # Diag(1, …, 1)
            i = close + 1
            continue
        if tok.kind == "ellipsis":
            raise AnswerParseError("answer.ellipsis", pos=tok.pos)
        if tok.kind == "define":
            out.append(Token("op", "=", tok.pos))
        elif tok.kind == "oldfont":
            pass  # {\rm Diag}: its braces go below
        elif tok.kind == "wrapper":
            i = _unwrap(tokens, i, out)
            continue
        elif (body := _cases_env(tokens, i)) is not None:
            tokens = [*tokens[:i], *body[0], *tokens[body[1] :]]
            continue
        elif tok.kind == "words" and (math := _text_math(tok)) is not None:
            tokens = [*tokens[:i], *math, *tokens[i + 1 :]]
            continue
        elif tok.text == "{" and i + 1 < len(tokens) and tokens[i + 1].kind == "oldfont":
            close = closing(tokens, i)
            if close is not None:
                out.extend(unwrapped(tokens[i + 2 : close]))
                i = close + 1
                continue
            out.append(tok)
        else:
            out.append(tok)
        i += 1
    return out


def _unwrap(tokens, i, out) -> int:
    """The tokens a wrapper at ``i`` keeps, added to ``out``; the index after it."""
    name = tokens[i].text.lstrip("\\")
    arguments = []  # the braced arguments: (first, closing) indices
    at = i + 1
    wanted = 1 if name in ("boxed", "fbox", "framebox", "bbox", "underbrace", "overbrace") else 2
    for _ in range(wanted):
        close = closing(tokens, at) if at < len(tokens) and tokens[at].text == "{" else None
        if close is None:
            raise AnswerParseError(
                "answer.unknown_command", pos=tokens[i].pos, command=tokens[i].text
            )
        arguments.append((at + 1, close))
        at = close + 1
    if name == "color":
        return i + 1 + (arguments[0][1] - i)  # \color{red}: the rest is the mathematics
    first, close = arguments[-1]
    kept = unwrapped(tokens[first:close])
    if name in ("underbrace", "overbrace") and at < len(tokens) and tokens[at].text in ("_", "^"):
        if at + 1 >= len(tokens):  # \underbrace{…}_ with no label: the script is unfinished
            raise AnswerParseError(
                "answer.unknown_command", pos=tokens[at].pos, command=tokens[i].text
            )
        label = closing(tokens, at + 1) if tokens[at + 1].text == "{" else at + 1
        at = (label or at + 1) + 1
    plain = name in ("underset", "overset", "stackrel") or any(
        t.text == "=" and t.kind == "op" for t in kept
    )
    if plain:
        out.extend(kept)
    else:
        out.extend(
            [Bracket("op", "(", tokens[i].pos), *kept, Bracket("op", ")", tokens[close].pos)]
        )
    return at


_CASES = ("cases", "dcases", "rcases", "cases*")


def _env_name(tokens, at) -> tuple[str, int]:
    """The name of ``\\begin{…}``/``\\end{…}`` whose brace opens at ``at``, and the index
    after its closing brace ("" when it is not one)."""
    close = closing(tokens, at) if at < len(tokens) and tokens[at].text == "{" else None
    if close is None:
        return "", at
    return "".join(t.text for t in tokens[at + 1 : close]), close + 1


def _cases_env(tokens, i) -> tuple[list[Token], int] | None:
    """``\\begin{cases} X & \\text{si } t > k \\\\ Y & … \\end{cases}``: its cases written
    on one line (``X \\text{si } t > k, Y …``), read as such; the index after its end."""
    if tokens[i].kind != "cmd" or tokens[i].text != "\\begin":
        return None
    name, at = _env_name(tokens, i + 1)
    if name not in _CASES:
        return None
    body = []
    for j in range(at, len(tokens)):
        tok = tokens[j]
        if tok.kind == "cmd" and tok.text == "\\end":
            end_name, after = _env_name(tokens, j + 1)
            return (body, after) if end_name == name else None
        if tok.kind == "row":
            body.append(Token("op", ",", tok.pos))
        elif tok.kind != "cell":
            body.append(tok)
    return None


def _text_math(tok: Token) -> list[Token] | None:
    """The mathematics a piece of text mode holds, as tokens (None: prose, left as it is):
    ``\\text{$2$}``, ``\\mbox{$W$}``, ``\\textbf{2}`` (figures alone), ``\\text{ fois
    $2$}`` (its words kept as words, its ``$…$`` read). A sentence, a remark's or a condition's words
    (``\\text{ où $a_t = …$}``, ``\\text{si $t > k$}``) stay prose: they are read there."""
    opened = tok.text.index("{") + 1 if "{" in tok.text else 0
    inner = tok.text[opened:-1] if opened else tok.text
    if "$" not in inner:
        if not _FIGURES.fullmatch(inner):
            return None
        return tokenize(" " * (tok.pos + opened) + inner, keep_words=True)[:-1]
    prose = _MATH.sub(" ", inner)
    said = re.findall(r"[^\W\d_]+", prose)
    if _PROSE_OPENS.match(prose) or "$" in prose or len(said) > 2 or "intertext" in tok.text:
        return None  # a remark, a condition, a sentence: prose that speaks of its mathematics
    out, at = [], 0
    for m in _MATH.finditer(inner):
        words = inner[at : m.start()]
        if re.search(r"[^\W\d_]", words):
            out.append(Token("words", "\\text{" + words + "}", tok.pos + opened + at))
        math = tokenize(" " * (tok.pos + opened + m.start(1)) + m.group(1), keep_words=True)
        out.extend(math[:-1])
        at = m.end()
    if re.search(r"[^\W\d_]", inner[at:]):
        out.append(Token("words", "\\text{" + inner[at:] + "}", tok.pos + opened + at))
    return out


_ACCENTED = (
    "cmd",
    "font",
    "kronecker",
    "sech",
)  # the tokens an accent or a spelling starts at, with {


def accents(tokens: list[Token]) -> list[Token]:
    """σ′ as students also write it: ``\\dot\\sigma``, ``\\dot{\\sigma}`` (Newton's dot),
    ``{\\sigma}'`` (the braces of a prime set on the letter alone) and ``\\mathrm{sech}^2``
    (tanh′): each a function token and its prime."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind not in _ACCENTED and tok.text != "{":  # most tokens: kept as they are
            out.append(tok)
            i += 1
            continue
        texts = [t.text for t in tokens[i + 1 : i + 5]]
        kinds = [t.kind for t in tokens[i + 1 : i + 5]]
        if tok.kind == "cmd" and tok.text == "\\dot" and kinds[:1] == ["func"]:
            out += [tokens[i + 1], Token("prime", "'", tok.pos)]
            i += 2
        elif (
            tok.kind == "cmd"
            and tok.text == "\\dot"
            and kinds[1:2] == ["func"]
            and texts[0] + texts[2] == "{}"
        ):
            out += [tokens[i + 2], Token("prime", "'", tok.pos)]
            i += 4
        elif tok.text == "{" and kinds[:1] == ["func"] and texts[1:2] == ["}"] and _braced_ok(out):
            out.append(tokens[i + 1])  # {\sigma}' and {\tanh}(x): the function alone
            i += 3
        elif _accent_on_matrix(tok, tokens[i + 1 : i + 3]):
            out.append(Token("tilde", tok.text, tok.pos))  # \\hat h, \\vec{W}: another name
            i += 1
        elif tok.kind == "kronecker":
            raise AnswerParseError("answer.kronecker", pos=tok.pos)
        elif tok.kind == "sech":
            square = 2 if texts[:2] == ["^", "2"] else 4 if texts[:4] == ["^", "{", "2", "}"] else 0
            if not square:
                raise AnswerParseError("answer.sech_square", pos=tok.pos)
            out += [Token("func", "\\tanh", tok.pos), Token("prime", "'", tok.pos)]
            i += 1 + square
        else:
            out.append(tok)
            i += 1
    return out


_ACCENTS = ("\\hat", "\\widehat", "\\check", "\\bar", "\\breve", "\\acute", "\\grave")
_ACCENTS += ("\\ddot", "\\mathring")
_ARROWS = ("\\vec", "\\overrightarrow")


def _accent_on_matrix(tok: Token, after: list[Token]) -> bool:
    """An accent on a letter (\\hat h, \\bar{W}) or an arrow on a capital (\\vec{W}): a
    name of its own, never the cell's (\\vec h, a vector's arrow, stays h)."""
    letter = after[1] if after[:1] and after[0].text == "{" else after[0] if after else None
    if letter is None or letter.kind != "name":
        return False
    return tok.text in _ACCENTS or (tok.text in _ARROWS and letter.text.isupper())


def accent_suffix(accent: str) -> str:
    """The suffix an accent gives a name: ``_tilde`` (c̃, h̃: the cells' candidates), else
    ``_hat``, ``_bar``…, a name no cell has."""
    if not accent:
        return ""
    return "_tilde" if accent in ("\\tilde", "\\widetilde") else "_" + accent.lstrip("\\")


def _braced_ok(before: list[Token]) -> bool:
    """Braces around a function are dropped unless they are a script's or a fraction's."""
    return not before or (before[-1].text not in ("_", "^") and before[-1].kind != "frac")


def closing(tokens, opened) -> int | None:
    depth = 0
    for j in range(opened, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[j].text, 0) if tokens[j].kind == "op" else 0
        if depth == 0:
            return j
    return None


def _ones(tokens, opened) -> int:
    """The index of the ')' of ``(1, 1, …, 1)`` opened at ``opened`` (0: not that)."""
    if opened >= len(tokens) or tokens[opened].text != "(":
        return 0
    for j in range(opened + 1, len(tokens)):
        if tokens[j].text == ")":
            inner = {t.text for t in tokens[opened + 1 : j] if t.kind != "ellipsis"}
            dots = any(t.kind == "ellipsis" for t in tokens[opened + 1 : j])
            return j if dots and inner == {"1", ","} else 0
    return 0
