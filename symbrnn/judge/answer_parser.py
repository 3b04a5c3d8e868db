"""Read a hand-written derivation (the course's LaTeX, or plain text) into symbrnn expressions.

Matrix products are juxtaposition (``A B``, ``A \\cdot B``, ``A \\times B``), ``\\odot``
or ``\\circ`` the Hadamard product, ``^\\top`` / ``^T`` / ``^{\\intercal}`` a transpose,
``[B]^{n}`` a matrix power. ``\\prod_{j=a}^{b}`` is read with the factor j = b on
the left (symbrnn's convention, as in ∂h_t/∂h_k = Π ∂h_j/∂h_{j-1}).

>>> from symbrnn.engine.cells import simple_rnn
>>> from symbrnn.printing.text import text
>>> e = parse_answer(r"\\mathrm{diag}(\\sigma'(a_3)) W", simple_rnn(), {"t": 3, "k": 1})
>>> text(e)
"Diag(σ'(a₃)) W"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp
from sympy import Identity, Transpose

from symbrnn.engine.derive import Derivation, Loss
from symbrnn.engine.matexpr import (
    Apply,
    Diag,
    Ones,
    OrderedProduct,
    Partial,
    add,
    hadamard,
    mul,
    neg,
)
from symbrnn.errors import InputError


class AnswerParseError(InputError):
    """An answer that cannot be read; the message gives the position."""


_FUNCTIONS = {
    r"\sigma": "sigmoid",
    "sigma": "sigmoid",
    "σ": "sigmoid",
    r"\tanh": "tanh",
    "tanh": "tanh",
    r"\varphi": "phi",
    r"\phi": "phi",
    "phi": "phi",
    "φ": "phi",
    r"\operatorname{relu}": "relu",
    "relu": "relu",
}
_DIAG = re.compile(
    r"\\operatorname\{diag\}|\\mathrm\{diag\}|\\text\{diag\}|\\operatorname\{Diag\}|"
    r"\\mathrm\{Diag\}|\\text\{Diag\}|Diag|diag",
    re.I,
)
_SPACING = re.compile(
    r"\\left|\\right|\\big[lr]?|\\Big[lr]?|\\,|\\;|\\!|\\:|\\quad|\\qquad|\\ |\\displaystyle"
)
_TRANSPOSE = re.compile(
    r"\^\s*(?:\{\s*(?:\\top|T|\\intercal|\\mathsf\{T\}|\\mathrm\{T\}|t)\s*\}|\\top|T|\\intercal|ᵀ)"
)


@dataclass
class Token:
    kind: str
    text: str
    pos: int


_TOKEN = re.compile(
    r"(?P<ws>\s+)|(?P<frac>\\frac)|(?P<partial>\\partial|∂)|(?P<prod>\\prod|∏)|(?P<sum>\\sum|Σ)"
    r"|(?P<diag>DIAG)|(?P<transpose>TRANSPOSE)|(?P<hadamard>\\odot|\\circ|⊙|\.\*)"
    r"|(?P<times>\\cdot|\\times|·)|(?P<prime>'|\\prime|′)"
    r"|(?P<func>\\sigma|\\tanh|\\varphi|\\phi|\\operatorname\{relu\}|sigma|tanh|phi|relu|σ|φ)"
    r"|(?P<tilde>\\tilde|\\widetilde)|(?P<cmd>\\[A-Za-z]+)"
    r"|(?P<name>[A-Za-z])|(?P<number>\d+(?:\.\d+)?)|(?P<op>[-+−=^_(){}\[\]/,*])"
)


def tokenize(text: str) -> list[Token]:
    text = _SPACING.sub(" ", text)
    text = _DIAG.sub("DIAG", text)
    text = _TRANSPOSE.sub("TRANSPOSE", text)
    text = text.replace("^{\\prime}", "'").replace("^\\prime", "'")
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise AnswerParseError(
                f"cannot read the answer at position {pos}: unexpected {text[pos]!r}"
            )
        kind = m.lastgroup
        if kind != "ws":
            value = m.group()
            if kind == "op" and value == "−":
                value = "-"
            out.append(Token(kind, value, pos))
        pos = m.end()
    out.append(Token("end", "", pos))
    return out


class Parser:
    """Recursive descent over the tokens; builds symbrnn matrix expressions."""

    def __init__(self, text, derivation: Derivation, context: dict):
        self.tokens = tokenize(text)
        self.i = 0
        self.D = derivation
        self.context = {k: sp.Integer(v) if isinstance(v, int) else v for k, v in context.items()}
        self.vectors = (
            {n.name for n in derivation.trace.named_nodes} | set(derivation.states) | {"x"}
        )

    # -- helpers ---------------------------------------------------------------
    def peek(self, offset=0) -> Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def take(self, kind=None, text=None) -> Token:
        tok = self.peek()
        if (kind and tok.kind != kind) or (text is not None and tok.text != text):
            want = text or kind
            got = tok.text or "the end"
            raise AnswerParseError(
                f"cannot read the answer at position {tok.pos}: expected {want!r}, got {got!r}"
            )
        self.i += 1
        return tok

    def accept(self, kind=None, text=None) -> bool:
        tok = self.peek()
        if (kind is None or tok.kind == kind) and (text is None or tok.text == text):
            self.i += 1
            return True
        return False

    def braced(self) -> list[Token]:
        """The tokens up to the '}' that closes a '{' just taken."""
        start, depth = self.i, 1
        while depth:
            tok = self.take()
            if tok.kind == "end":
                raise AnswerParseError(
                    f"cannot read the answer at position {tok.pos}: unclosed '{{'"
                )
            depth += {"{": 1, "}": -1}.get(tok.text, 0)
        return self.tokens[start : self.i - 1]

    def group(self):
        """{ ... } or a single token, as a time index expression."""
        toks = self.braced() if self.accept("op", "{") else [self.take()]
        pos = toks[0].pos if toks else self.peek().pos
        return self.index_value("".join(t.text for t in toks), pos)

    def index_value(self, text: str, pos: int):
        symbols = {name: sp.Symbol(name, integer=True) for name in "tkjnTs"} | {
            k: v for k, v in self.context.items()
        }
        try:
            value = sp.sympify(text.replace("−", "-"), locals=symbols)
        except (sp.SympifyError, SyntaxError, TypeError):
            raise AnswerParseError(f"cannot read the index {text!r} at position {pos}") from None
        if not isinstance(value, sp.Expr):
            raise AnswerParseError(f"cannot read the index {text!r} at position {pos}")
        return value

    # -- grammar ---------------------------------------------------------------
    def parse(self):
        expr = self.expr()
        if self.peek().kind != "end":
            tok = self.peek()
            raise AnswerParseError(
                f"cannot read the answer at position {tok.pos}: unexpected {tok.text!r}"
            )
        return expr

    def expr(self):
        sign = -1 if self.accept("op", "-") else 1
        self.accept("op", "+")
        out = self.hterm()
        out = neg(out) if sign < 0 else out
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take().text
            right = self.hterm()
            out = add(out, right if op == "+" else neg(right))
        return out

    def hterm(self):
        out = self.mterm()
        while self.accept("hadamard"):
            out = hadamard(out, self.mterm())
        return out

    def mterm(self):
        factors = [self.postfix()]
        while True:
            if (
                self.accept("times")
                or (self.peek().kind == "op" and self.peek().text == "*" and self.accept("op", "*"))
                or self._starts_atom()
            ):
                factors.append(self.postfix())
            else:
                break
        return mul(*factors)

    def _starts_atom(self) -> bool:
        tok = self.peek()
        return tok.kind in (
            "diag",
            "func",
            "frac",
            "prod",
            "sum",
            "name",
            "number",
            "tilde",
            "partial",
        ) or (tok.kind == "op" and tok.text in "([")

    def postfix(self):
        out = self.atom()
        while True:
            if self.accept("transpose"):
                out = Transpose(out)
            elif self.peek().kind == "op" and self.peek().text == "^":
                self.take()
                exponent = self.group()
                if not exponent.is_Integer or exponent < 0:
                    raise AnswerParseError(
                        f"only whole powers of a matrix can be checked, got ^{{{exponent}}}"
                    )
                out = mul(*([out] * int(exponent))) if exponent > 0 else Identity(out.shape[0])
            else:
                return out

    def atom(self):
        tok = self.peek()
        if tok.kind == "op" and tok.text in "([":
            close = ")" if tok.text == "(" else "]"
            self.take()
            inner = self.expr()
            self.take("op", close)
            return inner
        if tok.kind == "diag":
            self.take()
            return Diag(self.argument())
        if tok.kind == "func":
            return self.function()
        if tok.kind == "frac":
            return self.fraction()
        if tok.kind == "prod":
            return self.product()
        if tok.kind == "sum":
            return self.summation()
        if tok.kind == "number":
            self.take()
            if tok.text == "1":
                return Ones(self.D.n)
            if tok.text == "0":
                return sp.ZeroMatrix(self.D.n, self.D.n)
            raise AnswerParseError(
                f"cannot read the answer at position {tok.pos}: a bare number {tok.text}"
            )
        if tok.kind in ("name", "tilde"):
            return self.symbol()
        got = tok.text or "the end"
        raise AnswerParseError(f"cannot read the answer at position {tok.pos}: unexpected {got!r}")

    def argument(self):
        if self.peek().kind == "op" and self.peek().text in "([{":
            open_ = self.take().text
            inner = self.expr()
            self.take("op", {"(": ")", "[": "]", "{": "}"}[open_])
            return inner
        return self.postfix()

    def function(self):
        tok = self.take("func")
        name = _FUNCTIONS[tok.text]
        order = 0
        while self.accept("prime"):
            order += 1
        if self.peek().kind == "op" and self.peek().text in "([":
            return Apply(name, self.argument(), order)
        raise AnswerParseError(
            f"cannot read the answer at position {tok.pos}: write the argument of {tok.text}"
            f"{chr(39) * order} (e.g. {tok.text}{chr(39) * order}(a_t)); the time step matters"
        )

    def symbol(self):
        tilde = False
        if self.accept("tilde"):
            tilde = True
            self.take("op", "{")
            letter = self.take("name").text
            self.take("op", "}")
        else:
            letter = self.take("name").text
        sub = None
        if self.accept("op", "_"):
            toks = self.braced() if self.accept("op", "{") else [self.take()]
            sub = "".join(t.text for t in toks)
        name = letter + ("_tilde" if tilde else "")
        if letter == "I" and sub is None:
            return Identity(self.D.n)
        if sub is not None and f"{letter}_{sub}" in self.D.params:
            return self.D.params[f"{letter}_{sub}"]
        if sub is None and letter in self.D.params:
            return self.D.params[letter]
        if name in self.vectors:
            if sub is None:
                raise AnswerParseError(
                    f"{name} needs its time step, e.g. {name}_t or {name}_{{t-1}}"
                )
            return self.D.vec(name, self.index_value(sub, self.peek().pos))
        # pre-activation of a gate written a_f,t or a^{(f)}_t is rare: a_{f,t}
        if letter == "a" and sub and "," in sub:
            gate, _, when = sub.partition(",")
            if f"a_{gate}" in self.vectors:
                return self.D.vec(f"a_{gate}", self.index_value(when, self.peek().pos))
        known = ", ".join(sorted(self.D.params) + sorted(self.vectors))
        raise AnswerParseError(
            f"unknown symbol {name}{'_' + sub if sub else ''}; this cell knows: {known}"
        )

    def fraction(self):
        self.take("frac")
        self.take("op", "{")
        num = self._partial_operand()
        self.take("op", "}")
        self.take("op", "{")
        den = self._partial_operand()
        self.take("op", "}")
        return self.quantity(num, den)

    def _partial_operand(self):
        self.take("partial")
        self.accept("op", "^")  # ∂^+ written \partial^{+}
        if self.peek().kind == "op" and self.peek().text == "{":
            self.take()
            self.accept("op", "+")
            self.take("op", "}")
        letter = self.take("name").text
        sub = None
        if self.accept("op", "_"):
            sub = self.group()
        return letter, sub

    def quantity(self, num, den):
        (n_name, n_sub), (d_name, d_sub) = num, den
        if n_name == "L":
            if d_sub is None:
                raise AnswerParseError("∂L/∂... inside an answer: write ∂L_t/∂h_t")
            return Partial(Loss(n_sub), self.D.vec(d_name, d_sub))
        if d_sub is None or (d_name not in self.vectors):
            param = self._param(d_name, d_sub)
            return Partial(self.D.vec(n_name, n_sub), param, True)
        # the engine's own quantity, as the sheet writes it
        return self.D.jacobian(n_name, n_sub, d_sub, wrt=d_name)

    def _param(self, name, sub):
        key = name if sub is None else f"{name}_{sub}"
        if key not in self.D.params:
            raise AnswerParseError(
                f"unknown parameter {key}; this cell has: {', '.join(self.D.params)}"
            )
        return self.D.params[key]

    def _bounds(self):
        self.take("op", "_")
        self.take("op", "{")
        var = self.take("name").text
        self.take("op", "=")
        start = self.i
        depth = 0
        while not (self.peek().kind == "op" and self.peek().text == "}" and depth == 0):
            tok = self.take()
            if tok.kind == "end":
                raise AnswerParseError(
                    f"cannot read the answer at position {tok.pos}: unclosed bounds"
                )
            depth += {"{": 1, "}": -1}.get(tok.text, 0)
        lo = self.index_value("".join(t.text for t in self.tokens[start : self.i]), self.peek().pos)
        self.take("op", "}")
        self.take("op", "^")
        hi = self.group()
        return sp.Symbol(var, integer=True), lo, hi

    def product(self):
        self.take("prod")
        var, lo, hi = self._bounds()
        body = self._bound_body(var)
        return OrderedProduct(body, var, lo, hi)

    def summation(self):
        self.take("sum")
        var, lo, hi = self._bounds()
        body = self._bound_body(var)
        if not (lo.is_Integer and hi.is_Integer):
            raise AnswerParseError(
                "sums are checked with concrete bounds: give numbers, e.g. \\sum_{k=1}^{3}"
            )
        return add(*(body.xreplace({var: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)))

    def _bound_body(self, var):
        saved = self.context.get(var.name)
        self.context[var.name] = var
        try:
            return self.mterm()
        finally:
            if saved is None:
                self.context.pop(var.name, None)
            else:
                self.context[var.name] = saved


def _right_hand_side(text: str) -> str:
    """Keep what follows the last top-level '=' ("∂h_3/∂h_1 = ..." → "...")."""
    depth, cut = 0, -1
    for i, ch in enumerate(text):
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif ch == "=" and depth == 0:
            cut = i
    return text[cut + 1 :] if cut >= 0 else text


def parse_answer(text: str, cell, context: dict | None = None):
    """Parse an answer for a cell; ``context`` gives the concrete t, k (and T)."""
    if not text or not text.strip():
        raise AnswerParseError("the answer is empty")
    text = text.strip().strip("$").strip()
    if text.startswith("\\[") and text.endswith("\\]"):
        text = text[2:-2]
    text = _right_hand_side(text)
    D = Derivation(cell)
    try:
        return Parser(text, D, context or {}).parse()
    except AnswerParseError:
        raise
    except RecursionError:
        raise AnswerParseError("the answer is nested too deeply to read") from None
    except (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
    ) as exc:  # SymPy's ShapeError is a ValueError
        raise AnswerParseError(f"the answer does not make sense as matrices: {exc}") from None


__all__ = ["AnswerParseError", "parse_answer", "tokenize"]
