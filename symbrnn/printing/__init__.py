"""Printing: the engine's objects as Unicode text and LaTeX.

One shared base (``base``: names, precedence, memoising), a ``LatexPrinter``
and a ``StrPrinter`` subclass (``latex``, ``text``), the report of an expansion
(``expansion``) and LaTeX escaping of plain text (``escape``). It imports the
engine only.
"""

from symbrnn.engine import display
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text


def _expansion_latex(expansion):
    from symbrnn.printing.expansion import expansion_latex

    return expansion_latex(expansion, expansion.params)


display.register(latex=latex, text=text, expansion_latex=_expansion_latex)

__all__ = ["latex", "text"]
