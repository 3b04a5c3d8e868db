"""Text, LaTeX and JSON renderings of an :class:`~symbrnn.engine.expand.Expansion`."""

from __future__ import annotations

from sympy import Symbol

from symbrnn.engine.matexpr import Partial, TimeVec, j_
from symbrnn.printing.equations import equations
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text

FULL_SUM_UP_TO = 4  # print the whole sum on one line for T up to this
EXPLICIT_UP_TO = 6  # write ordered products factor by factor for T up to this
_T, _K = Symbol("t"), Symbol("k")  # the general term's steps


def _lhs(exp, params, t=_T, k=_K):
    if exp.quantity.startswith("dL/"):
        return Partial(Symbol("L"), params[exp.wrt])
    return Partial(TimeVec(exp.wrt, t, Symbol("n")), TimeVec(exp.wrt, k, Symbol("n")))


def _abuse_note(exp) -> str:
    first = exp.step.subs(j_, Symbol("t"))
    last = exp.step.subs(j_, Symbol("k") + 1)
    return (
        f"Note: [{text(exp.step_collapsed)}]^n stands for the ordered product "
        f"{text(first)} ⋯ {text(last)} (n factors, the one of step t on the left): "
        "the Diag factors differ from one step to the next, so the power is an abuse of notation."
    )


def _row(printer, term) -> str:
    """A row's collapsed form: derived on its own, or the general term at (t, k)."""
    return printer(term.collapsed, at=term.at)


def iter_expansion_text(exp, cell, params):
    """The text report, line by line (rows are produced as they are printed)."""
    sign = "≈" if exp.approximate else "="
    lhs = _lhs(exp, params)
    header = f"{text(lhs)} — {cell.description}, T = {exp.T} (numerator layout"
    if exp.quantity.startswith("dL/"):
        header += f"; ∂⁺s_k/∂{exp.wrt} is the immediate partial at step k"
    yield header + ")"
    yield from ["", "Cell:", *(f"  {eq}" for eq in equations(cell))]
    yield from ["", f"One step:  B_j = {text(exp.step)}", "", "General form:"]
    yield f"  {text(lhs)} {sign} {text(exp.general)}"
    yield f"  {' ' * len(text(lhs))} {sign} {text(exp.general_collapsed)}"
    if isinstance(exp.T, int):
        yield from ["", f"Terms for T = {exp.T} (one per pair 1 ≤ k ≤ t ≤ {exp.T}):"]
        explicit = exp.T <= EXPLICIT_UP_TO
        total = []
        for term in exp.iter_terms():
            head = f"  t={term.t} k={term.k}  "
            shown = text(term.explicit) if explicit else _row(text, term)
            if exp.quantity.startswith("dL/"):
                yield head + shown
            else:
                yield head + f"{text(_lhs(exp, params, term.t, term.k))} = {shown}"
            if explicit and term.power >= 1:
                yield " " * len(head) + f"= {_row(text, term)}"
            if exp.T <= FULL_SUM_UP_TO:
                total.append(_row(text, term))
        if exp.quantity.startswith("dL/") and exp.T <= FULL_SUM_UP_TO:
            yield from ["", f"{text(lhs)} {sign} {' + '.join(total)}"]
    if exp.matrix_form is not None:
        yield from [
            "",
            "Matrix form, a sum of outer products (what to compute):",
            f"  ∇_{exp.wrt} L (shape of {exp.wrt}) = {text(exp.matrix_form)}",
        ]
    yield from ["", _abuse_note(exp)]


def expansion_latex(exp, params) -> str:
    return "".join(iter_expansion_latex(exp, params))


def iter_expansion_latex(exp, params):
    """The LaTeX align* block, in pieces (rows are produced as they are printed)."""
    sign = r"\approx" if exp.approximate else "="
    lhs = latex(_lhs(exp, params))
    yield "\\begin{align*}\n" + rf"{lhs} &{sign} {latex(exp.general)}"
    yield " \\\\\n" + rf"&{sign} {latex(exp.general_collapsed)}"
    gradient = exp.quantity.startswith("dL/")
    for i, term in enumerate(exp.iter_terms()):
        if gradient:
            row = ("&" + sign + " " if i == 0 else "&\\quad + ") + _row(latex, term)
        else:
            row = rf"{latex(_lhs(exp, params, term.t, term.k))} &= "
            if exp.T <= EXPLICIT_UP_TO:
                row += latex(term.explicit) + (" = " if term.power >= 1 else "")
            if term.power >= 1 or exp.T > EXPLICIT_UP_TO:
                row += _row(latex, term)
        yield " \\\\\n" + row
    yield "\n\\end{align*}"


def expansion_html(exp, rows_shown: int = 50) -> str:
    """The general form and a table of the (t, k) terms, for a notebook (MathJax typesets
    the $…$ of an HTML output)."""
    from html import escape

    lhs = latex(_lhs(exp, exp.params))
    head = f"<p>$${escape(lhs, quote=False)} = {escape(latex(exp.general_collapsed), quote=False)}$$</p>"
    rows = []
    for number, term in enumerate(exp.iter_terms()):
        if number == rows_shown:
            rows.append('<tr><td colspan="3">…</td></tr>')
            break
        math = escape(_row(latex, term), quote=False)
        rows.append(f"<tr><td>{term.t}</td><td>{term.k}</td><td>${math}$</td></tr>")
    if not rows:
        return head
    return f"{head}<table><thead><tr><th>t</th><th>k</th><th>term</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"


def expansion_json(exp, params) -> dict:
    """The JSON object (for a small T; the CLI streams :func:`iter_expansion_json`)."""
    import json

    return json.loads("".join(iter_expansion_json(exp, params)))


def _term_entry(exp, term) -> dict:
    entry = {"t": term.t, "k": term.k, "power": term.power, "latex": _row(latex, term)}
    if exp.T <= EXPLICIT_UP_TO:
        entry["latex_explicit"] = latex(term.explicit)
    entry["text"] = _row(text, term)
    return entry


def iter_expansion_json(exp, params):
    """The JSON text, as ``json.dumps(..., indent=2, ensure_ascii=False)`` writes it, in
    pieces: the terms are written as they are produced, and so is the whole sum."""
    import json

    def dump(value, level):
        return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)

    sign = r"\approx" if exp.approximate else "="
    head = {
        "cell": exp.cell,
        "T": exp.T if isinstance(exp.T, int) else str(exp.T),
        "quantity": exp.quantity,
        "wrt": exp.wrt,
        "paths": exp.paths,
        "approximate": exp.approximate,
        "step_latex": latex(exp.step),
        "general_latex": latex(exp.general),
        "general_collapsed_latex": latex(exp.general_collapsed),
        "matrix_latex": latex(exp.matrix_form) if exp.matrix_form is not None else None,
    }
    yield "{\n" + ",\n".join(f"  {json.dumps(k)}: {dump(v, 1)}" for k, v in head.items())
    gradient = exp.quantity.startswith("dL/") and isinstance(exp.T, int)
    pieces = []  # for a gradient, the whole sum is the terms' LaTeX joined: kept as text only
    count = 0
    for term in exp.iter_terms():
        entry = _term_entry(exp, term)
        yield (',\n  "terms": [\n    ' if count == 0 else ",\n    ") + dump(entry, 2)
        if gradient:
            pieces.append(entry["latex"])
        count += 1
    yield ',\n  "terms": []' if count == 0 else "\n  ]"
    whole = " + ".join(pieces) if gradient and pieces else latex(exp.general_collapsed)
    latex_all = f"{latex(_lhs(exp, params))} {sign} {whole}"
    yield f',\n  "latex": {json.dumps(latex_all, ensure_ascii=False)}\n}}'
