"""The SymPy side of the activations: σ and the generic φ, φ' as SymPy functions, and
numbers of the derived forms (each activation's form is its row's): NumPy functions for
the numeric commands, float → float functions (``math``, no NumPy) for the judge.

Imported on first use only, so that tracing a cell or counting parameters needs no SymPy.
"""

from __future__ import annotations

import sympy
from sympy import Function, Symbol


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


def _stable_sigmoid(z):
    """σ(z) = exp(−log(1 + e^{−z})), accurate to the last bit even where σ is 1e-300."""
    import numpy as np

    return np.exp(-np.logaddexp(0.0, -z))


def numpy_function(args, expr, functions=None):
    """A NumPy function of one of symbrnn's own expressions (never of user text).

    The printer is given the few functions it needs instead of the whole NumPy
    namespace, which ``lambdify(..., "numpy")`` imports at a cost of 0.2 s.
    """
    from sympy.printing.numpy import NumPyPrinter

    functions = functions or {}
    printer = NumPyPrinter(
        {
            "fully_qualified_modules": False,
            "inline": True,
            "allow_unknown_functions": True,
            "user_functions": {name: name for name in functions},
        }
    )
    return sympy.lambdify(args, expr, modules=[functions], printer=printer)


def lambdify_form(form):
    """A NumPy function of the derived SymPy form, in numerically stable terms.

    Saturation is where gradients vanish, so it must not turn into overflow or
    lose relative accuracy: 1 − σ(z) is evaluated as σ(−z), 1 − tanh²(z) as
    sech²(z), σ through ``logaddexp``; nothing is rewritten into exponentials.
    """
    import numpy as np

    x, expr = _stable_form(form)
    f = numpy_function(x, expr, {"sigma": _stable_sigmoid})

    def evaluate(v):
        with np.errstate(over="ignore", under="ignore"):
            out = f(np.asarray(v, dtype=float))
        return np.broadcast_to(out, np.shape(v)).astype(float)

    return evaluate


def _stable_form(form):
    """(x, form(x)) with 1 − σ(x) written σ(−x) and 1 − tanh²(x) written sech²(x)."""
    x = Symbol("x", real=True)
    expr = form(x) if form is not None else x
    rules = {1 - sigma(x): sigma(-x), 1 - sympy.tanh(x) ** 2: 1 / sympy.cosh(x) ** 2}
    stable = expr.xreplace(rules)  # the derived forms hold them as terms: a cheap replace
    if stable == expr and expr.has(sigma, sympy.tanh) and expr.atoms(sympy.Add):
        stable = expr.subs(rules)  # 1 − tanh²(x) inside a longer sum (the generic φ's)
    return x, stable
