"""The structure both printers share; the LaTeX and Unicode printers differ only in their glyphs.

SymPy dispatches ``_print_<Class>`` (see ``sympy.printing.printer``); this
mixin writes every symbrnn object once, in terms of a few per-format hooks
(``paren``, ``square``, ``name``, ``timed``, ``power``) and glyphs
(``MINUS``, ``DIAG``, ``PROD``, ``SUM``, ``HADAMARD``, ``TOP``).
"""

from __future__ import annotations

import contextlib
import math

from sympy import Identity, Integer, MatrixSymbol, S, ZeroMatrix
from sympy.matrices.expressions import MatAdd, MatMul
from sympy.matrices.expressions.hadamard import HadamardProduct

from symbrnn.engine.matexpr import ERASED, Ones, OrderedProduct, Partial, TimeSum, TimeVec
from symbrnn.engine.ops import OPS
from symbrnn.printing.names import time_terms

# How tightly each object binds when printed. The cell's operations bind as the table of
# operations says (+ below ⊙ below the matrix product); an application (Diag, φ', [·]^n)
# binds as ``apply``; a leaf (a symbol, a partial derivative) and the postfix ᵀ one
# tighter; a big operator (∏, Σ) loosest, for it extends to the end of what follows it.
SUM, HADAMARD, PRODUCT = (OPS[op].precedence for op in ("add", "hadamard", "matmul"))
APPLICATION = OPS["apply"].precedence
LEAF = POSTFIX = APPLICATION + 1
BIG_OPERATOR = 0
_BINDING = (
    (MatAdd, SUM),
    (HadamardProduct, HADAMARD),
    (MatMul, PRODUCT),
    ((OrderedProduct, TimeSum), BIG_OPERATOR),
    ((MatrixSymbol, TimeVec, Identity, ZeroMatrix, Ones, Partial), LEAF),
)


def binding(expr) -> int:
    """How tightly ``expr`` binds when printed (a higher number binds tighter).

    >>> from sympy import MatrixSymbol
    >>> W = MatrixSymbol("W", 2, 2)
    >>> binding(W + W * W) < binding(W * W) < binding(W)
    True
    """
    if is_negated(expr):
        return SUM  # −A B reads as a term of a sum
    return next((p for kinds, p in _BINDING if isinstance(expr, kinds)), APPLICATION)


MEMO_LIMIT = 50_000  # texts a printer keeps (a server prints for days): then it starts again


class MemoisingPrinter:
    """Mixin for SymPy printers: each sub-expression is printed once (expansions repeat them).

    ``at`` maps the time symbols t, k to numbers: the printer then writes a general (t, k)
    term as its row for those steps, without building a new expression.
    """

    at: dict | None = None

    def print_at(self, expr, at: dict) -> str:
        """``expr`` printed with the time symbols of ``at`` replaced by their values.

        What does not involve those symbols is printed once for every row; the rest
        once per row.
        """
        saved = self.at
        self.at = at
        self.__dict__["_row_memo"] = {}
        try:
            return self.doprint(expr)
        finally:
            self.at = saved

    def _index(self, expr):
        """A time index with the row's steps put in (t − 1 at t = 3 is 2)."""
        if not self.at:
            return expr
        value = _index_value(expr, self.at)
        return Integer(value) if value is not None else expr.xreplace(self.at)

    def _memo_key(self, expr):
        """(memo, key) under which the text of ``expr`` is kept.

        A sub-expression free of the row's time symbols is printed once for all rows;
        one that involves only some of them (∂L_t/∂h_t, ∂⁺h_k/∂W) once for each value
        of those; one that involves all of them once for its row.
        """
        memos = self.__dict__.get("_memos")
        if memos is None or sum(map(len, memos)) > MEMO_LIMIT:
            # the ids of the objects met are keys of the row memos: all go together
            memos = self.__dict__["_memos"] = ({}, {}, {})  # texts, objects met, row texts
            self.__dict__["_row_memo"] = {}
        memo, varies, at_memo = memos
        at = self.at
        if not at:
            return memo, expr
        # rows go by identity: an equal object met before (the header's copy of a factor)
        # would cost a deep comparison per row; the entry keeps its object alive, so its
        # id is not reused
        key = id(expr)
        entry = varies.get(key)
        if entry is None:
            entry = varies[key] = (expr, frozenset(getattr(expr, "free_symbols", ()) or ()))
        free = entry[1]
        values = tuple([at[s] for s in at if s in free])
        if not values:
            return at_memo, key
        if len(values) == len(at):
            return self.__dict__["_row_memo"], key
        return at_memo, (key, values)

    def _print(self, expr, **kwargs):
        if kwargs:
            return super()._print(expr, **kwargs)
        memo, key = self._memo_key(expr)
        try:
            return memo[key]
        except (KeyError, TypeError):
            pass
        out = super()._print(expr)
        with contextlib.suppress(TypeError):  # an unhashable expression is not kept
            memo[key] = out
        return out


def _index_value(expr, at) -> int | None:
    """The integer value of a time index (sums and integer multiples of t, k) at ``at``,
    computed without building SymPy objects; None for anything else."""
    if expr.is_Integer:
        return int(expr)
    if expr.is_Symbol:
        value = at.get(expr)
        return int(value) if value is not None else None
    if expr.is_Add or expr.is_Mul:
        parts = [_index_value(a, at) for a in expr.args]
        if None in parts:
            return None
        return sum(parts) if expr.is_Add else math.prod(parts)
    return None


def is_negated(term) -> bool:
    """A matrix term written with a leading minus: MatMul(-1, ...)."""
    return isinstance(term, MatMul) and bool(term.args) and term.args[0] is S.NegativeOne


class RNNPrinterBase(MemoisingPrinter):
    """Diag, ⊙, φ', ordered products, bracket powers and time sums, as the course writes them."""

    MINUS = "-"
    DIAG = "Diag"
    PROD = "∏"
    SUM = "Σ"
    HADAMARD = " ⊙ "
    ONES = "1"

    # -- per-format hooks (each printer also writes name, timed, power, activation_symbol
    # and transposed) -----------------------------------------------------------------
    def paren(self, text: str) -> str:
        return f"({text})"

    def square(self, text: str) -> str:
        return f"[{text}]"

    def bound(self, expr) -> str:
        return self._print(expr)

    # -- the objects -------------------------------------------------------------
    def _print_TimeVec(self, expr):
        if expr.time is ERASED:  # SymPy caches symbols: one object per name
            return self.name(expr.name)
        return self.timed(expr.name, self._print(self._index(expr.time)).replace(" ", ""))

    def _print_MatrixSymbol(self, expr):
        return self.name(expr.name)

    def _print_Ones(self, expr):
        return self.ONES

    def _print_Identity(self, expr):
        return "I"

    def _print_ZeroMatrix(self, expr):
        return "0"

    def _print_Diag(self, expr):
        return self.DIAG + self.paren(self._print(expr.vec))

    def _print_Apply(self, expr):
        symbol = self.activation_symbol(expr.fn) + "'" * expr.order
        vec = expr.vec
        if expr.order and getattr(vec, "time", None) is ERASED and vec.name == "a":
            # the course's Diag(σ'): the argument dropped with the time index; a gated cell
            # keeps the gate's pre-activation (σ'(a_f)), or [..]^n could not be read back
            return symbol
        return symbol + self.paren(self._print(expr.vec))

    def _operand(self, expr, tighter_than: int, square: bool = False) -> str:
        """``expr`` as the operand of an operation of precedence ``tighter_than``: bracketed
        when it binds less tightly (a sum in a product in square brackets, as the course)."""
        text = self._print(expr)
        if binding(expr) >= tighter_than:
            return text
        return self.square(text) if square and binding(expr) == SUM else self.paren(text)

    def _factor(self, expr):
        return self._operand(expr, PRODUCT, square=True)

    def _body(self, expr):
        """The body of ∏ or Σ: read as a product, up to the end (Σ_t Σ_k needs no bracket)."""
        if isinstance(expr, TimeSum):
            return self._print(expr)
        return self._factor(expr)

    def _product(self, factors) -> str:
        return " ".join(self._factor(a) for a in factors)

    def _print_MatMul(self, expr):
        if is_negated(expr):
            return self.MINUS + self._product(expr.args[1:])
        return self._product(expr.args)

    def _print_MatAdd(self, expr):
        out = ""
        for i, term in enumerate(expr.args):
            if is_negated(term):
                out += (f" {self.MINUS} " if i else self.MINUS) + self._product(term.args[1:])
            else:
                out += (" + " if i else "") + self._print(term)
        return out

    def _print_Add(self, expr, order=None):
        out = ""
        for i, term in enumerate(time_terms(expr)):
            if term.could_extract_minus_sign():
                out += (f" {self.MINUS} " if i else self.MINUS) + self._print(-term)
            else:
                out += (" + " if i else "") + self._print(term)
        return out

    def _bounds(self, expr) -> str:
        lo, hi = self._index(expr.lo), self._index(expr.hi)
        return f"_{{{self._print(expr.index)}={self.bound(lo)}}}^{{{self._print(hi)}}}"

    def _print_OrderedProduct(self, expr):
        return f"{self.PROD}{self._bounds(expr)} {self._body(expr.body)}"

    def _print_TimeSum(self, expr):
        return f"{self.SUM}{self._bounds(expr)} {self._body(expr.body)}"

    def _print_BracketPower(self, expr):
        exponent = self._index(expr.exponent)
        bracket = self.square(self._print(expr.base))
        if exponent == 1:  # one step of the product: [Diag(σ') W], as the course writes it
            return bracket
        return bracket + self.power(self._print(exponent))

    def _print_HadamardProduct(self, expr):
        # the table puts ⊙ below the product; the course brackets every operation beside ⊙
        return self.HADAMARD.join(self._operand(a, APPLICATION) for a in expr.args)

    def _print_Transpose(self, expr):
        return self.transposed(self._operand(expr.arg, POSTFIX))
