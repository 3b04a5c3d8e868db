"""How the names of a declaration are written: c_tilde → c̃ (text) and \\tilde{c} (LaTeX)."""

from __future__ import annotations

_SUB = str.maketrans("0123456789+-()", "₀₁₂₃₄₅₆₇₈₉₊₋₍₎")
_SUP = str.maketrans("0123456789+-()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿ")


def split_name(name: str) -> tuple[str, str, bool]:
    """(base, subscript, tilde): ``c_tilde`` → ('c', '', True), ``W_f`` → ('W', 'f', False)."""
    base, _, sub = name.removesuffix("_tilde").partition("_")
    return base, sub, name.endswith("_tilde")


def latex_name(name: str) -> str:
    base, sub, tilde = split_name(name)
    out = rf"\tilde{{{base}}}" if tilde else base
    return out if not sub else f"{out}_{{{sub}}}"


def text_name(name: str) -> str:
    base, sub, tilde = split_name(name)
    out = base + ("\u0303" if tilde else "")
    return out if not sub else f"{out}_{sub}"


def latex_timed(name: str, t: str) -> str:
    """A name at time t in LaTeX: h_{t-1}; a subscripted name keeps one subscript, a_{f,t}."""
    base, sub, tilde = split_name(name)
    out = rf"\tilde{{{base}}}" if tilde else base
    return f"{out}_{{{sub},{t}}}" if sub else f"{out}_{{{t}}}"


def text_timed(name: str, t: str) -> str:
    """A name at time t in Unicode: h₃, h_{t-1}; a subscripted name: a_f,t, a_f,{t-1}."""
    if split_name(name)[1]:
        return f"{text_name(name)},{t}" if len(t) == 1 else f"{text_name(name)},{{{t}}}"
    return text_name(name) + subscript(t)


def subscript(index: str) -> str:
    """Unicode subscript when every character has one (h₃), else _{...} (h_{t-1})."""
    index = index.replace(" ", "")
    if all(c in "0123456789+-()" for c in index):
        return index.translate(_SUB)
    return "_" + (index if len(index) == 1 else "{" + index + "}")


def superscript(index: str) -> str:
    index = index.replace(" ", "")
    if all(c in "0123456789+-()n" for c in index):
        return index.translate(_SUP)
    return "^{" + index + "}"


def time_terms(expr) -> list:
    """The terms of an index expression in the order people write them: t − k − 1, k + 1."""
    terms = list(expr.as_ordered_terms())

    def key(term):
        coeff, rest = term.as_coeff_Mul()
        return (bool(term.is_number), bool(coeff.is_negative), [-ord(c) for c in str(rest)])

    return sorted(terms, key=key)
