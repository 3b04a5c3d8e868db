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

import sympy as sp
from sympy import Identity, Transpose

from symbrnn.engine.derive import Derivation
from symbrnn.engine.matexpr import (
    ERASED,
    Apply,
    BracketPower,
    Diag,
    Ones,
    OrderedProduct,
    TimeVec,
    add,
    hadamard,
    mul,
    neg,
)
from symbrnn.judge.calculus import MAX_POWER, CalculusNotation, has_erased_step, write_out_sums
from symbrnn.judge.indices import IndexReader
from symbrnn.judge.notation import AnswerParseError, Token, function_name, tokenize

# The letters an index may use: the steps t, k, j, the horizon T, n, s.


class Parser(CalculusNotation):
    """Recursive descent over the tokens; builds symbrnn matrix expressions."""

    def __init__(self, tokens: list[Token], derivation: Derivation, context: dict):
        self.tokens = tokens
        self.notes: list[str] = []
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
        return self.index_value(toks)

    def index_value(self, toks: list[Token]):
        """A time index from its tokens: integers, t, k, j, T, n, s, + − ( ). No evaluation
        of text: the value is built from SymPy integers and symbols."""
        where = toks[0].pos if toks else self.peek().pos
        reader = IndexReader(toks, self.context, where)
        return reader.read()

    # -- grammar ---------------------------------------------------------------
    def parse(self):
        expr = self.expr()
        if self.peek().kind != "end":
            tok = self.peek()
            raise AnswerParseError(
                f"cannot read the answer at position {tok.pos}: unexpected {tok.text!r}"
            )
        expr = write_out_sums(expr)
        bound = {p.index for p in expr.atoms(OrderedProduct)}
        free = sorted(
            {
                str(s)
                for v in expr.atoms(TimeVec)
                if v.time != ERASED
                for s in v.time.free_symbols - bound
            }
        )
        if free:
            raise AnswerParseError(
                f"the step {free[0]} is not bound: give it a value, or bind it with "
                f"\\prod_{{{free[0]}=...}}^{{...}} or \\sum_{{{free[0]}=...}}^{{...}}"
            )
        erased = sorted({v.name for v in expr.atoms(TimeVec) if v.time == ERASED})
        if erased:
            in_prime = {a.vec.name for a in expr.atoms(Apply) if a.order and a.vec.time == ERASED}
            if set(erased) <= in_prime and erased == ["a"]:
                raise AnswerParseError(
                    "σ' without its step is read only inside [Diag(σ') W]^n; elsewhere write "
                    "σ'(a_t)"
                )
            name = erased[0]
            raise AnswerParseError(f"{name} needs its time step, e.g. {name}_t or {name}_{{t-1}}")
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
        return mul(*(self._unfold(f, factors[:i]) for i, f in enumerate(factors)))

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
            "font",
            "begin",
        ) or (tok.kind == "op" and tok.text in "([")

    def postfix(self):
        out = self.atom()
        while True:
            if self.accept("transpose"):
                out = Transpose(out)
            elif self.peek().kind == "op" and self.peek().text == "^":
                caret = self.take()
                toks = self.braced() if self.accept("op", "{") else [self.take()]
                if len(toks) == 1 and toks[0].kind == "name" and toks[0].text in "Tt":
                    out = Transpose(out)  # W^T, W^{T}: T is never a power of a matrix here
                else:
                    out = self.power(out, self.index_value(toks), caret.pos)
            else:
                return out

    def power(self, base, exponent, pos):
        """A whole power: of a matrix (a product), or elementwise of a vector (h_t^2).

        A base whose σ' has no step ([Diag(σ') W]^n, the course's abuse of notation)
        stays a bracket power until its product knows its last step (see ``mterm``).
        """
        generic = {
            v: TimeVec(v.name, ERASED, *v.shape)
            for v in base.atoms(TimeVec)
            if v.time.is_Symbol and v.time.name not in self.context
        }
        if generic:  # [Diag(σ'(a_j)) W]^n with j free: the same abuse of notation
            base = base.xreplace(generic)
        if has_erased_step(base):
            return BracketPower(base, exponent)
        if not exponent.is_Integer:
            raise AnswerParseError(
                f"cannot check the power ^{{{exponent}}} at position {pos}: [Diag(σ')W]^n is "
                "the course's abuse of notation; write the ordered product, e.g. "
                "\\prod_{j=k+1}^{t} \\operatorname{Diag}(\\sigma'(a_j)) W"
            )
        if not 0 <= exponent <= MAX_POWER:
            raise AnswerParseError(
                f"cannot check the power ^{{{exponent}}} at position {pos}: "
                f"powers from 0 to {MAX_POWER} only"
            )
        e = int(exponent)
        if base.shape[1] == 1 and base.shape[0] != 1:  # a vector: elementwise, h_t^2 = h_t ⊙ h_t
            out = base
            for _ in range(e - 1):
                out = hadamard(out, base)
            return out if e else Ones(self.D.n)
        return mul(*([base] * e)) if e else Identity(base.shape[0])

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
        if tok.kind == "font":
            self.take()
            if self.peek().text == "{" and self.peek(1).kind == "name" and self.peek(2).text == "}":
                self.take()
                letter = self.take("name").text
                self.take("op", "}")
                return self.symbol(letter)
            return self.argument()  # \mathbf{1}, \mathbf{(...)}
        if tok.kind == "begin":
            return self.block_matrix()
        if tok.kind == "cmd":
            raise AnswerParseError(
                f"cannot read the answer at position {tok.pos}: unknown command {tok.text}"
            )
        got = tok.text or "the end"
        raise AnswerParseError(f"cannot read the answer at position {tok.pos}: unexpected {got!r}")

    def block_matrix(self):
        """\\begin{pmatrix} A & B \\\\ C & D \\end{pmatrix}: a matrix of blocks."""
        start = self.take("begin")
        rows, row = [], [self.expr()]
        while not self.accept("endmatrix"):
            if self.accept("cell"):
                row.append(self.expr())
            elif self.accept("row"):
                rows.append(row)
                row = [self.expr()]
            else:
                tok = self.peek()
                raise AnswerParseError(
                    f"cannot read the answer at position {tok.pos}: expected & or \\\\ "
                    f"or \\end{{pmatrix}} in the matrix opened at position {start.pos}"
                )
        rows.append(row)
        if len({len(r) for r in rows}) != 1:
            raise AnswerParseError(
                f"the matrix at position {start.pos} has rows of different lengths"
            )
        return sp.BlockMatrix(rows)

    def argument(self):
        if self.peek().kind == "op" and self.peek().text in "([{":
            open_ = self.take().text
            inner = self.expr()
            self.take("op", {"(": ")", "[": "]", "{": "}"}[open_])
            return inner
        return self.postfix()

    def function(self):
        tok = self.take("func")
        name = function_name(tok.text)
        order = 0
        while self.accept("prime"):
            order += 1
        exponent = None
        if self.peek().text == "^":  # \tanh^2(a_t): the elementwise square
            caret = self.take()
            toks = self.braced() if self.accept("op", "{") else [self.take()]
            exponent = (self.index_value(toks), caret.pos)
        while self.accept("prime"):
            order += 1
        if self.peek().kind == "op" and self.peek().text in "([":
            value = Apply(name, self.argument(), order)
            return value if exponent is None else self.power(value, *exponent)
        erased = self._erased_argument(name) if order and exponent is None else None
        if erased is not None:  # Diag(σ') of [Diag(σ') W]^n: the step comes from the power
            return Apply(name, erased, order)
        raise AnswerParseError(
            f"cannot read the answer at position {tok.pos}: write the argument of {tok.text}"
            f"{chr(39) * order} (e.g. {tok.text}{chr(39) * order}(a_t)); the time step matters"
        )

    def symbol(self, letter=None):
        tilde = False
        if letter is not None:
            pass
        elif self.accept("tilde"):
            tilde = True
            self.take("op", "{")
            letter = self.take("name").text
            self.take("op", "}")
        else:
            letter = self.take("name").text
        sub, sub_toks = None, []
        if self.accept("op", "_"):
            sub_toks = self.braced() if self.accept("op", "{") else [self.take()]
            sub = "".join(t.text for t in sub_toks)
        name = letter + ("_tilde" if tilde else "")
        if letter == "I" and sub is None:
            return Identity(self.D.n)
        if sub is not None and f"{letter}_{sub}" in self.D.params:
            return self.D.params[f"{letter}_{sub}"]
        if sub is None and letter in self.D.params:
            return self.D.params[letter]
        if name in self.vectors:
            if sub is None:  # a step left out: read inside [..]^n, refused elsewhere (parse)
                return self.D.vec(name, ERASED)
            return self.D.vec(name, self.index_value(sub_toks))
        if sub is not None and f"{letter}_{sub}" in self.vectors:  # a_f of σ'(a_f) in [..]^n
            return self.D.vec(f"{letter}_{sub}", ERASED)
        # pre-activation of a gate written a_f,t or a^{(f)}_t is rare: a_{f,t}
        if letter == "a" and sub and "," in sub:
            comma = next(i for i, t in enumerate(sub_toks) if t.text == ",")
            gate = "".join(t.text for t in sub_toks[:comma])
            if f"a_{gate}" in self.vectors:
                return self.D.vec(f"a_{gate}", self.index_value(sub_toks[comma + 1 :]))
        known = ", ".join(sorted(self.D.params) + sorted(self.vectors))
        raise AnswerParseError(
            f"unknown symbol {name}{'_' + sub if sub else ''}; this cell knows: {known}"
        )


def _right_hand_side(tokens: list[Token]) -> list[Token]:
    """Keep what follows the last top-level '=' ("∂h_3/∂h_1 = ..." → "...")."""
    depth, cut = 0, -1
    for i, tok in enumerate(tokens):
        if tok.text in ("{", "(", "["):
            depth += 1
        elif tok.text in ("}", ")", "]"):
            depth -= 1
        elif tok.text == "=" and depth == 0:
            cut = i
    return tokens[cut + 1 :]


def parse_answer(text: str, cell, context: dict | None = None, notes: list | None = None):
    """Parse an answer for a cell; ``context`` gives the concrete t, k (and T).

    Positions in messages count characters of ``text`` as given; ``notes`` receives
    what the reader had to interpret (the abuse of notation [Diag(σ')W]^n).
    """
    if not text or not text.strip():
        raise AnswerParseError("the answer is empty")
    tokens = _right_hand_side(tokenize(text))
    if len(tokens) <= 1:
        raise AnswerParseError("the answer is empty after '='")
    D = Derivation(cell)
    try:
        parser = Parser(tokens, D, context or {})
        out = parser.parse()
        if notes is not None:
            notes.extend(dict.fromkeys(parser.notes))
        return out
    except AnswerParseError:
        raise
    except RecursionError:
        raise AnswerParseError("the answer is nested too deeply to read") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        # SymPy's ShapeError is a ValueError: the product of the answer is not defined
        raise AnswerParseError(f"the answer does not make sense as matrices: {exc}") from None


__all__ = ["AnswerParseError", "parse_answer", "tokenize"]
