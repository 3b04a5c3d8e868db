"""A Jacobian a student names is the engine's derivative of that pair, never 0 nor a symbol.

Over every built-in cell, every pair of its states (h, c, ...), every steps t ≥ k up to
T = 4 and both paths options: the parsed ∂s_t/∂r_k equals the engine's derivative at the
judge's test points; at t = k it is the identity for s = r and the step's own derivative
(not 0) for s ≠ r. Then the false-accept probes of IV.4.
"""

import numpy as np
import pytest

from symbrnn.engine.cells import CELLS, make_cell
from symbrnn.engine.derive import Derivation, is_zero
from symbrnn.judge.answer_parser import parse_answer, parse_derivation
from symbrnn.judge.check import check_answer
from symbrnn.judge.points import cached_points
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text

T_MAX = 4


def _cases():
    for name in CELLS:
        states = make_cell(name).states
        for s in states:
            for r in states:
                for paths in ("all", "direct"):
                    for t in range(1, T_MAX + 1):
                        for k in range(0, t + 1):
                            yield name, s, r, t, k, paths


def _engine(D, s, t, r, k, paths):
    """The engine's ∂s_t/∂r_k: the direct path only for one state by itself; the other
    states of step k recomputed from r_k, but at k = 0, where every state is given."""
    if s == r and paths == "direct":
        return D.jacobian(s, t, k, paths=paths)
    return D.jacobian(s, t, k, wrt=r, recompute=k > 0)


@pytest.mark.parametrize(("cell", "s", "r", "t", "k", "paths"), list(_cases()))
def test_a_named_jacobian_is_the_engines(cell, s, r, t, k, paths):
    c = make_cell(cell)
    D = Derivation.of(c)
    answer = rf"\frac{{\partial {s}_{{{t}}}}}{{\partial {r}_{{{k}}}}}"
    parsed = parse_answer(answer, c, {"t": t, "k": k, "paths": paths})
    points = cached_points(D, T_MAX)
    same, where = points.equal(parsed, _engine(D, s, t, r, k, paths))
    assert same, where
    value = np.asarray(points.evaluate(parsed, points.points[0]))
    if t == k and s == r:
        assert np.array_equal(value, np.eye(value.shape[0]))
    elif t == k:  # the same step: ∂h_t/∂c_t is not 0, ∂c_t/∂h_t is (c_t is computed first)
        within = D.within_step(D.state_node(s), D.state_node(r), t)
        assert np.any(value != 0) == (not is_zero(within)) == ((cell, s, r) == ("lstm", "h", "c"))
    echo = text(parsed)
    assert "[" not in echo and "∏" not in echo, echo  # printed as written, no block form
    assert latex(parsed) == answer


def test_the_same_step_derivative_is_the_cells_own():
    """∂h_t/∂c_t of the LSTM is Diag(o_t ⊙ tanh'(c_t)), written by hand here."""
    c = make_cell("lstm", bias=False)
    points = cached_points(Derivation.of(c), 3)
    named = parse_answer(r"\frac{\partial h_2}{\partial c_2}", c, {"t": 3, "k": 2})
    by_hand = parse_answer(r"\mathrm{Diag}(o_2 \odot \tanh'(c_2))", c, {"t": 3, "k": 2})
    assert points.equal(named, by_hand)[0]


def test_a_quantity_of_the_step_by_the_chain_rule():
    """∂h_t/∂a_t ∂a_t/∂h_{t−1} is the step of the simple RNN."""
    c = make_cell("rnn", bias=False)
    answer = r"\frac{\partial h_3}{\partial a_3}\frac{\partial a_3}{\partial h_2}"
    assert check_answer(c, "dh_3/dh_2", answer).outcome == "equivalent"
    assert check_answer(c, "dh_3/dh_2", r"\frac{\partial h_3}{\partial a_3}").outcome != (
        "equivalent"
    )


LSTM = make_cell("lstm", bias=False)
TERMS = [
    r"\mathrm{Diag}(c_2)\mathrm{Diag}(\sigma'(a_{f,3}))W_f",
    r"\mathrm{Diag}(\tilde c_3)\mathrm{Diag}(\sigma'(a_{i,3}))W_i",
    r"\mathrm{Diag}(i_3)\mathrm{Diag}(\tanh'(a_{c,3}))W_c",
]
H_BY_C = r"\frac{\partial h_2}{\partial c_2}"


def _key(terms=TERMS, h_by_c=H_BY_C):
    return r"\mathrm{Diag}(f_3) + \left[" + " + ".join(terms) + r"\right]" + h_by_c


def test_the_iv4_key_with_a_named_factor_is_accepted():
    assert check_answer(LSTM, "dc_3/dc_2", _key()).outcome == "equivalent"


def test_the_chain_rule_form_of_iv4_is_accepted_and_echoed_as_written():
    answer = (
        r"\mathrm{Diag}(f_3) + \frac{\partial c_3}{\partial h_2} \frac{\partial h_2}{\partial c_2}"
    )
    verdict = check_answer(LSTM, "dc_3/dc_2", answer)
    assert verdict.outcome == "equivalent"
    assert verdict.answer == "Diag(f₃) + ∂c₃/∂h₂ ∂h₂/∂c₂"
    for shown in (verdict.expected, verdict.answer):
        assert "[0" not in shown and "∏" not in shown  # no block matrix


PROBES = [
    r"\mathrm{Diag}(f_3) + W_o\,\frac{\partial h_2}{\partial c_2}",
    r"\mathrm{Diag}(f_3) + W_f\,\frac{\partial h_2}{\partial c_2}",
    _key(h_by_c=r"\frac{\partial h_3}{\partial c_3}"),
    _key(h_by_c=r"\frac{\partial c_2}{\partial h_2}"),
    _key(h_by_c=r"\frac{\partial h_2}{\partial h_1}"),
    _key(h_by_c=r"\frac{\partial h_2}{\partial c_2} W_o"),
    *(_key(terms=TERMS[:i] + TERMS[i + 1 :]) for i in range(3)),
    *(_key(terms=[*TERMS[:i], TERMS[i] + r"\," + H_BY_C, *TERMS[i + 1 :]]) for i in range(3)),
]


@pytest.mark.parametrize("answer", PROBES)
def test_a_wrong_answer_with_a_named_jacobian_is_refused(answer):
    verdict = check_answer(LSTM, "dc_3/dc_2", answer)
    assert verdict.outcome == "not_equivalent", answer
    assert "∂" in verdict.answer  # the named factor is in the echo, not dropped
    for said in [verdict.answer, *verdict.diagnosis]:
        assert "[0" not in said and "I]" not in said, said


def test_named_jacobians_under_the_direct_path_and_the_hypothesis():
    """IV.3: ∂c_3/∂c_1 along the direct path is Diag(f_3) Diag(f_2), I when f = 1."""
    right = r"\frac{\partial c_3}{\partial c_2}\frac{\partial c_2}{\partial c_1}"
    held = {"f": 1, "i": 0}
    verdict = check_answer(LSTM, "dc_3/dc_1", right, paths="direct", hypothesis=held)
    assert verdict.outcome == "equivalent"
    wrong = r"\frac{\partial c_3}{\partial h_2}\frac{\partial h_2}{\partial c_1}"
    verdict = check_answer(LSTM, "dc_3/dc_1", wrong, paths="direct")
    assert verdict.outcome == "not_equivalent"


def test_an_unknown_pair_is_unreadable():
    with pytest.raises(Exception, match="quantities of the cell"):
        parse_derivation(r"\frac{\partial q_2}{\partial h_2}", LSTM, {"t": 3, "k": 2})


# -- ∂⁺X_k/∂W of a cell of several states: consistent through the cell's graph -------------

LSTM_SUM = r"\sum_{t=1}^{%d}\sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t} \frac{\partial h_t}{\partial %s_k} \frac{\partial^+ %s_k}{\partial %s}"


def test_the_immediate_parts_of_the_lstm_follow_its_graph():
    """∂⁺h_k/∂W_f = ∂h_k/∂c_k ∂⁺c_k/∂W_f (W_f reaches h only through c), ∂⁺c_k/∂W_o = 0."""
    from symbrnn.engine.matexpr import Partial

    D = Derivation.of(make_cell("lstm", bias=False))
    points = cached_points(D, 3)
    W_f, W_o = D.params["W_f"], D.params["W_o"]
    for k in (1, 2, 3):
        h, c = D.vec("h", k), D.vec("c", k)
        through_c = D.within_step(D.state_node("h"), D.state_node("c"), k) * Partial(c, W_f, True)
        assert points.equal(Partial(h, W_f, True), through_c).agree
        assert not points.equal(Partial(h, W_o, True), Partial(h, W_f, True)).agree
        zero = Partial(c, W_o, True)
        assert all(not np.any(np.asarray(points.evaluate(zero, p))) for p in points.points)
        assert not points.equal(Partial(c, W_f, True), 0 * Partial(c, W_f, True)).agree


@pytest.mark.parametrize("T", [2, 3])
@pytest.mark.parametrize(
    ("param", "right", "wrong"),
    [("W_f", "c", "h"), ("U_i", "c", "h"), ("W_o", "h", "c")],
)
def test_the_lstm_gradient_through_the_state_the_parameter_enters_is_accepted(
    T, param, right, wrong
):
    cell = make_cell("lstm", bias=False)
    quantity = f"dL/d{param}"
    assert check_answer(cell, quantity, LSTM_SUM % (T, right, right, param), T=T).equivalent
    for a, b in ((wrong, wrong), (right, wrong), (wrong, right)):
        verdict = check_answer(cell, quantity, LSTM_SUM % (T, a, b, param), T=T)
        assert verdict.outcome == "not_equivalent", (a, b, verdict.as_json())
        said = " ".join(verdict.diagnosis)
        assert "[I  0]" not in said and "[I; 0]" not in said, said
