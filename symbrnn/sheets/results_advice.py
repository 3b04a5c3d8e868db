"""III.4's remedies, chosen from the key's own bound γ s₁(W) for the sheet's activation.

γ = sup |φ'| is the activation row's; where φ' is a polynomial in φ (σ' = σ(1−σ),
tanh' = 1 − tanh²) the bound is derived again here: the polynomial's largest value over
φ's range, and where it is reached. An orthogonal (or identity) W has s₁(W) = 1, so the
bound of one step is γ: it keeps the norm only when γ = 1; when γ < 1 it still forces
vanishing, and gates (LSTM, GRU) or an activation with γ = 1 are the remedy.

>>> advice({"activation": "sigmoid"})["orthogonal_keeps"]
False
>>> advice({"activation": "tanh"})["orthogonal_keeps"]
True
"""

from __future__ import annotations

import sympy as sp

from symbrnn.engine.activations import ACTIVATIONS, bounded_activations
from symbrnn.engine.activations import activation as lookup_activation
from symbrnn.sheets.producers import producer

_RANGES = {}  # φ's range, computed once per activation: (inf, sup) of φ over R


def _range(act):
    """(inf φ, sup φ) over R, as limits of φ's SymPy form."""
    if act.name not in _RANGES:
        z = sp.Symbol("z", real=True)
        form = act.sympy_form(z).rewrite(sp.exp)
        _RANGES[act.name] = (sp.limit(form, z, -sp.oo), sp.limit(form, z, sp.oo))
    return _RANGES[act.name]


def gamma_reason(act) -> dict | None:
    """φ' written as a polynomial g(φ), the point φ = p* of φ's range where g is largest,
    and that largest value (which must be the row's γ); None when φ' is no polynomial in φ.

    >>> r = gamma_reason(lookup_activation("sigmoid")); r["at"], r["max"]
    ('\\\\frac{1}{2}', '\\\\frac{1}{4}')
    """
    z, p = sp.Symbol("z", real=True), sp.Symbol("p", real=True)
    phi = act.sympy_form(z)
    if phi == z or not phi.has(z):
        return None
    g = sp.expand(act.derivative(z).subs(phi, p))
    if g.has(z) or not g.is_polynomial(p) or sp.degree(g, p) < 1:
        return None
    lo, hi = _range(act)
    critical = [c for c in sp.solve(sp.diff(g, p), p) if c.is_real and lo < c < hi]
    if not critical:
        return None
    best = max(critical, key=lambda c: abs(g.subs(p, c)))
    largest = sp.nsimplify(abs(g.subs(p, best)))
    if largest != act.gamma:
        raise ValueError(f"{act.name}: max |φ'| = {largest}, its row says γ = {act.gamma}")
    return {"at": sp.latex(best), "max": sp.latex(largest)}


def _nonlinear(act) -> bool:
    """φ' is not a constant: a nonlinearity, not the identity."""
    z = sp.Symbol("z", real=True)
    return act.derivative(z).has(z)


@producer(
    "advice", "gamma derivative at orthogonal_bound orthogonal_keeps gates_needed alternatives"
)
def advice(sizes):
    """III.4: which remedy the bound γ s₁(W) supports for the sheet's activation."""
    act = lookup_activation(sizes["activation"])
    gamma = act.gamma
    z = sp.Symbol("z", real=True)
    reason = gamma_reason(act)
    one = sp.Integer(1)
    # the bound of one step for an orthogonal W: s₁(W) = 1, so γ s₁(W) = γ
    orthogonal = gamma * one
    others = [
        ACTIVATIONS[name].latex
        for name in bounded_activations()
        if name != act.name
        and ACTIVATIONS[name].gamma * one >= one
        and _nonlinear(ACTIVATIONS[name])
    ]
    return {
        "gamma": sp.latex(gamma),
        "derivative": f"{act.latex}'(z) = {sp.latex(act.derivative(z))}",
        "at": reason["at"] if reason else None,
        "orthogonal_bound": sp.latex(orthogonal),
        "orthogonal_keeps": bool(orthogonal == one),
        "gates_needed": bool(orthogonal < one),
        "alternatives": others,
    }
