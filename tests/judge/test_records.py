"""The judge's core records: a test point, the comparison of two expressions at the points,
and a verdict with one outcome field."""

import pickle

import pytest
from sympy import MatrixSymbol

from symbrnn.engine.cells import simple_rnn
from symbrnn.engine.derive import Derivation
from symbrnn.judge.check import check_answer
from symbrnn.judge.points import Comparison, Point, Points
from symbrnn.judge.verdict import Verdict

RNN = simple_rnn()
D = Derivation.of(RNN)


def test_a_point_is_a_record_of_its_trajectory():
    points = Points(D, T=3)
    assert all(isinstance(p, Point) for p in points.points) and len(points.points) == 6
    first = points.points[0]
    assert (first.n, first.d) == (2, 1) and len(first.xs) == 3
    assert first.env["h", 3].shape == (2, 1) and first.values["W"].shape == (2, 2)


def test_the_comparison_says_agree_differ_shape_or_cannot_judge():
    points = Points(D, T=3)
    J = D.jacobian("h", 3, 1)
    W, U = D.params["W"], D.params["U"]
    assert points.equal(J, J).kind == "agree" and points.equal(J, J) == (True, None)
    differ = points.equal(W, D.jacobian("h", 3, 2))
    assert differ.kind == "differ" and not differ.agree and differ.where["point"] == 0
    assert points.equal(U, W).kind == "shape" and "error" in points.equal(U, W).where
    tiny = 1e-300 * MatrixSymbol("W", D.n, D.n)
    assert points.equal(tiny, 1e-300 * W).kind == "cannot_judge"
    with pytest.raises(ValueError):
        Comparison("same")
    again = pickle.loads(pickle.dumps(differ))
    assert again.kind == "differ" and again == differ


def test_an_answer_read_again_is_judged_the_same():
    points = Points(D, T=3)
    J = D.jacobian("h", 3, 1)
    first = points.equal(D.jacobian("h", 3, 2), J)
    second = points.equal(D.jacobian("h", 3, 2), J)  # a new object equal to the first
    assert first == second and first.kind == "differ"


def test_a_verdict_has_one_outcome_field():
    right = check_answer(RNN, "dh_3/dh_2", r"\mathrm{diag}(\sigma'(a_3)) W")
    wrong = check_answer(RNN, "dh_3/dh_2", "W")
    assert right.outcome == "equivalent" and right.equivalent
    assert wrong.outcome == "not_equivalent" and not wrong.equivalent
    assert wrong.as_json()["equivalent"] is False and right.as_json()["equivalent"] is True
    assert "equivalent" not in Verdict.__dataclass_fields__
    with pytest.raises(ValueError):
        Verdict("dh_3/dh_2", "", "", outcome="maybe")
