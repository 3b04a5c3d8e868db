"""Float functions of the engine's own SymPy expressions, with ``math`` only (no NumPy).

An activation's form (and its derived derivative) is walked once into nested closures of
Python floats: the judge evaluates σ'(a_3) at its test points without importing NumPy.
Functions are found by their SymPy name in ``math`` (tanh, cosh, exp, sin…), σ is the
stable sigmoid; a float that overflows is ±inf and a domain error is nan, as NumPy says.

>>> import sympy
>>> from symbrnn.engine.activations import ACTIVATIONS
>>> f = float_form(ACTIVATIONS["relu"].derivative)
>>> f(-1.0), f(0.0), f(2.0)
(0.0, 0.0, 1.0)
>>> float_form(ACTIVATIONS["sigmoid"].derivative)(-800.0)
0.0
"""

from __future__ import annotations

import math
import operator

import sympy

INF = math.inf
_CLAMP = 700.0  # |z| at which exp(z) is still a float: the sign of an overflow is read there


def sigmoid(z: float) -> float:
    """σ(z) = 1/(1 + e^{−z}) without overflow, accurate where σ is 1e-300."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _sign(z: float) -> float:
    return float((z > 0) - (z < 0)) if z == z else z


_FUNCTIONS = {"sigma": sigmoid, "Abs": abs, "sign": _sign, "Max": max, "Min": min}
_RELATIONS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def float_form(form):
    """float → float of the SymPy form ``form`` (a callable of a SymPy expression), in
    the stable terms of NumPy's (1 − σ(x) as σ(−x), 1 − tanh²(x) as sech²(x))."""
    from symbrnn.engine.functions import _stable_form

    x, expr = _stable_form(form)
    return _compile(expr, x)


def _compile(e, x):
    if e == x:
        return lambda v: v
    if e.is_number:  # no free symbol: 2, 1/5, sqrt(2/π)
        c = complex(e)
        c = c.real if c.imag == 0 else math.nan
        return lambda v: c
    if isinstance(e, sympy.Add | sympy.Mul):
        return _fold(e, x)
    if isinstance(e, sympy.Pow):
        base, exp = _compile(e.base, x), _compile(e.exp, x)
        return lambda v: _pow(base(v), exp(v))
    if isinstance(e, sympy.Piecewise):
        pieces = [(_compile(p.expr, x), _condition(p.cond, x)) for p in e.args]
        return lambda v: next((f(v) for f, holds in pieces if holds(v)), math.nan)
    if isinstance(e, sympy.Function):
        return _applied(e, x)
    raise ValueError(f"no float form for {e}")


def _fold(e, x):
    parts = [_compile(a, x) for a in e.args]
    if isinstance(e, sympy.Add):
        return lambda v: sum([f(v) for f in parts], 0.0)

    def product(v):
        out = 1.0
        for f in parts:
            out *= f(v)
        return out

    return product


def _applied(e, x):
    name = type(e).__name__
    fn = _FUNCTIONS.get(name) or getattr(math, name, None)
    if fn is None:
        raise ValueError(f"no float form for the function {name}")
    args = [_compile(a, x) for a in e.args]

    def call(v):
        values = [a(v) for a in args]
        try:
            return float(fn(*values))
        except OverflowError:  # exp(800), cosh(800): inf of the sign it grows with
            near = [max(-_CLAMP, min(_CLAMP, a)) for a in values]
            return math.copysign(INF, fn(*near))
        except (ValueError, ZeroDivisionError):
            return math.nan

    return call


def _pow(b: float, e: float) -> float:
    try:
        return math.pow(b, e)
    except OverflowError:
        return -INF if b < 0 and e % 2 == 1 else INF
    except ValueError:  # 0 to a negative power, or a negative base to a fraction
        if b == 0:
            return math.copysign(INF, b) if e % 2 == 1 else INF
        return math.nan


def _condition(c, x):
    if c is sympy.true or c is sympy.false:
        return lambda v, holds=bool(c): holds
    if isinstance(c, sympy.core.relational.Relational):
        lhs, rhs, op = _compile(c.lhs, x), _compile(c.rhs, x), _RELATIONS[c.rel_op]
        return lambda v: op(lhs(v), rhs(v))
    parts = [_condition(a, x) for a in c.args]
    if isinstance(c, sympy.And):
        return lambda v: all(p(v) for p in parts)
    if isinstance(c, sympy.Or):
        return lambda v: any(p(v) for p in parts)
    if isinstance(c, sympy.Not):
        return lambda v: not parts[0](v)
    raise ValueError(f"no float form for the condition {c}")
