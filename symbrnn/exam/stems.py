"""What a formula question asks, in LaTeX: the quantity, the model's equations (printed from
its declaration), the assumptions the question makes and the form the answer takes."""

from __future__ import annotations

from symbrnn.words import say


def formula_stem(D, q, question, lang, form="written") -> str:
    """The stem of a formula question (a ``Question``; see the module's docstring)."""
    import sympy as sp

    from symbrnn.engine.matexpr import Partial, TimeVec
    from symbrnn.judge.letters import in_its_notation
    from symbrnn.printing.latex import latex

    n = sp.Symbol("n")
    if q.kind == "gradient":
        asked = Partial(sp.Symbol("L"), sp.MatrixSymbol(q.name, n, n))
        first = say("stem.gradient", lang, quantity=latex(asked), T=question.T)
    elif q.kind == "input":
        asked = Partial(sp.MatrixSymbol(q.name, n, 1), sp.MatrixSymbol(q.wrt, n, 1))
        first = say("stem.input", lang, quantity=latex(asked))
    else:
        asked = Partial(TimeVec(q.name, q.t, n), TimeVec(q.name, q.k, n))
        key = "stem.power" if form == "power" else "stem.jacobian"
        first = say(key, lang, quantity=latex(asked))
    if q.kind == "input":
        rhs = D.definitions(1, declared_only=True)[-1][1]  # the state's own equation
        body = f"{sp.latex(sp.Symbol(q.name))} = {latex(in_its_notation(D, rhs, 1))}"
        display = f"\\[ {body} \\]"
    else:
        lines = [f"{latex(lhs)} &= {latex(rhs)}" for lhs, rhs in D.definitions(declared_only=True)]
        body = " \\\\ ".join(lines)
        display = f"\\[ \\begin{{aligned}} {body} \\end{{aligned}} \\]"
    parts = [f"{say('stem.model', lang)} {display}"]
    hypothesis = dict(question.hypothesis)
    if hypothesis:
        shown = ", ".join(
            f"{sp.latex(sp.Symbol(name + '_t'))} = {value:g}"
            for name, value in sorted(hypothesis.items())
        )
        parts.append(say("stem.hypothesis", lang, hypothesis=shown))
    if question.paths == "direct":
        state = sp.latex(sp.Symbol(q.name))
        key = "stem.direct_value" if hypothesis else "stem.direct"
        parts.append(say(key, lang, path=f"{state}_{{{q.k}}} \\to \\cdots \\to {state}_{{{q.t}}}"))
    parts.append(first)
    if q.kind == "gradient":
        parts.append(say("stem.immediate", lang))
    return "\n".join(parts)
