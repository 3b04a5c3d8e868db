"""LaTeX for the matrix-level objects: a ``LatexPrinter`` subclass over the shared structure.

>>> from sympy import MatrixSymbol, Symbol
>>> from symbrnn.engine.matexpr import Apply, Diag, TimeVec
>>> n = Symbol("n")
>>> latex(Diag(Apply("sigmoid", TimeVec("a", 3, n), 1)) * MatrixSymbol("W", n, n))
"\\\\operatorname{Diag}\\\\left(\\\\sigma'\\\\left(a_{3}\\\\right)\\\\right) W"
"""

from __future__ import annotations

from sympy.printing.latex import LatexPrinter

from symbrnn.engine.activations import ACTIVATIONS
from symbrnn.printing.base import RNNPrinterBase
from symbrnn.printing.names import latex_name, latex_timed


class RNNLatexPrinter(RNNPrinterBase, LatexPrinter):
    """Prints Diag, ⊙, φ', ordered products, bracket powers and time sums as the course does."""

    MINUS = "-"
    DIAG = r"\operatorname{Diag}"
    PROD = r"\prod"
    SUM = r"\sum"
    HADAMARD = r" \odot "
    ONES = r"\mathbf{1}"

    def paren(self, text):
        return rf"\left({text}\right)"

    def square(self, text):
        return rf"\left[{text}\right]"

    def name(self, name):
        return latex_name(name)

    def timed(self, name, t):
        return latex_timed(name, t)

    def power(self, text):
        return f"^{{{text}}}"

    def activation_symbol(self, fn):
        return ACTIVATIONS[fn].latex

    def transposed(self, text):
        return rf"{text}^{{\top}}"

    def _print_Loss(self, expr):
        return f"L_{{{self._print(self._index(expr.time))}}}"

    def _print_Partial(self, expr):
        plus = "^{+}" if expr.immediate else ""
        return (
            rf"\frac{{\partial{plus} {self._print(expr.num)}}}{{\partial {self._print(expr.den)}}}"
        )

    def _print_TotalDerivative(self, expr):
        d = r"\mathrm{d}"
        return rf"\frac{{{d} {self._print(expr.num)}}}{{{d} {self._print(expr.den)}}}"

    def _print_BlockMatrix(self, expr):
        rows = [" & ".join(self._print(b) for b in row) for row in expr.blocks.tolist()]
        return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"


_PRINTER = RNNLatexPrinter({"mat_symbol_style": "plain"})


def latex(expr, at: dict | None = None) -> str:
    """LaTeX of a symbrnn expression (one memoising printer for the session); ``at``
    gives the steps t, k of a general (t, k) term."""
    return _PRINTER.doprint(expr) if at is None else _PRINTER.print_at(expr, at)
