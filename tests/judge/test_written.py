"""An answer once read (judge.written): its sums written out, each forward-only Jacobian
resolved, its products and sums tidied, the same every time the same answer is read (the
resolution of a subtree is kept for the next answer: what it zeroed must be kept too)."""

import sympy as sp

from symbrnn.engine.cells import simple_rnn
from symbrnn.judge.check import check_answer
from symbrnn.judge.written import resolve_causal, tidy, write_out_sums

# k runs to T, not to t: the terms k > t name ∂h_t/∂h_k of a later step, read as 0
FUTURE = (
    r"\sum_{t=1}^{2}\sum_{k=1}^{2} \frac{\partial L_t}{\partial h_t}"
    r"\frac{\partial h_t}{\partial h_k}\frac{\partial^{+} h_k}{\partial W}"
)


def _future_notes(verdict):
    return [dict(n.params) for n in verdict.notes if n.key == "note.future_zero"]


def test_a_jacobian_of_a_later_step_is_zero_and_said_at_every_reading():
    for _ in range(3):  # the second and third readings find the first one's subtrees kept
        verdict = check_answer(simple_rnn(), "dL/dW", FUTURE, T=2)
        assert verdict.outcome == "equivalent"
        assert _future_notes(verdict) == [{"t": 1, "k": 2}]


def test_the_same_slip_with_a_jacobian_of_a_later_step_is_refused():
    wrong = FUTURE.replace(r"\partial W}", r"\partial U}")
    verdict = check_answer(simple_rnn(), "dL/dW", wrong, T=2)
    assert verdict.outcome == "not_equivalent"
    assert _future_notes(verdict) == [{"t": 1, "k": 2}]


def test_tidy_drops_a_zero_term_and_a_zero_factor_absorbs_its_product():
    W, U = sp.MatrixSymbol("W", 3, 3), sp.MatrixSymbol("U", 3, 3)
    zero = sp.ZeroMatrix(3, 3)
    inner = sp.MatMul(U, zero, evaluate=False)
    expr = sp.MatAdd(W, inner, evaluate=False)
    assert tidy(expr) == W
    assert tidy(expr) == W  # kept: the same answer again
    assert tidy(sp.MatMul(W, sp.MatMul(U, W, evaluate=False), evaluate=False)).args == (W, U, W)


def test_an_answer_without_a_sum_or_a_forward_only_jacobian_is_left_as_read():
    W, U = sp.MatrixSymbol("W", 3, 3), sp.MatrixSymbol("U", 3, 3)
    expr = sp.MatMul(W, sp.MatMul(U, W, evaluate=False), evaluate=False)
    assert resolve_causal(expr) is expr
    assert write_out_sums(expr) is expr
