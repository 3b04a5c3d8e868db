"""III.4 by hand: the derived ∂h_T/∂h_1 read at n = 1, against a scalar RNN differentiated
by SymPy, and its bound (γ|w|)^{T−1} against numbers."""

import numpy as np
import pytest
import sympy as sp

from symbrnn.sheets import results  # noqa: F401  (registers every producer)
from symbrnn.sheets.producers import PRODUCERS
from symbrnn.sheets.render import render_sheet


@pytest.mark.parametrize(
    ("activation", "phi", "bound"),
    [
        (
            "sigmoid",
            lambda z: 1 / (1 + sp.exp(-z)),
            r"\left(\frac{\left|{w}\right|}{4}\right)^{T - 1}",
        ),
        ("tanh", sp.tanh, r"\left|{w}\right|^{T - 1}"),
    ],
)
def test_the_scalar_reading_is_the_derivative_of_a_scalar_rnn(activation, phi, bound):
    r = PRODUCERS["scalar"]({"activation": activation})
    assert r.bound == bound and r.factors == "T - 1" and r.weight == "w"
    glyph = r"\sigma" if activation == "sigmoid" else r"\tanh"
    assert r.jacobian == rf"\prod_{{j=2}}^{{T}} {glyph}'\left(a_{{j}}\right)\, w"
    # brute force: h_t = φ(w h_{t−1} + u x_t), T = 4, differentiated by SymPy
    w, u, h1 = sp.symbols("w u h1", real=True)
    xs = sp.symbols("x2:5", real=True)
    h, a = h1, []
    for x in xs:
        a.append(w * h + u * x)
        h = phi(a[-1])
    z = sp.Symbol("z")
    dphi = sp.Lambda(z, sp.diff(phi(z), z))
    product = sp.Mul(*[dphi(a_j) * w for a_j in a])  # ∏_{j=2}^{4} φ'(a_j) w
    point = {w: 0.7, u: -1.3, h1: 0.4, xs[0]: 0.2, xs[1]: -0.5, xs[2]: 1.1}
    assert float(sp.diff(h, h1).subs(point)) == pytest.approx(float(product.subs(point)))


def test_the_bound_holds_at_random_points():
    rng = np.random.default_rng(0)
    for _ in range(200):
        w, a = rng.normal(0, 3), rng.normal(0, 2, 9)  # T = 10: nine factors
        sig = 1 / (1 + np.exp(-a))
        assert abs(np.prod(sig * (1 - sig) * w)) <= (abs(w) / 4) ** 9 + 1e-300


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_key_prints_the_scalar_case_in_iii_4(lang):
    tex = render_sheet("td5", lang=lang)
    part = tex[tex.index(r"\subsection*{III.4") : tex.index(r"\section*{IV.")]
    r = PRODUCERS["scalar"]({"activation": "sigmoid"})
    assert r.jacobian in part and r.bound in part
