"""Answers as students write them, right and wrong, with the verdict and the answer note."""

import os
import re
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


# -- notation as students write it (issue 35, point 3): each class right and wrong --------

from symbrnn.judge.notation import AnswerParseError  # noqa: E402
from symbrnn.sheets.questions import question_check  # noqa: E402
from symbrnn.sheets.variants import variant_json  # noqa: E402

R0 = make_cell("rnn", bias=False)
LSTM0 = make_cell("lstm", bias=False)
RIGHT_32 = r"\mathrm{Diag}(\sigma'(a_3)) W \mathrm{Diag}(\sigma'(a_2)) W"
IV3 = {"paths": "direct", "hypothesis": {"f": 1, "i": 0}}

# (cell, quantity, answer, options, accepted, a note the verdict carries or None)
STUDENT = [
    # Unicode subscripts, primes and letters
    (R0, "dh_3/dh_1", r"\mathrm{Diag}(σ′(a₃)) W \mathrm{Diag}(σ′(a₂)) W", {}, True, None),
    (R0, "dh_3/dh_1", "Diag(σʹ(a₃)) · W · Diag(σ’(a₂)) × W", {}, True, None),
    (R0, "dh_3/dh_1", r"\mathrm{Diag}(\sigma'_3) W \mathrm{Diag}(\sigma'_{2}) W", {}, True, None),
    (R0, "dh_3/dh_1", r"\mathrm{diag}(σ′₃) 𝐖 \mathrm{diag}(σ′₂) 𝐖", {}, True, None),
    (R0, "dh_3/dh_1", r"\mathrm{Diag}(σ′(a₂)) W \mathrm{Diag}(σ′(a₃)) W", {}, False, None),
    (R0, "dh_3/dh_1", r"\mathrm{Diag}(\sigma'_3) W \mathrm{Diag}(\sigma'_3) W", {}, False, None),
    (
        R0,
        "dh_3/dh_1",
        r"\mathrm{Diag}(\sigma'(a_3)) Wᵀ \mathrm{Diag}(\sigma'(a_2)) W",
        {},
        False,
        None,
    ),
    # identity spellings, where a matrix is due
    (LSTM0, "dc_3/dc_1", r"\mathrm{Id}", IV3, True, None),
    (LSTM0, "dc_3/dc_1", r"\operatorname{Id}", IV3, True, None),
    (LSTM0, "dc_3/dc_1", r"\text{Id}", IV3, True, None),
    (LSTM0, "dc_3/dc_1", "I_{n}", IV3, True, None),
    (LSTM0, "dc_3/dc_1", r"\mathbb{I}_n", IV3, True, None),
    (LSTM0, "dc_3/dc_1", r"\mathbb{1}", IV3, True, None),
    (LSTM0, "dc_3/dc_1", r"\mathbf{1}_{n}", IV3, True, None),
    (LSTM0, "dc_3/dc_1", r"\mathrm{Id} + \mathrm{Diag}(f_3)", IV3, False, None),
    (LSTM0, "dc_3/dc_1", r"\mathbb{1} - \mathrm{Diag}(o_3)", IV3, False, None),
    (LSTM0, "dc_3/dc_1", r"\mathrm{Diag}(o_3)", IV3, False, None),
    (TANH, "dh_3/dh_2", r"\operatorname{Diag}(\mathbf{1} - h_3 \odot h_3) W", {}, True, None),
    (TANH, "dh_3/dh_2", r"(\mathrm{Id} - \mathrm{Diag}(h_3)^2) W", {}, True, None),
    (TANH, "dh_3/dh_2", r"(\mathrm{Id} - \mathrm{Diag}(h_2)^2) W", {}, False, None),
    # indicators for relu'
    (
        RELU := make_cell("rnn", activation="relu"),
        "dh_3/dh_2",
        r"\mathrm{Diag}(\mathbb{1}_{\{a_3>0\}}) W",
        {},
        True,
        None,
    ),
    (RELU, "dh_3/dh_2", r"\mathrm{Diag}(\mathbb{1}_{a_3 > 0}) W", {}, True, None),
    (RELU, "dh_3/dh_2", r"\mathrm{Diag}(\mathbf{1}[a_3>0]) W", {}, True, None),
    (RELU, "dh_3/dh_2", r"\mathrm{Diag}(\mathbb{1}(0 < a_3)) W", {}, True, None),
    (RELU, "dh_3/dh_2", r"\mathrm{Diag}(𝟙_{a₃ ≥ 0}) W", {}, True, None),
    (RELU, "dh_3/dh_2", r"\mathrm{Diag}(\mathbb{1}_{a_3 < 0}) W", {}, False, None),
    (RELU, "dh_3/dh_2", r"\mathrm{Diag}(\mathbb{1}_{a_2 > 0}) W", {}, False, None),
    (R0, "dh_3/dh_2", r"\mathrm{Diag}(\mathbb{1}_{a_3>0}) W", {}, False, "WRONG_ACTIVATION"),
    # a trailing shape and punctuation
    (R0, "dh_3/dh_1", RIGHT_32 + r" \in \mathbb{R}^{n\times n}", {}, True, None),
    (R0, "dh_3/dh_1", RIGHT_32 + r"\in\R^{n \times n}.", {}, True, None),
    (R0, "dh_3/dh_1", r"W \mathrm{Diag}(\sigma'(a_2)) W ∈ ℝ^{n×n}", {}, False, None),
    # numbers: the decimal comma, \frac14
    (R0, "dh_3/dh_2", r"0{,}25 \cdot 4 \, \mathrm{Diag}(\sigma'(a_3)) W", {}, True, None),
    (R0, "dh_3/dh_2", r"4 \cdot 0,25\, \mathrm{Diag}(\sigma'(a_3)) W", {}, True, None),
    (R0, "dh_3/dh_2", r"4\tfrac{1}{4} \mathrm{Diag}(\sigma'(a_3)) W", {}, True, None),
    (R0, "dh_3/dh_2", r"\frac14 \mathrm{Diag}(\sigma'(a_3)) W", {}, False, None),
    (R0, "dh_3/dh_2", r"\dfrac{1}{4} W", {}, False, None),
    (R0, "dh_3/dh_2", r"0{,}25 W", {}, False, None),
    # powers of functions
    (TANH, "dh_3/dh_2", r"\mathrm{Diag}(1 - \tanh^2(a_3)) W", {}, True, None),
    (TANH, "dh_3/dh_2", r"\mathrm{Diag}(1 - \tanh^{2}(W h_2 + U x_3 + b)) W", {}, True, None),
    (R0, "dh_3/dh_2", r"\mathrm{Diag}(\sigma(a_3) - \sigma^2(a_3)) W", {}, True, None),
    (R0, "dh_3/dh_2", r"\mathrm{Diag}(\sigma(a_3)(1 - \sigma(a_3))) W", {}, True, None),
    (TANH, "dh_3/dh_2", r"\mathrm{Diag}(1 - \tanh(a_3^2)) W", {}, False, None),
    (R0, "dh_3/dh_2", r"\mathrm{Diag}(\sigma^2(a_3)) W", {}, False, None),
    # W': a transpose, said in a note
    (R0, "dh_3/dh_2", r"W' \mathrm{Diag}(\sigma'(a_3))", {}, True, "denominator layout"),
    (
        R0,
        "dh_3/dh_2",
        r"\mathrm{Diag}(\sigma'(a_3)) W'",
        {"layout": "numerator"},
        False,
        "transpose",
    ),
    (R0, "dh_3/dh_2", r"{}^t W \mathrm{Diag}(\sigma'(a_3))", {}, True, "denominator layout"),
    (R0, "dh_3/dh_2", r"\mathrm{Diag}(\sigma'(a_3)) {}^{t}W", {"layout": "numerator"}, False, None),
    (
        R0,
        "dh_3/dh_2",
        r"\mathrm{Diag}(\sigma'(a_3)) \mathbf{W}^{\mathsf{T}}",
        {"layout": "numerator"},
        False,
        None,
    ),
    # a remark that defines a name: used, never multiplied in
    (R0, "dh_3/dh_1", RIGHT_32 + r" \text{ où } a_3 = W h_2 + U x_3", {}, True, "definition"),
    (
        R0,
        "dh_3/dh_1",
        RIGHT_32 + r" \quad \text{(avec $a_t = W h_{t-1} + U x_t$)}",
        {},
        True,
        "definition",
    ),
    (R0, "dh_3/dh_1", RIGHT_32 + r", \text{ where } a_t := W h_{t-1} + U x_t.", {}, True, None),
    (
        R0,
        "dh_3/dh_1",
        r"\prod_{j=2}^{3} D_j W \text{ en notant } D_j = \mathrm{Diag}(\sigma'(a_j))",
        {},
        True,
        "definition",
    ),
    (
        R0,
        "dh_3/dh_1",
        r"\mathrm{Diag}(\sigma'(z_3)) W \mathrm{Diag}(\sigma'(z_2)) W \text{ with } "
        r"z_t = W h_{t-1} + U x_t",
        {},
        True,
        None,
    ),
    (R0, "dh_3/dh_1", RIGHT_32 + r" \text{ où } a_t = W h_t + U x_t", {}, False, "definition"),
    (
        R0,
        "dh_3/dh_1",
        r"\prod_{j=2}^{3} D_j W \text{ avec } D_j = \mathrm{Diag}(\sigma(a_j))",
        {},
        False,
        None,
    ),
    (R0, "dh_3/dh_1", RIGHT_32 + r" \text{ avec } t \geq k", {}, True, "prose"),
    # σ' without its step outside [Diag(σ') W]^n: read, right or wrong
    (R0, "dh_3/dh_2", r"\mathrm{Diag}(\sigma') W", {}, True, "step 3"),
    (R0, "dh_3/dh_1", r"\mathrm{Diag}(\sigma')^2 W^2", {}, False, None),
    (R0, "dh_3/dh_1", r"\mathrm{Diag}(\sigma') W \mathrm{Diag}(\sigma') W", {}, False, None),
    # the abuse of notation of a tanh variant: σ written where tanh applies
    (
        make_cell("rnn", bias=False, activation="tanh"),
        "dh_4/dh_1",
        r"[\mathrm{Diag}(\sigma')W]^3",
        {},
        False,
        "WRONG_ACTIVATION",
    ),
    (
        make_cell("rnn", bias=False, activation="tanh"),
        "dh_4/dh_1",
        r"[\mathrm{Diag}(\tanh')W]^3",
        {},
        True,
        None,
    ),
    # fonts, delimiters and spacing
    (
        R0,
        "dh_3/dh_1",
        r"\left[\operatorname{diag}\big(\sigma'(\mathbf{a}_3)\big)\,\boldsymbol{W}"
        r"\right] \Bigl[\text{diag}(\sigma'(\vec{a}_2))~\bm{W}\Bigr]",
        {},
        True,
        None,
    ),
    (
        R0,
        "dh_3/dh_1",
        r"\displaystyle\prod\limits_{j=2}^{3}\mathrm{Diag}(\sigma'(W\mathbf{h}_{j-1}"
        r" + U x_j))\!\cdot\! W",
        {},
        True,
        None,
    ),
    (
        R0,
        "dh_3/dh_1",
        r"\displaystyle\prod\limits_{j=2}^{3}\mathrm{Diag}(\sigma'(W\mathbf{h}_{j}"
        r" + U x_j))\;\cdot\; W",
        {},
        False,
        None,
    ),
]


@pytest.mark.parametrize(("cell", "quantity", "answer", "options", "accepted", "note"), STUDENT)
def test_notation_as_students_write_it(cell, quantity, answer, options, accepted, note):
    verdict = check_answer(cell, quantity, answer, **options)
    assert verdict.equivalent is accepted, verdict.as_json()
    if note is not None:
        said = " ".join(verdict.answer_notes) + " " + verdict.note
        assert note in said, verdict.as_json()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (r"I_{3} W", "size"),
        ("Diag(σ″(a₃)) W Diag(σ′(a₂)) W", "order 2"),
        (r"\mathrm{Diag}(\mathbb{1}_{a_3 > 1}) W", "compares with 0"),
        (RIGHT_32 + r" \text{ où } a_t = W h_{t-1} + U q_t", "unknown symbol q"),
    ],
)
def test_unreadable_spellings_say_why(answer, message):
    with pytest.raises(AnswerParseError, match=message):
        check_answer(R0, "dh_3/dh_1", answer)


def _sheet(question, answer, seed=None):
    options = question_check("td5", question, seed)
    cell = make_cell(
        options["cell"], bias=options.get("bias", True), activation=options.get("activation")
    )
    return check_answer(
        cell,
        options["quantity"],
        answer,
        T=options.get("T") or options.get("sheet_T"),
        paths=options.get("paths") or "all",
        hypothesis=options.get("hypothesis"),
    )


# -- round trip: the key's answer re-spelled in each class is still accepted; the key with a
#    mistake, re-spelled the same way, is still refused -----------------------------------

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _unicode(tex):
    tex = re.sub(r"_\{(\d+)\}", lambda m: m[1].translate(_SUB), tex)
    return tex.replace("'", "′").replace(r"\operatorname{Diag}", "Diag")


def _fonts(tex):
    tex = re.sub(r"(?<![A-Za-z\\])W(?![A-Za-z])", r"\\boldsymbol{W}", tex)
    tex = tex.replace(r"\left(", r"\big(").replace(r"\right)", r"\big)")
    return tex.replace(r"\operatorname{Diag}", r"\mathrm{diag}")


def _comma(tex):
    return r"0{,}5 \cdot 2 \left(" + tex + r"\right) \in \mathbb{R}^{n \times n}."


def _remark(tex):
    return tex + r", \quad \text{(où $a_t = W h_{t-1} + U x_t$)}"


def _identity(tex):
    return r"\mathrm{Id} \cdot " + tex.replace(r"\operatorname{Diag}", r"\text{diag}")


SPELLINGS = [_unicode, _fonts, _comma, _identity]


def _mistake(tex):
    """The key with one mistake: a transpose on the first W, else o in place of f, else Aᵀ."""
    for old, new in (
        (r"W_{f}", r"W_{f}^{\top}"),
        (r"\right) W", r"\right) W^{\top}"),
        (r"\left(f_{", r"\left(o_{"),
    ):
        if old in tex:
            return tex.replace(old, new, 1)
    return tex.replace(r"\right) A", r"\right) A^{\top}")


CASES = [(q, seed) for q in ("II.1", "III.2", "IV.3", "IV.4") for seed in (0, 1, 3)]


@pytest.mark.parametrize(("question", "seed"), [*CASES, ("II.2", 2)])
def test_the_key_re_spelled_is_accepted_and_its_mistake_refused(question, seed):
    entry = next(q for q in variant_json("td5", seed)["questions"] if q["id"] == question)
    key = entry["answer_latex"]
    spellings = SPELLINGS + ([_remark] if entry["check"]["cell"] == "rnn" else [])
    for spell in spellings:
        verdict = _sheet(question, spell(key), seed)
        assert verdict.equivalent, (spell.__name__, spell(key), verdict.as_json())
        wrong = _sheet(question, spell(_mistake(key)), seed)
        assert not wrong.equivalent, (spell.__name__, spell(_mistake(key)), wrong.as_json())


def test_a_wrong_activation_in_a_variant_is_a_verdict_not_exit_2():
    seed = next(s for s in range(8) if variant_json("td5", s)["activation"] == "tanh")
    T = variant_json("td5", seed)["T"]
    result = _check(
        "--sheet",
        "td5",
        "--question",
        "III.2",
        "--variant-seed",
        str(seed),
        "-a",
        rf"[\mathrm{{Diag}}(\sigma')W]^{{{T - 1}}}",
        "--format",
        "json",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "WRONG_ACTIVATION" in result.stdout


def test_a_prime_on_a_matrix_is_never_unexpected():
    result = _check(
        "--sheet",
        "td5",
        "--question",
        "III.2",
        "-a",
        r"\mathrm{Diag}(\sigma'(a_3)) W' \mathrm{Diag}(\sigma'(a_2)) W'",
        "--lang",
        "en",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "transpose" in result.stdout and "unexpected" not in result.stdout + result.stderr
