"""A check is judged without NumPy: the judge's numbers are Python floats in small matrices.

NumPy stays for the numeric commands (evaluate, spectral, verify); a ``check`` (right or
wrong, single answer or derivation, element-level, general case, gradient) never imports
it. The judge's float forms of the activations are derived from their rows' SymPy forms
and agree with the NumPy forms the numeric commands use.
"""

import math
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
import sympy

from symbrnn.engine.activations import ACTIVATIONS, Activation
from symbrnn.engine.functions import lambdify_form
from symbrnn.engine.scalar import float_form
from symbrnn.numeric import small


def _modules_after(code: str, *args) -> tuple[subprocess.CompletedProcess, set[str]]:
    code += "\nprint('\\nMODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    result = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code, *args], capture_output=True, text=True
    )
    return result, set(result.stderr.rsplit("MODULES", 1)[-1].split())


def test_a_wrong_check_judges_and_diagnoses_without_numpy():
    code = (
        "from symbrnn.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass"
    )
    args = ["check", "--cell", "rnn", "-q", "dh_3/dh_1", "-a", r"W \mathrm{Diag}(\sigma'(a_2)) W"]
    result, modules = _modules_after(code, *args)
    assert "✗" in result.stdout and "counterexample" in result.stdout, result.stderr[-800:]
    assert "symbrnn.judge.lookup" in modules  # the table of mistakes ran
    assert "symbrnn.judge.check" in modules and "numpy" not in modules


def test_every_kind_of_check_is_judged_without_numpy():
    code = r"""
from symbrnn.engine.cells import make_cell
from symbrnn.judge.check import check_answer

rnn, lstm = make_cell("rnn"), make_cell("lstm")
seen = [
    check_answer(make_cell("lemma"), "du/dv", r"\sigma'\left(\sum_k A_{ik} v_k\right) A_{ij}"),
    check_answer(make_cell("rnn", activation="relu"), "dh_2/dh_1", r"\mathrm{Diag}(relu'(a_2)) W"),
    check_answer(rnn, "dL/dW", r"\frac{\partial L_2}{\partial h_2} \frac{\partial^+ h_2}{\partial W}", T=2),
    check_answer(rnn, "dh_t/dh_k", r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W"),
    check_answer(lstm, "dc_3/dc_2", r"\mathrm{Diag}(f_3)", paths="direct"),
]
print(" ".join(v.outcome for v in seen))
"""
    result, modules = _modules_after(code)
    assert result.returncode == 0, result.stderr[-1500:]
    outcomes = result.stdout.split()
    right, wrong = "equivalent", "not_equivalent"  # ∂L/∂W: the t = 1 term is missing
    assert outcomes == [right, right, wrong, right, right], outcomes
    assert "symbrnn.judge.points" in modules and "numpy" not in modules


def _rows():
    yield from ACTIVATIONS.values()
    yield Activation(
        "softsign", "s", "s", Fraction(1), form=lambda z: z / (1 + sympy.Abs(z)), spellings=()
    )
    yield Activation(
        "gelu",
        "g",
        "g",
        Fraction(113, 100),
        form=lambda z: z / 2 * (1 + sympy.tanh(sympy.sqrt(2 / sympy.pi) * (z + z**3 / 20))),
        spellings=(),
    )
    yield Activation(
        "hard",
        "h",
        "h",
        Fraction(1, 6),
        form=lambda z: sympy.Piecewise(
            (0, z <= -3), (1, z >= 3), (z / 6 + sympy.Rational(1, 2), True)
        ),
        spellings=(),
        breakpoints=(Fraction(-3), Fraction(3)),
    )


# softsign' = 1/(1+|z|) − z sign(z)/(1+|z|)² cancels at |z| = 800: 1e-13 apart, within 1e-12
ZS = [-800.0, -40.0, -3.0, -2.9, -0.5, 0.0, 1e-300, 0.3, 2.5, 3.0, 30.0, 800.0]


@pytest.mark.parametrize("row", list(_rows()), ids=lambda r: r.name)
def test_the_float_form_of_each_activation_is_its_numpy_form(row):
    derived = row._numbers_derivative
    for scalar, numbers in (
        (row.scalar, row.numpy),
        (row.scalar_derivative, lambdify_form(derived)),
    ):
        for z in ZS:
            got, want = scalar(z), float(np.asarray(numbers(np.array([[z]])))[0, 0])
            assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-300), (row.name, z, got, want)


def test_saturation_underflows_and_overflows_as_numpy_does():
    sigmoid, tanh = ACTIVATIONS["sigmoid"], ACTIVATIONS["tanh"]
    assert sigmoid.scalar_derivative(-700.0) > 0  # σ(−700) σ(700), not 1 − 1
    assert sigmoid.scalar(-800.0) == 0.0 and sigmoid.scalar(800.0) == 1.0
    assert tanh.scalar_derivative(800.0) == 0.0  # sech²: cosh overflows to inf, 1/inf² = 0
    assert float_form(lambda z: sympy.exp(z))(800.0) == math.inf
    assert float_form(lambda z: -sympy.sinh(z))(800.0) == -math.inf
    assert math.isnan(float_form(lambda z: sympy.sqrt(z))(-1.0))
    assert float_form(lambda z: 1 / z)(0.0) == math.inf


def test_the_small_matrices_compute_what_numpy_computes():
    rng = np.random.default_rng(3)
    a, b, v = rng.normal(size=(3, 2)), rng.normal(size=(2, 4)), rng.normal(size=(3, 1))
    A, B, V = small.Small.of(a), small.Small.of(b), small.Small.of(v)
    assert np.allclose(np.asarray(small.matmul(A, B)), a @ b, rtol=0, atol=1e-15)
    assert np.array_equal(np.asarray(small.transpose(A)), a.T)
    assert np.array_equal(np.asarray(small.diag(V)), np.diag(v.ravel()))
    assert np.array_equal(np.asarray(small.hadamard(A, A)), a * a)
    assert np.array_equal(np.asarray(small.add(A, A)), a + a)
    assert np.array_equal(np.asarray(small.scale(-2, A)), -2 * a)
    with pytest.raises(ValueError):  # the second row's blocks are 2 and 1 wide, not 2 and 3
        small.block([[A, small.zeros(3, 3)], [small.zeros(1, 2), small.ones(1)]])
    full = small.block([[A, small.eye(3)], [small.zeros(1, 2), small.zeros(1, 3)]])
    assert np.array_equal(
        np.asarray(full), np.block([[a, np.eye(3)], [np.zeros((1, 2)), np.zeros((1, 3))]])
    )
    for wrong in (
        lambda: small.matmul(A, A),
        lambda: small.add(A, B),
        lambda: small.hadamard(A, V),
    ):
        with pytest.raises(ValueError):
            wrong()
    assert small.max_abs(small.Small.of([[1.0, -3.0]])) == 3.0
    assert not small.isfinite(small.Small.of([[1.0, math.inf]]))


def test_an_answer_that_overflows_where_the_key_is_finite_is_wrong():
    from symbrnn.engine.cells import simple_rnn
    from symbrnn.engine.derive import Derivation
    from symbrnn.judge.points import Points

    D = Derivation.of(simple_rnn())
    points, W = Points(D, T=2), D.params["W"]
    for huge in (sympy.Integer(10) ** 400, -(sympy.Integer(10) ** 400)):
        said = points.equal(huge * W, W)
        assert said.kind == "differ" and abs(said.where["yours"]) == sys.float_info.max
    assert points.equal(2 * W, W + W).kind == "agree"


def test_fingerprints_are_stable_within_a_process():
    from symbrnn.engine.cells import make_cell
    from symbrnn.engine.derive import Derivation
    from symbrnn.judge.points import Points

    D = Derivation.of(make_cell("lstm"))
    key = D.jacobian("h", 3, 1)
    one, two = Points(D, T=3), Points(D, T=3)
    assert one.fingerprint(key) == two.fingerprint(D.jacobian("h", 3, 1)) != ""
    assert one.fingerprint(key) != one.fingerprint(2 * key)


def test_other_activations_are_derived_only_for_an_answer_that_has_them():
    code = r"""
from symbrnn.engine.activations import ACTIVATIONS
from symbrnn.engine.cells import make_cell
from symbrnn.judge.check import check_answer

rnn = make_cell("rnn")
def derived():
    return sorted(k for k, row in ACTIVATIONS.items() if "_derived" in row.__dict__)
right = check_answer(rnn, "dh_3/dh_1", r"\mathrm{Diag}(\sigma'(a_3)) W \mathrm{Diag}(\sigma'(a_2)) W")
wrong = check_answer(rnn, "dh_3/dh_1", r"W \mathrm{Diag}(\sigma'(a_2)) W")
print(right.outcome, wrong.outcome, *derived())
tanh = check_answer(rnn, "dh_3/dh_1", r"\mathrm{Diag}(\tanh'(a_3)) W \mathrm{Diag}(\tanh'(a_2)) W")
print(tanh.outcome, tanh.text())
"""
    result, _ = _modules_after(code)
    assert result.returncode == 0, result.stderr[-1500:]
    first, second = result.stdout.splitlines()[:2]
    assert first.split() == ["equivalent", "not_equivalent", "identity", "sigmoid"], first
    assert second.startswith("not_equivalent") and "wrong activation" in result.stdout
