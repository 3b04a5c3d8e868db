"""evaluate: numbers from the derived formulas, against finite differences and autograd."""

import json
import subprocess
import sys

import numpy as np
import pytest

from symbrnn.engine.cells import CELLS
from symbrnn.errors import InputError
from symbrnn.numeric.evaluate import evaluate_spec, parse_spec
from symbrnn.numeric.instantiate import NUMPY, forward
from tests.conftest import require

PARAMS = {
    "rnn": ["W", "U"],
    "lstm": ["W_f", "U_f", "W_i", "U_i", "W_o", "U_o", "W_c", "U_c"],
    "gru": ["W_z", "U_z", "W_r", "U_r", "W_h", "U_h"],
}


def random_spec(cell, n=3, d=2, T=4, seed=0, loss_steps=None):
    rng = np.random.default_rng(seed)
    spec = {"cell": cell, "n": n, "d": d, "T": T}
    for name in PARAMS[cell]:
        cols = n if name.startswith("W") else d
        spec[name] = rng.normal(0, 0.8, (n, cols)).tolist()
    spec["x"] = rng.normal(0, 1, (T, d)).tolist()
    spec["y"] = rng.normal(0, 1, (T, n)).tolist()
    spec["h0"] = rng.normal(0, 0.5, n).tolist()
    if cell == "lstm":
        spec["c0"] = rng.normal(0, 0.5, n).tolist()
    if loss_steps:
        spec["loss_steps"] = loss_steps
    return spec


def loss_of(spec):
    """The loss by running the declared cell forward (no derivative involved)."""
    _, D, values, xs, ys, initial, steps = parse_spec(spec)
    env = forward(D, values, xs, initial, NUMPY)
    return sum(0.5 * float(np.sum((env["h", t] - ys[t - 1]) ** 2)) for t in steps)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("loss_steps", [None, [2, 4]])
def test_gradient_matches_central_differences(cell, loss_steps):
    spec = random_spec(cell, loss_steps=loss_steps)
    out = evaluate_spec(spec)
    assert out["L"] == pytest.approx(loss_of(spec), rel=1e-12)
    eps = 1e-6
    for name in PARAMS[cell]:
        grad = np.array(out["grad"][name])
        W = np.array(spec[name])
        for i, j in np.ndindex(W.shape):
            plus, minus = json.loads(json.dumps(spec)), json.loads(json.dumps(spec))
            plus[name][i][j] += eps
            minus[name][i][j] -= eps
            numeric = (loss_of(plus) - loss_of(minus)) / (2 * eps)
            assert grad[i, j] == pytest.approx(numeric, rel=1e-5, abs=1e-8), (name, i, j)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_jacobians_match_central_differences(cell):
    spec = random_spec(cell, T=3)
    out = evaluate_spec(spec)
    _, D, values, xs, _ys, initial, _ = parse_spec(spec)
    base = forward(D, values, xs, initial, NUMPY)
    n, eps = spec["n"], 1e-6
    for entry in out["jacobians"]["dh_dh"]:
        t, k = entry["t"], entry["k"]
        numeric = np.zeros((n, n))
        for j in range(n):
            delta = np.zeros((n, 1))
            delta[j] = eps
            up = forward(D, values, xs, initial, NUMPY, perturb={("h", k): delta})
            down = forward(D, values, xs, initial, NUMPY, perturb={("h", k): -delta})
            numeric[:, j] = ((up["h", t] - down["h", t]) / (2 * eps)).ravel()
        assert np.allclose(entry["J"], numeric, rtol=1e-5, atol=1e-9), (t, k)
    assert base["h", 3].shape == (n, 1)


def test_lstm_cell_state_jacobians_every_path_and_direct():
    spec = random_spec("lstm", T=3)
    out = evaluate_spec(spec)
    _, D, values, xs, _ys, initial, _ = parse_spec(spec)
    base = forward(D, values, xs, initial, NUMPY)
    n, eps = spec["n"], 1e-6
    for key, detach in (("dc_dc", None), ("dc_dc_direct", {"h"})):
        for entry in out["jacobians"][key]:
            t, k = entry["t"], entry["k"]
            numeric = np.zeros((n, n))
            for j in range(n):
                delta = np.zeros((n, 1))
                delta[j] = eps
                # perturbing c_k right after step k computes it recomputes h_k = o_k ⊙ tanh(c_k)
                up = forward(
                    D,
                    values,
                    xs,
                    initial,
                    NUMPY,
                    perturb={("c", k): delta},
                    detach=detach,
                    base=base,
                )
                down = forward(
                    D,
                    values,
                    xs,
                    initial,
                    NUMPY,
                    perturb={("c", k): -delta},
                    detach=detach,
                    base=base,
                )
                numeric[:, j] = ((up["c", t] - down["c", t]) / (2 * eps)).ravel()
            assert np.allclose(entry["J"], numeric, rtol=1e-5, atol=1e-9), (key, t, k)


def torch_forward(torch, spec, params):
    sig, tanh = torch.sigmoid, torch.tanh
    x = torch.tensor(spec["x"], dtype=torch.float64)
    h = torch.tensor(spec["h0"], dtype=torch.float64)
    c = torch.tensor(spec.get("c0", [0.0] * spec["n"]), dtype=torch.float64)
    p = params
    hs = []
    for t in range(spec["T"]):
        if spec["cell"] == "rnn":
            h = sig(p["W"] @ h + p["U"] @ x[t])
        elif spec["cell"] == "lstm":
            f = sig(p["W_f"] @ h + p["U_f"] @ x[t])
            i = sig(p["W_i"] @ h + p["U_i"] @ x[t])
            o = sig(p["W_o"] @ h + p["U_o"] @ x[t])
            g = tanh(p["W_c"] @ h + p["U_c"] @ x[t])
            c = f * c + i * g
            h = o * tanh(c)
        else:
            z = sig(p["W_z"] @ h + p["U_z"] @ x[t])
            r = sig(p["W_r"] @ h + p["U_r"] @ x[t])
            g = tanh(p["W_h"] @ (r * h) + p["U_h"] @ x[t])
            h = z * h + (1 - z) * g
        hs.append(h)
    return hs


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_gradient_matches_pytorch_autograd(cell):
    torch = require("torch")
    spec = random_spec(cell, n=3, d=2, T=5, seed=4)
    params = {
        k: torch.tensor(spec[k], dtype=torch.float64, requires_grad=True) for k in PARAMS[cell]
    }
    hs = torch_forward(torch, spec, params)
    y = torch.tensor(spec["y"], dtype=torch.float64)
    loss = sum(0.5 * ((h - y[t]) ** 2).sum() for t, h in enumerate(hs))
    loss.backward()
    out = evaluate_spec(spec)
    assert out["L"] == pytest.approx(loss.item(), rel=1e-12)
    for name, p in params.items():
        assert np.allclose(out["grad"][name], p.grad.numpy(), rtol=1e-10, atol=1e-12), name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cell": "transformer"}, rf"^SPEC 'cell' must be one of {', '.join(CELLS)}"),
        ({"n": 0}, r"^SPEC 'n' must be an integer from 1 to 32, got 0$"),
        ({"W": [[1.0]]}, r"^SPEC 'W' must be 3×3, got shape \(1, 1\)$"),
        ({"W": "abc"}, r"^SPEC 'W' must be a matrix of numbers"),
        ({"x": [[1.0, 2.0]]}, r"^SPEC 'x' must be 4×2"),
        ({"W": [[float("nan")] * 3] * 3}, r"^SPEC 'W' must hold finite numbers"),
        ({"loss_steps": [0]}, r"^SPEC 'loss_steps' must list one or more steps between 1 and 4"),
    ],
)
def test_bad_specs_are_refused(change, message):
    with pytest.raises(InputError, match=message):
        evaluate_spec(random_spec("rnn") | change)


def test_biases_all_or_none():
    spec = random_spec("lstm") | {"b_f": [0.0] * 3}
    with pytest.raises(
        InputError, match=r"^SPEC gives some biases but not b_i, b_o, b_c: give all or none$"
    ):
        evaluate_spec(spec)
    full = spec | {"b_i": [0.1] * 3, "b_o": [0.0] * 3, "b_c": [-0.2] * 3}
    assert set(evaluate_spec(full)["grad"]) == set(PARAMS["lstm"]) | {"b_f", "b_i", "b_o", "b_c"}


def test_cli_evaluate(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(random_spec("lstm", T=2)))
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "evaluate", str(path), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) >= {"L", "grad", "jacobians"}
    assert set(out["jacobians"]) == {"dh_dh", "dc_dc", "dc_dc_direct"}
    assert [(e["t"], e["k"]) for e in out["jacobians"]["dc_dc"]] == [
        (0, 0),
        (1, 0),
        (1, 1),
        (2, 0),
        (2, 1),
        (2, 2),
    ]


def test_cli_evaluate_bad_json(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text("{not json")
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "evaluate", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("symbrnn: error: ") and "not valid JSON" in result.stderr


def test_the_trajectory_s_deltas_follow_the_bptt_recursion_by_hand():
    """δ_t = dL/dh_t from the derived Jacobians equals the recursion written in NumPy:
    δ_T = h_T − y_T, δ_t = (h_t − y_t) + δ_{t+1} Diag(σ'(a_{t+1})) W; a_t and h_t are the
    forward pass computed by hand."""
    import numpy as np

    from symbrnn.numeric.evaluate import evaluate_spec

    W = np.array([[0.5, -0.3], [0.8, 0.2]])
    U = np.array([[1.0], [-1.0]])
    x = [[1.0], [0.5], [-1.0], [0.25]]
    y = [[0.2, 0.1], [0.0, 0.5], [0.3, -0.2], [0.1, 0.1]]
    spec = {"cell": "rnn", "n": 2, "d": 1, "T": 4, "W": W.tolist(), "U": U.tolist(), "x": x, "y": y}
    steps = evaluate_spec(spec)["trajectory"]

    def sigma(z):
        return 1 / (1 + np.exp(-z))

    h, a_by_hand, h_by_hand = np.zeros(2), [], []
    for t in range(4):
        a = W @ h + U @ np.array(x[t])
        h = sigma(a)
        a_by_hand.append(a)
        h_by_hand.append(h)
    delta = h_by_hand[3] - np.array(y[3])
    deltas = {4: delta}
    for t in (3, 2, 1):
        s = sigma(a_by_hand[t]) * (1 - sigma(a_by_hand[t]))  # σ'(a_{t+1}), steps 1-based
        delta = (h_by_hand[t - 1] - np.array(y[t - 1])) + delta @ np.diag(s) @ W
        deltas[t] = delta
    for row in steps:
        t = row["t"]
        assert np.allclose(row["a"], a_by_hand[t - 1]) and np.allclose(row["h"], h_by_hand[t - 1])
        assert np.allclose(row["delta"], deltas[t], atol=1e-12)


def test_a_repeated_loss_step_is_said_not_dropped_silently(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    spec = json.loads((Path(__file__).parents[2] / "examples" / "spec.json").read_text())
    once = evaluate_spec(dict(spec, loss_steps=[1, 2]))
    twice = evaluate_spec(dict(spec, loss_steps=[1, 2, 2]))
    assert twice["L"] == once["L"] and "notes" not in once
    assert "step(s) 2 more than once" in twice["notes"][0]
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(dict(spec, loss_steps=[2, 2])))
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "evaluate", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0 and "note: loss_steps lists step(s) 2" in result.stderr


def test_verify_says_when_it_skips_the_finite_differences():
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "symbrnn", "verify", "--activation", "phi", "--T", "2"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and "finite-difference checks are skipped" in run.stderr
    plain = subprocess.run(
        [sys.executable, "-m", "symbrnn", "verify", "--T", "2"], capture_output=True, text=True
    )
    assert "skipped" not in plain.stderr
