"""Elementwise activations: one row each, carrying every fact the library reads.

A row is the activation's SymPy form (from which the derivative is *derived* by
``sympy.diff``), its LaTeX and Unicode glyphs, the spellings a student may type for it
(the checker's notation), γ = sup |φ'| (the bound of the vanishing-gradient argument),
whether it has numbers (``evaluate``, ``spectral``), and its breakpoints (where its form
changes piece: the checker's test points fall on both sides of each). Every command, the
checker and the web page read this table: a new activation is one row of it (or one
:func:`register_activation` at run time).

>>> import sympy
>>> x = sympy.Symbol("x")
>>> ACTIVATIONS["sigmoid"].derivative(x)
(1 - sigma(x))*sigma(x)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from symbrnn.errors import InputError


class _OnUse:
    """A module imported when one of its names is first read (start-up stays light)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)


sympy = _OnUse("sympy")  # a row's form reads sympy.Piecewise, sympy.tanh… when it is used
functions = _OnUse("symbrnn.engine.functions")  # σ and the generic φ as SymPy functions


@dataclass(frozen=True)
class Activation:
    """An elementwise function φ: R → R applied to every entry of a vector."""

    name: str
    latex: str  # symbol used in formulas, e.g. r"\sigma"
    text: str  # symbol used in Unicode text, e.g. "σ"
    sup_derivative: Fraction | None  # γ = sup |φ'|, None when unknown (generic φ)
    # φ as a SymPy function of a SymPy expression (the row's one formula)
    form: Callable | None = field(default=None, compare=False, repr=False)
    # What a student may type for it: LaTeX commands (\\sigma, \\operatorname{relu}) and
    # words (sigmoid, σ); a word is read bare and inside \\operatorname{…} or \\mathrm{…}.
    spellings: tuple[str, ...] = ()
    # Whether it has numbers (evaluate, spectral): False for the generic φ
    numbers: bool = True
    # Where its form changes piece (relu: 0): the judge's test points reach both sides
    breakpoints: tuple[Fraction, ...] = ()
    # Numbers for a generic φ in the checker only: a smooth form with no special identity
    # (φ' is not a polynomial in φ), so that a random-point test of an answer in φ and φ'
    # means something.
    stand_in: Callable | None = field(default=None, compare=False, repr=False)

    @property
    def sympy_form(self):
        """Callable: SymPy expression → SymPy expression."""
        return self.form

    @property
    def bounded(self) -> bool:
        """Whether γ = sup |φ'| is known (the spectral bounds need it)."""
        return self.sup_derivative is not None

    @property
    def gamma(self):
        """γ = sup |φ'| as a SymPy number, or None for the generic φ."""
        if self.sup_derivative is None:
            return None
        return sympy.Rational(self.sup_derivative.numerator, self.sup_derivative.denominator)

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
        """φ'(z) as a SymPy expression, obtained by differentiating φ (once per activation)."""
        xi, form = self._derived
        return form.xreplace({xi: z})

    @cached_property
    def _derived(self):
        xi = sympy.Dummy("xi", real=True)  # φ: R → R (|z|' is sign(z), not a complex form)
        return xi, sympy.diff(self.sympy_form(xi), xi)

    @cached_property
    def numpy(self):
        """φ as a NumPy function (lambdified from the SymPy form, or from the stand-in)."""
        from symbrnn.engine.functions import lambdify_form

        return lambdify_form(self.stand_in or self.sympy_form)

    @cached_property
    def numpy_derivative(self):
        """φ' as a NumPy function (lambdified from the derived derivative)."""
        from symbrnn.engine.functions import lambdify_form

        return lambdify_form(self._numbers_derivative)

    @cached_property
    def scalar(self):
        """φ as a float → float function (``math``, no NumPy: the judge's numbers)."""
        from symbrnn.engine.scalar import float_form

        return float_form(self.stand_in or self.sympy_form)

    @cached_property
    def scalar_derivative(self):
        """φ' as a float → float function, of the derived derivative."""
        from symbrnn.engine.scalar import float_form

        return float_form(self._numbers_derivative)

    @property
    def _numbers_derivative(self):
        """z ↦ φ'(z) as SymPy, of the stand-in's derivative for the generic φ."""
        if self.stand_in is None:
            return self.derivative
        xi = sympy.Dummy("xi")
        derivative = sympy.diff(self.stand_in(xi), xi)
        return lambda z: derivative.subs(xi, z)


def _relu(z):
    """relu(z) = max(0, z), with relu'(0) = 0 as in PyTorch."""
    return sympy.Piecewise((0, z <= 0), (z, True))


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid",
            r"\sigma",
            "σ",
            Fraction(1, 4),
            form=lambda z: functions.sigma(z),
            spellings=(r"\sigma", "sigmoid", "sigma", "σ"),
        ),
        Activation(
            "tanh",
            r"\tanh",
            "tanh",
            Fraction(1),
            form=lambda z: sympy.tanh(z),
            spellings=(r"\tanh", "tanh"),
        ),
        Activation(
            "relu",
            r"\operatorname{relu}",
            "relu",
            Fraction(1),
            form=_relu,
            spellings=("relu", "ReLU"),
            breakpoints=(Fraction(0),),
        ),
        Activation(
            "identity",
            r"\operatorname{id}",
            "id",
            Fraction(1),
            form=lambda z: z,
            spellings=(r"\operatorname{id}", "identity"),
        ),
        Activation(
            "phi",
            r"\varphi",
            "φ",
            None,
            form=lambda z: functions.phi(z),
            spellings=(r"\varphi", r"\phi", "phi", "φ", "ϕ"),
            numbers=False,
            stand_in=lambda z: sympy.tanh(z) + sympy.sin(3 * z) / 5,
        ),
    )
}

sigmoid = ACTIVATIONS["sigmoid"]
tanh = ACTIVATIONS["tanh"]
relu = ACTIVATIONS["relu"]
identity = ACTIVATIONS["identity"]
generic = ACTIVATIONS["phi"]


def register_activation(row: Activation) -> Activation:
    """Add an activation to the table; from then on every command, the checker and the
    web page accept it by its name and its spellings. Its derivative is derived by
    ``sympy.diff`` from ``row.form``.

    >>> import sympy
    >>> from fractions import Fraction
    >>> softsign = register_activation(Activation(
    ...     "softsign", r"\\operatorname{softsign}", "softsign", Fraction(1),
    ...     spellings=("softsign",), form=lambda z: z / (1 + sympy.Abs(z))))
    >>> softsign.derivative(sympy.Integer(2))
    1/9
    >>> _ = ACTIVATIONS.pop("softsign")
    """
    if row.form is None:
        raise InputError(f"activation {row.name!r} needs its SymPy form (form=...)")
    ACTIVATIONS[row.name] = row
    return row


def numeric_activations() -> tuple[str, ...]:
    """The activations that have numbers (every one but the generic φ)."""
    return tuple(name for name, a in ACTIVATIONS.items() if a.numbers)


def bounded_activations() -> tuple[str, ...]:
    """The activations whose γ = sup |φ'| is known (every one but the generic φ)."""
    return tuple(name for name, a in ACTIVATIONS.items() if a.bounded)


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
