"""Element-level instantiation: run a cell's graph and evaluate derived formulas at values.

Backends share one walker: SymPy ``Matrix`` (exact, the ground truth of the
tests), NumPy arrays (numbers for ``evaluate``, built on first use) and the judge's small
float matrices (:mod:`symbrnn.numeric.small`). The walker reads the
matrix expressions of :mod:`symbrnn.engine.derive`, so the numbers come from the
derived formulas, not from a separate backpropagation.

>>> import sympy
>>> from symbrnn.engine.cells import simple_rnn
>>> from symbrnn.engine.derive import Derivation
>>> D = Derivation(simple_rnn(bias=False), n=1, d=1)
>>> values = {"W": sympy.Matrix([[2]]), "U": sympy.Matrix([[0]])}
>>> env = forward(D, values, xs=[sympy.Matrix([[0]])], initial={"h": sympy.Matrix([[0]])}, ops=SYMPY)
>>> env["h", 1]
Matrix([[sigma(0)]])
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import time
from dataclasses import dataclass
from functools import reduce

import sympy
from sympy import BlockMatrix, Identity, MatAdd, MatMul, MatrixSymbol, Transpose, ZeroMatrix
from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy.matrices.expressions.hadamard import HadamardProduct

from symbrnn.engine.activations import ACTIVATIONS
from symbrnn.engine.matexpr import Apply, Diag, Ones, OrderedProduct, Partial, TimeVec
from symbrnn.engine.ops import OPS
from symbrnn.errors import DerivationError


@dataclass(frozen=True)
class Ops:
    """The operations a backend provides."""

    matmul: object
    add: object
    scale: object
    hadamard: object
    diag: object
    apply: object
    identity: object
    zeros: object
    ones: object
    transpose: object
    block: object


SYMPY = Ops(
    matmul=lambda a, b: a * b,
    add=lambda a, b: a + b,
    scale=lambda c, a: c * a,
    hadamard=lambda a, b: a.multiply_elementwise(b),
    diag=lambda v: sympy.diag(*list(v)),
    apply=lambda act, v, order: v.applyfunc(act.sympy_form if order == 0 else act.derivative),
    identity=sympy.eye,
    zeros=sympy.zeros,
    ones=lambda n: sympy.ones(n, 1),
    transpose=lambda a: a.T,
    block=lambda rows: sympy.BlockMatrix(rows).as_explicit(),
)


def _numpy_ops() -> Ops:
    """The NumPy backend (the numeric commands: evaluate, spectral, the proofs' finite
    differences), built on its first use: the judge's numbers do not need NumPy
    (:mod:`symbrnn.numeric.small`)."""
    import numpy as np

    def _add(a, b):
        """a + b of two matrices of the same shape (NumPy would broadcast W + U when d = 1)."""
        if np.ndim(a) == 2 and np.ndim(b) == 2 and np.shape(a) != np.shape(b):
            raise ValueError(f"a sum of a {np.shape(a)} and a {np.shape(b)} matrix")
        return np.add(a, b)

    return Ops(
        matmul=np.matmul,
        add=_add,
        scale=lambda c, a: float(c) * a,
        hadamard=np.multiply,
        diag=lambda v: np.diag(np.ravel(v)),
        apply=lambda act, v, order: act.numpy(v) if order == 0 else act.numpy_derivative(v),
        identity=lambda n: np.eye(n),
        zeros=lambda r, c: np.zeros((r, c)),
        ones=lambda n: np.ones((n, 1)),
        transpose=np.transpose,
        block=np.block,
    )


def __getattr__(name: str):
    if name == "NUMPY":  # ``from symbrnn.numeric.instantiate import NUMPY`` builds it once
        globals()["NUMPY"] = ops = _numpy_ops()
        return ops
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def draw_point(derivation, n: int, d: int, T: int, draw, *, wide: bool = False):
    """The inputs of one trajectory, each matrix made by ``draw(kind, name, rows, cols)``:
    every parameter at its concrete shape (kind 'parameter'), x_1..x_T ('input', named
    'x1'…) and the initial states ('state', named by the state), in that order. A ``wide``
    point's inputs are scaled by :func:`reach`, past the breakpoints of the activations.

    >>> from symbrnn.engine.cells import lstm
    >>> from symbrnn.engine.derive import Derivation
    >>> import numpy as np
    >>> values, xs, initial = draw_point(
    ...     Derivation.of(lstm()), 3, 2, 4, lambda kind, name, r, c: np.zeros((r, c)))
    >>> values["U_f"].shape, len(xs), xs[0].shape, sorted(initial)
    ((3, 2), 4, (2, 1), ['c', 'h'])
    """
    D = derivation
    values = {p: draw("parameter", p, *D.concrete_shape(p, n, d)) for p in D.params}
    xs = [draw("input", f"x{t}", d, 1) for t in range(1, T + 1)]
    if wide:
        xs = [reach(D) * x for x in xs]
    initial = {s: draw("state", s, n, 1) for s in D.states}
    return values, xs, initial


def reach(derivation) -> float:
    """How far a wide test point draws its inputs x_t: twice the farthest breakpoint of the
    cell's activations (their rows say where their forms change piece), at least 1, so that
    the judge's points and the finite differences see every piece (hard sigmoid's both
    saturations, not its linear piece alone).

    >>> from symbrnn.engine.cells import simple_rnn
    >>> from symbrnn.engine.derive import Derivation
    >>> reach(Derivation.of(simple_rnn()))
    1.0
    """
    far = [abs(b) for node in derivation.trace.nodes if node.fn for b in node.fn.breakpoints]
    return float(max([1, *(2 * b for b in far)]))


def forward(
    derivation, values, xs, initial, ops, *, perturb=None, detach=None, base=None, bind=None
):
    """Unroll the cell: the value of every named quantity and state at every step.

    ``values`` maps parameter names to matrices, ``xs`` holds x_1..x_T,
    ``initial`` the states at t = 0. ``perturb`` maps (state, k) to a vector
    added to that state right after step k computes it (the quantities of
    step k computed from it see the change); ``detach`` names states whose
    previous values are read from ``base`` (an unperturbed run) instead.
    ``bind(name, t, value)`` may stand a named quantity's value in for what the
    quantities after it read (the element-level proof binds each to fresh symbols).
    """
    trace = derivation.trace
    env = {(s, 0): initial[s] for s in derivation.states}
    for (s, k), delta in (perturb or {}).items():
        if k == 0:
            env[s, 0] = ops.add(env[s, 0], delta)
    for t, x in enumerate(xs, start=1):
        env["x", t] = x
        memo: dict[int, object] = {}

        def val(node, t=t, memo=memo):
            if id(node) in memo:
                return memo[id(node)]
            if node.op == "state":
                src = base if detach and node.name in detach else env
                out = src[node.name, t - 1]
            elif node.op == "input":
                out = env["x", t]
            elif node.op == "param":
                out = values[node.name]
            elif node.op == "one":
                out = ops.ones(initial[derivation.states[0]].shape[0])
            else:
                out = OPS[node.op].evaluate(ops, [val(arg) for arg in node.args], node)
                if node.kind == "new" and perturb and (node.name, t) in perturb:
                    out = ops.add(out, perturb[node.name, t])
                if bind is not None and node.name:
                    out = bind(node.name, t, out)
            memo[id(node)] = out
            return out

        for node in trace.named_nodes:
            env[node.name, t] = val(node)
        for s, node in zip(derivation.states, trace.outputs, strict=True):
            env[s, t] = val(node)
    return env


_DEADLINE: contextvars.ContextVar = contextvars.ContextVar("symbrnn_deadline", default=None)


@contextlib.contextmanager
def time_limit(seconds: float, error: BaseException):
    """Every evaluation inside the block raises ``error`` once ``seconds`` have passed.

    A cooperative bound (checked at each node an Evaluator visits), so it holds in any
    thread, a web server's included, where SIGALRM cannot reach.
    """
    token = _DEADLINE.set((time.monotonic() + seconds, error))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_deadline():
    """Raise the error of the enclosing :func:`time_limit` once its time has passed: a cheap
    check for the loops of other layers (a product read, an edit tried, a point)."""
    limit = _DEADLINE.get()
    if limit is not None and time.monotonic() > limit[0]:
        raise limit[1]


_UNKNOWN = object()


class Evaluator:
    """Evaluates a symbrnn matrix expression at concrete values, with memoisation."""

    def __init__(self, env, values, ops, dims, partials=None):
        self.env, self.values, self.ops, self.dims = env, values, ops, dims
        self.partials = partials if partials is not None else {}
        self.memo: dict = {}

    def size(self, e) -> int:
        return int(_sympify(e).xreplace(self.dims))

    def __call__(self, expr):
        out = self.memo.get(expr, _UNKNOWN)  # one look-up: an equal key is compared deeply
        if out is _UNKNOWN:
            out = self.memo[expr] = self._eval(expr)
        return out

    def _eval(self, e):
        check_deadline()
        for cls in type(e).__mro__:
            rule = _EVALUATE.get(cls)
            if rule is not None:
                return rule(self, e)
        if isinstance(e, Partial) and e in self.partials:
            return self.partials[e]
        raise DerivationError(f"cannot evaluate {type(e).__name__} {e} at numbers")


def _matmul(ev, e):
    scalar = [a for a in e.args if not a.is_Matrix]
    out = reduce(ev.ops.matmul, [ev(a) for a in e.args if a.is_Matrix])
    for c in scalar:
        out = ev.ops.scale(c, out)
    return out


def _ordered_product(ev, e):
    """Π_{j=lo}^{hi} body = body(hi) Π_{j=lo}^{hi-1} body, built upwards from the shortest
    product still to compute, so products sharing ``lo`` share work and nothing recurses."""
    lo, hi = int(e.lo), int(e.hi)
    if hi < lo:
        return ev.ops.identity(ev.size(e.shape[0]))
    top = hi
    while top > lo and OrderedProduct(e.body, e.index, lo, top - 1) not in ev.memo:
        top -= 1
    shorter = OrderedProduct(e.body, e.index, lo, top - 1)
    acc = ev.memo.get(shorter)
    for j in range(top, hi + 1):
        factor = ev(_at_step(e.body, e.index, j))
        acc = factor if acc is None else ev.ops.matmul(factor, acc)
        ev.memo[OrderedProduct(e.body, e.index, lo, j)] = acc
    return acc


@functools.lru_cache(maxsize=4096)
def _at_step(body, index, j):
    """The factor of a product at step j: the same expression at every point evaluated."""
    return body.xreplace({index: j})


# How each matrix object of the engine evaluates on a backend: one row per class.
_EVALUATE = {
    TimeVec: lambda ev, e: ev.env[e.name, int(e.time)],
    MatrixSymbol: lambda ev, e: ev.values[e.name],
    Identity: lambda ev, e: ev.ops.identity(ev.size(e.shape[0])),
    ZeroMatrix: lambda ev, e: ev.ops.zeros(ev.size(e.shape[0]), ev.size(e.shape[1])),
    Ones: lambda ev, e: ev.ops.ones(ev.size(e.shape[0])),
    Diag: lambda ev, e: ev.ops.diag(ev(e.vec)),
    Apply: lambda ev, e: ev.ops.apply(ACTIVATIONS[e.fn], ev(e.vec), e.order),
    MatMul: _matmul,
    MatAdd: lambda ev, e: reduce(ev.ops.add, [ev(a) for a in e.args]),
    HadamardProduct: lambda ev, e: reduce(ev.ops.hadamard, [ev(a) for a in e.args]),
    Transpose: lambda ev, e: ev.ops.transpose(ev(e.arg)),
    BlockMatrix: lambda ev, e: ev.ops.block([[ev(b) for b in row] for row in e.blocks.tolist()]),
    OrderedProduct: _ordered_product,
}


def register_evaluation(cls, rule):
    """Teach the evaluator a matrix object of another layer: ``rule(evaluator, expr)``
    returns its value (the judge's element-level members)."""
    _EVALUATE[cls] = rule


def evaluate(expr, env, values, ops, dims, partials=None):
    """Evaluate one expression (see :class:`Evaluator`)."""
    return Evaluator(env, values, ops, dims, partials)(expr)
