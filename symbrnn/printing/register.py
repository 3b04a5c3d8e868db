"""Make the engine's objects show themselves through symbrnn's printers (see engine.display)."""

from __future__ import annotations

from symbrnn.engine import display
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text


def _expansion_latex(expansion):
    from symbrnn.printing.expansion import expansion_latex

    return expansion_latex(expansion, expansion.params)


def _expansion_html(expansion, rows_shown: int = 50):
    """The general form and a table of the (t, k) terms, for a notebook (MathJax typesets
    the $…$ of an HTML output)."""
    from html import escape

    from symbrnn.printing.expansion import expansion_lhs

    lhs = latex(expansion_lhs(expansion, expansion.params))
    head = f"<p>$${escape(lhs, quote=False)} = {escape(latex(expansion.general_collapsed), quote=False)}$$</p>"
    rows = []
    for number, term in enumerate(expansion.iter_terms()):
        if number == rows_shown:
            rows.append('<tr><td colspan="3">…</td></tr>')
            break
        math = escape(latex(term.collapsed, at=term.at), quote=False)
        rows.append(f"<tr><td>{term.t}</td><td>{term.k}</td><td>${math}$</td></tr>")
    table = (
        "<table><thead><tr><th>t</th><th>k</th><th>term</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        if rows
        else ""
    )
    return head + table


def _cell_latex(cell):
    from symbrnn.printing.equations import equations

    rows = " \\\\ ".join(eq.replace(" = ", " &= ", 1) for eq in equations(cell, latex))
    return f"$\\begin{{aligned}} {rows} \\end{{aligned}}$"


display.register(
    latex=latex,
    text=text,
    expansion_latex=_expansion_latex,
    expansion_html=_expansion_html,
    cell_latex=_cell_latex,
)
