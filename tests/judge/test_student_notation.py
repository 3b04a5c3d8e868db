"""Answers as students write them, right and wrong, with the verdict and the answer note."""

import os
import subprocess
import sys

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.judge.check import check_answer

RNN, RNN0, TANH, PHI = (
    make_cell("rnn"),
    make_cell("rnn", bias=False),
    make_cell("rnn", activation="tanh"),
    make_cell("rnn", activation="phi"),
)
LSTM, GRU = make_cell("lstm"), make_cell("gru")
P = "\\sigma'"

RIGHT = [
    (RNN, "dh_3/dh_2", rf"\mathrm{{diag}}({P}(W h_2 + U x_3 + b)) W", {}),
    (RNN0, "dh_3/dh_2", rf"\mathrm{{diag}}({P}(W h_2 + U x_3)) W", {}),
    (RNN, "dh_3/dh_1", rf"\prod_{{j=k+1}}^{{t}} \operatorname{{Diag}}({P}(a_j)) W", {}),
    (RNN, "dh_3/dh_1", r"\left[\operatorname{Diag}(\sigma') W\right]^{2}", {}),
    (RNN, "dh_3/dh_1", r"\left[\operatorname{Diag}(\sigma') \times W\right]^{t-k}", {}),
    (RNN, "dh_3/dh_2", rf"\text{{diag}}({P}(a_3)) \cdot W", {}),
    (RNN, "dh_3/dh_2", r"\operatorname{Diag}(h_3 \odot (\mathbf{1} - h_3)) W", {}),
    (TANH, "dh_3/dh_2", r"\operatorname{Diag}(1 - h_3^2) W", {}),
    (TANH, "dh_3/dh_2", r"\operatorname{Diag}(1 - \tanh^2(a_3)) W", {}),
    (TANH, "dh_3/dh_2", r"\operatorname{Diag}(\mathbf{1} - h_3 \odot h_3) W", {}),
    (PHI, "dh_3/dh_2", r"\operatorname{Diag}(\varphi'(a_3)) W", {}),
    (PHI, "dh_3/dh_2", r"\mathrm{diag}(\phi'(a_3))W", {}),
    (RNN, "dh_2/dh_1", r"W^{\top} \operatorname{Diag}(\sigma'(a_2))", {}),  # denominator layout
    (
        RNN,
        "dL/dW",
        r"\sum_{t=1}^{T} \sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t} \frac{\partial h_t}{\partial h_k} \frac{\partial h_k}{\partial W}",
        {"T": 3},
    ),
    (
        RNN,
        "dL/dW",
        r"\sum_{k=1}^{T} \frac{\partial L}{\partial h_k} \frac{\partial h_k}{\partial W}",
        {"T": 3},
    ),
    (
        RNN,
        "dL/dW",
        r"\frac{\partial L_1}{\partial h_1}\frac{\partial h_1}{\partial W}"
        r" + \frac{\partial L_2}{\partial h_1}\frac{\partial h_1}{\partial W}"
        r" + \frac{\partial L_2}{\partial h_2}\frac{\partial h_2}{\partial W}",
        {"T": 2},
    ),
    (
        RNN,
        "dL/dW",
        r"\sum_{t=1}^{2}\sum_{k=1}^{t}\frac{\partial L_t}{\partial h_t}"
        r"\left[\operatorname{Diag}(\sigma')W\right]^{t-k}\frac{\partial^+ h_k}{\partial W}",
        {"T": 2},
    ),
    (LSTM, "dc_3/dc_2", r"\operatorname{Diag}(f_3)", {"paths": "direct"}),
    (LSTM, "dc_4/dc_2", r"\operatorname{Diag}(f_4)\operatorname{Diag}(f_3)", {"paths": "direct"}),
]


@pytest.mark.parametrize(("cell", "quantity", "answer", "options"), RIGHT)
def test_right_answers_in_the_course_notation(cell, quantity, answer, options):
    verdict = check_answer(cell, quantity, answer, **options)
    assert verdict.outcome == "equivalent", verdict.as_json()


WRONG = [
    (RNN, "dh_20/dh_1", "0", {}, None),
    (RNN, "dh_200/dh_1", "0", {}, None),
    (
        RNN,
        "dh_20/dh_1",
        rf"\prod_{{j=2}}^{{20}} \operatorname{{Diag}}({P}(a_{{22-j}})) W^T",
        {"layout": "numerator"},
        None,
    ),
    (RNN, "dh_3/dh_2", r"U x_3^\top", {}, "SHAPE"),
    (RNN, "dh_3/dh_2", rf"{P}(a_3) W", {}, "SHAPE"),
    (RNN, "dh_3/dh_2", rf"\mathrm{{diag}}({P}(W h_2 + U x_3)) W", {}, "BIAS_MISSING"),
    (RNN, "dh_3/dh_2", r"\operatorname{Diag}(\tanh'(a_3)) W", {}, "WRONG_ACTIVATION"),
    (TANH, "dh_3/dh_2", rf"\operatorname{{Diag}}({P}(a_3)) W", {}, "WRONG_ACTIVATION"),
    (RNN, "dh_3/dh_2", rf"\operatorname{{Diag}}({P}(h_3)) W", {}, "ARGUMENT"),
    (RNN, "dh_3/dh_2", rf"\operatorname{{Diag}}({P}(a_2)) W", {}, "TIME_SHIFT"),
    (RNN, "dh_3/dh_2", r"\operatorname{Diag}(\sigma(a_3)) W", {}, "SIGMA_FOR_PRIME"),
    (
        RNN,
        "dh_3/dh_1",
        rf"\operatorname{{Diag}}({P}(a_2)) W \operatorname{{Diag}}({P}(a_3)) W",
        {},
        "ORDER",
    ),
    (RNN, "dh_3/dh_1", rf"\prod_{{j=1}}^{{3}} \operatorname{{Diag}}({P}(a_j)) W", {}, "BOUNDS"),
    (
        RNN,
        "dh_3/dh_2",
        rf"\operatorname{{Diag}}({P}(a_3)) W^\top",
        {"layout": "numerator"},
        "TRANSPOSE_ONE",
    ),
    (LSTM, "dc_3/dc_2", r"\operatorname{Diag}(f_3)", {}, "MISSING_PATH"),
    (
        GRU,
        "dh_3/dh_2",
        r"\operatorname{Diag}(z_3) + \operatorname{Diag}(1 - z_3) \operatorname{Diag}(\tanh'(a_{h,3})) W_h"
        r" [\operatorname{Diag}(h_2) \operatorname{Diag}(\sigma'(a_{r,3})) W_r + \operatorname{Diag}(r_3)]",
        {},
        "MISSING_PATH",
    ),
    (
        GRU,
        "dh_3/dh_2",
        r"\operatorname{Diag}(h_2) \operatorname{Diag}(\sigma'(a_{z,3})) W_z + \operatorname{Diag}(z_3)"
        r" - \operatorname{Diag}(\tilde{h}_3) \operatorname{Diag}(\sigma'(a_{z,3})) W_z"
        r" + \operatorname{Diag}(1 - z_3) \operatorname{Diag}(\tanh'(a_{h,3})) W_h \operatorname{Diag}(r_3)",
        {},
        "MISSING_PATH",
    ),
    (
        RNN,
        "dL/dW",
        r"\frac{\partial L_1}{\partial h_1}\frac{\partial h_1}{\partial W} + \frac{\partial L_2}{\partial h_2}\frac{\partial h_2}{\partial W}",
        {"T": 2},
        "MISSING_TERM",
    ),
]


@pytest.mark.parametrize(("cell", "quantity", "answer", "options", "note"), WRONG)
def test_wrong_answers_get_their_answer_note(cell, quantity, answer, options, note):
    verdict = check_answer(cell, quantity, answer, **options)
    assert verdict.outcome == "not_equivalent", verdict.as_json()
    assert verdict.counterexample
    if note is not None:
        assert note in verdict.answer_notes, verdict.as_json()


def test_a_denominator_layout_answer_is_named_in_the_note():
    verdict = check_answer(RNN, "dh_2/dh_1", r"W^{\top} \operatorname{Diag}(\sigma'(a_2))")
    assert verdict.equivalent and "denominator layout" in verdict.note


def test_the_abuse_of_notation_is_accepted_with_a_note():
    verdict = check_answer(RNN, "dh_3/dh_1", r"[\operatorname{Diag}(\sigma') W]^2")
    assert verdict.equivalent and "abuse of notation" in verdict.note


def test_json_has_the_four_outcome_fields():
    info = check_answer(RNN, "dh_3/dh_2", r"\operatorname{Diag}(\sigma(a_3)) W").as_json()
    assert {"equivalent", "outcome", "diagnosis", "counterexample", "note"} <= set(info)
    assert {"expected_latex", "yours_latex", "answer_notes"} <= set(info)
    assert info["yours_latex"].startswith(r"\operatorname{Diag}")


def _check(*args):
    return subprocess.run(
        [sys.executable, "-m", "symbrnn", "check", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


def test_a_question_of_the_sheet_sets_every_option():
    answer = r"\prod_{j=2}^{3} \operatorname{Diag}(\sigma'(W h_{j-1} + U x_j)) W"
    result = _check("--sheet", "td5", "--question", "III.2", "-a", answer)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["-q", "dh_3/dh_2", "-a", r"\operatorname{Diag}(\sigma'(a_3)) W"], 0),
        (["-q", "dh_3/dh_2", "-a", r"\operatorname{Diag}(\sigma(a_3)) W"], 1),
        (["-q", "dh_3/dh_2", "-a", r"\operatorname{Diag}(\sigma'(a_3) W"], 2),
        (["--sheet", "td5", "--question", "I.1", "-a", "W"], 2),
        (["--sheet", "td5", "-a", "W"], 2),
    ],
)
def test_exit_codes(args, code):
    result = _check(*args)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
