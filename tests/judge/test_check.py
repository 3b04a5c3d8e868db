"""Checking hand derivations: right and wrong answers of each kind, fuzzed parser, a class batch."""

import csv
import json
import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from symbrnn.engine.cells import lstm, simple_rnn
from symbrnn.errors import InputError
from symbrnn.judge.answer_parser import AnswerParseError, parse_answer
from symbrnn.judge.check import check_answer
from symbrnn.judge.grade import grade_rows, read_answers

RNN, LSTM = simple_rnn(), lstm()

RIGHT = [
    ("dh_3/dh_2", r"\mathrm{diag}(\sigma'(W h_2 + U x_3 + b)) W"),
    ("dh_3/dh_2", r"\operatorname{Diag}(h_3 \odot (1-h_3)) W"),
    ("dh_3/dh_2", r"\text{diag}\left(\sigma'(a_3)\right)\, W"),
    ("dh_3/dh_2", r"\mathrm{Diag}(h_3 \circ (1 - h_3)) \cdot W"),
    ("dh_3/dh_1", "Diag(sigma'(a_3)) W Diag(sigma'(a_2)) W"),
    ("dh_3/dh_1", r"\prod_{j=2}^{3} \mathrm{Diag}(\sigma'(a_j)) W"),
    ("dh_3/dh_1", r"\frac{\partial h_3}{\partial h_2}\frac{\partial h_2}{\partial h_1}"),
    (
        "dh_3/dh_1",
        r"\left[\mathrm{Diag}(\sigma'(a_3)) W\right] \left[ \mathrm{Diag}(\sigma'(a_2)) W \right]",
    ),
    (
        r"\frac{\partial h_2}{\partial h_1}",
        r"\left( W^{\top} \mathrm{Diag}(\sigma'(a_2)) \right)^{T}",
    ),
    ("dh_2/dh_2", "I"),
]


@pytest.mark.parametrize(("quantity", "answer"), RIGHT)
def test_right_answers(quantity, answer):
    verdict = check_answer(RNN, quantity, answer)
    assert verdict.equivalent, verdict.as_json()


WRONG = [
    ("dh_3/dh_2", r"W^\top \mathrm{Diag}(\sigma'(a_3))", "transpose"),
    ("dh_3/dh_2", r"\mathrm{Diag}(\sigma'(a_3)) W^T", "a transpose too many: Wᵀ should be W"),
    ("dh_3/dh_2", r"\mathrm{Diag}(\sigma(a_3)) W", "σ in place of σ′"),
    ("dh_3/dh_1", r"\mathrm{Diag}(\sigma'(a_2)) W \mathrm{Diag}(\sigma'(a_3)) W", "wrong order"),
    ("dh_3/dh_1", r"\prod_{j=1}^{3} \mathrm{Diag}(\sigma'(a_j)) W", "product bounds"),
]


@pytest.mark.parametrize(("quantity", "answer", "diagnosis"), WRONG)
def test_wrong_answers_are_diagnosed_with_a_counterexample(quantity, answer, diagnosis):
    verdict = check_answer(RNN, quantity, answer, layout="numerator")
    assert not verdict.equivalent
    assert any(diagnosis in d for d in verdict.diagnosis), verdict.diagnosis
    example = verdict.counterexample
    assert example["yours"] != pytest.approx(example["expected"])
    assert set(example["weights"]) == {"W", "U", "b"}


def test_the_denominator_layout_is_named_not_punished():
    answer = r"W^\top \mathrm{Diag}(\sigma'(a_3))"
    verdict = check_answer(RNN, "dh_3/dh_2", answer)
    assert verdict.equivalent and "denominator layout" in verdict.note
    assert check_answer(RNN, "dh_3/dh_2", answer, layout="denominator").equivalent
    assert not check_answer(
        RNN, "dh_3/dh_2", r"\mathrm{Diag}(\sigma'(a_3)) W", layout="denominator"
    ).equivalent


def test_other_product_convention_is_accepted_with_a_note():
    verdict = check_answer(RNN, "dh_3/dh_1", r"\prod_{j=2}^{3} \mathrm{Diag}(\sigma'(a_{5-j})) W")
    assert verdict.equivalent and "read with the factor j = lower bound on the left" in verdict.note


def test_missing_lstm_path():
    verdict = check_answer(LSTM, "dc_3/dc_2", r"\mathrm{Diag}(f_3)")
    assert not verdict.equivalent
    assert any("only the direct path" in d for d in verdict.diagnosis)
    assert check_answer(LSTM, "dc_3/dc_2", r"\mathrm{Diag}(f_3)", paths="direct").equivalent


def test_missing_and_extra_gradient_terms():
    partial = r"\frac{\partial L_{%d}}{\partial h_{%d}}"
    full = (
        partial % (1, 1)
        + r"\frac{\partial h_1}{\partial W} + "
        + partial % (2, 2)
        + r"\frac{\partial h_2}{\partial W} + "
        + partial % (2, 2)
        + r"\mathrm{Diag}(\sigma'(a_2)) W \frac{\partial h_1}{\partial W}"
    )
    assert check_answer(RNN, "dL/dW", full, T=2).equivalent
    short = r"\sum_{t=1}^{2}\frac{\partial L_t}{\partial h_t}\frac{\partial h_t}{\partial W}"
    verdict = check_answer(RNN, "dL/dW", short, T=2)
    assert not verdict.equivalent and "missing term(s) for (t, k) = (2, 1)" in verdict.diagnosis
    extra = full + " + " + partial % (2, 2) + r"\frac{\partial h_2}{\partial W}"
    verdict = check_answer(RNN, "dL/dW", extra, T=2)
    assert any(d.startswith("extra term(s)") for d in verdict.diagnosis)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", r"^the answer is empty$"),
        (r"\mathrm{Diag}(\sigma'(a_3)) W }", r"position \d+: unexpected '\}'"),
        (r"Q_3 W", r"^unknown symbol Q_3"),
        (r"\sigma' W", r"σ' without its step is read only inside"),
        ("h W", r"needs its time step"),
    ],
)
def test_malformed_answers(answer, message):
    with pytest.raises(AnswerParseError, match=message):
        parse_answer(answer, RNN, {"t": 3, "k": 1})


PIECES = [
    *"()[]{}_^'+-=*/ 0123abhtkWUxIfc",
    r"\sigma",
    r"\odot",
    r"\mathrm{diag}",
    r"\frac",
    r"\partial",
    r"\prod",
    r"\sum",
    r"^\top",
    r"\left(",
    r"\right)",
]


@settings(max_examples=300, deadline=None)
@example("-2I")  # mul(-1, 2·I) once collapsed to the number −2
@given(st.one_of(st.text(max_size=30), st.lists(st.sampled_from(PIECES), max_size=25).map("".join)))
def test_parser_never_crashes(text):
    """Any string gives an expression or a one-line InputError, never another exception."""
    try:
        result = parse_answer(text, RNN, {"t": 3, "k": 1})
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert hasattr(result, "shape")


@pytest.mark.parametrize("answer", ["-2I", "-2 I", "-I", "-(I)", "2I - W", "2I"])
def test_a_scalar_times_the_identity_is_a_matrix(answer):
    result = parse_answer(answer, RNN, {"t": 3, "k": 1})
    assert result.is_Matrix and result.shape == parse_answer("W", RNN, {"t": 3, "k": 1}).shape


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("-2I", False),
        ("-I", False),
        ("-(I)", False),
        ("2I - W", False),
        ("-(-I)", True),
        ("2I - I", True),
        ("-2I + 3I", True),
    ],
)
def test_multiples_of_the_identity_judged(answer, right):
    verdict = check_answer(RNN, "dh_2/dh_2", answer)
    assert verdict.outcome == ("equivalent" if right else "not_equivalent"), verdict.as_json()


def run_check(*args):
    return subprocess.run(
        [sys.executable, "-m", "symbrnn", "check", *args], capture_output=True, text=True
    )


def test_cli_check_exit_codes():
    good = run_check("-q", "dh_3/dh_2", "-a", r"\mathrm{diag}(\sigma'(a_3)) W", "--format", "json")
    assert good.returncode == 0 and json.loads(good.stdout)["equivalent"] is True
    bad = run_check("-q", "dh_3/dh_2", "-a", r"\mathrm{diag}(\sigma(a_3)) W", "--format", "json")
    info = json.loads(bad.stdout)
    assert bad.returncode == 1 and info["equivalent"] is False and info["counterexample"]
    broken = run_check("-q", "dh_3/dh_2", "-a", r"\mathrm{diag}(")
    assert (
        broken.returncode == 2 and "position" in broken.stderr and "Traceback" not in broken.stderr
    )
    assert run_check("-q", "dz/dq", "-a", "W").returncode == 2


def test_grade_a_class(tmp_path):
    answers = (
        [RIGHT[i % len(RIGHT)] for i in range(120)]
        + [(q, a) for q, a, _ in WRONG[1:]] * 25  # WRONG[0] is the denominator layout
        + [("dh_3/dh_2", r"\mathrm{Diag}(")] * 30
    )
    path = tmp_path / "answers.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "quantity", "answer"])
        for i, (q, a) in enumerate(answers):
            writer.writerow([f"s{i}", q, a])
    results = grade_rows(read_answers(str(path)))
    statuses = [r.status for r in results]
    assert (
        statuses.count("correct") == 120
        and statuses.count("wrong") == 100
        and statuses.count("malformed") == 30
    )
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "grade", str(path), "-o", str(report)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(report.read_text())["answers"]) == len(answers)
    assert (
        "250 answers: 120 correct, 100 wrong, 0 cannot judge, 30 malformed, 0 error"
        in result.stderr
    )
    assert "mistakes: ORDER ×25, BOUNDS ×25" in result.stderr


def test_grade_refuses_a_csv_without_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,answer\nx,W\n")
    with pytest.raises(InputError, match="missing column"):
        read_answers(str(path))


@pytest.mark.parametrize(
    ("answer", "left", "right"),
    [("W + U", "W", "U"), (r"W^\top + U^\top", "Wᵀ", "Uᵀ"), ("W + h_2", "W", "h₂")],
)
def test_a_sum_of_matrices_of_different_shapes_is_named(answer, left, right):
    """NumPy would broadcast W + U when d = 1; the judge says the sum is not defined."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.judge.check import check_answer

    verdict = check_answer(make_cell("rnn"), "dh_3/dh_2", answer, lang="fr")
    assert verdict.outcome == "not_equivalent" and verdict.answer_notes == ["SHAPE"]
    assert verdict.diagnosis[0].startswith(f"la somme {left} + {right} n'est pas définie")


BUDGET_RUN = """
import sys
import symbrnn.judge.check as check
check.CHECK_SECONDS = 2
from symbrnn.cli import main
main(["check", "-q", "dh_3/dh_1", "--answer-file", sys.argv[1], "--format", "json"])
"""


def test_a_huge_answer_ends_in_cannot_judge_within_its_budget(tmp_path):
    """6.6 KB of W W … W under a 2 s budget: the check stops itself (exit 3, cannot judge);
    the timeout below only guards against a hang, it measures nothing."""
    path = tmp_path / "www.txt"
    path.write_text("W " * 3300)
    result = subprocess.run(
        [sys.executable, "-c", BUDGET_RUN, str(path)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 3, result.stderr
    body = json.loads(result.stdout)
    assert body["outcome"] == "cannot_judge" and "more than 2 s" in body["note"]


def test_a_check_within_its_budget_is_judged():
    verdict = check_answer(RNN, "dh_3/dh_1", "W W", budget=60)
    assert verdict.outcome == "not_equivalent"
