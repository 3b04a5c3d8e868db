"""Readable Unicode text for the matrix-level objects (the terminal's printer).

>>> from sympy import MatrixSymbol, Symbol
>>> from symbrnn.engine.matexpr import Apply, Diag, TimeVec
>>> n = Symbol("n")
>>> text(Diag(Apply("sigmoid", TimeVec("a", 3, n), 1)) * MatrixSymbol("W", n, n))
"Diag(σ'(a₃)) W"
"""

from __future__ import annotations

from sympy.printing.str import StrPrinter

from symbrnn.engine.activations import ACTIVATIONS
from symbrnn.printing.base import RNNPrinterBase
from symbrnn.printing.names import subscript, superscript, text_name, text_timed


# SymPy 1.12 annotates StrPrinter._print_MatrixSymbol differently from ours (1.14 agrees)
class RNNTextPrinter(RNNPrinterBase, StrPrinter):  # type: ignore[misc]
    """Unicode text: Diag(σ'(a₃)) W, ∂L₃/∂h₃, ∏_{j=k+1}^{t}, [Diag(σ') W]²."""

    MINUS = "−"

    def name(self, name):
        return text_name(name)

    def timed(self, name, t):
        return text_timed(name, t)

    def power(self, text):
        return superscript(text)

    def activation_symbol(self, fn):
        return ACTIVATIONS[fn].text

    def bound(self, expr):
        return self._print(expr).replace(" ", "")

    def transposed(self, text):
        return text + "ᵀ"

    def _print_Loss(self, expr):
        return "L" + subscript(self._print(self._index(expr.time)))

    def _print_Partial(self, expr):
        plus = "⁺" if expr.immediate else ""
        return f"∂{plus}{self._print(expr.num)}/∂{self._print(expr.den)}"

    def _print_TotalDerivative(self, expr):
        return f"d{self._print(expr.num)}/d{self._print(expr.den)}"

    def _print_BlockMatrix(self, expr):
        rows = ["  ".join(self._print(b) for b in row) for row in expr.blocks.tolist()]
        return "[" + "; ".join(rows) + "]"

    def _print_Symbol(self, expr):
        return expr.name


_PRINTER = RNNTextPrinter()


def text(expr, at: dict | None = None) -> str:
    """Unicode text of a symbrnn expression (one memoising printer for the session); ``at``
    gives the steps t, k of a general (t, k) term."""
    return _PRINTER.doprint(expr) if at is None else _PRINTER.print_at(expr, at)
