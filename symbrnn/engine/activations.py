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
    return sympy.Piecewise((0, z < 0), (z, True))


@dataclass(frozen=True)
class Activation:
    """An elementwise function φ: R → R applied to every entry of a vector."""

    name: str
    latex: str  # symbol used in formulas, e.g. r"\sigma"
    text: str  # symbol used in Unicode text, e.g. "σ"
    sympy_form: object  # callable: sympy expression -> sympy expression
    gamma: object  # sup |φ'|, a SymPy number, or None when unknown (generic φ)

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
        """φ as a NumPy function (lambdified from the SymPy form)."""
        return _lambdify(self.sympy_form)

    @cached_property
    def numpy_derivative(self):
        """φ' as a NumPy function (lambdified from the derived derivative)."""
        return _lambdify(self.derivative)


def _lambdify(form):
    import numpy as np

    x = Symbol("x", real=True)
    expr = form(x).rewrite(sympy.exp) if form is not None else x
    f = sympy.lambdify(x, expr, modules=[{"Heaviside": lambda z: np.heaviside(z, 0.0)}, "numpy"])
    return lambda v: np.broadcast_to(f(np.asarray(v, dtype=float)), np.shape(v)).astype(float)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", r"\sigma", "σ", sigma, sympy.Rational(1, 4)),
        Activation("tanh", r"\tanh", "tanh", sympy.tanh, sympy.Integer(1)),
        Activation("relu", r"\operatorname{relu}", "relu", _relu, sympy.Integer(1)),
        Activation("identity", r"\operatorname{id}", "id", lambda z: z, sympy.Integer(1)),
        Activation("phi", r"\varphi", "φ", phi, None),
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
