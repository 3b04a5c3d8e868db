"""Elementwise activations: one row each, with the forward map and its derivative.

Each row knows its SymPy form (from which the derivative is *derived* by
``sympy.diff``; the built-ins' forms are in ``engine.functions``), its LaTeX and
Unicode glyphs, the spellings a student may type for it (the checker's notation), and
γ = sup |φ'| (the bound of the vanishing-gradient argument). Every command, the checker
and the web page read this table: a new activation is one :func:`register_activation`.

>>> import sympy
>>> x = sympy.Symbol("x")
>>> ACTIVATIONS["sigmoid"].derivative(x)
(1 - sigma(x))*sigma(x)
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    # What a student may type for it: LaTeX commands (\\sigma, \\operatorname{relu}) and
    # words (sigmoid, σ); a word is read bare and inside \\operatorname{…} or \\mathrm{…}.
    spellings: tuple[str, ...] = ()
    # φ as a SymPy function of a SymPy expression; None: the built-in form of engine.functions
    form: object = field(default=None, compare=False, repr=False)

    @property
    def sympy_form(self):
        """Callable: SymPy expression → SymPy expression (engine.functions, loaded on use)."""
        if self.form is not None:
            return self.form
        from symbrnn.engine.functions import FORMS

        return FORMS[self.name]

    @property
    def bounded(self) -> bool:
        """Whether γ = sup |φ'| is known (the spectral bounds need it)."""
        return self.sup_derivative is not None

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

        xi = sympy.Dummy("xi", real=True)  # φ: R → R (|z|' is sign(z), not a complex form)
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
        Activation(
            "sigmoid",
            r"\sigma",
            "σ",
            Fraction(1, 4),
            spellings=(r"\sigma", "sigmoid", "sigma", "σ"),
        ),
        Activation("tanh", r"\tanh", "tanh", Fraction(1), spellings=(r"\tanh", "tanh")),
        Activation(
            "relu",
            r"\operatorname{relu}",
            "relu",
            Fraction(1),
            spellings=("relu", "ReLU"),
        ),
        Activation(
            "identity",
            r"\operatorname{id}",
            "id",
            Fraction(1),
            spellings=(r"\operatorname{id}", "identity"),
        ),
        Activation(
            "phi",
            r"\varphi",
            "φ",
            None,
            stand_in="phi_stand_in",
            spellings=(r"\varphi", r"\phi", "phi", "φ", "ϕ"),
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
    if row.form is None and row.name not in ACTIVATIONS:
        from symbrnn.engine.functions import FORMS

        if row.name not in FORMS:
            raise InputError(f"activation {row.name!r} needs its SymPy form (form=...)")
    ACTIVATIONS[row.name] = row
    return row


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
