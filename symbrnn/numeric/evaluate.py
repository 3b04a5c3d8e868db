"""Numbers from the derived formulas: ``symbrnn evaluate SPEC.json``.

The loss, its gradient and the Jacobians are obtained by evaluating the
matrix expressions that :mod:`symbrnn.engine.derive` derives (ordered products of
one-step Jacobians, sums of outer products) with NumPy, not by a separate
backpropagation. SPEC keys are those of DESIGN.md.

>>> spec = {"cell": "rnn", "n": 1, "d": 1, "T": 2, "W": [[0.5]], "U": [[1.0]],
...         "x": [[1.0], [0.0]], "y": [[0.0], [0.0]], "h0": [0.0]}
>>> out = evaluate_spec(spec)
>>> round(out["L"], 6), sorted(out["grad"])
(0.441497, ['U', 'W'])
"""

from __future__ import annotations

import json

import numpy as np

from symbrnn.engine.activations import numeric_activations
from symbrnn.engine.cells import CELLS, make_cell
from symbrnn.engine.derive import Derivation
from symbrnn.errors import InputError
from symbrnn.numeric.instantiate import NUMPY, Evaluator, forward
from symbrnn.numeric.loss import (
    gradient_value,
    loss_partials,
    numeric_squared_error_row,
    total_loss,
)

CELL_NAMES = tuple(CELLS)  # the built-in cells: a SPEC never names a file


def _matrix(spec, key, rows, cols) -> np.ndarray:
    value = spec.get(key)
    if value is None:
        raise InputError.said("numeric.error.spec_needs", key=repr(key), rows=rows, cols=cols)
    try:
        with np.errstate(all="ignore"):
            arr = np.array(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputError.said(
            "numeric.error.spec_matrix", key=repr(key), got=str(value)[:60]
        ) from None
    if any(isinstance(v, bool) for v in np.ravel(np.array(value, dtype=object))):
        raise InputError.said("numeric.error.spec_bool", key=repr(key))
    if arr.ndim == 1 and cols == 1:
        arr = arr.reshape(-1, 1)
    if arr.shape != (rows, cols):
        raise InputError.said(
            "numeric.error.spec_shape", key=repr(key), rows=rows, cols=cols, shape=str(arr.shape)
        )
    if not np.all(np.isfinite(arr)) or np.max(np.abs(arr), initial=0) > 1e6:
        raise InputError.said("numeric.error.finite", what=f"SPEC {key!r}")
    return arr


# Every pair (t, k) of a T-step run is derived and evaluated: at these sizes a SPEC takes
# seconds, not minutes (benchmarks/run.py).
LIMITS = {"n": 32, "d": 64, "T": 60}
GATED_T = 25


def _size(spec, key) -> int:
    value = spec.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= LIMITS[key]:
        raise InputError.said(
            "numeric.error.spec_int", key=repr(key), top=LIMITS[key], got=str(value)[:30]
        )
    return value


def _known_keys(cell) -> set:
    keys = {"cell", "n", "d", "T", "x", "y", "loss_steps", "activation", "reset_after"}
    return keys | {p.name for p in cell.parameters} | {f"{s}0" for s in cell.states}


def parse_spec(spec: dict):
    """Validate a SPEC and return (cell, derivation, values, xs, ys, initial, loss_steps)."""
    if not isinstance(spec, dict):
        raise InputError.said("numeric.error.spec_object")
    name = spec.get("cell")
    if name not in CELL_NAMES:
        raise InputError.said(
            "numeric.error.spec_cell", cells=", ".join(CELL_NAMES), got=repr(str(name)[:30])
        )
    n, d, T = _size(spec, "n"), _size(spec, "d"), _size(spec, "T")
    if name != "rnn" and T > GATED_T:
        raise InputError.said("numeric.error.spec_T", top=GATED_T, cell=name, got=T)
    cell = _spec_cell(spec, name)
    D = Derivation.of(cell)
    values = {p: _matrix(spec, p, *D.concrete_shape(p, n, d)) for p in D.params}
    xs_all = _matrix(spec, "x", T, d)
    ys_all = _matrix(spec, "y", T, n)
    xs = [xs_all[t].reshape(d, 1) for t in range(T)]
    ys = [ys_all[t].reshape(n, 1) for t in range(T)]
    initial = {
        s: _matrix(spec, f"{s}0", n, 1) if f"{s}0" in spec else np.zeros((n, 1)) for s in D.states
    }
    return cell, D, values, xs, ys, initial, _loss_steps(spec, T)


def _spec_cell(spec: dict, name: str):
    """The SPEC's cell: its activation (one with numbers), its GRU convention, its biases
    (all or none); an unknown key is an error."""
    activation = spec.get("activation")
    if activation is not None and activation not in numeric_activations():
        choices = ", ".join(numeric_activations())
        raise InputError.said(
            "numeric.error.spec_activation", choices=choices, got=repr(str(activation)[:30])
        )
    reset_after = spec.get("reset_after", False)
    if not isinstance(reset_after, bool):
        raise InputError.said("numeric.error.spec_reset")
    full = make_cell(name, activation=activation, bias=True, reset_after=reset_after)
    unknown = sorted(set(spec) - _known_keys(full))
    if unknown:
        keys = ", ".join(sorted(_known_keys(full)))
        raise InputError.said(
            "numeric.error.spec_key", key=repr(str(unknown[0])[:30]), cell=name, keys=keys
        )
    biases = [p.name for p in full.parameters if p.is_bias]
    given = [b for b in biases if b in spec]
    if given and len(given) != len(biases):
        missing = ", ".join(b for b in biases if b not in spec)
        raise InputError.said("numeric.error.spec_biases", missing=missing)
    if given:
        return full
    return make_cell(name, activation=activation, bias=False, reset_after=reset_after)


def _loss_steps(spec: dict, T: int) -> list[int]:
    """The steps the loss sums over (1-based; default all T)."""
    steps = spec.get("loss_steps", list(range(1, T + 1)))
    if (
        not isinstance(steps, list)
        or not steps
        or not all(isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= T for s in steps)
    ):
        raise InputError.said("numeric.error.spec_loss", T=T, got=str(steps)[:60])
    return steps


def evaluate_spec(spec: dict) -> dict:
    """L, ∂L/∂P for every parameter, and the Jacobians, from the derived formulas."""
    cell, D, values, xs, ys, initial, listed = parse_spec(spec)
    steps = sorted(set(listed))
    n, T = spec["n"], spec["T"]
    env = forward(D, values, xs, initial, NUMPY)
    dims = {D.n: n, D.d: spec["d"]}
    loss = total_loss(D, env, ys, steps)
    partials = loss_partials(D, env, ys, steps, row=numeric_squared_error_row)
    grad = {
        name: gradient_value(
            D, name, T, env, values, NUMPY, dims, partials, loss_steps=steps
        ).tolist()
        for name in D.params
    }
    ev = Evaluator(env, values, NUMPY, dims)
    jac = {"dh_dh": _jacobians(D, ev, "h", T)}
    if "c" in D.states:
        jac["dc_dc"] = _jacobians(D, ev, "c", T)
        jac["dc_dc_direct"] = _jacobians(D, ev, "c", T, paths="direct")
    out = {
        "cell": cell.name,
        "L": loss,
        "grad": grad,
        "jacobians": jac,
        "trajectory": _trajectory(D, env, partials, jac["dh_dh"], T),
    }
    repeated = sorted({t for t in listed if listed.count(t) > 1})
    if repeated:  # said, never silently dropped
        out["notes"] = [
            f"loss_steps lists step(s) {', '.join(map(str, repeated))} more than once: "
            "L = Σ_t L_t counts each step once"
        ]
    _check_finite(out)
    return out


def _trajectory(D, env, partials, dh_dh, T) -> list[dict]:
    """Per step t = 1..T: the named quantities and states the forward pass computed (a_t,
    h_t, …), and δ_t = dL/dh_t, every later loss carried back to h_t by the derived
    Jacobians ``dh_dh`` (the J(t, k) already evaluated): δ_t = Σ_{t' ≥ t} ∂L_{t'}/∂h_{t'}
    ∂h_{t'}/∂h_t (a row, numerator layout)."""
    named = [node.name for node in D.trace.named_nodes] + list(D.states)
    rows = {key.num.time: value for key, value in partials.items()}
    J = {(j["t"], j["k"]): np.asarray(j["J"]) for j in dh_dh}
    out = []
    for t in range(1, T + 1):
        terms = [
            np.asarray(rows[later]) @ J[later, t] for later in range(t, T + 1) if later in rows
        ]
        entry: dict = {n: np.asarray(env[n, t], dtype=float).ravel().tolist() for n in named}
        entry["t"] = t
        entry["delta"] = np.asarray(sum(terms), dtype=float).ravel().tolist() if terms else []
        out.append(entry)
    return out


def _jacobians(D, ev, state, T, paths="all"):
    """J(t, k) for 0 ≤ k ≤ t ≤ T; at k = 0 the initial states are independent inputs."""
    out = []
    for t in range(T + 1):
        for k in range(t + 1):
            recompute = None if k > 0 else False
            expr = D.jacobian(state, t, k, paths=paths, recompute=recompute)
            out.append({"t": t, "k": k, "J": np.asarray(ev(expr), dtype=float).tolist()})
    return out


def _check_finite(out):
    try:
        json.dumps(out, allow_nan=False)  # refuses a NaN or an infinity anywhere in it
    except ValueError:
        raise InputError.said("numeric.error.overflow") from None
