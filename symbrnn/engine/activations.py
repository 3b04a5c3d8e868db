"""Elementwise activations: one row each, with the forward map and its derivative.

Each activation knows its SymPy form (from which the derivative is *derived*
by ``sympy.diff``), its LaTeX symbol and γ = sup |φ'| (the bound used in the
vanishing-gradient argument).

>>> import sympy
>>> x = sympy.Symbol("x")
>>> ACTIVATIONS["sigmoid"].derivative(x)
(1 - sigma(x))*sigma(x)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import sympy
from sympy import Function, Symbol

from symbrnn.errors import InputError


class sigma(Function):
    """The logistic sigmoid σ(z) = 1/(1+e^{-z}); σ' = σ(1-σ)."""

    def fdiff(self, argindex=1):
        return sigma(self.args[0]) * (1 - sigma(self.args[0]))

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return 1 / (1 + sympy.exp(-z))

    def _latex(self, printer, exp=None):
        arg = printer._print(self.args[0])
        base = rf"\sigma\left({arg}\right)"
        return base if exp is None else rf"{base}^{{{exp}}}"


class phiprime(Function):
    """The derivative φ' of a generic activation φ: left unevaluated on purpose."""

    def _latex(self, printer, exp=None):
        return rf"\varphi'\left({printer._print(self.args[0])}\right)"


class phi(Function):
    """A generic activation φ whose derivative stays symbolic as φ'."""

    def fdiff(self, argindex=1):
        return phiprime(self.args[0])

    def _latex(self, printer, exp=None):
        return rf"\varphi\left({printer._print(self.args[0])}\right)"


def _relu(z):
    """relu(z) = max(0, z), with relu'(0) = 0 as in PyTorch."""
    return sympy.Piecewise((0, z <= 0), (z, True))


@dataclass(frozen=True)
class Activation:
    """An elementwise function φ: R → R applied to every entry of a vector."""

    name: str
    latex: str  # symbol used in formulas, e.g. r"\sigma"
    text: str  # symbol used in Unicode text, e.g. "σ"
    sympy_form: object  # callable: sympy expression -> sympy expression
    gamma: object  # sup |φ'|, a SymPy number, or None when unknown (generic φ)
    # Numbers for a generic φ: a smooth function with no special identity (φ' is not a
    # polynomial in φ), so that a random-point test of an answer in φ and φ' means something.
    stand_in: object = None

    def __call__(self, value):
        """Apply to a traced node, a SymPy expression/matrix, or a NumPy array."""
        from symbrnn.engine.cell import Node

        if isinstance(value, Node):
            return Node("apply", (value,), fn=self)
        if isinstance(value, sympy.MatrixBase):
            return value.applyfunc(self.sympy_form)
        if isinstance(value, sympy.Basic):
            return self.sympy_form(value)
        return self.numpy(value)

    def derivative(self, z):
        """φ'(z) as a SymPy expression, obtained by differentiating φ."""
        xi = sympy.Dummy("xi")
        return sympy.diff(self.sympy_form(xi), xi).subs(xi, z)

    @cached_property
    def numpy(self):
        """φ as a NumPy function (lambdified from the SymPy form, or from the stand-in)."""
        return _lambdify(self.stand_in or self.sympy_form)

    @cached_property
    def numpy_derivative(self):
        """φ' as a NumPy function (lambdified from the derived derivative)."""
        if self.stand_in is not None:
            xi = sympy.Dummy("xi")
            derivative = sympy.diff(self.stand_in(xi), xi)
            return _lambdify(lambda z: derivative.subs(xi, z))
        return _lambdify(self.derivative)


def _stable_sigmoid(z):
    """σ(z) = exp(−log(1 + e^{−z})), accurate to the last bit even where σ is 1e-300."""
    import numpy as np

    return np.exp(-np.logaddexp(0.0, -z))


def _lambdify(form):
    """A NumPy function of the derived SymPy form, in numerically stable terms.

    Saturation is where gradients vanish, so it must not turn into overflow or
    lose relative accuracy: 1 − σ(z) is evaluated as σ(−z), 1 − tanh²(z) as
    sech²(z), σ through ``logaddexp``; nothing is rewritten into exponentials.
    """
    import numpy as np

    x = Symbol("x", real=True)
    expr = form(x) if form is not None else x
    expr = expr.subs({1 - sigma(x): sigma(-x), 1 - sympy.tanh(x) ** 2: 1 / sympy.cosh(x) ** 2})
    f = sympy.lambdify(x, expr, modules=[{"sigma": _stable_sigmoid}, "numpy"])

    def evaluate(v):
        with np.errstate(over="ignore", under="ignore"):
            out = f(np.asarray(v, dtype=float))
        return np.broadcast_to(out, np.shape(v)).astype(float)

    return evaluate


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", r"\sigma", "σ", sigma, sympy.Rational(1, 4)),
        Activation("tanh", r"\tanh", "tanh", sympy.tanh, sympy.Integer(1)),
        Activation("relu", r"\operatorname{relu}", "relu", _relu, sympy.Integer(1)),
        Activation("identity", r"\operatorname{id}", "id", lambda z: z, sympy.Integer(1)),
        Activation(
            "phi", r"\varphi", "φ", phi, None, lambda z: sympy.tanh(z) + sympy.sin(3 * z) / 5
        ),
    )
}

sigmoid = ACTIVATIONS["sigmoid"]
tanh = ACTIVATIONS["tanh"]
relu = ACTIVATIONS["relu"]
identity = ACTIVATIONS["identity"]
generic = ACTIVATIONS["phi"]


def activation(name: str) -> Activation:
    """Look up an activation by name, with a helpful error.

    >>> activation("tanh").text
    'tanh'
    """
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise InputError(f"unknown activation {name!r}; choose one of: {known}") from None
