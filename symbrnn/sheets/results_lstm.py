"""Results of IV, the LSTM, for a sheet: the cell-state path ∂c_t/∂c_k and its direct
path, the case f = 1, i = 0, and the one-step Jacobian ∂c_t/∂c_{t−1} with its terms."""

from __future__ import annotations

import sympy as sp

from symbrnn.engine.cells import lstm
from symbrnn.engine.derive import Derivation, Loss, collapse, expand_products, j_, k_, t_
from symbrnn.engine.expand import expand_gradient
from symbrnn.engine.matexpr import Apply, Diag, Ones, OrderedProduct, Partial, TimeSum, TimeVec, mul
from symbrnn.printing.latex import latex
from symbrnn.sheets.producers import eq as _eq
from symbrnn.sheets.producers import producer


@producer(
    "lstm",
    "approx approx_collapsed direct direct_collapsed saturated saturated_value",
    "gradient_saturated one_step one_step_full dc_dh_terms dc_dh_lhs one_step_direct",
    "one_step_direct_j h_from_c preactivations dL_dc local_f constant_gates_exact",
)
def lstm_results(sizes):
    """IV.2–IV.4: the cell-state path, the case f = 1, i = 0, and ∂c_t/∂c_{t-1}; the cell
    with its biases, as I.3 counts them."""

    cell = lstm()
    D = Derivation.of(cell)
    approx = expand_gradient(
        cell, "W_f", sp.Symbol("T", integer=True, positive=True), state="c", paths="direct"
    )
    direct = D.jacobian("c", paths="direct")
    saturated = direct.xreplace({TimeVec("f", j_, D.n): Ones(D.n)})
    simplified = sp.Identity(D.n) if saturated.body == Diag(Ones(D.n)) else saturated
    one_step = expand_products(D.jacobian("c", t_, t_ - 1))
    dc_dh, dc_dh_lhs = D.step_jacobian("c", "h", t_), Partial(D.vec("c", t_), D.vec("h", t_ - 1))
    one_step_short = one_step.xreplace({dc_dh: dc_dh_lhs})
    return {
        "approx": latex(approx.general),
        "approx_collapsed": latex(approx.general_collapsed),
        "direct": _eq(Partial(D.vec("c", t_), D.vec("c", k_)), direct),
        "direct_collapsed": latex(collapse(direct)),
        "saturated": latex(saturated),
        "saturated_value": latex(simplified),
        "gradient_saturated": latex(
            _sums_of(approx.general, {a: simplified for a in approx.general.atoms(OrderedProduct)})
        ),
        "one_step": _eq(Partial(D.vec("c", t_), D.vec("c", t_ - 1)), one_step_short),
        "one_step_full": latex(one_step),
        "dc_dh_terms": [latex(term) for term in sp.MatAdd.make_args(dc_dh)],
        "dc_dh_lhs": latex(dc_dh_lhs),
        "one_step_direct": latex(D.step_jacobian("c", "c", t_)),
        "one_step_direct_j": latex(D.step_jacobian("c", "c", j_)),
        "h_from_c": latex(D.within_step(D.state_node("h"), D.state_node("c"), t_ - 1)),
        "preactivations": [
            _eq(lhs, rhs)
            for (lhs, rhs), node in zip(D.definitions(t_), D.trace.named_nodes, strict=True)
            if node.kind == "preactivation"
        ],
        "dL_dc": _eq(
            Partial(Loss(t_), D.vec("c", t_)),
            mul(
                Partial(Loss(t_), D.vec("h", t_)),
                D.within_step(D.state_node("h"), D.state_node("c"), t_),
            ),
        ),
        "local_f": _eq(Partial(D.vec("c", k_), D.vec("a_f", k_), True), _local_of(D, "W_f")),
        "constant_gates_exact": _constant_gates_exact(D, one_step),
    }


def _local_of(D, param):
    """∂⁺c_k/∂(P h_{k−1}): how the cell state of step k moves with the product P h_{k−1}."""
    target = next(node for node, v in D.uses(param) if v is not None)
    return D.local_term("c", target, k_)


def _constant_gates_exact(D, one_step) -> bool:
    """Whether ∂c_t/∂c_{t−1}, every path counted, is exactly I when f ≡ 1 and i ≡ 0 (constant
    gates: their derivatives vanish), checked at the random trajectories of the checker."""
    from symbrnn.judge.points import Points

    n = D.n
    hypothesis = {
        TimeVec("f", t_, n): Ones(n),
        TimeVec("i", t_, n): sp.ZeroMatrix(n, 1),
        Apply("sigmoid", TimeVec("a_f", t_, n), 1): sp.ZeroMatrix(n, 1),
        Apply("sigmoid", TimeVec("a_i", t_, n), 1): sp.ZeroMatrix(n, 1),
    }
    under = one_step.xreplace(hypothesis).xreplace({t_: 2})
    return Points(D, T=2).equal(under, sp.Identity(n))[0]


def _sums_of(expr, replacements):
    """Substitute inside Σ Σ body and tidy the product (an identity factor disappears)."""
    if isinstance(expr, TimeSum):
        return TimeSum(_sums_of(expr.body, replacements), expr.index, expr.lo, expr.hi)
    body = expr.xreplace(replacements)
    return mul(*body.args) if isinstance(body, sp.MatMul) else body
