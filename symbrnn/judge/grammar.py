"""The grammar of a hand-written answer: a recursive descent over its tokens that builds
symbrnn matrix expressions.

A sum of products (``expr``, ``hterm``, ``mterm``) of postfixed atoms (``postfix``:
transposes and powers; ``atom``: Diag, functions, fractions, ∏ and Σ, names, numbers,
identities); a name is read with its step (``symbol``). The calculus (∂ fractions, ∏ and
Σ with bounds, [B]^n) and the notation students write beside the course's (identities,
indicators, numbers, a remark's definitions) are mixins (:mod:`symbrnn.judge.calculus`,
:mod:`symbrnn.judge.student`); a derivation is cut into members and each read by
:mod:`symbrnn.judge.answer_parser`.
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
from symbrnn.judge.calculus import CalculusNotation, has_erased_step, write_out_sums
from symbrnn.judge.indices import IndexReader
from symbrnn.judge.messages import Msg
from symbrnn.judge.names import NameReader
from symbrnn.judge.notation import AnswerParseError, Token
from symbrnn.judge.student import BoldOne, StudentNotation, rational

_ATOMS = frozenset(
    [
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
        "indicator",
        "identity",
        "pretranspose",
    ]
)


def _is_matrix(e) -> bool:
    return bool(getattr(e, "shape", None)) and getattr(e, "is_Matrix", False)


def _is_vector(e) -> bool:
    shape = getattr(e, "shape", None)
    return bool(shape) and shape[1] == 1 and shape[0] != 1


class Parser(NameReader, CalculusNotation, StudentNotation):
    """Recursive descent over the tokens; builds symbrnn matrix expressions."""

    def __init__(self, tokens: list[Token], derivation: Derivation, context: dict):
        self.tokens = tokens
        self.notes: list[str] = []
        self.i = 0
        self.opened: list[Token] = []  # the brackets open where the reader is
        self.waiting_powers = 0  # [B]^n read before the ∂L_t/∂h_t that gives their step
        self.D = derivation
        self.context = {k: sp.Integer(v) if isinstance(v, int) else v for k, v in context.items()}
        self.vectors = (
            {n.name for n in derivation.trace.named_nodes} | set(derivation.states) | {"x"}
        )
        self.shapes: dict = {}  # names a remark defines (D_j = Diag(σ'(a_j))): their shape

    # -- helpers ---------------------------------------------------------------
    def peek(self, offset=0) -> Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def take(self, kind=None, text=None) -> Token:
        tok = self.peek()
        if (kind and tok.kind != kind) or (text is not None and tok.text != text):
            self._unclosed_at_end(tok)
            raise AnswerParseError(
                "answer.expected_token", pos=tok.pos, want=repr(text or kind), got=_shown(tok)
            )
        self.i += 1
        return tok

    def accept(self, kind=None, text=None) -> bool:
        tok = self.peek()
        if (kind is None or tok.kind == kind) and (text is None or tok.text == text):
            self.i += 1
            return True
        return False

    def close(self, bracket: str, opened: Token):
        """The bracket that closes ``opened``; at the end of the text, the error points at
        the bracket left open."""
        self.take("op", bracket)
        self.opened.remove(opened)

    def _unclosed_at_end(self, tok: Token):
        if tok.kind == "end" and self.opened:
            opened = self.opened[-1]
            raise AnswerParseError("answer.unclosed", pos=opened.pos, bracket=repr(opened.text))

    def braced(self) -> list[Token]:
        """The tokens up to the '}' that closes a '{' just taken."""
        start, depth = self.i, 1
        opened = self.tokens[start - 1].pos
        while depth:
            tok = self.take()
            if tok.kind == "end":
                raise AnswerParseError("answer.unclosed_brace", pos=opened)
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
        if [t.text for t in self.tokens] == ["1", ""] and "k" in self.context:
            return Identity(self.D.n)  # ∂c_t/∂c_k = 1: the identity, as it is said
        expr = self.expr()
        if self.peek().kind != "end":
            tok = self.peek()
            raise AnswerParseError("answer.unexpected", pos=tok.pos, got=_shown(tok))
        if isinstance(expr, BoldOne) and "k" in self.context:  # 𝟙 where a Jacobian is due
            expr = Identity(self.D.n)
        expr = expr.xreplace({b: Ones(b.rows) for b in expr.atoms(BoldOne)})
        zeroed: list = []
        expr = write_out_sums(expr, zeroed=zeroed)
        if zeroed:
            t, k = min(zeroed)
            self.notes.append(Msg.of("note.future_zero", t=t, k=k))
        nodes = set(sp.preorder_traversal(expr))  # one walk for every check below
        products = [n for n in nodes if isinstance(n, OrderedProduct)]
        vectors = [n for n in nodes if isinstance(n, TimeVec)]
        bound = {p.index for p in products}
        free = sorted(
            {str(s) for v in vectors if v.time != ERASED for s in v.time.free_symbols - bound}
        )
        for p in products:
            free += sorted(str(s) for s in (p.lo.free_symbols | p.hi.free_symbols) - bound)
        if free == ["T"] or (free and free[0] == "T"):
            raise AnswerParseError("answer.T_unbound")
        if free:
            raise AnswerParseError("answer.step_not_bound", step=free[0])
        if any(isinstance(n, BracketPower) for n in nodes):  # no ∂L_t/∂h_t came to resolve it
            raise AnswerParseError("answer.power_last_step")
        erased = sorted({v.name for v in vectors if v.time == ERASED})
        if erased:
            in_prime = {
                a.vec.name
                for a in nodes
                if isinstance(a, Apply) and a.order and a.vec.time == ERASED
            }
            step = self.context.get("t", self.context.get("step"))
            bare = {a for a in nodes if isinstance(a, Apply) and a.vec.time == ERASED}
            in_diag = bare <= {d.vec for d in nodes if isinstance(d, Diag)}
            if set(erased) <= in_prime and step is not None and in_diag:  # Diag(σ') W: at t
                self.notes.append(Msg.of("note.prime_at_step", step=step))
                return expr.xreplace({v: v.at(step) for v in vectors if v.time == ERASED})
            if set(erased) <= in_prime and erased == ["a"]:
                raise AnswerParseError("answer.prime_without_step")
            name = erased[0]
            raise AnswerParseError("answer.needs_step", name=name)
        return expr

    def expr(self):
        sign = -1 if self.accept("op", "-") else 1
        self.accept("op", "+")
        out = self.hterm()
        terms = [neg(out) if sign < 0 else out]  # the sum built once (not at each term)
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take().text
            right = self.hterm()
            if _built_now(terms, right):  # 𝟙 takes the sum's shape; shapes to check now
                out = add(*terms)
                out, right = BoldOne.promote(out, right), BoldOne.promote(right, out)
                terms = [out]
            terms.append(right if op == "+" else neg(right))
        return terms[0] if len(terms) == 1 else add(*terms)

    def hterm(self):
        out = self.mterm()
        while self.peek().kind == "hadamard":
            pos = self.take().pos
            right = self.mterm()
            if _is_vector(out) != _is_vector(right) and all(_is_matrix(e) for e in (out, right)):
                raise AnswerParseError("answer.hadamard_broadcast", pos=pos)
            out = hadamard(out, right)
        return out

    def mterm(self):
        factors = [self.postfix()]
        while True:
            if self.peek().kind == "op" and self.peek().text == "*":
                self.take()
                right = self.postfix()
                if _is_vector(factors[-1]) and _is_vector(right):  # NumPy's *: elementwise
                    factors[-1] = hadamard(factors[-1], right)
                else:
                    factors.append(right)
            elif self.accept("times") or self._starts_atom():
                right = self.postfix()
                if _is_vector(factors[-1]) and _is_vector(right):  # σ(a)(1 − σ(a)): elementwise
                    factors[-1] = hadamard(factors[-1], right)
                else:
                    factors.append(right)
            else:
                break
        factors = BoldOne.promote_factors(factors)
        unfolded = [self._unfold(f, factors[:i]) for i, f in enumerate(factors)]
        scalar = sp.Mul(*(f for f in unfolded if not getattr(f, "is_Matrix", False)))
        matrices = [f for f in unfolded if getattr(f, "is_Matrix", False)]
        if not matrices:
            return scalar
        product = mul(*matrices)
        if scalar == 1:
            return product
        if scalar == 0:
            return sp.ZeroMatrix(*product.shape)
        return sp.MatMul(scalar, *(product.args if isinstance(product, sp.MatMul) else [product]))

    def _starts_atom(self) -> bool:
        tok = self.peek()
        return (
            tok.kind in _ATOMS
            or (tok.kind == "op" and tok.text in "([")
            or (tok.kind == "cmd" and tok.text == "\\delta")
        )

    def postfix(self):
        out = self.atom()
        while True:
            if self.accept("transpose"):
                out = Transpose(out)
            elif self.accept("prime"):  # W', W^{\prime}: the transpose of MATLAB and R
                out = Transpose(out)
                self.notes.append(Msg.of("note.prime_transpose"))
            elif self.peek().kind == "op" and self.peek().text == "^":
                caret = self.take()
                toks = self.braced() if self.accept("op", "{") else [self.take()]
                if toks[:1] and toks[0].kind == "hadamard" and _is_vector(out):
                    toks = toks[1:]  # h^{\odot 2}: a vector's power is elementwise
                    if len(toks) > 2 and toks[0].text == "{" and toks[-1].text == "}":
                        toks = toks[1:-1]  # h^{\circ {2}}, as SymPy's printer writes it
                if self.transposes(out, toks):
                    out = Transpose(out)  # W^T, W^{T}: T is never a power of a matrix here
                else:
                    out = self.power_at(out, self.index_value(toks), caret.pos)
            else:
                return out

    def atom(self):
        tok = self.peek()
        if tok.text == "(" and (scalar := self.bound_scalar()) is not None:
            return scalar  # (t − k) of a general answer, at its instance
        if tok.kind == "op" and tok.text in "([":
            return self.bracketed(tok)
        reader = _ATOM_READERS.get(tok.kind)
        if reader is not None:
            return getattr(self, reader)()
        if tok.kind == "cmd" and tok.text == "\\delta" and self.peek(1).text == "_":
            self.take()
            self.take("op", "_")
            k = self.group()  # δ_k = (∂L/∂h_k)ᵀ, the error signal at step k (a column)
            return Transpose(self._loss_derivative(None, self.D.states[0], k))
        if tok.kind == "cmd":
            raise AnswerParseError("answer.unknown_command", pos=tok.pos, command=tok.text)
        self._unclosed_at_end(tok)
        raise AnswerParseError("answer.unexpected", pos=tok.pos, got=_shown(tok))

    def bracketed(self, tok):
        """( … ) or [ … ]; [Diag(σ') W] without a power: one step of the product."""
        close = ")" if tok.text == "(" else "]"
        self.opened.append(self.take())
        inner = self.expr()
        self.close(close, tok)
        bare = has_erased_step(inner) and not inner.atoms(BracketPower)
        if bare and self.peek().text != "^":
            return BracketPower(inner, 1)  # [Diag(σ') W], one step of the product
        return inner

    def diag(self):
        self.take()
        return Diag(self.argument())

    def frac_atom(self):
        return self.number_fraction() if self._numeric_fraction() else self.fraction()

    def identity_atom(self):
        self.take()
        return self.identity()

    def pretranspose(self):
        self.take()
        return Transpose(self.atom())

    def number(self):
        tok = self.take()
        if tok.text == "1" and self._compares():  # 1_{a_t > 0}, the indicator
            return self.indicator()
        if self.peek().text == "^" and self.peek().kind == "op":  # 10^{-3} W
            return self.number_power(tok)
        if tok.text == "1":
            return Ones(self.D.n)
        if tok.text == "0":
            return self.sized_zero()
        if self._starts_atom() or self.peek().kind == "times":  # a scalar factor: 2 W
            return rational(tok.text)
        raise AnswerParseError("answer.bare_number", pos=tok.pos, number=tok.text)

    def sized_zero(self):
        """0, 0_n, \\mathbf{0}_{n \\times n}: the zero matrix of the state's size."""
        if self.accept("op", "_"):
            size = self.sized_identity(self.braced() if self.accept("op", "{") else [self.take()])
            return sp.ZeroMatrix(*size.shape)
        return sp.ZeroMatrix(self.D.n, self.D.n)

    def indicator_atom(self):
        self.take()
        return self.indicator() if self._compares() else self.bold_one()

    def font(self):
        self.take()
        if self.peek().text == "{" and self.peek(1).kind == "name" and self.peek(2).text == "}":
            self.take()
            letter = self.take("name").text
            self.take("op", "}")
            return self.symbol(letter)
        inner = self.argument()  # \mathbf{1}, \mathbf{(...)}
        if isinstance(inner, sp.ZeroMatrix) and self.peek().text == "_":
            return self.sized_zero()  # \mathbf{0}_n
        return inner

    def argument(self):
        if self.peek().kind == "op" and self.peek().text in "([{":
            opened = self.take()
            self.opened.append(opened)
            inner = self.expr()
            self.close({"(": ")", "[": "]", "{": "}"}[opened.text], opened)
            return inner
        return self.postfix()


_ATOM_READERS = {
    "diag": "diag",
    "func": "function",
    "frac": "frac_atom",
    "identity": "identity_atom",
    "partial": "slash_fraction",
    "pretranspose": "pretranspose",
    "prod": "product",
    "sum": "summation",
    "number": "number",
    "indicator": "indicator_atom",
    "name": "symbol",
    "tilde": "symbol",
    "font": "font",
    "begin": "block_matrix",
}


def _built_now(terms: list, right) -> bool:
    """Whether the sum so far is built before ``right`` is added: a 𝟙 on either side (it
    becomes I by the other's shape), or a term whose shape differs (the error at once)."""
    if isinstance(right, BoldOne) or (len(terms) == 1 and isinstance(terms[0], BoldOne)):
        return True
    shape = getattr(right, "shape", None)
    return shape is None or shape != getattr(terms[0], "shape", None)


def _shown(tok: Token):
    return repr(tok.text) if tok.text else Msg.of("answer.the_end")


__all__ = ["Parser"]
