"""Make the engine's objects show themselves through symbrnn's printers (see engine.display)."""

from __future__ import annotations

from symbrnn.engine import display
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text


def _expansion_latex(expansion):
    from symbrnn.printing.expansion import expansion_latex

    return expansion_latex(expansion, expansion.params)


def _cell_latex(cell):
    from symbrnn.printing.equations import equations

    rows = " \\\\ ".join(eq.replace(" = ", " &= ", 1) for eq in equations(cell, latex))
    return f"$\\begin{{aligned}} {rows} \\end{{aligned}}$"


display.register(latex=latex, text=text, expansion_latex=_expansion_latex, cell_latex=_cell_latex)
