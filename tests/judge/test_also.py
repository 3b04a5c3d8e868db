"""A question that also accepts the gradient (td5 III.2 answered with ∂L/∂W, its key's own
form): judged as ∂L/∂W at the sheet's T there, and nowhere else."""

from pathlib import Path

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.errors import InputError
from symbrnn.judge.check import check_answer
from symbrnn.sheets.checking import check
from symbrnn.sheets.spec import load_sheet

RNN = make_cell("rnn", bias=False)
POWER = r"\left[\mathrm{Diag}(\sigma')W\right]"
SUM = r"\sum_{t=1}^{T}\sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t}"
COLLAPSED = SUM + POWER + r"^{t-k}\frac{\partial^+ h_k}{\partial W}"
ONE_TOO_MANY = SUM + POWER + r"^{t-k+1}\frac{\partial^+ h_k}{\partial W}"
NAMED = r"\frac{\partial L}{\partial W} = "


@pytest.fixture(scope="module")
def key():
    """The gradient at the sheet's T as the key writes it (III.1's answer)."""
    return check("0", sheet="td5", question="III.1").answer_latex


@pytest.mark.parametrize("form", ["key", "named key", "collapsed", "named collapsed"])
def test_iii2_answered_with_the_gradient_is_accepted(form, key):
    answer = {"key": key, "collapsed": COLLAPSED}[form.split()[-1]]
    verdict = check(
        NAMED + answer if form.startswith("named") else answer, sheet="td5", question="III.2"
    )
    assert verdict.outcome == "equivalent" and verdict.quantity == "dL/dW", verdict.as_json()


def test_iii2_still_judges_its_own_jacobian():
    right = check(
        r"\mathrm{Diag}(\sigma'(a_3)) W \mathrm{Diag}(\sigma'(a_2)) W",
        sheet="td5",
        question="III.2",
    )
    wrong = check(r"\mathrm{Diag}(\sigma'(a_3)) W", sheet="td5", question="III.2")
    assert right.outcome == "equivalent" and right.quantity == "dh_3/dh_1"
    assert wrong.outcome == "not_equivalent" and wrong.quantity == "dh_3/dh_1"


def test_a_wrong_gradient_is_judged_as_a_gradient():
    verdict = check(ONE_TOO_MANY, sheet="td5", question="III.2")
    assert verdict.outcome == "not_equivalent" and verdict.quantity == "dL/dW"
    assert "SHAPE" not in [d.code for d in verdict.steps[0].diagnoses]


def test_the_gradient_is_refused_where_the_question_does_not_allow_it(key):
    """The same Jacobian asked without ``also`` (no sheet, or -q given) refuses it."""
    plain = check_answer(RNN, "dh_3/dh_1", key, T=3)
    assert plain.outcome == "not_equivalent" and plain.steps[0].diagnoses[0].code == "SHAPE"
    allowed = check_answer(RNN, "dh_3/dh_1", key, T=3, also=("dL/dW",))
    assert allowed.outcome == "equivalent"
    asked = check(key, "dh_3/dh_1", sheet="td5", question="III.2")
    assert asked.outcome == "not_equivalent"
    for question in ("IV.3", "IV.4"):  # LSTM questions: no W to match
        with pytest.raises(InputError):
            check(key, sheet="td5", question=question)


def test_without_T_there_is_no_gradient_to_match(key):
    assert check_answer(RNN, "dh_3/dh_1", key, also=("dL/dW",)).outcome == "not_equivalent"


@pytest.mark.parametrize("also", ['["dh_3/dh_1"]', '"dL/dW"', '["dL/dQ/"]'])
def test_a_sheet_says_also_with_gradients(tmp_path, also):
    source = Path(load_sheet.__code__.co_filename).parents[2] / "derivations" / "td5.toml"
    text = source.read_text().replace('also = ["dL/dW"]', f"also = {also}")
    assert f"also = {also}" in text
    (tmp_path / "mine.toml").write_text(text)
    with pytest.raises(InputError, match="also is a list of gradients"):
        load_sheet(str(tmp_path / "mine.toml"))
