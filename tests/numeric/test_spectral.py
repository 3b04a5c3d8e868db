"""III.3–III.4: Mⁿ = QΛⁿQ⁻¹, Jordan forms, Pascanu's bounds, norm curves."""

import itertools
import json
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbrnn.errors import InputError
from symbrnn.numeric.curve import norm_curve
from symbrnn.numeric.spectral import (
    analyse,
    check_eigen_power_symbolic,
    eigen_power_steps,
)
from tests.processes import symbrnn


def test_induction_step_is_derived_by_sympy():
    steps = dict(eigen_power_steps())
    n = next(
        iter(
            steps["hypothesis M^n"].atoms(sp.Symbol) - {sp.Symbol("m", integer=True, positive=True)}
        )
    )
    Q, L = sp.MatrixSymbol("Q", *steps["M"].shape), sp.MatrixSymbol("Lambda", *steps["M"].shape)
    assert steps["Q^{-1} Q = I, Λ^n Λ = Λ^{n+1}"] == sp.MatMul(
        Q, sp.MatPow(L, n + 1), sp.Inverse(Q)
    )


def test_eigen_power_on_a_symbolic_2x2():
    assert check_eigen_power_symbolic()


@pytest.mark.parametrize("seed", range(5))
def test_eigen_power_on_numbers(seed):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(4, 4))
    lam, Q = np.linalg.eig(M)
    for n in range(1, 8):
        assert np.allclose(Q @ np.diag(lam**n) @ np.linalg.inv(Q), np.linalg.matrix_power(M, n))


def test_defective_matrix_gets_its_jordan_power():
    info = analyse([[0.5, 10], [0, 0.5]], "sigmoid")
    assert info["diagonalizable"] is False
    lam, n = sp.Rational(1, 2), sp.Symbol("n", integer=True, positive=True)
    J = sp.Matrix([[lam, 1], [0, lam]])
    binomial_form = sp.Matrix([[lam**n, n * lam ** (n - 1)], [0, lam**n]])
    assert sp.simplify(J**n - binomial_form) == sp.zeros(2, 2)
    assert sp.sstr((J**n).tolist()).replace("**", "^") == info["jordan_text"][1]


def test_pascanu_verdicts():
    small = analyse([[0.9, 0.0], [0.0, 0.5]], "sigmoid")["verdict"]
    assert small["vanishing_sufficient"] and not small["transient_growth_possible"]
    big = analyse([[0.5, 10], [0, 0.5]], "sigmoid")["verdict"]
    assert big["exploding_possible"] and big["transient_growth_possible"]
    assert analyse([[2.0, 0], [0, 2.0]], "tanh")["verdict"]["exploding_possible"]


def test_closed_form_when_inputs_hold_the_preactivation_at_zero():
    """a_t = 0 at every step makes σ' = 1/4, so ∂h_T/∂h_1 = (W/4)^{T−1}."""
    W = np.array([[0.9, -1.3], [2.0, 0.4]])
    T = 12
    half = np.full((2, 1), 0.5)  # h_t = σ(0) when a_t = 0
    xs = [np.zeros((2, 1))] + [-W @ half for _ in range(T - 1)]
    norms = norm_curve(W, "sigmoid", T, xs=xs)
    expected = [np.linalg.norm(np.linalg.matrix_power(W / 4, t - 1), 2) for t in range(1, T + 1)]
    assert np.allclose(norms, expected, rtol=1e-12)


def test_norms_match_finite_differences():
    W = np.array([[1.5, 0.7], [-0.4, 1.1]])
    T, eps = 6, 1e-6
    norms = norm_curve(W, "tanh", T, inputs="random", seed=3)
    rng = np.random.default_rng(3)
    xs = [rng.normal(size=(2, 1)) for _ in range(T)]

    def run(h1):
        h = h1
        for t in range(1, T):
            h = np.tanh(W @ h + xs[t])
        return h

    h1 = np.tanh(W @ np.zeros((2, 1)) + xs[0])
    J = np.column_stack(
        [
            ((run(h1 + eps * e) - run(h1 - eps * e)) / (2 * eps)).ravel()
            for e in np.eye(2)[:, :, None]
        ]
    )
    assert np.linalg.norm(J, 2) == pytest.approx(norms[-1], rel=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=4, max_size=4), st.integers(0, 1000))
def test_the_pascanu_bound_holds(entries, seed):
    W = np.array(entries).reshape(2, 2)
    info = analyse(W, "tanh")
    rate = info["gamma"] * info["largest_singular_value"]
    norms = norm_curve(W, "tanh", 15, inputs="random", seed=seed)
    for t, value in enumerate(norms, start=1):
        assert value <= rate ** (t - 1) * (1 + 1e-9) + 1e-12


def run(*args):
    return symbrnn("spectral", *args)


def test_cli_json_and_plot(tmp_path):
    plot = tmp_path / "curves.png"
    result = run(
        "--W", "[[0.5, 10], [0, 0.5]]", "--T", "20", "--format", "json", "--plot", str(plot)
    )
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert {"eigenvalues", "singular_values", "spectral_radius", "diagonalizable", "norms"} <= set(
        info
    )
    assert len(info["norms"]) == 20 and info["norms"][0] == 1.0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_plot_without_matplotlib_says_how_to_install_it(tmp_path):
    """matplotlib is the plot extra: without it, --plot is one line and exit 2."""
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "matplotlib.py").write_text("raise ImportError('not installed')\n")
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "spectral", "--W", "[[0.5]]", "--plot", "x.png"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**__import__("os").environ, "PYTHONPATH": str(blocker)},
    )
    assert result.returncode == 2 and not (tmp_path / "x.png").exists()
    assert result.stderr.strip().endswith("pip install 'symbrnn[plot]'"), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("W", "message"),
    [
        ("[[1, 2, 3]]", "must be a square matrix"),
        ("[[1, 2], [3]]", "must be a list of rows of numbers"),
        ("not json", "not valid JSON"),
        ("[]", "is empty"),
        ("[[NaN, 0], [0, 1]]", "--W holds NaN: give finite numbers"),
    ],
)
def test_cli_bad_matrices(W, message):
    result = run("--W", W)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_generic_activation_has_no_bound():
    with pytest.raises(InputError, match="no known bound"):
        analyse([[1.0]], "phi")


def test_a_float_matrix_is_analysed_in_floating_point_and_a_small_one_exactly():
    """A generic 4×4 of decimals is not sent to SymPy's exact algebra (minutes there); a
    tiny non-normal matrix is not called normal by an absolute tolerance."""
    W = [
        [0.31, -0.72, 0.15, 0.44],
        [0.93, 0.27, -0.58, 0.11],
        [-0.36, 0.65, 0.82, -0.19],
        [0.54, -0.13, 0.29, 0.77],
    ]
    info = analyse(W, "sigmoid")
    assert info["exact"] is False and info["diagonalizable"] is True
    assert np.allclose(
        sorted(np.abs(np.linalg.eigvals(W))),
        sorted(abs(complex(*z) if isinstance(z, list) else z) for z in info["eigenvalues"]),
    )
    tiny = analyse([[5e-7, 1e-5], [0, 5e-7]], "sigmoid")
    assert tiny["normal"] is False and tiny["diagonalizable"] is False
    block = analyse([[1, 1, 0], [0, 1, 1], [0, 0, 1]], "identity")
    assert block["exact"] is True and block["diagonalizable"] is False and "jordan_form" in block


def _report(*args):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "spectral", *args], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_nilpotent_w_whose_products_grow_is_said_to_grow_not_to_decay():
    import json

    args = ["--W", "[[2,2],[-2,-2]]", "--activation", "relu", "--h0", "[1,0]"]
    out = _report(*args)
    assert "decay" not in out and "the computed curve grows" in out
    assert "spectral radius ρ = 0 " in out and "nilpotent: Wⁿ = 0 for n ≥ 2" in out
    assert "**" not in out and "KroneckerDelta" not in out
    info = json.loads(_report(*args, "--format", "json"))
    norms = info["norms"]
    assert info["curve"]["kind"] == "grows" and norms[-1] > norms[0]
    assert all(b > a for a, b in itertools.pairwise(norms))  # the curve itself


def test_the_sentence_of_the_curve_is_what_the_numbers_do():
    from symbrnn.numeric.curve import curve_text, norm_curve

    transient = norm_curve([[0.8, 3.0], [0.0, 0.8]], "tanh", 40)
    peak = max(transient)
    assert transient[0] < peak > transient[-1]
    assert f"to {peak:.3g} at T = {transient.index(peak) + 1}" in curve_text(transient)
    vanishing = norm_curve([[0.5, 0.1], [0.0, 0.4]], "sigmoid", 30)
    assert all(b < a for a, b in itertools.pairwise(vanishing))
    assert curve_text(vanishing).startswith("the computed curve decays")


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "identity"])
def test_the_curve_is_the_norm_of_the_derived_ordered_product(activation):
    """The stacked one-step Jacobians multiplied in floating point give the norms of the
    derived ∂h_t/∂h_1 (an ordered product evaluated by the engine's evaluator)."""
    from symbrnn.engine.activations import activation as lookup
    from symbrnn.engine.cells import simple_rnn
    from symbrnn.engine.derive import Derivation
    from symbrnn.numeric.instantiate import NUMPY, Evaluator, forward

    rng = np.random.default_rng(7)
    W = rng.normal(size=(3, 3)) * 1.3
    T = 25
    xs = [rng.normal(size=(3, 1)) for _ in range(T)]
    D = Derivation.of(simple_rnn(lookup(activation), bias=False))
    values = {"W": W, "U": np.eye(3)}
    env = forward(D, values, xs, {"h": np.zeros((3, 1))}, NUMPY)
    ev = Evaluator(env, values, NUMPY, {D.n: 3, D.d: 3})
    expected = [np.linalg.norm(ev(D.jacobian("h", t, 1)), 2) for t in range(1, T + 1)]
    assert np.allclose(norm_curve(W, activation, T, xs=xs), expected, rtol=1e-12, atol=0)


def test_a_long_curve_keeps_its_digits_up_to_the_largest_float():
    """Products rescaled by powers of two: 4^(T−1) exactly while it is a float, then inf."""
    norms = norm_curve([[4.0, 0.0], [0.0, 4.0]], "identity", 600)
    assert norms[:512] == [4.0 ** (t - 1) for t in range(1, 513)]
    assert all(v == float("inf") for v in norms[512:])


def test_a_large_spectral_report_samples_its_curve():
    from symbrnn.numeric.spectral import report_text

    info = analyse([[0.5, 0.2], [0.1, 0.4]], "sigmoid")
    info["W"], info["norms"] = (
        [[0.5, 0.2], [0.1, 0.4]],
        norm_curve([[0.5, 0.2], [0.1, 0.4]], "sigmoid", 10000),
    )
    line = next(x for x in report_text(info).splitlines() if x.startswith("‖∂h_T/∂h_1‖₂"))
    assert [p.split(":")[0] for p in line.split(": ", 1)[1].split(", ")] == [
        f"T={t}" for t in (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 10000)
    ]
