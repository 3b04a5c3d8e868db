"""Results of III.3–III.4, vanishing and exploding gradients, for a sheet: Mⁿ = QΛⁿQ⁻¹ by
induction, the norm curves ‖∂h_T/∂h_1‖₂ of the sheet's example matrices with Pascanu's
bound, and the scalar case n = 1 by hand."""

from __future__ import annotations

import sympy as sp

from symbrnn.engine.activations import activation as lookup_activation
from symbrnn.engine.derive import Derivation
from symbrnn.engine.matexpr import Diag, Partial
from symbrnn.printing.latex import latex
from symbrnn.sheets.producers import figure_activations, matrix_entries, producer, significant
from symbrnn.sheets.producers import rnn_of as _rnn


@producer("eigen", "hypothesis", "once", "product", "result", "checked")
def eigen(sizes):
    """III.3: Mⁿ = QΛⁿQ⁻¹ by induction, with SymPy's own simplification of Q⁻¹Q."""
    from symbrnn.numeric.spectral import check_eigen_power_symbolic, eigen_power_steps

    steps = dict(eigen_power_steps())
    return {
        "hypothesis": sp.latex(steps["hypothesis M^n"]),
        "once": sp.latex(steps["M"]),
        "product": sp.latex(steps["M^{n+1} = M^n M"]),
        "result": sp.latex(steps["Q^{-1} Q = I, Λ^n Λ = Λ^{n+1}"]),
        "checked": check_eigen_power_symbolic(),
    }


@producer("spectral", "panels", "gamma", "inverse_gamma", "T", "transient")
def spectral(sizes):
    """III.4: curves ‖∂h_T/∂h_1‖₂ for the sheet's example matrices, one panel for the sheet's
    activation and one for ``spectral_activation`` (when it differs), with Pascanu's bound."""
    panels = []
    for name in figure_activations(sizes):
        act = lookup_activation(name)
        curves = [_curve(W, name, sizes) for W in sizes["spectral_examples"]]
        zero = sp.Integer(0)
        panels.append(
            {
                "activation": act.latex,
                # every curve under Pascanu's sufficient condition for vanishing
                "all_vanish": all(c["vanishing"] for c in curves),
                # φ(0) = 0 and φ'(0) = 1: around h = 0 the Jacobian product is W^{T-1}
                "linear_at_zero": act.sympy_form(zero) == 0 and act.derivative(zero) == 1,
                "gamma": sp.latex(act.gamma),
                "inverse_gamma": sp.latex(1 / act.gamma),
                "sheet": name == sizes["activation"],
                "curves": curves,
            }
        )
    act = lookup_activation(sizes["activation"])
    # a curve that grows before it decays although ρ(W) < 1: the non-normal counterexample
    transient = [
        {"activation": p["activation"], **c}
        for p in panels
        for c in p["curves"]
        if c["grows_first"] and c["rho_below_one"] and not c["normal"]
    ]
    return {
        "transient": transient[0] if transient else None,
        "panels": panels,
        "gamma": sp.latex(act.gamma),
        "inverse_gamma": sp.latex(1 / act.gamma),
        "T": sizes["spectral_T"],
    }


@producer("scalar", "lhs", "jacobian", "bound", "factors", "threshold", "weight")
def scalar_case(sizes):
    """III.4 by hand: the derived ∂h_T/∂h_1 of the sheet's RNN read at n = 1, where each
    one-step Jacobian Diag(σ'(a_j)) W is the number σ'(a_j) w, and its bound (γ|w|)^{T−1}."""
    D = Derivation.of(_rnn(sizes))
    T = sp.Symbol("T", integer=True, positive=True)
    product = D.jacobian("h", T, 1)
    j, lower, upper = product.index, product.lo, product.hi
    scalars, weights = [], []
    body = product.body.args if isinstance(product.body, sp.MatMul) else (product.body,)
    for factor in body:
        if isinstance(factor, Diag):  # a diagonal of one entry: that entry
            scalars.append(latex(factor.args[0]))
        elif isinstance(factor, sp.MatrixSymbol):  # a 1×1 matrix: its entry, lower case
            weights.append(sp.Symbol(str(factor.name).lower()))
            scalars.append(sp.latex(weights[-1]))
        else:
            raise ValueError(f"no scalar reading of {factor} at n = 1")
    (w,) = weights
    gamma = lookup_activation(sizes["activation"]).gamma
    factors = product.length
    return {
        "lhs": latex(Partial(D.vec("h", T), D.vec("h", 1))),
        "jacobian": rf"\prod_{{{sp.latex(j)}={sp.latex(lower)}}}^{{{sp.latex(upper)}}} "
        + r"\, ".join(scalars),
        "bound": sp.latex((gamma * sp.Abs(w)) ** factors),
        "factors": sp.latex(factors),
        "threshold": sp.latex(1 / gamma),
        "weight": sp.latex(w),
    }


def _curve(W, name: str, sizes: dict) -> dict:
    """One example W under activation ``name``: ρ, s₁, its curve ‖∂h_T/∂h_1‖₂ (coordinates
    for the plot) and what the curve does (its peak, whether it grows first)."""
    from symbrnn.numeric.curve import norm_curve
    from symbrnn.numeric.spectral import analyse

    info = analyse(W, name)
    norms = norm_curve(
        W, name, sizes["spectral_T"], inputs=sizes.get("spectral_inputs", "none"), seed=0
    )
    peak = max(norms)
    return {
        "rho": significant(info["spectral_radius"], sizes),
        "smax": significant(info["largest_singular_value"], sizes),
        "W": rf"\begin{{bmatrix}}{matrix_entries(W, lambda v: significant(v, sizes))}"
        r"\end{bmatrix}",
        "normal": info["normal"],
        # the largest norm and the first T where it is reached (transient growth)
        "peak": significant(peak, sizes),
        "peak_T": 1 + norms.index(peak),
        "grows_first": peak > norms[0] and norms[-1] < peak,
        "rho_below_one": info["spectral_radius"] < 1,
        "vanishing": info["verdict"]["vanishing_sufficient"],
        "coordinates": " ".join(
            f"({t},{max(v, 1e-300):.4e})" for t, v in enumerate(norms, start=1)
        ),
    }
