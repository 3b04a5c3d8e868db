"""Readable Unicode text for the matrix-level objects (the terminal's printer).

>>> from sympy import MatrixSymbol, Symbol
>>> from symbrnn.engine.matexpr import Apply, Diag, TimeVec
>>> n = Symbol("n")
>>> text(Diag(Apply("sigmoid", TimeVec("a", 3, n), 1)) * MatrixSymbol("W", n, n))
"Diag(σ'(a₃)) W"
"""

from __future__ import annotations

from sympy.matrices.expressions import MatAdd, MatMul
from sympy.matrices.expressions.hadamard import HadamardProduct
from sympy.printing.str import StrPrinter

from symbrnn.engine.activations import ACTIVATIONS
from symbrnn.engine.matexpr import ERASED, OrderedProduct
from symbrnn.printing.names import subscript, superscript, text_name, time_terms
from symbrnn.printing.base import MemoisingPrinter, join_terms


class RNNTextPrinter(MemoisingPrinter, StrPrinter):
    """Unicode text: Diag(σ'(a₃)) W, ∂L₃/∂h₃, ∏_{j=k+1}^{t}, [Diag(σ') W]²."""

    def _print_TimeVec(self, expr):
        name = text_name(expr.name)
        if expr.time == ERASED:
            return name
        t = self._print(expr.time).replace(" ", "")
        if "_" in name:  # a_f at t -> a_f,t
            return f"{name},{t}" if len(t) == 1 else f"{name},{{{t}}}"
        return name + subscript(t)

    def _print_MatrixSymbol(self, expr):
        return text_name(expr.name)

    def _print_Ones(self, expr):
        return "1"

    def _print_Identity(self, expr):
        return "I"

    def _print_ZeroMatrix(self, expr):
        return "0"

    def _print_Diag(self, expr):
        return f"Diag({self._print(expr.vec)})"

    def _print_Apply(self, expr):
        symbol = ACTIVATIONS[expr.fn].text + ("'" * expr.order)
        if expr.order and getattr(expr.vec, "time", None) == ERASED:
            return symbol  # the course's Diag(σ'): the argument dropped with the time index
        return f"{symbol}({self._print(expr.vec)})"

    def _print_Loss(self, expr):
        return "L" + subscript(self._print(expr.time))

    def _print_Partial(self, expr):
        plus = "⁺" if expr.immediate else ""
        return f"∂{plus}{self._print(expr.num)}/∂{self._print(expr.den)}"

    def _factor(self, expr):
        text = self._print(expr)
        if isinstance(expr, MatAdd):
            return f"[{text}]"
        return f"({text})" if isinstance(expr, (HadamardProduct, OrderedProduct)) else text

    def _print_MatMul(self, expr):
        args = list(expr.args)
        sign = ""
        if args and args[0] == -1:
            sign, args = "−", args[1:]
        return sign + " ".join(self._factor(a) for a in args)

    def _print_MatAdd(self, expr):
        out = ""
        for i, term in enumerate(expr.args):
            text = self._print(term)
            if text.startswith("−"):
                out += (" − " if i else "−") + text[1:]
            else:
                out += (" + " if i else "") + text
        return out

    def _print_OrderedProduct(self, expr):
        lo = self._print(expr.lo).replace(" ", "")
        bounds = f"_{{{self._print(expr.index)}={lo}}}^{{{self._print(expr.hi)}}}"
        return f"∏{bounds} {self._factor(expr.body)}"

    def _print_BracketPower(self, expr):
        return f"[{self._print(expr.base)}]{superscript(self._print(expr.exponent))}"

    def _print_TimeSum(self, expr):
        bounds = f"_{{{self._print(expr.index)}={self._print(expr.lo)}}}^{{{self._print(expr.hi)}}}"
        return f"Σ{bounds} {self._factor(expr.body)}"

    def _print_HadamardProduct(self, expr):
        return " ⊙ ".join(
            f"({self._print(a)})" if isinstance(a, (MatAdd, MatMul)) else self._print(a)
            for a in expr.args
        )

    def _print_Transpose(self, expr):
        text = self._print(expr.arg)
        if isinstance(expr.arg, (MatAdd, MatMul)):
            text = f"({text})"
        return text + "ᵀ"

    def _print_BlockMatrix(self, expr):
        rows = ["  ".join(self._print(b) for b in row) for row in expr.blocks.tolist()]
        return "[" + "; ".join(rows) + "]"

    def _print_Symbol(self, expr):
        return expr.name

    def _print_Add(self, expr, order=None):
        return join_terms(self, time_terms(expr), "−")


_PRINTER = None


def text(expr) -> str:
    """Unicode text of a symbrnn expression (one memoising printer for the session)."""
    global _PRINTER
    if _PRINTER is None:
        _PRINTER = RNNTextPrinter()
    return _PRINTER.doprint(expr)
