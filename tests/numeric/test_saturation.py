"""Where gradients vanish the numbers must keep their relative accuracy (mpmath as the oracle)."""

import mpmath
import numpy as np
import pytest

from symbrnn.engine.activations import ACTIVATIONS
from symbrnn.numeric.evaluate import evaluate_spec


@pytest.mark.parametrize("a", [-40.0, -30.0, 25.0, 40.0, 300.0, 800.0])
def test_sigmoid_derivative_keeps_relative_accuracy(a):
    with mpmath.workdps(50):
        exact = mpmath.exp(-a) / (1 + mpmath.exp(-a)) ** 2
    got = float(ACTIVATIONS["sigmoid"].numpy_derivative(np.array([a]))[0])
    if exact < 1e-300:
        assert got == 0.0 or abs(got - float(exact)) <= 1e-12 * float(exact)
    else:
        assert got == pytest.approx(float(exact), rel=1e-12)


@pytest.mark.parametrize("a", [-20.0, 15.0, 300.0])
def test_tanh_derivative_keeps_relative_accuracy(a):
    with mpmath.workdps(50):
        exact = 1 / mpmath.cosh(a) ** 2
    got = float(ACTIVATIONS["tanh"].numpy_derivative(np.array([a]))[0])
    assert got == pytest.approx(float(exact), rel=1e-12, abs=1e-300)


def test_a_saturated_gradient_entry_is_not_rounded_to_zero():
    """One sigmoid unit, a = U x = 40: ∂L/∂U = (h − y) σ'(a) x ≈ 4.2e-18, not 0."""
    spec = {"cell": "rnn", "n": 1, "d": 1, "T": 1, "W": [[0.0]], "U": [[40.0]]}
    spec |= {"x": [[1.0]], "y": [[0.0]], "h0": [0.0]}
    out = evaluate_spec(spec)
    with mpmath.workdps(50):
        a = mpmath.mpf(40)
        sigma = 1 / (1 + mpmath.exp(-a))
        exact = sigma * (sigma * (1 - sigma))  # (h − y) σ'(a) x with y = 0, x = 1
    assert out["grad"]["U"][0][0] == pytest.approx(float(exact), rel=1e-10)
    assert out["grad"]["U"][0][0] > 0
