"""The recursion of the total derivative that makes the double sum of BPTT appear."""

from sympy import ZeroMatrix

from symbrnn.engine.cells import simple_rnn
from symbrnn.engine.derive import Derivation, k_, t_
from symbrnn.engine.matexpr import Partial, TotalDerivative, add
from symbrnn.judge.points import Points


def _recursion_at(D, recursion, t):
    """dh_t/dW with the recursion applied down to dh_0/dW = 0 (no TotalDerivative left)."""
    W = D.params["W"]
    if t == 0:
        return ZeroMatrix(*Partial(D.vec("h", 0), W).shape)
    step = recursion.xreplace({t_: t})
    return step.xreplace(
        {TotalDerivative(D.vec("h", t - 1), W): _recursion_at(D, recursion, t - 1)}
    )


def test_the_unrolled_recursion_is_the_sum_over_k():
    D = Derivation(simple_rnn(bias=False))
    total, recursion, unrolled = D.gradient_recursion("W")
    assert total == TotalDerivative(D.vec("h", t_), D.params["W"])
    points = Points(D, T=4)
    for t in (1, 2, 4):
        by_recursion = _recursion_at(D, recursion, t)
        assert not by_recursion.atoms(TotalDerivative)
        by_sum = add(*(unrolled.body.xreplace({t_: t, k_: k}) for k in range(1, t + 1)))
        assert points.equal(by_recursion, by_sum) == (True, None), t
    # and a wrong recursion (the immediate part dropped) is told apart
    wrong = recursion.args[1] if isinstance(recursion.args[0], Partial) else recursion.args[0]
    assert (
        points.equal(_recursion_at(D, wrong, 1), add(*(unrolled.body.xreplace({t_: 1, k_: 1}),)))[0]
        is False
    )
