"""The course's notation as tokens, with positions in the text the student typed.

One lexical table: each row is a kind of token and the spellings people use
for it (``\\operatorname{Diag}``, ``\\mathrm{diag}``, ``diag``; ``^\\top``,
``^{\\intercal}``, ``ᵀ``; ``\\odot``, ``\\circ``, ``⊙``...). Spacing commands and
``\\left``/``\\right`` are dropped. Nothing here evaluates anything.

>>> [(t.kind, t.text, t.pos) for t in tokenize(r"\\mathrm{diag}(x_3) W^\\top")][:4]
[('diag', '\\\\mathrm{diag}', 0), ('op', '(', 13), ('name', 'x', 14), ('op', '_', 15)]
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from symbrnn.judge.messages import JudgeError

MAX_ANSWER = 10_000  # characters of one answer


class AnswerParseError(JudgeError):
    """An answer that cannot be read; the message gives the position (a key of
    :mod:`symbrnn.judge.messages` and its parameters)."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


_DIAG = r"\\(?:operatorname|mathrm|text|mathsf|textrm|mathbf|mathit|textbf)\s*\{\s*[Dd]iag\s*\}|[Dd]iag|DIAG"
_GAP = r"(?:\s|\\[,;!: ])*"  # spaces inside braces: ^{\!\top}
_TOP = r"\\top|\\intercal|\\(?:mathsf|mathrm|text|textsf)\s*(?:\{\s*T\s*\}|T(?![A-Za-z]))"
# the environments of a derivation laid out on several lines (their & and \\ are dropped),
# and LaTeX comments
_LAYOUT = (
    r"%[^\n]*|\\(?:begin|end)\s*\{\s*(?:aligned|align|split|gathered|gather|equation|eqnarray|multline)"
    r"\*?\s*\}|\\(?:tag\*?|label)\s*\{[^{}]*\}"
)
_SPACE = r"\s+|~|\\(?:left|right)\s*\.|\\[,;!: >]|\\hspace\*?\s*\{[^{}]*\}|\$|\\[\[\]()]|∎|□|"
# words between the members of a derivation (\text{donc}, \text{d'où}, \mbox{car}) or a
# remark after one (\text{ où } a_3 = …, \text{(avec $a_t = …$)}): one level of braces inside
_WORDS = r"\\(?:text|textrm|textit|textbf|textnormal|mbox|intertext)\s*\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"
_FONTS = r"mathrm|operatorname|text|textrm|mathsf|mathbf|mathbb|mathds|mathbbm|boldsymbol|bm"
_ONE = r"\\(?:mathbf|mathbb|mathds|mathbbm|boldsymbol|bm)\s*\{\s*1\s*\}|\\mathbb\s*1|𝟙|𝟏"
# a bare word that opens a remark in plain text: where a_3 = …
_REMARK_WORD = r"(?<![A-Za-z\\'’])(?:where|with|avec|où|en notant|en posant)(?=\s)|∀"
# a bare word that restates the answer or states a condition in plain text (K ou W^2,
# K soit [Diag(σ')W]^2, … pour t ≥ 2): read as the words of a \\text{…}
_BARE_WORD = (
    r"(?<![^\s,;:($])(?:ou\s+(?:bien|encore|alors)|ou|or|soit(?:\s+encore)?|i\.\s?e\.|c\.-à-d\.|"
    r"c'est-à-dire|autrement\s+dit|donc|hence|thus|pour|for|si|if|when|quand|"
    r"lorsque|sinon|otherwise|car|since|because)(?=[\s,;:)$\\]|$)"
)
# \\operatorname{sig}(x): the sigmoid as some write it
_ALIAS = r"\\(?:operatorname|mathrm|textrm|text)\s*\{\s*(?:sig|logistic)\s*\}"
# Commands that are a token by their name alone (\cdot, \partial, \quad): read as one
# ``\\[A-Za-z]+`` and looked up here (one pattern of a few hundred commands takes
# milliseconds to compile at every start); a name in no row is a ``cmd``.
_BIG = tuple(f"{b}ig{g}{s}" for b in "bB" for g in ("", "g") for s in ("", "l", "r", "m"))
_COMMANDS = {
    "ws": (
        *("left", "right", "middle", "quad", "qquad", "displaystyle", "textstyle"),
        *("limits", "nolimits", "nonumber", "notag", *_BIG),
        *("blacksquare", "square", "Box", "qed", "checkmark"),  # the end of a proof
    ),
    "diag": ("Diag", "diag"),
    "sech": ("sech",),
    "identity": ("Id",),
    "remark": ("forall",),
    "compare": ("ge", "geq", "le", "leq", "gt", "lt", "geqslant", "leqslant"),
    "define": ("coloneqq", "triangleq", "equiv"),
    "in": ("in",),
    "prime": ("prime",),
    "frac": ("frac", "dfrac", "tfrac", "cfrac"),
    "partial": ("partial",),
    # \bigodot: the elementwise product (read by the grammar)
    "prod": ("prod", "bigodot"),
    "sum": ("sum",),
    "kronecker": ("otimes",),  # refused: ⊙ is meant, or the Kronecker product
    "hadamard": ("odot", "circ"),
    "times": ("cdot", "times", "cdotp"),
    "func": None,  # \\sigma, \\tanh: the activations' commands, from their table
    "tilde": ("tilde", "widetilde"),
    "font": (
        *("mathbf", "boldsymbol", "bm", "mathrm", "mathit", "vec", "mathsf", "mathbfit"),
        *("symbf", "mathcal", "mathscr"),
    ),
    # {\rm Diag}, {\bf W}, ^{\rm T}: the font switches of plain TeX (spelling drops them)
    "oldfont": ("rm", "bf", "it", "sf", "tt", "cal", "mit", "boldmath"),
    # \boxed{…}, \underbrace{…}_{…}, \textcolor{red}{…}: around the mathematics (spelling)
    "wrapper": (
        *("boxed", "fbox", "framebox", "bbox", "underbrace", "overbrace", "underset"),
        *("overset", "stackrel", "textcolor", "colorbox", "color"),
    ),
}
_LEXICON = [
    ("ws", _SPACE + _LAYOUT),
    ("begin", r"\\begin\s*\{\s*[pbvB]?matrix\s*\}"),
    ("endmatrix", r"\\end\s*\{\s*[pbvB]?matrix\s*\}"),
    ("cell", r"&"),
    ("row", r"\\\\"),
    ("diag", _DIAG),
    # sech²(x) = tanh′(x): respelled as tanh′ by spelling.respell, alone it is refused
    ("sech", r"\\(?:operatorname|mathrm|text|textrm)\s*\{\s*sech\s*\}|sech(?![A-Za-z])"),
    ("transpose", rf"\^\s*(?:\{{{_GAP}(?:{_TOP}){_GAP}\}}|{_TOP})|ᵀ"),
    (
        "identity",
        rf"\\(?:{_FONTS})\s*\{{\s*Id?\s*\}}|\\mathbb\s*I(?![A-Za-z])|𝕀|Id(?![A-Za-z])",
    ),
    ("alias", _ALIAS),
    ("words", _WORDS),
    ("remark", _REMARK_WORD),
    ("bareword", _BARE_WORD),
    ("indicator", _ONE),
    ("compare", r">=|<=|[<>≥≤]"),
    ("define", r":=|≔"),
    ("in", r"∈"),
    ("prime", r"\^\s*\{\s*(?:\\prime|')+\s*\}|\^\s*(?:\\prime(?![A-Za-z])|')|'|[′ʹ’´″‴]"),
    ("partial", r"∂"),
    ("prod", r"∏|\\Pi(?=\s*_)|⨀"),  # \Pi_{j=2}^{3}: the product; ⨀: the elementwise one
    ("sum", r"Σ|∑|\\Sigma(?=\s*_)"),
    ("kronecker", r"⊗"),
    ("hadamard", r"⊙|∘|\.\*"),
    ("times", r"[·×⋅∙@]"),
    ("func", None),  # the activations' spellings, from their table (see _func_pattern)
    ("mathletter", "[\U0001d400-\U0001d7cb]"),  # 𝐖, 𝑊, 𝒉, 𝜎: the letter they set in a font
    ("sub", "[" + "₀₁₂₃₄₅₆₇₈₉₊₋₍₎ₐₑₒₓₕₖₗₘₙₚₛₜⱼᵢᵣᵤᵥ" + "]+"),
    ("sup", "[" + "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿᵗᵏʲⁱ" + "]+"),
    ("set", r"\\\{|\\\}"),  # \{ a_3 > 0 \}: read as parentheses
    ("ellipsis", r"\\(?:[clv]?dots[bcm]?)(?![A-Za-z])|…|⋯|\.\.\."),  # refused with a message
    ("cmd", r"\\[A-Za-z]+|ℝ"),
    ("name", r"[A-Za-z]"),
    ("number", r"\d+(?:\.\d+)?"),
    ("stop", r"[.;]"),
    ("op", r"[-+−–=^_(){}\[\]/,*∗]"),
]
_WRAPPED = r"\\(?:operatorname|mathrm)\s*\{{\s*{}\s*\}}"


def _spellings() -> tuple[tuple[str, tuple[str, ...]], ...]:
    from symbrnn.engine.activations import ACTIVATIONS

    return tuple((name, a.spellings) for name, a in ACTIVATIONS.items())


def _func_pattern(spellings) -> str:
    """Every spelling of every activation but a bare command (\\sigma, in the table of
    commands): a word (sigmoid, σ) bare or inside \\operatorname{…} / \\mathrm{…}, a
    command with an argument (\\operatorname{id}) as written."""
    wrapped, commands, bare = [], [], []
    for _, words in spellings:
        for w in words:
            inner = re.fullmatch(r"\\(?:operatorname|mathrm)\{(\w+)\}", w)
            if inner:
                wrapped.append(re.escape(inner[1]))
            elif w.startswith("\\") and not re.fullmatch(r"\\[A-Za-z]+", w):
                commands.append(re.escape(w) + r"(?![A-Za-z])")
            elif not w.startswith("\\"):
                wrapped.append(re.escape(w))
                bare.append(re.escape(w))
    parts = [_WRAPPED.format("(?:" + "|".join(wrapped) + ")")] if wrapped else []
    parts += sorted(commands, key=len, reverse=True) + sorted(bare, key=len, reverse=True)
    return "|".join(parts) or r"(?!)"


@functools.lru_cache(maxsize=8)
def _token_pattern(spellings) -> tuple[re.Pattern, dict[str, str]]:
    """The lexicon as one pattern, and the kind of each command read by its name alone,
    for the activations the table has now."""
    lexicon = [(k, p if p is not None else _func_pattern(spellings)) for k, p in _LEXICON]
    pattern = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in lexicon))
    bare = tuple(w[1:] for _, words in spellings for w in words if re.fullmatch(r"\\[A-Za-z]+", w))
    kinds: dict[str, str] = {}
    for kind, names in _COMMANDS.items():
        for name in names if names is not None else bare:
            kinds.setdefault(name, kind)
    return pattern, kinds


_PLAIN = {"−": "-", "–": "-", "∗": "*", "\\ast": "*", "\\{": "(", "\\}": ")"}
_SCRIPTS = {
    "sub": (
        "_",
        str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋₍₎ₐₑₒₓₕₖₗₘₙₚₛₜⱼᵢᵣᵤᵥ", "0123456789+-()aeoxhklmnpstjiruv"),
    ),
    "sup": ("^", str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿᵗᵏʲⁱ", "0123456789+-()ntkji")),
}


def _script(kind: str, text: str, pos: int, token) -> list[Token]:
    """a₃ as a_{3}, W² as W^{2}, ∂⁺ as ∂^{+}: a run of Unicode sub- or superscripts, each
    token at the place of its character."""
    caret, table = _SCRIPTS[kind]
    plain = text.translate(table)
    inner, at = [], 0
    while at < len(plain):
        m = token.match(plain, at)
        inner.append(Token(m.lastgroup, m.group(), pos + at))
        at = m.end()
    return [
        Token("op", caret, pos),
        Token("op", "{", pos),
        *inner,
        Token("op", "}", pos + len(text) - 1),
    ]


def tokenize(text: str, keep_words: bool = False) -> list[Token]:
    """The tokens of an answer; an unknown character is an error at its position.

    Unicode sub- and superscripts become ``_{…}`` and ``^{…}``, a double prime two primes;
    the words of ``\\text{…}`` are dropped unless ``keep_words`` (a remark is read from
    them, see :mod:`symbrnn.judge.spelling`).
    """
    if len(text) > MAX_ANSWER:
        raise AnswerParseError("answer.too_long", limit=f"{MAX_ANSWER:,}")
    token, commands = _token_pattern(_spellings())
    dropped = ("ws",) if keep_words else ("ws", "words", "remark", "bareword")
    out, pos = [], 0
    while pos < len(text):
        m = token.match(text, pos)
        if not m:
            raise AnswerParseError("answer.unexpected_char", pos=pos, char=repr(text[pos]))
        kind, value = m.lastgroup, m.group()
        if kind == "cmd":
            kind = commands.get(value[1:], kind)
        if kind in _SCRIPTS:
            out.extend(_script(kind, value, pos, token))
        elif kind == "mathletter":
            plain = unicodedata.normalize("NFKC", value)
            inner = token.match(plain)
            out.append(Token(inner.lastgroup, plain, pos) if inner else Token("name", "?", pos))
        elif kind == "prime" and value in "″‴":
            out.extend(Token("prime", "'", pos) for _ in range(1 + (value == "‴") + 1))
        elif kind == "alias":
            out.append(Token("func", "sigmoid", pos))
        elif kind == "words" and _inner(value) in _plain_spellings():  # \\text{sigmoid}
            out.append(Token("func", _inner(value), pos))
        elif kind == "bareword" and keep_words:
            out.append(Token("words", value, pos))
        elif kind == "set":
            out.append(Token("op", _PLAIN[value], pos))
        elif kind not in dropped:
            out.append(Token("op" if value == "\\ast" else kind, _PLAIN.get(value, value), pos))
        pos = m.end()
    out.append(Token("end", "", pos))
    return _braced_bodies(_over(_unfont(out)))


def _inner(words: str) -> str:
    return words[words.index("{") + 1 : -1].strip() if "{" in words else words


@functools.lru_cache(maxsize=1)
def _plain_spellings() -> frozenset[str]:
    return frozenset(w for _, words in _spellings() for w in words if not w.startswith("\\"))


_UNFONTED = ("diag", "func", "sech", "identity", "partial", "prod", "sum")


def _unfont(tokens: list[Token]) -> list[Token]:
    """A font around one operator (\\boldsymbol{\\mathrm{Diag}}, \\mathbf{\\sigma}): the
    operator; the placeholder of σ'(\\cdot), σ'(\\bullet), σ'(.): σ' alone (the course's
    Diag(σ'))."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        window = tokens[i : i + 4]
        texts = [t.text for t in window]
        fonted = len(window) == 4 and window[0].kind == "font" and window[2].kind in _UNFONTED
        if fonted and texts[1] == "{" and texts[3] == "}":
            out.append(window[2])
            i += 4
            continue
        after_function = bool(out) and out[-1].kind in ("func", "prime")
        if (
            after_function
            and texts[:1] == ["("]
            and texts[2:3] == [")"]
            and _placeholder(window[1])
        ):
            i += 3
            continue
        out.append(tokens[i])
        i += 1
    return out


def _closing(tokens, at) -> int | None:
    """The index of the '}' that closes the '{' at ``at``."""
    depth = 0
    for j in range(at, len(tokens)):
        depth += (tokens[j].text == "{") - (tokens[j].text == "}")
        if depth == 0:
            return j
    return None


def _over(tokens: list[Token]) -> list[Token]:
    """``{a \\over b}`` (plain TeX's fraction) as ``\\frac{a}{b}``."""
    for _ in range(20):
        at = next((i for i, t in enumerate(tokens) if t.kind == "cmd" and t.text == "\\over"), None)
        if at is None:
            return tokens
        depth, start = 0, None
        for j in range(at - 1, -1, -1):
            depth += (tokens[j].text == "}") - (tokens[j].text == "{")
            if depth < 0:
                start = j
                break
        end = None if start is None else _closing(tokens, start)
        if end is None:
            return tokens  # \\over outside braces: left to the reader's message
        pos = tokens[at].pos
        frac = [Token("frac", "\\frac", tokens[start].pos), Token("op", "{", pos)]
        middle = [Token("op", "}", pos), Token("op", "{", pos)]
        tokens = [*tokens[:start], *frac, *tokens[start + 1 : at], *middle, *tokens[at + 1 :]]
    return tokens


def _braced_bodies(tokens: list[Token]) -> list[Token]:
    """``\\prod_{j=2}^{3}{ … }``: the braces around a product's or sum's body as brackets."""
    out = list(tokens)
    for i, tok in enumerate(tokens):
        if tok.kind not in ("prod", "sum"):
            continue
        j = i + 1
        for script in ("_", "^", "_", "^"):
            if j < len(out) and out[j].text == script:
                j += 1
                j = (_closing(out, j) if out[j].text == "{" else j) or j
                j += 1
        if j < len(out) and out[j].text == "{" and (close := _closing(out, j)) is not None:
            out[j] = Token("op", "(", out[j].pos)
            out[close] = Token("op", ")", out[close].pos)
    return out


def _placeholder(tok: Token) -> bool:
    return tok.text in ("\\cdot", "·", "⋅", "∙", ".", "\\bullet", "•", "\\ast", "*")


def function_name(token_text: str) -> str:
    """The activation a ``func`` token names (its row's spellings)."""

    def plain(text):
        return re.sub(r"\\(?:operatorname|mathrm)\s*\{\s*(\w+)\s*\}", r"\1", text)

    for name, spellings in _spellings():
        if plain(token_text) in {plain(w) for w in spellings}:
            return name
    raise AnswerParseError("answer.unknown_function", name=repr(token_text))
