"""LaTeX for the matrix-level objects: a ``LatexPrinter`` subclass, one method per class.

>>> from sympy import MatrixSymbol, Symbol
>>> from symbrnn.engine.matexpr import Apply, Diag, TimeVec
>>> n = Symbol("n")
>>> latex(Diag(Apply("sigmoid", TimeVec("a", 3, n), 1)) * MatrixSymbol("W", n, n))
"\\\\operatorname{Diag}\\\\left(\\\\sigma'\\\\left(a_{3}\\\\right)\\\\right) W"
"""

from __future__ import annotations

from sympy.matrices.expressions import MatAdd, MatMul
from sympy.matrices.expressions.hadamard import HadamardProduct
from sympy.printing.latex import LatexPrinter

from symbrnn.engine.activations import ACTIVATIONS
from symbrnn.engine.matexpr import ERASED, OrderedProduct
from symbrnn.printing.names import latex_name, time_terms
from symbrnn.printing.base import MemoisingPrinter, join_terms


class RNNLatexPrinter(MemoisingPrinter, LatexPrinter):
    """Prints Diag, ⊙, φ', ordered products, bracket powers and time sums as the course does."""

    def _print_TimeVec(self, expr):
        name = latex_name(expr.name)
        if expr.time == ERASED:
            return name
        t = self._print(expr.time).replace(" ", "")
        if name.endswith("}") and "_{" in name:  # a_{f} at t -> a_{f,t}
            return f"{name[:-1]},{t}}}"
        return f"{name}_{{{t}}}"

    def _print_MatrixSymbol(self, expr):
        return latex_name(expr.name)

    def _print_Ones(self, expr):
        return r"\mathbf{1}"

    def _print_Identity(self, expr):
        return "I"

    def _print_ZeroMatrix(self, expr):
        return "0"

    def _print_Diag(self, expr):
        return rf"\operatorname{{Diag}}\left({self._print(expr.vec)}\right)"

    def _print_Apply(self, expr):
        symbol = ACTIVATIONS[expr.fn].latex + ("'" * expr.order)
        if expr.order and getattr(expr.vec, "time", None) == ERASED:
            return symbol  # the course's Diag(σ'): the argument dropped with the time index
        return rf"{symbol}\left({self._print(expr.vec)}\right)"

    def _print_Loss(self, expr):
        return f"L_{{{self._print(expr.time)}}}"

    def _print_Partial(self, expr):
        plus = "^{+}" if expr.immediate else ""
        return (
            rf"\frac{{\partial{plus} {self._print(expr.num)}}}{{\partial {self._print(expr.den)}}}"
        )

    def _factor(self, expr):
        text = self._print(expr)
        if isinstance(expr, MatAdd):
            return rf"\left[{text}\right]"
        if isinstance(expr, (HadamardProduct, OrderedProduct)):
            return rf"\left({text}\right)"
        return text

    def _print_MatMul(self, expr):
        args = list(expr.args)
        sign = ""
        if args and args[0] == -1:
            sign, args = "-", args[1:]
        return sign + " ".join(self._factor(a) for a in args)

    def _print_Add(self, expr, order=None):
        return join_terms(self, time_terms(expr), "-")

    def _print_MatAdd(self, expr):
        out = ""
        for i, term in enumerate(expr.args):
            text = self._print(term)
            if text.startswith("-"):
                out += (" - " if i else "-") + text[1:].lstrip()
            else:
                out += (" + " if i else "") + text
        return out

    def _print_OrderedProduct(self, expr):
        bounds = f"_{{{self._print(expr.index)}={self._print(expr.lo)}}}^{{{self._print(expr.hi)}}}"
        return rf"\prod{bounds} {self._factor(expr.body)}"

    def _print_BracketPower(self, expr):
        return rf"\left[{self._print(expr.base)}\right]^{{{self._print(expr.exponent)}}}"

    def _print_TimeSum(self, expr):
        bounds = f"_{{{self._print(expr.index)}={self._print(expr.lo)}}}^{{{self._print(expr.hi)}}}"
        return rf"\sum{bounds} {self._factor(expr.body)}"

    def _print_HadamardProduct(self, expr):
        return r" \odot ".join(self._hadamard_arg(a) for a in expr.args)

    def _hadamard_arg(self, a):
        text = self._print(a)
        return rf"\left({text}\right)" if isinstance(a, (MatAdd, MatMul)) else text

    def _print_Transpose(self, expr):
        arg = expr.arg
        text = self._print(arg)
        if isinstance(arg, (MatAdd, MatMul)) or ("\\" in text and not text.startswith("\\frac")):
            text = rf"\left({text}\right)"
        return rf"{text}^{{\top}}"

    def _print_BlockMatrix(self, expr):
        rows = [" & ".join(self._print(b) for b in row) for row in expr.blocks.tolist()]
        return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"


_PRINTER = None


def latex(expr) -> str:
    """LaTeX of a symbrnn expression (one memoising printer for the session)."""
    global _PRINTER
    if _PRINTER is None:
        _PRINTER = RNNLatexPrinter({"mat_symbol_style": "plain"})
    return _PRINTER.doprint(expr)
