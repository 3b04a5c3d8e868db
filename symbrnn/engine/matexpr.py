"""Matrix-level objects of BPTT as SymPy ``MatrixExpr`` subclasses.

``TimeVec`` (h_t, a_{t-1}, ...), ``Diag`` (Diag(v)), ``Apply`` (φ(v), φ'(v)
elementwise), ``Ones`` (the vector 1), ``Partial`` (an opaque ∂u/∂v),
``OrderedProduct`` (Π_{j=lo}^{hi} B_j, j decreasing from left to right),
``BracketPower`` (the collapsed [B]^n of the course), ``TimeSum`` (Σ over a
time index). They print through :mod:`symbrnn.printing.latex` and :mod:`symbrnn.printing.text`.

>>> from sympy import Symbol
>>> t, n = Symbol("t"), Symbol("n")
>>> h = TimeVec("h", t - 1, n)
>>> Diag(Apply("sigma", h, 1)).shape
(n, n)
"""

from __future__ import annotations

import sympy
from sympy import Basic, Integer, Symbol
from sympy.core.symbol import Str
from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy.matrices.expressions import Identity, MatAdd, MatMul, MatrixExpr, ZeroMatrix
from sympy.matrices.expressions.hadamard import HadamardProduct

t_, k_, j_ = (Symbol(s, integer=True) for s in ("t", "k", "j"))
ERASED = Symbol("•")  # time index dropped by the abuse of notation [Diag(σ')W]^n


class RNNExpr(MatrixExpr):
    """Base of symbrnn's matrix objects: they print through symbrnn's printers everywhere.

    SymPy's own ``latex()`` (hence Jupyter's ``_repr_latex_``) calls ``_latex``. As SymPy's
    ``Printable`` does, each hook imports its printer when it is first called: the engine
    never imports the printing layer when it is itself imported.
    """

    def _latex(self, printer):
        from symbrnn.printing.latex import latex

        method = getattr(printer, f"_print_{type(self).__name__}", None)
        return method(self) if method is not None else latex(self)

    def _sympystr(self, printer):
        """``str()`` is the Unicode text form (Diag(σ'(a₃)), ∏_{j=2}^{3} ...)."""
        from symbrnn.printing.text import text

        method = getattr(printer, f"_print_{type(self).__name__}", None)
        return method(self) if method is not None else text(self)

    def _repr_latex_(self):
        from symbrnn.printing.latex import latex

        return f"$\\displaystyle {latex(self)}$"


class TimeVec(RNNExpr):
    """A time-indexed column vector such as h_t or c̃_{t-1}."""

    def __new__(cls, name, t, rows, cols=1):
        name = Str(name) if isinstance(name, str) else name
        return Basic.__new__(cls, name, _sympify(t), _sympify(rows), _sympify(cols))

    name = property(lambda self: self.args[0].name)
    time = property(lambda self: self.args[1])
    shape = property(lambda self: (self.args[2], self.args[3]))

    def at(self, t):
        return TimeVec(self.name, t, *self.shape)


class Ones(RNNExpr):
    """The constant vector 1 (as in 1 − z_t)."""

    def __new__(cls, rows):
        return Basic.__new__(cls, _sympify(rows))

    shape = property(lambda self: (self.args[0], Integer(1)))


class Diag(RNNExpr):
    """Diag(v): the square matrix with the vector v on its diagonal."""

    def __new__(cls, vec):
        return Basic.__new__(cls, vec)

    vec = property(lambda self: self.args[0])
    shape = property(lambda self: (self.args[0].shape[0], self.args[0].shape[0]))


class Apply(RNNExpr):
    """φ(v) (order 0) or φ'(v) (order 1) applied to every entry of v."""

    def __new__(cls, fn, vec, order=0):
        fn = Str(fn) if isinstance(fn, str) else fn
        return Basic.__new__(cls, fn, vec, _sympify(order))

    fn = property(lambda self: self.args[0].name)
    vec = property(lambda self: self.args[1])
    order = property(lambda self: int(self.args[2]))
    shape = property(lambda self: self.args[1].shape)


class Partial(RNNExpr):
    """An opaque derivative ∂num/∂den in numerator layout; ``immediate`` marks ∂⁺.

    A matrix denominator counts as its vectorisation: ∂h_k/∂W is n × n², so
    that ∂L_t/∂h_t (1 × n) · ∂h_t/∂h_k (n × n) · ∂⁺h_k/∂W (n × n²) is 1 × n².
    """

    def __new__(cls, num, den, immediate=False):
        return Basic.__new__(cls, num, den, sympy.true if immediate else sympy.false)

    num = property(lambda self: self.args[0])
    den = property(lambda self: self.args[1])
    immediate = property(lambda self: bool(self.args[2]))

    @property
    def shape(self):
        rows = self.num.shape[0] if hasattr(self.num, "shape") else Integer(1)
        cols = self.den.shape[0] * self.den.shape[1] if hasattr(self.den, "shape") else Integer(1)
        return (rows, cols)


class TotalDerivative(Partial):
    """d num/d den, the total derivative (every path through earlier steps), numerator
    layout and shape as :class:`Partial`; ∂⁺ is its immediate part."""

    def __new__(cls, num, den, immediate=False):
        return Basic.__new__(cls, num, den, sympy.false)


class _OverSteps(RNNExpr):
    """A big operator over a time index: its body, the index and its bounds lo..hi."""

    def __new__(cls, body, index, lo, hi):
        return Basic.__new__(cls, body, index, _sympify(lo), _sympify(hi))

    body, index, lo, hi = (property(lambda self, i=i: self.args[i]) for i in range(4))
    shape = property(lambda self: self.args[0].shape)


class OrderedProduct(_OverSteps):
    """Π_{j=lo}^{hi} body(j), the factor j = hi on the left, j = lo on the right."""

    @property
    def length(self):
        return self.hi - self.lo + 1

    def factors(self) -> list:
        """The explicit factors, left to right (needs a concrete number of factors)."""
        count = self.length
        if not count.is_Integer:
            raise ValueError(f"{self} has no fixed number of factors")
        return [self.body.xreplace({self.index: self.hi - i}) for i in range(int(count))]


class BracketPower(RNNExpr):
    """[B]^n: an ordered product collapsed into a power (the course's abuse of notation)."""

    def __new__(cls, base, exponent):
        return Basic.__new__(cls, base, _sympify(exponent))

    base = property(lambda self: self.args[0])
    exponent = property(lambda self: self.args[1])
    shape = property(lambda self: self.args[0].shape)


class TimeSum(_OverSteps):
    """Σ_{index=lo}^{hi} body."""


# -- construction helpers that keep expressions tidy ---------------------------


def is_zero(m) -> bool:
    return isinstance(m, ZeroMatrix) or m == 0


def mul(*factors):
    """Matrix product, flattened, identities dropped, zero absorbing, signs pulled out."""
    sign, flat = 1, []
    for f in factors:
        if is_zero(f):
            return ZeroMatrix(factors[0].shape[0], factors[-1].shape[1])
        parts = f.args if isinstance(f, MatMul) else (f,)
        for p in parts:
            if p == sympy.S.NegativeOne:
                sign = -sign
            elif not isinstance(p, Identity):
                flat.append(p)
    shaped = [f for f in factors if hasattr(f, "shape")]
    if shaped and not any(getattr(p, "is_Matrix", False) for p in flat):  # c·I stays a matrix
        flat.append(Identity(shaped[0].shape[0]))
    out = flat[0] if len(flat) == 1 else MatMul(*flat)
    if sign == 1:
        return out
    return MatMul(-1, *(out.args if isinstance(out, MatMul) else (out,)))


def add(*terms):
    """Matrix sum, flattened, zeros dropped."""
    flat = []
    for term in terms:
        if is_zero(term):
            continue
        flat.extend(term.args if isinstance(term, MatAdd) else (term,))
    if not flat:
        return ZeroMatrix(*terms[0].shape)
    return flat[0] if len(flat) == 1 else MatAdd(*flat)


def neg(m):
    return mul(-1, m) if not is_zero(m) else m


def hadamard(a, b):
    return HadamardProduct(a, b)


def erase_time(expr, index):
    """Drop the time index ``index`` from every TimeVec (for [Diag(σ')W]^n)."""
    repl = {v: TimeVec(v.name, ERASED, *v.shape) for v in expr.atoms(TimeVec) if v.time.has(index)}
    return expr.xreplace(repl)
