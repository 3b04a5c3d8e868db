"""The structure both printers share; the LaTeX and Unicode printers differ only in their glyphs.

SymPy dispatches ``_print_<Class>`` (see ``sympy.printing.printer``); this
mixin writes every symbrnn object once, in terms of a few per-format hooks
(``paren``, ``square``, ``name``, ``timed``, ``power``) and glyphs
(``MINUS``, ``DIAG``, ``PROD``, ``SUM``, ``HADAMARD``, ``TOP``).
"""

from __future__ import annotations

import contextlib

from sympy import Identity, MatrixSymbol, ZeroMatrix
from sympy.matrices.expressions import MatAdd, MatMul
from sympy.matrices.expressions.hadamard import HadamardProduct

from symbrnn.engine.matexpr import ERASED, OrderedProduct, Partial, TimeVec
from symbrnn.printing.names import time_terms


class MemoisingPrinter:
    """Mixin for SymPy printers: each sub-expression is printed once (expansions repeat them)."""

    def _print(self, expr, **kwargs):
        if kwargs:
            return super()._print(expr, **kwargs)
        memo = self.__dict__.setdefault("_memo", {})
        with contextlib.suppress(KeyError, TypeError):
            return memo[expr]
        out = super()._print(expr)
        with contextlib.suppress(TypeError):
            memo[expr] = out
        return out


def is_negated(term) -> bool:
    """A matrix term written with a leading minus: MatMul(-1, ...)."""
    return isinstance(term, MatMul) and bool(term.args) and term.args[0] == -1


class RNNPrinterBase(MemoisingPrinter):
    """Diag, ⊙, φ', ordered products, bracket powers and time sums, as the course writes them."""

    MINUS = "-"
    DIAG = "Diag"
    PROD = "∏"
    SUM = "Σ"
    HADAMARD = " ⊙ "
    ONES = "1"
    TRANSPOSE_ATOMS = (MatrixSymbol, TimeVec, Identity, ZeroMatrix)

    # -- per-format hooks ------------------------------------------------------
    def paren(self, text: str) -> str:
        return f"({text})"

    def square(self, text: str) -> str:
        return f"[{text}]"

    def name(self, name: str) -> str:
        raise NotImplementedError

    def timed(self, name: str, t: str) -> str:
        raise NotImplementedError

    def power(self, text: str) -> str:
        raise NotImplementedError

    def activation_symbol(self, fn: str) -> str:
        raise NotImplementedError

    def bound(self, expr) -> str:
        return self._print(expr)

    def transposed(self, text: str) -> str:
        raise NotImplementedError

    # -- the objects -------------------------------------------------------------
    def _print_TimeVec(self, expr):
        if expr.time == ERASED:
            return self.name(expr.name)
        return self.timed(expr.name, self._print(expr.time).replace(" ", ""))

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
        if expr.order and getattr(vec, "time", None) == ERASED and vec.name == "a":
            # the course's Diag(σ'): the argument dropped with the time index; a gated cell
            # keeps the gate's pre-activation (σ'(a_f)), or [..]^n could not be read back
            return symbol
        return symbol + self.paren(self._print(expr.vec))

    def _factor(self, expr):
        text = self._print(expr)
        if isinstance(expr, MatAdd):
            return self.square(text)
        if isinstance(expr, (HadamardProduct, OrderedProduct)):
            return self.paren(text)
        return text

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
        return f"_{{{self._print(expr.index)}={self.bound(expr.lo)}}}^{{{self._print(expr.hi)}}}"

    def _print_OrderedProduct(self, expr):
        return f"{self.PROD}{self._bounds(expr)} {self._factor(expr.body)}"

    def _print_TimeSum(self, expr):
        return f"{self.SUM}{self._bounds(expr)} {self._factor(expr.body)}"

    def _print_BracketPower(self, expr):
        return self.square(self._print(expr.base)) + self.power(self._print(expr.exponent))

    def _print_HadamardProduct(self, expr):
        return self.HADAMARD.join(
            self.paren(self._print(a)) if isinstance(a, (MatAdd, MatMul)) else self._print(a)
            for a in expr.args
        )

    def _print_Transpose(self, expr):
        text = self._print(expr.arg)
        if not isinstance(expr.arg, (*self.TRANSPOSE_ATOMS, Partial)):
            text = self.paren(text)
        return self.transposed(text)
