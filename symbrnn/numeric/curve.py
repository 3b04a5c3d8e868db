"""The norm curve ‖∂h_T/∂h_1‖₂, T = 1..N, of a simple RNN along a trajectory, and what it does.

:func:`norm_curve` evaluates the derived one-step Jacobian ∂h_j/∂h_{j−1} at every step at
once and multiplies the ordered product step by step, rescaled by powers of two so that
nothing overflows on the way; :func:`curve_trend` says whether the curve grows, decays,
rises then falls (transient growth), stays flat or is exactly 0; :func:`curve_text` says
it in one sentence.

>>> curve_trend(norm_curve([[0.5]], "identity", T=3))["kind"]
'decays'
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from symbrnn.engine.activations import activation as lookup_activation
from symbrnn.errors import InputError
from symbrnn.numeric.weights import parse_matrix


def curve_trend(norms: list[float], rel: float = 1e-9) -> dict:
    """What a computed curve ‖∂h_T/∂h_1‖, T = 1..N, does: ``zero`` (from some T on),
    ``grows`` (it ends above where it started and at its largest), ``transient`` (it
    rises above its start, then falls below its peak), ``decays``, or ``flat``.

    >>> curve_trend([1.0, 2.0, 0.5])["kind"]
    'transient'
    >>> curve_trend([2.0, 1.0, 0.0, 0.0])["kind"], curve_trend([2.0, 1.0, 0.0, 0.0])["at"]
    ('zero', 3)
    """
    values = [float(v) for v in norms]
    first, last, T = values[0], values[-1], len(values)
    peak = max(values)
    at = values.index(peak) + 1
    zeros = [t for t, v in enumerate(values, 1) if v == 0.0]
    if zeros and all(v == 0.0 for v in values[zeros[0] - 1 :]):
        return {"kind": "zero", "at": zeros[0], "first": first, "last": last, "T": T}
    tol = rel * max(abs(first), 1e-300)
    if peak > first + tol and last < peak - rel * peak:
        kind = "transient"
    elif last > first + tol:
        kind = "grows"
    elif last < first - tol:
        kind = "decays"
    else:
        kind = "flat"
    return {
        "kind": kind,
        "first": first,
        "last": last,
        "peak": peak,
        "at": at,
        "low": min(values),
        "high": peak,
        "T": T,
    }


def curve_text(norms: list[float]) -> str:
    """What the computed curve ‖∂h_T/∂h_1‖₂ does, in one sentence (from :func:`curve_trend`).

    >>> curve_text([1.0, 2.0, 4.0])
    'the computed curve grows: 1 at T = 1, 4 at T = 3'
    """
    t = curve_trend([v if np.isfinite(v) else float("inf") for v in norms])
    if t["kind"] == "zero":
        return f"the computed curve is exactly 0 from T = {t['at']} on"
    if t["kind"] == "transient":
        return (
            f"the computed curve first grows (transient growth), to {t['peak']:.3g} at "
            f"T = {t['at']}, then falls to {t['last']:.3g} at T = {t['T']}"
        )
    if t["kind"] == "flat":
        return f"the computed curve stays at {t['first']:.3g} up to T = {t['T']}"
    verb = "grows" if t["kind"] == "grows" else "decays"
    return f"the computed curve {verb}: {t['first']:.3g} at T = 1, {t['last']:.3g} at T = {t['T']}"


def norm_curve(
    W, activation="sigmoid", T=50, *, h0=None, inputs="none", seed=0, xs=None
) -> list[float]:
    """‖∂h_T/∂h_1‖₂ for T = 1..N, from the derived Jacobian along the trajectory.

    The cell is the simple RNN h_t = φ(W h_{t−1} + U x_t) with U = I; inputs
    are zero (``inputs="none"``), standard normal with ``seed``
    (``inputs="random"``), or given as ``xs`` (T vectors of size n). A norm is
    infinity only when the norm itself is (the products are rescaled on the way).
    """
    from symbrnn.engine.cells import simple_rnn
    from symbrnn.engine.derive import Derivation
    from symbrnn.numeric.instantiate import NUMPY, forward

    W = parse_matrix(W)
    if not isinstance(T, int) or T < 1:
        raise InputError.said("expand.error.T_positive", got=repr(T))
    n = W.shape[0]
    act = lookup_activation(activation)
    D = Derivation.of(simple_rnn(act, bias=False))
    h0 = np.zeros((n, 1)) if h0 is None else np.asarray(h0, dtype=float).reshape(n, 1)
    if xs is None:
        rng = np.random.default_rng(seed)
        xs = [rng.normal(size=(n, 1)) if inputs == "random" else np.zeros((n, 1)) for _ in range(T)]
    values = {"W": W, "U": np.eye(n)}
    with np.errstate(over="ignore", invalid="ignore"):  # a trajectory that overflows is a
        env = forward(D, values, xs, {"h": h0}, NUMPY)  # norm of None, said, not warned
        steps = _step_jacobians(D, env, values, n, T)
    return _product_norms(steps, n)


def _step_jacobians(D, env, values, n: int, T: int) -> np.ndarray:
    """∂h_j/∂h_{j−1} for j = 2..T, shape (T−1, n, n): the derived one-step Jacobian at
    step 1, evaluated once on values stacked over the steps (step 1 reads step j, step 0
    reads step j − 1)."""
    from symbrnn.numeric.instantiate import Evaluator

    if T < 2:
        return np.zeros((0, n, n))
    stacked = _Stacked(env, range(2, T + 1))
    ev = Evaluator(stacked, values, _batched_ops(), {D.n: n, D.d: n})
    out = np.asarray(ev(D.step_jacobian("h", "h", 1)), dtype=float)
    return np.broadcast_to(out, (T - 1, n, n))


class _Stacked:
    """An unrolled trajectory seen from step 1: ``(name, s)`` is the value of ``name`` at
    step j + s − 1 for every j of ``steps``, stacked along a first axis."""

    def __init__(self, env, steps):
        self.env, self.steps = env, steps

    def __getitem__(self, key):
        name, s = key
        return np.stack([self.env[name, j + s - 1] for j in self.steps])


def _batched_diag(v):
    v = np.asarray(v)
    return v[..., 0, None] * np.eye(v.shape[-2]) if v.ndim == 3 else np.diag(np.ravel(v))


@functools.cache
def _batched_ops():
    """NumPy's operations of the evaluator, over a first axis of steps."""
    from symbrnn.numeric.instantiate import NUMPY

    return dataclasses.replace(
        NUMPY, diag=_batched_diag, transpose=lambda a: np.swapaxes(a, -1, -2)
    )


def _product_norms(steps: np.ndarray, n: int) -> list[float]:
    """‖Π_{j=t..2} steps_j‖₂ for t = 1..T (the empty product is I): each product kept as a
    mantissa matrix and a power of two, so nothing overflows or underflows on the way."""
    T = len(steps) + 1
    mantissas = np.empty((T, n, n))
    exponents = np.zeros(T, dtype=np.int64)
    P, e = np.eye(n), 0
    mantissas[0] = P
    with np.errstate(all="ignore"):
        for t, J in enumerate(steps, start=1):
            P = J @ P
            top = np.max(np.abs(P))
            if not np.isfinite(top):
                mantissas[t:], exponents[t:] = np.inf, 0
                break
            if top != 0.0 and not 2.0**-500 < top < 2.0**500:
                shift = int(np.frexp(top)[1])
                P, e = np.ldexp(P, -shift), e + shift
            mantissas[t], exponents[t] = P, e
        return np.ldexp(_spectral_norms(mantissas), exponents).tolist()  # inf past a float


def _spectral_norms(stack: np.ndarray) -> np.ndarray:
    """‖M‖₂ of each matrix of a stack (one batched SVD); infinity where M is not finite."""
    out = np.full(len(stack), np.inf)
    finite = np.all(np.isfinite(stack), axis=(1, 2))
    if np.any(finite):
        out[finite] = np.linalg.svd(stack[finite], compute_uv=False)[:, 0]
    return out


__all__ = ["curve_text", "curve_trend", "norm_curve"]
