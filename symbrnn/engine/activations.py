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
from fractions import Fraction
from functools import cached_property

from symbrnn.errors import InputError


@dataclass(frozen=True)
class Activation:
    """An elementwise function φ: R → R applied to every entry of a vector."""

    name: str
    latex: str  # symbol used in formulas, e.g. r"\sigma"
    text: str  # symbol used in Unicode text, e.g. "σ"
    sup_derivative: Fraction | None  # γ = sup |φ'|, None when unknown (generic φ)
    # Numbers for a generic φ: a smooth function with no special identity (φ' is not a
    # polynomial in φ), so that a random-point test of an answer in φ and φ' means something.
    stand_in: str | None = None

    @property
    def sympy_form(self):
        """Callable: SymPy expression → SymPy expression (engine.functions, loaded on use)."""
        from symbrnn.engine.functions import FORMS

        return FORMS[self.name]

    @property
    def gamma(self):
        """γ = sup |φ'| as a SymPy number, or None for the generic φ."""
        if self.sup_derivative is None:
            return None
        import sympy

        return sympy.Rational(self.sup_derivative.numerator, self.sup_derivative.denominator)

    def __call__(self, value):
        """Apply to a traced node, a SymPy expression/matrix, or a NumPy array."""
        from symbrnn.engine.cell import Node

        if isinstance(value, Node):
            return Node("apply", (value,), fn=self)
        import sympy

        if isinstance(value, sympy.MatrixBase):
            return value.applyfunc(self.sympy_form)
        if isinstance(value, sympy.Basic):
            return self.sympy_form(value)
        return self.numpy(value)

    def derivative(self, z):
        """φ'(z) as a SymPy expression, obtained by differentiating φ (once per activation)."""
        xi, form = self._derived
        return form.xreplace({xi: z})

    @cached_property
    def _derived(self):
        import sympy

        xi = sympy.Dummy("xi")
        return xi, sympy.diff(self.sympy_form(xi), xi)

    @cached_property
    def numpy(self):
        """φ as a NumPy function (lambdified from the SymPy form, or from the stand-in)."""
        from symbrnn.engine.functions import FORMS, lambdify_form

        return lambdify_form(FORMS[self.stand_in] if self.stand_in else self.sympy_form)

    @cached_property
    def numpy_derivative(self):
        """φ' as a NumPy function (lambdified from the derived derivative)."""
        import sympy

        from symbrnn.engine.functions import FORMS, lambdify_form

        if self.stand_in is not None:
            xi = sympy.Dummy("xi")
            derivative = sympy.diff(FORMS[self.stand_in](xi), xi)
            return lambdify_form(lambda z: derivative.subs(xi, z))
        return lambdify_form(self.derivative)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", r"\sigma", "σ", Fraction(1, 4)),
        Activation("tanh", r"\tanh", "tanh", Fraction(1)),
        Activation("relu", r"\operatorname{relu}", "relu", Fraction(1)),
        Activation("identity", r"\operatorname{id}", "id", Fraction(1)),
        Activation("phi", r"\varphi", "φ", None, stand_in="phi_stand_in"),
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
