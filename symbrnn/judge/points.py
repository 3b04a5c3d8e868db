"""Test points for judging: real trajectories of the cell at several sizes, compared by scale.

Two expressions are equivalent when they agree at every point: random weights
and inputs, the states those produce (so that h_3 ⊙ (1 − h_3) equals σ'(a_3)
for a sigmoid cell), shared random values for opaque symbols (∂L_t/∂h_t,
∂⁺h_k/∂W), at several sizes (n, d) so that a product that is defined only
when n = 2 or d = 1 is caught. Agreement is relative to the magnitude of the
expected value at each point, so that 0 is wrong for ∂h_20/∂h_1 even when
every entry is 1e-15; an expected entry that is exactly 0 must be exactly 0. The numbers
are Python floats in small matrices (:mod:`symbrnn.numeric.small`): no NumPy.

>>> from symbrnn.engine.cells import simple_rnn
>>> from symbrnn.engine.derive import Derivation
>>> D = Derivation.of(simple_rnn())
>>> P = Points(D, T=3)
>>> P.equal(D.jacobian("h", 3, 1), D.jacobian("h", 3, 1)).kind
'agree'
"""

from __future__ import annotations

import functools
import math
import random
import sys
from dataclasses import dataclass, field

from sympy.core.sympify import _sympify  # strict: never parses a string

from symbrnn.engine.matexpr import Partial
from symbrnn.numeric.instantiate import Evaluator, check_deadline, draw_point, forward
from symbrnn.numeric.small import SMALL, Small, add, isfinite, matmul, max_abs, zeros

SIZES = ((2, 1), (3, 2), (2, 3))
POINTS_PER_SIZE = 2
RELATIVE_TOLERANCE = 1e-10  # float64 evaluations of right answers agree to ~1e-15; a
# number near the key (0.99999999 W for W, + 10^{-8} W) is a wrong answer
UNDERFLOW = 1e-280  # below this scale a point says nothing: another point is used
KNOWN_LIMIT = 20_000  # subexpressions kept as first copies (for every point at once)
MEMO_LIMIT = 2_000  # values of subexpressions kept per point (a class repeats them; a server
# keeps 64 horizons of 6 points, so this bounds its memory)


@dataclass(eq=False)
class Point:
    """One test point: a trajectory of the cell at size (n, d), its inputs, the value of
    every named quantity at every step (``env``), the values drawn for the opaque symbols
    met so far, and the evaluator that keeps the values of the subexpressions it met."""

    n: int
    d: int
    values: dict
    xs: list
    initial: dict
    env: dict
    seed: int
    opaque: dict = field(default_factory=dict)
    evaluator: Evaluator | None = None


class Comparison(tuple):
    """What the test points say of two expressions: ``kind`` is ``agree``, ``differ`` (``where``
    says the point, the entry and both values), ``shape`` (not matrices of the same shape at
    some size: ``where["error"]`` says which) or ``cannot_judge`` (every point under- or
    overflows). It reads as the pair (agree, where) as well.

    >>> c = Comparison("differ", {"point": 0})
    >>> c.kind, c.agree, c.where, tuple(c) == (False, {"point": 0})
    ('differ', False, {'point': 0}, True)
    """

    KINDS = ("agree", "differ", "shape", "cannot_judge")

    def __new__(cls, kind: str, where: dict | None = None):
        if kind not in cls.KINDS:
            raise ValueError(f"a comparison is one of {', '.join(cls.KINDS)}")
        self = super().__new__(cls, (kind == "agree", where))
        self.kind = kind
        return self

    def __getnewargs__(self):  # pickled (a worker's result) as its kind and where
        return self.kind, self.where

    @property
    def agree(self) -> bool:
        return self[0]

    @property
    def where(self) -> dict | None:
        return self[1]


class Points:
    """Random trajectories of the cell, with shared values for opaque symbols."""

    def __init__(
        self, D, T: int, *, seed=0, sizes=SIZES, per_size=POINTS_PER_SIZE, zero_bias=False
    ):
        self.D, self.T = D, T
        rng = random.Random(seed)
        self.points: list[Point] = []
        self._known: dict = {}  # each expression evaluated, kept as its first copy
        self._parts: dict = {}  # and each of their subexpressions, shared by the points
        self._ids: dict = {}  # id → (expression, its first copy): one deep comparison each
        for n, d in sizes:
            for k in range(per_size):
                values, xs, initial = draw_point(
                    D,
                    n,
                    d,
                    T,
                    lambda kind, _, rows, cols: _uniform(rng, rows, cols),
                    wide=k % 2 == 1,  # every other point past the activations' breakpoints
                )
                if zero_bias:
                    values = {
                        k: zeros(*v.shape) if D.trace.role_of(k) == "bias" else v
                        for k, v in values.items()
                    }
                env = forward(D, values, xs, initial, SMALL)
                self.points.append(Point(n, d, values, xs, initial, env, rng.randrange(1 << 30)))

    def _first_copy(self, expr):
        """The first copy of ``expr`` evaluated here: an answer read again is a new object
        equal to it, and a memo looked up with a new object compares the whole tree at each
        look-up; with the first copy it is found by identity."""
        seen = self._ids.get(id(expr))
        if seen is not None and seen[0] is expr:
            return seen[1]
        if len(self._known) > MEMO_LIMIT:
            self._known.clear()
        first = self._known.setdefault(expr, expr)
        if len(self._ids) > MEMO_LIMIT:
            self._ids.clear()
        self._ids[id(expr)] = (expr, first)
        return first

    def evaluate(self, expr, point: Point):
        """The value of an expression at a point. One evaluator per point keeps the values of
        the subexpressions it met, so the expected result and the factors every answer
        shares are computed once per point, not once per answer."""
        expr = self._first_copy(expr)
        ev = point.evaluator
        if ev is not None:
            known = ev.memo.get(expr)
            if known is not None:
                return known
        if ev is None or len(ev.memo) > MEMO_LIMIT:
            ev = point.evaluator = _PointEvaluator(point, self.D, self._parts)
        value = ev(expr)
        if not isinstance(value, Small):
            raise TypeError(f"{expr} is not a matrix")
        return value

    def equal(self, a, b) -> Comparison:
        """What the points say of ``a`` against ``b`` (a :class:`Comparison`): they agree, or
        where they differ (the point, the entry, both values), or why they cannot be compared."""
        informative = 0
        for index, point in enumerate(self.points):
            check_deadline()  # the check's budget, at every point of every edit tried
            try:
                va, vb = self.evaluate(a, point), self.evaluate(b, point)
            except (ValueError, KeyError, TypeError) as exc:
                return Comparison("shape", {"error": f"cannot evaluate: {exc}"})
            if va.shape != vb.shape:
                shown = f"shapes differ at n={point.n}, d={point.d}: {va.shape} against {vb.shape}"
                return Comparison("shape", {"error": shown})
            if not isfinite(vb):
                continue  # the expected value overflows here: the point says nothing
            yours = va.entries()
            infinite = [i for i, x in enumerate(yours) if math.isinf(x)]
            if infinite:  # yours overflows where it is finite: wrong
                return _differ(index, va, vb, infinite[0])
            if not all(math.isfinite(x) for x in yours):
                continue  # inf − inf: this point cannot tell
            scale = max_abs(vb)
            if 0 < scale < UNDERFLOW:
                continue
            informative += 1
            gaps = [abs(x - y) for x, y in zip(yours, vb.entries(), strict=True)]
            worst = max(range(len(gaps)), key=gaps.__getitem__, default=None)
            if worst is not None and gaps[worst] > RELATIVE_TOLERANCE * scale:
                return _differ(index, va, vb, worst)
        if not informative:
            where = {"error": "every test point under- or overflows: cannot judge"}
            return Comparison("cannot_judge", where)
        return Comparison("agree")

    def fingerprint(self, expr) -> str:
        """A stable key of an expression's values at every point (12 hex digits): answers
        equal at every test point share it (a class's answers grouped by their meaning).
        Empty when the expression cannot be evaluated here."""
        parts = []
        try:
            for point in self.points:
                value = self.evaluate(expr, point)
                scale = max_abs(value)
                if not math.isfinite(scale):
                    return ""
                parts.append((value.shape, rounded(value, scale, 6), float(f"{scale:.6e}")))
        except (ValueError, KeyError, TypeError):
            return ""
        return digest(parts, 12)

    def opaque_values(self, index: int, *exprs) -> dict:
        """The values the point gives the opaque symbols of ``exprs`` (∂L_t/∂h_t,
        ∂⁺h_k/∂W), by name."""
        from symbrnn.printing.text import text

        opaque = self.points[index].opaque
        symbols = {p for e in exprs for p in e.atoms(Partial) if p in opaque}
        shown = {p: opaque[p].map(lambda v: round(v, 12)) for p in symbols}
        return {text(p): shown[p].tolist() for p in sorted(symbols, key=str)}

    def describe(self, index: int) -> dict:
        point = self.points[index]
        return {
            "n": point.n,
            "d": point.d,
            "weights": {k: v.tolist() for k, v in point.values.items()},
            "x": [x.entries() for x in point.xs],
            "initial": {k: v.entries() for k, v in point.initial.items()},
        }


class _PointEvaluator(Evaluator):
    """The evaluator of one point: an opaque symbol (∂L_t/∂h_t, ∂⁺h_k/∂W) is given its
    value when it is first met, drawn from the point's seed and the symbol's own name: the
    same value whatever was met before it, from run to run and under any PYTHONHASHSEED
    (an answer's edits are not searched for their opaque symbols beforehand)."""

    def __init__(self, point: Point, D, known: dict):
        dims = {D.n: point.n, D.d: point.d}
        super().__init__(point.env, point.values, SMALL, dims, point.opaque)
        self.point, self.D, self.known = point, D, known

    def __call__(self, expr):
        """The value of ``expr``, looked up by the first copy of it met at any point: a
        subexpression of a new answer is compared with the kept ones once, not at each point
        (the memo finds the first copy by identity)."""
        if len(self.known) > KNOWN_LIMIT:
            self.known.clear()
        return super().__call__(self.known.setdefault(expr, expr))

    def _eval(self, e):
        if isinstance(e, Partial) and e not in self.partials:
            from symbrnn.judge.named import immediate_parts

            parts = immediate_parts(self.D, e)
            if parts is None:
                self.partials[e] = self._drawn(e)
            else:  # ∂⁺h_k/∂W_f = ∂h_k/∂c_k ∂⁺c_k/∂W_f: through the cell's graph
                value = zeros(*self._shape(e))
                for q, within in parts:
                    own = self._drawn(Partial(self.D.vec(q, e.num.time), e.den, True))
                    value = add(value, own if within is None else matmul(self(within), own))
                self.partials[e] = value
        return super()._eval(e)

    def _shape(self, e) -> tuple[int, int]:
        return tuple(_size(s, self.point.n, self.point.d, self.D) for s in e.shape)

    def _drawn(self, e):
        rows, cols = self._shape(e)
        rng = random.Random(f"{self.point.seed} {e}")  # a str seeds through SHA-512: stable
        return Small(tuple(tuple(rng.gauss() for _ in range(cols)) for _ in range(rows)), cols)


def _uniform(rng: random.Random, rows: int, cols: int) -> Small:
    """A matrix of numbers drawn in [−1, 1], rounded to 1 decimal."""
    return Small(
        tuple(tuple(round(rng.uniform(-1, 1), 1) + 0.0 for _ in range(cols)) for _ in range(rows))
    )


def _differ(index: int, va: Small, vb: Small, flat: int) -> Comparison:
    """Where two values differ: the point, the entry (row, column) and both values (an
    overflow is shown as the largest float)."""
    i, j = divmod(flat, va.shape[1])
    yours = max(-sys.float_info.max, min(sys.float_info.max, va.rows[i][j]))
    where = {"point": index, "entry": [i, j], "yours": yours, "expected": vb.rows[i][j]}
    return Comparison("differ", where)


def rounded(value: Small, scale: float, decimals: int) -> tuple:
    """The entries of ``value`` divided by ``scale`` (when not 0) and rounded (−0 as 0)."""
    if not scale:
        return tuple(x + 0.0 for x in value.entries())
    return tuple(round(x / scale, decimals) + 0.0 for x in value.entries())


def digest(parts, digits: int) -> str:
    """``digits`` hex digits of the hash of numbers (ints, floats and tuples of them: their
    hash is the same in every process, unlike a string's)."""
    return f"{hash(tuple(parts)) & (16**digits - 1):0{digits}x}"


def _size(expr, n, d, D) -> int:
    return int(_sympify(expr).xreplace({D.n: n, D.d: d}))


@functools.lru_cache(maxsize=64)
def cached_points(D, T: int, zero_bias: bool = False) -> Points:
    """The points of a derivation and horizon, built once (grading repeats them)."""
    return Points(D, T, zero_bias=zero_bias)


@functools.lru_cache(maxsize=16)
def _hypothesis_points(D, T: int, hypothesis: tuple) -> Points:
    points = Points(D, T)
    for point in points.points:
        env = point.env
        for name, value in hypothesis:
            for t in range(1, T + 1):
                if (name, t) in env:
                    rows, cols = env[name, t].shape
                    env[name, t] = Small(((float(value),) * cols,) * rows, cols)
    return points


def hypothesis_points(D, T: int, hypothesis: dict) -> Points:
    """Points where the named quantities of every step hold the question's constants
    (IV.3: f_t = 1 and i_t = 0): an answer is judged under the hypothesis it was asked
    under. A name the cell does not compute is an error."""
    from symbrnn.errors import InputError

    known = {n.name for n in D.trace.named_nodes}
    unknown = sorted(set(hypothesis) - known)
    if unknown:
        raise InputError(
            f"hypothesis on {unknown[0]}: this cell computes {', '.join(sorted(known))}"
        )
    return _hypothesis_points(D, T, tuple(sorted(hypothesis.items())))
