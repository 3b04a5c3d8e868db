"""Vanishing and exploding gradients: the eigen-structure of [Diag(σ')W]^n, bounds, curves.

- :func:`eigen_power_steps` derives M^n = Q Λ^n Q⁻¹ by induction with SymPy's
  matrix expressions (Q⁻¹Q = I and Λ^n Λ = Λ^{n+1} are SymPy's own rules);
- :func:`analyse` reads a weight matrix: eigenvalues, spectral radius,
  singular values, diagonalizable or not (then its Jordan form and J^n),
  and the bounds of Pascanu, Mikolov & Bengio (2013);
- :func:`report_text` says it all for the terminal, with the norm curve
  ‖∂h_T/∂h_1‖₂ of :mod:`symbrnn.numeric.curve` when it was computed.

W is read by :mod:`symbrnn.numeric.weights`.

>>> info = analyse([[0.5, 10], [0, 0.5]], "sigmoid")
>>> info["diagonalizable"], info["spectral_radius"], round(info["singular_values"][0], 3)
(False, 0.5, 10.025)
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symbrnn.engine.activations import activation as lookup_activation
from symbrnn.engine.activations import bounded_activations
from symbrnn.errors import InputError
from symbrnn.numeric.curve import curve_text, curve_trend, norm_curve
from symbrnn.numeric.weights import parse_matrix


def eigen_power_steps():
    """The induction M^{n+1} = M^n M = QΛ^nQ⁻¹ QΛQ⁻¹ = QΛ^{n+1}Q⁻¹, as SymPy expressions.

    Returns a list of (label, expression) pairs; the last equals the first
    after SymPy's ``doit`` (a test checks it).
    """
    m = sp.Symbol("m", integer=True, positive=True)
    n = sp.Symbol("n", integer=True, nonnegative=True)
    Q, L = sp.MatrixSymbol("Q", m, m), sp.MatrixSymbol("Lambda", m, m)
    Qinv = sp.Inverse(Q)
    power_n = sp.MatMul(Q, sp.MatPow(L, n), Qinv, evaluate=False)
    once = sp.MatMul(Q, L, Qinv, evaluate=False)
    product = sp.MatMul(Q, sp.MatPow(L, n), Qinv, Q, L, Qinv, evaluate=False)
    return [
        ("hypothesis M^n", power_n),
        ("M", once),
        ("M^{n+1} = M^n M", product),
        ("Q^{-1} Q = I, Λ^n Λ = Λ^{n+1}", product.doit()),
    ]


def check_eigen_power_symbolic() -> bool:
    """M^n = Q Λ^n Q⁻¹ for the symbolic 2×2 M = [[a, b], [0, d]] (a ≠ d), for symbolic n."""
    a, b, d = sp.symbols("a b d")
    n = sp.Symbol("n", integer=True, nonnegative=True)
    M = sp.Matrix([[a, b], [0, d]])
    Q, Lam = M.diagonalize()
    return sp.simplify(Q * Lam**n * Q.inv() - M**n) == sp.zeros(2, 2)


def _exact_is_cheap(W: np.ndarray) -> bool:
    """Exact algebra (diagonalizable? its Jordan form) where it answers at once: entries that
    are small rationals, in a 2×2 or a triangular matrix (a generic 3×3 already takes
    seconds in SymPy, a 4×4 minutes)."""
    from fractions import Fraction

    triangular = not np.any(np.tril(W, -1)) or not np.any(np.triu(W, 1))
    return (W.shape[0] <= 2 or triangular) and all(
        float(Fraction(float(v)).limit_denominator(1000)) == v for v in W.ravel()
    )


def _numerically_diagonalizable(W: np.ndarray) -> bool:
    """Diagonalizable in floating point: its eigenvectors are independent (a defective
    matrix has nearly parallel ones, hence an eigenvector matrix of huge condition)."""
    _, vectors = np.linalg.eig(W)
    return bool(np.linalg.cond(vectors) < 1e8)


class SpectralReport(dict):
    """The analysis of one W: a dict (the JSON of ``symbrnn spectral``) that reads well."""

    def __repr__(self):
        radius, largest = self.get("spectral_radius"), self.get("largest_singular_value")
        return f"SpectralReport(ρ={radius:.4g}, λ₁={largest:.4g}: {self['verdict']['text']})"

    def _repr_html_(self):
        from html import escape

        return "<pre>" + escape(report_text(self) if "norms" in self else repr(self)) + "</pre>"


class Spectra(list):
    """``symbrnn spectral``'s result: a :class:`SpectralReport` per W, with its norm curve."""

    def text(self) -> str:
        return "\n\n".join(report_text(r) for r in self)

    def as_json(self):
        return self[0] if len(self) == 1 else list(self)


def spectra(Ws, activation, T, h0=None, inputs="none", seed=0) -> Spectra:
    """Each W analysed (:func:`analyse`) with its curve ‖∂h_T/∂h_1‖₂ for T = 1..``T`` and
    what the curve does."""
    out = Spectra()
    for W in Ws:
        if h0 is not None and len(h0) != W.shape[0]:
            raise InputError.said("spectral.error.h0", count=len(h0), n=W.shape[0])
        info = analyse(W, activation)
        info["W"] = W.tolist()
        info["norms"] = norm_curve(W, activation, T, h0=h0, inputs=inputs, seed=seed)
        info["curve"] = curve_trend(info["norms"])  # what the computed curve does
        out.append(info)
    return out


def analyse(W, activation="sigmoid") -> dict:
    """Eigenvalues, spectral radius, singular values, diagonalizability and Pascanu's bounds:
    :func:`numeric_facts`, with exact algebra where it answers at once (the Jordan form of
    a defective W)."""
    W = parse_matrix(W)
    facts = numeric_facts(W, activation)
    exact = None
    if _exact_is_cheap(W):
        exact = sp.Matrix(*W.shape, lambda i, j: sp.nsimplify(W[i, j], rational=True))
    diagonalizable = (
        bool(exact.is_diagonalizable()) if exact is not None else _numerically_diagonalizable(W)
    )
    out = {k: v for k, v in facts.items() if k not in ("bound", "normal")}  # the JSON's order
    out |= {"diagonalizable": diagonalizable, "normal": facts["normal"], "exact": exact is not None}
    if diagonalizable is False and exact is not None:
        _, J = exact.jordan_form()
        n = sp.Symbol("n", integer=True, positive=True)
        out["jordan_form"] = sp.latex(J)
        out["jordan_power"] = sp.latex(J**n)
        out["jordan_text"] = (_matrix_text(J), _matrix_text(J**n))
        if all(z == 0 for z in exact.eigenvals()):  # nilpotent: Wᵏ = 0 from some k ≤ size
            out["nilpotent_from"] = next(
                k for k in range(1, exact.shape[0] + 1) if (exact**k).is_zero_matrix
            )
    if exact is not None:  # exact eigenvalues: a nilpotent W has ρ = 0, not 3e-16
        eigen = [complex(sp.N(z)) for z, m in exact.eigenvals().items() for _ in range(m)]
        out["eigenvalues"] = [_complex(z) for z in eigen]
        out["spectral_radius"] = max(abs(z) for z in eigen)
    rho, smax, gamma = out["spectral_radius"], facts["largest_singular_value"], facts["gamma"]
    out["verdict"] = pascanu_verdict(rho, smax, gamma)
    return SpectralReport(out)


def _matrix_text(M) -> str:
    """A small exact matrix as a line of text: [[0, [n = 1]], [0, 0]], powers with ^."""
    rows = []
    for row in M.tolist():
        cells = []
        for e in row:
            e = e.replace(sp.KroneckerDelta, lambda a, b: sp.Symbol(f"[{b} = {a}]"))
            cells.append(sp.sstr(e).replace("**", "^"))
        rows.append("[" + ", ".join(cells) + "]")
    return "[" + ", ".join(rows) + "]"


def numeric_facts(W, activation="sigmoid") -> dict:
    """What floating point says of W at once (no exact algebra): eigenvalues, ρ(W),
    singular values, s₁(W), γ = sup|φ'|, γ·s₁, and normality by a relative test
    (‖WWᵀ − WᵀW‖ ≤ 1e-9 ‖W‖², so that tiny matrices are not called normal by accident).

    >>> numeric_facts([[0.5, 10], [0, 0.5]], "sigmoid")["normal"]
    False
    """
    W = parse_matrix(W)
    act = lookup_activation(activation)
    if act.gamma is None:
        choices = ", ".join(bounded_activations())
        raise InputError.said("spectral.error.gamma", name=act.name, choices=choices)
    eig = np.linalg.eigvals(W)
    sv = np.linalg.svd(W, compute_uv=False)
    gamma = float(act.gamma)
    scale = float(sv[0]) ** 2
    commutator = float(np.linalg.norm(W @ W.T - W.T @ W, 2))
    return {
        "eigenvalues": [_complex(z) for z in eig],
        "spectral_radius": float(np.max(np.abs(eig))),
        "singular_values": [float(v) for v in sv],
        "largest_singular_value": float(sv[0]),
        "gamma": gamma,
        "bound": gamma * float(sv[0]),
        "activation": act.name,
        "normal": commutator <= 1e-9 * scale,
    }


def _complex(z):
    z = complex(z)
    return z.real if abs(z.imag) < 1e-12 else [z.real, z.imag]


def pascanu_verdict(rho: float, smax: float, gamma: float) -> dict:
    """The sufficient condition for vanishing and the necessary one for exploding."""
    bound = 1.0 / gamma
    vanishing = smax < bound
    if vanishing:
        text = (
            f"λ₁ = σ_max(W) = {smax:.4g} < 1/γ = {bound:.4g}: sufficient for vanishing, "
            f"‖∂h_t/∂h_k‖ ≤ (γ λ₁)^(t−k) = {gamma * smax:.4g}^(t−k) → 0"
        )
    else:
        text = (
            f"λ₁ = σ_max(W) = {smax:.4g} ≥ 1/γ = {bound:.4g}: the necessary condition for exploding "
            "holds (exploding is possible, not certain)"
        )
    transient = rho < bound <= smax
    if transient:  # a possibility only: the computed curve says what happens (curve_text)
        text += (
            f"; the spectral radius ρ = {rho:.4g} < 1/γ does not bound the products while "
            "λ₁ ≥ 1/γ (W is far from normal): they may grow although ρ is small"
        )
    return {
        "vanishing_sufficient": vanishing,
        "exploding_possible": not vanishing,
        "transient_growth_possible": transient,
        "text": text,
    }


def report_text(info: dict) -> str:
    """A terminal report of :func:`analyse` plus the norm curve."""

    def num(z):
        return f"{z:.4g}" if not isinstance(z, list) else f"{z[0]:.4g}{z[1]:+.4g}i"

    lines = [
        f"W = {info['W']}",
        f"eigenvalues: {', '.join(num(z) for z in info['eigenvalues'])}   spectral radius ρ = {info['spectral_radius']:.4g}",
        f"singular values: {', '.join(num(s) for s in info['singular_values'])}   λ₁ = {info['largest_singular_value']:.4g}",
        f"γ = sup|{info['activation']}'| = {info['gamma']:.4g}   1/γ = {1 / info['gamma']:.4g}",
    ]
    how = "" if info.get("exact", True) else " (in floating point: independent eigenvectors)"
    if info["diagonalizable"]:
        lines.append(
            f"diagonalizable{how}: W = QΛQ⁻¹, so Wⁿ = QΛⁿQ⁻¹: each eigen-direction scales as λⁿ"
        )
    elif "jordan_text" in info or info["diagonalizable"] is False:
        if "jordan_text" in info:
            J, Jn = info["jordan_text"]
            lines.append(
                f"not diagonalizable (defective): Jordan form J = {J}, so Wⁿ = P Jⁿ P⁻¹ with Jⁿ = {Jn}"
            )
        else:
            lines.append(
                "not diagonalizable (defective, in floating point: its eigenvectors are nearly "
                "parallel): Wⁿ = P Jⁿ P⁻¹ with a Jordan block"
            )
        if "nilpotent_from" in info:  # only with the exact Jordan form
            k = info["nilpotent_from"]
            lines.append(
                f"  (W is nilpotent: Wⁿ = 0 for n ≥ {k}; the Jacobians' Diag(φ′) factors between the W's may keep the products from 0)"
            )
        else:
            lines.append("  (the off-diagonal binomial terms n λ^(n−1) grow before λⁿ wins)")
    lines.append(f"normal (WWᵀ = WᵀW): {'yes' if info['normal'] else 'no'}")
    lines.append(info["verdict"]["text"])
    norms = info.get("norms", [])
    if norms:
        N = len(norms)
        sample = {t for t in (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, N) if t <= N}
        shown = ", ".join(f"T={t}: {norms[t - 1]:.3g}" for t in sorted(sample))
        lines.append(f"‖∂h_T/∂h_1‖₂: {shown}")
        lines.append(curve_text(norms))
        overflow = next((t for t, v in enumerate(norms, start=1) if v == float("inf")), None)
        if overflow is not None:
            lines.append(
                f"overflow: from T = {overflow} the product exceeds the largest float "
                "(≈ 1.8e308); shown as inf (null in JSON)"
            )
    return "\n".join(lines)
