"""Text, LaTeX and JSON renderings of an :class:`~symbrnn.engine.expand.Expansion`."""

from __future__ import annotations

from sympy import Symbol

from symbrnn.engine.matexpr import Partial, TimeVec, j_
from symbrnn.printing.equations import equations
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text

FULL_SUM_UP_TO = 4  # print the whole sum on one line for T up to this
EXPLICIT_UP_TO = 6  # write ordered products factor by factor for T up to this


def _lhs(exp, D_params, t=None, k=None):
    if exp.quantity.startswith("dL/"):
        return Partial(Symbol("L"), D_params[exp.wrt])
    n = Symbol("n")
    return Partial(
        TimeVec(exp.wrt, t if t is not None else Symbol("t"), n),
        TimeVec(exp.wrt, k if k is not None else Symbol("k"), n),
    )


def _abuse_note(exp) -> str:
    first = exp.step.subs(j_, Symbol("t"))
    last = exp.step.subs(j_, Symbol("k") + 1)
    return (
        f"Note: [{text(exp.step_collapsed)}]^n stands for the ordered product "
        f"{text(first)} ⋯ {text(last)} (n factors, the one of step t on the left): "
        "the Diag factors differ from one step to the next, so the power is an abuse of notation."
    )


def expansion_text(exp, cell, params) -> str:
    sign = "≈" if exp.approximate else "="
    lhs = _lhs(exp, params)
    header = f"{text(lhs)} — {cell.description}, T = {exp.T} (numerator layout"
    if exp.quantity.startswith("dL/"):
        header += f"; ∂⁺s_k/∂{exp.wrt} is the immediate partial at step k"
    header += ")"
    lines = [header, "", "Cell:"]
    lines += [f"  {eq}" for eq in equations(cell)]
    lines += ["", f"One step:  B_j = {text(exp.step)}", "", "General form:"]
    lines.append(f"  {text(lhs)} {sign} {text(exp.general)}")
    lines.append(f"  {' ' * len(text(lhs))} {sign} {text(exp.general_collapsed)}")
    if exp.terms:
        lines += ["", f"Terms for T = {exp.T} (one per pair 1 ≤ k ≤ t ≤ {exp.T}):"]
        explicit = exp.T <= EXPLICIT_UP_TO
        for term in exp.terms:
            head = f"  t={term.t} k={term.k}  "
            shown = term.explicit if explicit else term.collapsed
            if exp.quantity.startswith("dL/"):
                lines.append(head + text(shown))
            else:
                lines.append(head + f"{text(_lhs(exp, params, term.t, term.k))} = {text(shown)}")
            if explicit and term.power >= 1:
                lines.append(" " * len(head) + f"= {text(term.collapsed)}")
        if exp.quantity.startswith("dL/") and isinstance(exp.T, int) and exp.T <= FULL_SUM_UP_TO:
            total = " + ".join(text(t.collapsed) for t in exp.terms)
            lines += ["", f"{text(lhs)} {sign} {total}"]
    if exp.matrix_form is not None:
        lines += [
            "",
            "Matrix form, a sum of outer products (what to compute):",
            f"  ∇_{exp.wrt} L (shape of {exp.wrt}) = {text(exp.matrix_form)}",
        ]
    lines += ["", _abuse_note(exp)]
    return "\n".join(lines)


def expansion_latex(exp, params) -> str:
    sign = r"\approx" if exp.approximate else "="
    lhs = latex(_lhs(exp, params))
    rows = [rf"{lhs} &{sign} {latex(exp.general)}", rf"&{sign} {latex(exp.general_collapsed)}"]
    if exp.terms and exp.quantity.startswith("dL/"):
        for i, term in enumerate(exp.terms):
            rows.append(("&" + sign + " " if i == 0 else "&\\quad + ") + latex(term.collapsed))
    elif exp.terms:
        for term in exp.terms:
            row = rf"{latex(_lhs(exp, params, term.t, term.k))} &= "
            if exp.T <= EXPLICIT_UP_TO:
                row += latex(term.explicit) + (" = " if term.power >= 1 else "")
            rows.append(
                row + (latex(term.collapsed) if term.power >= 1 or exp.T > EXPLICIT_UP_TO else "")
            )
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def expansion_json(exp, params) -> dict:
    sign = r"\approx" if exp.approximate else "="
    terms = []
    for term in exp.terms:
        entry = {"t": term.t, "k": term.k, "power": term.power, "latex": latex(term.collapsed)}
        if exp.T <= EXPLICIT_UP_TO:
            entry["latex_explicit"] = latex(term.explicit)
        entry["text"] = text(term.collapsed)
        terms.append(entry)
    if exp.terms and exp.quantity.startswith("dL/"):
        whole = " + ".join(t["latex"] for t in terms)
    else:
        whole = latex(exp.general_collapsed)
    return {
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
        "terms": terms,
        "latex": f"{latex(_lhs(exp, params))} {sign} {whole}",
    }
