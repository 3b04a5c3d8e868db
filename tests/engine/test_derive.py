"""The chain rule at the matrix level, proved against element-level brute force."""

import dataclasses

import pytest
import sympy

from symbrnn.engine.activations import ACTIVATIONS, generic, sigmoid
from symbrnn.engine.cell import Cell
from symbrnn.engine.cells import gru, lstm, simple_rnn
from symbrnn.engine.derive import Derivation, j_, t_
from symbrnn.engine.matexpr import Diag, OrderedProduct, TimeVec, mul
from symbrnn.engine.ops import OPS
from symbrnn.proof.verify import verify_gradient, verify_jacobian

RNN_ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity", "phi"]


@pytest.mark.parametrize("name", RNN_ACTIVATIONS)
@pytest.mark.parametrize(("t", "k"), [(1, 1), (2, 1), (3, 1), (4, 1), (4, 2)])
def test_rnn_jacobian_is_exact(name, t, k):
    cell = simple_rnn(ACTIVATIONS[name])
    assert verify_jacobian(cell, "h", t=t, k=k, n=2, d=1, method="exact").equal


@pytest.mark.parametrize("param", ["W", "U", "b"])
@pytest.mark.parametrize("T", [1, 2, 3, 4])
def test_rnn_gradient_is_exact(param, T):
    assert verify_gradient(simple_rnn(generic), param, T=T, n=2, d=1, method="exact").equal


@pytest.mark.parametrize(
    ("cell", "state", "paths"),
    [
        (lstm(), "c", "all"),
        (lstm(), "c", "direct"),
        (lstm(), "h", "all"),
        (gru(reset_after=False), "h", "all"),
        (gru(reset_after=True), "h", "all"),
    ],
    ids=["lstm-c", "lstm-c-direct", "lstm-h", "gru-keras2", "gru-keras3"],
)
@pytest.mark.parametrize(("t", "k", "method"), [(2, 1, "exact"), (3, 1, "exact"), (4, 1, "random")])
def test_gated_jacobians(cell, state, paths, t, k, method):
    assert verify_jacobian(cell, state, t=t, k=k, paths=paths, n=2, d=1, method=method).equal


@pytest.mark.parametrize(
    ("cell", "params"),
    [
        (lstm(), ["W_f", "U_i", "b_o", "W_c"]),
        (gru(False), ["W_z", "W_r", "W_h", "U_h"]),
        (gru(True), ["W_r", "b_hh"]),
    ],
    ids=["lstm", "gru-keras2", "gru-keras3"],
)
@pytest.mark.parametrize("T", [2, 4])
def test_gated_gradients(cell, params, T):
    for param in params:
        assert verify_gradient(cell, param, T=T, n=2, d=1, method="random").equal, param


def test_lstm_gradient_exact_for_small_T():
    assert verify_gradient(lstm(), "W_f", T=2, n=2, d=1, method="exact").equal


def test_naive_baseline_agrees():
    assert verify_jacobian(simple_rnn(generic), "h", t=3, k=1, method="naive").equal
    assert verify_gradient(simple_rnn(generic), "W", T=2, method="naive").equal


# -- the verifier can fail: wrong rules are caught ------------------------------------


@pytest.mark.parametrize(
    ("op", "wrong"),
    [
        ("matmul", lambda y, a, i, n: sympy.Transpose(a[0])),  # a transpose too many
        ("apply", lambda y, a, i, n: Diag(a[0])),  # φ in place of φ'
        ("hadamard", lambda y, a, i, n: Diag(a[i])),  # the wrong factor
    ],
)
def test_a_wrong_local_rule_is_caught(monkeypatch, op, wrong):
    monkeypatch.setitem(OPS, op, dataclasses.replace(OPS[op], local=wrong))
    cell = lstm() if op == "hadamard" else simple_rnn(generic)
    state = "c" if op == "hadamard" else "h"
    assert not verify_jacobian(cell, state, t=2, k=1, method="exact").equal
    assert not verify_jacobian(cell, state, t=3, k=1, method="random").equal


def test_factors_in_the_wrong_order_are_caught(monkeypatch):
    monkeypatch.setattr(
        OrderedProduct,
        "factors",
        lambda self: [
            self.body.xreplace({self.index: j}) for j in range(int(self.lo), int(self.hi) + 1)
        ],
    )
    from symbrnn.numeric.instantiate import Evaluator

    def reversed_product(self, e, original=Evaluator._eval):
        if isinstance(e, OrderedProduct) and int(e.hi) > int(e.lo):
            factors = [self(e.body.xreplace({e.index: j})) for j in range(int(e.lo), int(e.hi) + 1)]
            out = factors[0]
            for f in factors[1:]:
                out = self.ops.matmul(out, f)
            return out
        return original(self, e)

    monkeypatch.setattr(Evaluator, "_eval", reversed_product)
    assert not verify_jacobian(simple_rnn(generic), "h", t=3, k=1, method="exact").equal


# -- the structure the course teaches ---------------------------------------------------


def test_rnn_jacobian_is_an_ordered_product_of_one_step_jacobians():
    D = Derivation(simple_rnn())
    J = D.jacobian("h", 5, 2)
    assert isinstance(J, OrderedProduct)
    assert (J.lo, J.hi) == (3, 5)
    assert J.body == D.step_jacobian("h", "h", j_)


def test_lemma_affine_then_activation():
    """II.1: for u = σ(A v), ∂u/∂v = Diag(σ'(A v)) A, shown element by element."""

    def lemma(h_prev, x, A):
        u = sigmoid(A @ x)
        return u

    cell = Cell("lemma", lemma, states=("h",))
    D = Derivation(cell)
    structured = D.within_step(D.state_node("h"), D.trace.leaves["x"], t_)
    n, d = 3, 2
    A = sympy.Matrix(n, d, lambda i, j: sympy.Symbol(f"A{i}{j}"))
    v = sympy.Matrix(d, 1, lambda i, j: sympy.Symbol(f"v{i}"))
    u = (A * v).applyfunc(sigmoid.sympy_form)
    from symbrnn.numeric.instantiate import SYMPY, Evaluator, forward

    env = forward(D, {"A": A}, [v], {"h": sympy.zeros(n, 1)}, SYMPY)
    value = Evaluator(env, {"A": A}, SYMPY, {D.n: n, D.d: d})(structured.xreplace({t_: 1}))
    assert (u.jacobian(v) - value).applyfunc(sympy.expand) == sympy.zeros(n, d)


def test_lstm_direct_path_is_the_product_of_forget_gates():
    D = Derivation(lstm())
    direct = D.jacobian("c", 4, 1, paths="direct")
    assert direct.body == Diag(TimeVec("f", j_, D.n))


def test_forget_one_input_zero_makes_the_cell_state_an_identity():
    """IV.3: with f_t = 1 and i_t = 0 for all t, ∂c_t/∂c_k (direct path) is the identity."""
    import numpy as np

    from symbrnn.numeric.instantiate import NUMPY, Evaluator

    D = Derivation(lstm())
    n = 3
    env = {("f", j): np.ones((n, 1)) for j in range(1, 6)}
    value = Evaluator(env, {}, NUMPY, {D.n: n})(D.jacobian("c", 5, 1, paths="direct"))
    assert np.array_equal(value, np.eye(n))


def test_unknown_names_are_refused():
    from symbrnn.errors import InputError

    D = Derivation(simple_rnn())
    with pytest.raises(InputError, match=r"^cell 'rnn' has no state 'c'; its states are: h$"):
        D.jacobian("c")
    with pytest.raises(InputError, match=r"has no parameter 'W_f'; it has: W, U, b$"):
        D.gradient("W_f")


def test_gradient_general_form_is_a_double_sum():
    D = Derivation(simple_rnn())
    g = D.gradient("W")
    assert g.index == t_ and g.lo == 1 and str(g.hi) == "T"
    assert g.body.index.name == "k" and g.body.hi == t_
    assert mul(g.body.body.args[1]) == D.jacobian("h")


@pytest.mark.parametrize(
    "cell", [simple_rnn(ACTIVATIONS["tanh"]), lstm(), gru(False)], ids=["rnn", "lstm", "gru"]
)
def test_numeric_gradients_match_finite_differences(cell):
    from symbrnn.proof.verify import verify_numeric

    results = verify_numeric(cell, T=3)
    assert {r.quantity for r in results} == {f"∂L/∂{p} (numbers)" for p in Derivation(cell).params}
    assert all(r.equal for r in results), [r.detail for r in results]


def test_numeric_check_catches_a_wrong_rule(monkeypatch):
    from symbrnn.proof.verify import verify_numeric

    monkeypatch.setitem(
        OPS, "apply", dataclasses.replace(OPS["apply"], local=lambda y, a, i, n: Diag(a[0]))
    )
    assert not all(r.equal for r in verify_numeric(simple_rnn(), T=3))


def test_numeric_check_skips_the_generic_phi():
    from symbrnn.proof.verify import verify_numeric

    assert verify_numeric(simple_rnn(generic), T=2) == []
