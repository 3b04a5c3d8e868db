"""Derivations judged member by member, located diagnoses, and the course's answers read right."""

import json
import os
import subprocess
import sys

import pytest

from symbrnn.engine.cells import lstm, make_cell, simple_rnn
from symbrnn.judge.answer_parser import AnswerParseError
from symbrnn.judge.check import check_answer
from symbrnn.judge.grade import grade_rows

RNN = simple_rnn(bias=False)
BIASED = simple_rnn()
D3, D2 = r"\operatorname{Diag}(\sigma'(a_3))", r"\operatorname{Diag}(\sigma'(a_2))"
CHAIN = r"\frac{\partial h_3}{\partial h_2}\frac{\partial h_2}{\partial h_1}"


def _run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "symbrnn", *args], capture_output=True, text=True, env=env
    )


# -- derivations --------------------------------------------------------------------


def test_an_aligned_derivation_is_judged_step_by_step():
    answer = (
        "\\begin{aligned}\n\\frac{\\partial h_3}{\\partial h_1} &= " + CHAIN + " \\\\\n"
        f"&= {D3} W {D2} W \\\\\n"
        "&\\text{donc } = \\left[\\operatorname{Diag}(\\sigma')W\\right]^{2}\n\\end{aligned}"
    )
    verdict = check_answer(RNN, "dh_3/dh_1", answer)
    assert verdict.equivalent and verdict.first_wrong_step is None
    assert [s.index for s in verdict.steps] == [1, 2, 3]  # M₀ names the quantity: dropped
    assert verdict.steps[0].latex == CHAIN
    assert all(s.outcome == "equivalent" for s in verdict.steps)


def test_the_first_wrong_step_is_found_and_its_factor_named():
    answer = f"{CHAIN}\n= {D3} W {D3} W\n= {D3} W {D3} W"
    verdict = check_answer(RNN, "dh_3/dh_1", answer)
    assert verdict.outcome == "not_equivalent" and verdict.first_wrong_step == 2
    body = verdict.as_json()
    assert body["first_wrong_step"] == 2
    assert [s["outcome"] for s in body["steps"]] == ["equivalent", "not_equivalent"] * 1 + [
        "not_equivalent"
    ]
    second, third = body["steps"][1], body["steps"][2]
    assert second["answer_notes"] == ["WRONG_FACTOR"]
    assert "factor 3 from the left" in second["diagnosis"][0]
    assert "Diag(σ'(a₂))" in second["diagnosis"][0]
    assert set(second) >= {"index", "latex", "outcome", "diagnosis", "answer_notes"}
    assert second["counterexample"]["yours"] != pytest.approx(second["counterexample"]["expected"])
    assert any("follows from step 2" in n for n in third["notes"])  # the mistake carried over


def test_a_right_last_line_after_a_wrong_step_is_not_accepted():
    answer = f"{D3} W {D3} W = {D3} W {D2} W"
    verdict = check_answer(RNN, "dh_3/dh_1", answer)
    assert not verdict.equivalent and verdict.first_wrong_step == 1
    assert "RIGHT_AFTER_WRONG" in verdict.answer_notes
    assert "step 1 is not" in verdict.note


def test_derivation_text_lists_the_steps_with_marks():
    result = _run("check", "-q", "dh_3/dh_1", "-a", f"{CHAIN} = {D3} W {D3} W")
    assert result.returncode == 1
    assert "✓ 1." in result.stdout and "✗ 2." in result.stdout
    assert "first wrong step: 2" in result.stdout


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (r"\frac{\partial h_3}{\partial h_1}", "only names the quantity"),
        (f"{D3} W = = {D2} W", "member 2 of the derivation is empty"),
        (r"\operatorname{Diag}(\sigma'(a_3) W", "position 19: this '(' is never closed"),
        (r"\operatorname{Diag}{\sigma'(a_3) W", "position 19: this '{' is never closed"),
        (r"\left[\operatorname{Diag}(\sigma')W\right]^{T-1}", "give T (or sheet"),
    ],
)
def test_unreadable_derivations_say_where(answer, message):
    with pytest.raises(AnswerParseError, match=message.replace("(", r"\(").replace("{", r"\{")):
        check_answer(RNN, "dh_3/dh_1", answer)


# -- course answers that are right --------------------------------------------------

SUM_PARTS = r"\frac{\partial L_t}{\partial h_t}\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}"


@pytest.mark.parametrize(
    ("cell", "quantity", "answer", "options"),
    [
        (RNN, "dL/dW", r"\sum_{t=0}^{T}\sum_{k=1}^{t}" + SUM_PARTS, {"T": 3}),
        (RNN, "dL/dW", r"\sum_{t=1}^{T}\sum_{k=0}^{t}" + SUM_PARTS, {"T": 3}),
        (
            RNN,
            "dL/dW",
            r"\sum_{t=1}^{3}\frac{\partial L_t}{\partial h_t}\left(\sum_{k=1}^{t}"
            r"[\operatorname{Diag}(\sigma')W]^{t-k}\frac{\partial^+ h_k}{\partial W}\right)",
            {"T": 3},
        ),
        (
            RNN,
            "dL/dW",
            r"\sum_{t=1}^{T}\sum_{k=1}^{t}\frac{\partial L_t}{\partial h_t}\prod_{j=k+1}^{t}"
            r"\operatorname{Diag}(\sigma'(a_j)) W \frac{\partial^+ h_k}{\partial W}",
            {"T": 3},
        ),
        (RNN, "dh_3/dh_2", r"[\operatorname{Diag}(\sigma'(a_3)) W]", {}),
        (RNN, "dh_3/dh_1", r"\prod_{j=2}^{3} W^\top \operatorname{Diag}(\sigma'(a_j))", {}),
        (
            make_cell("rnn", activation="relu", bias=False),
            "dh_3/dh_2",
            r"\operatorname{Diag}(\mathbb{1}_{a_3>0}) W",
            {},
        ),
        (RNN, "dh_3/dh_2", r"\operatorname{Diag}(\sigma'(a_3)) @ W", {}),
        (RNN, "dh_3/dh_2", r"\operatorname{Diag}(h_3 * (1-h_3)) W", {}),
        (lstm(bias=False), "dc_3/dc_2", r"\operatorname{Diag}(f_3)", {"paths": "direct"}),
        (RNN, "dh_3/dh_1", r"% a comment" "\n" + f"{D3} W {D2} W", {}),
    ],
)
def test_course_answers_are_right(cell, quantity, answer, options):
    verdict = check_answer(cell, quantity, answer, **options)
    assert verdict.equivalent, verdict.as_json()


def test_tilde_without_braces_is_the_candidate_state():
    L = lstm(bias=False)
    with_braces = check_answer(L, "dc_3/dc_2", r"\operatorname{Diag}(\tilde{c}_3)")
    without = check_answer(L, "dc_3/dc_2", r"\operatorname{Diag}(\tilde c_3)")
    assert with_braces.answer == without.answer and "c̃" in without.answer


def test_the_future_does_not_act_on_the_past():
    """∂h_2/∂h_3 is 0, not I: this answer once passed for ∂h_3/∂h_2."""
    answer = r"\frac{\partial h_2}{\partial h_3}\operatorname{Diag}(\sigma'(a_3)) W"
    verdict = check_answer(BIASED, "dh_3/dh_2", answer)
    assert not verdict.equivalent
    assert verdict.answer == "0"


# -- wrong answers get a verdict, not an error --------------------------------------


def test_a_bias_in_the_bias_free_cell_is_a_mistake_named():
    verdict = check_answer(RNN, "dh_3/dh_2", r"\operatorname{Diag}(\sigma'(W h_2 + U x_3 + b)) W")
    assert verdict.outcome == "not_equivalent" and verdict.answer_notes == ["BIAS_EXTRA"]


def test_a_numeric_bound_is_not_the_jacobian():
    verdict = check_answer(RNN, "dh_36/dh_1", r"\left(\frac{1}{4}\right)^{35} W^{35}")
    assert verdict.outcome == "not_equivalent" and verdict.answer_notes == ["BOUND_FOR_VALUE"]


# -- located diagnoses ---------------------------------------------------------------


def test_a_slip_inside_a_sum_over_k_names_its_term_not_its_neighbours():
    wrong = (
        r"\frac{\partial L_1}{\partial h_1}\frac{\partial^+ h_1}{\partial W} + "
        r"\frac{\partial L_2}{\partial h_2}\left(\frac{\partial^+ h_2}{\partial W} + "
        r"W \operatorname{Diag}(\sigma'(a_2)) \frac{\partial^+ h_1}{\partial W}\right)"
    )
    verdict = check_answer(RNN, "dL/dW", wrong, T=2)
    assert not verdict.equivalent
    assert "MISSING_TERM" not in verdict.answer_notes
    assert verdict.answer_notes == ["ORDER"]
    assert verdict.diagnosis[0].startswith("the term (t, k) = (2, 1) is wrong: the factors")


def test_a_missing_factor_is_counted_from_the_left():
    verdict = check_answer(RNN, "dh_3/dh_1", f"{D3} W W")
    assert verdict.answer_notes == ["MISSING_FACTOR"]
    assert "position 3" in verdict.diagnosis[0]


def test_two_mistakes_are_both_named():
    answer = r"\operatorname{Diag}(\sigma(a_3)) W^\top \operatorname{Diag}(\sigma(a_2)) W^\top"
    verdict = check_answer(RNN, "dh_3/dh_1", answer, layout="numerator")
    assert len(verdict.answer_notes) == 1 and "+" in verdict.answer_notes[0]
    assert verdict.diagnosis[0].startswith("two mistakes")


# -- the sheet's questions ------------------------------------------------------------


def test_the_sheets_answer_to_III_2_with_a_symbolic_T():
    result = _run(
        "check",
        "--sheet",
        "td5",
        "--question",
        "III.2",
        "-a",
        r"\left[\operatorname{Diag}(\sigma')W\right]^{T-1}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("✓ équivalent")  # the sheet's language by default


def test_IV_3_is_judged_under_its_hypothesis():
    result = _run("check", "--sheet", "td5", "--question", "IV.3", "-a", "I", "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hypothesis" in result.stdout
    wrong = _run("check", "--sheet", "td5", "--question", "IV.3", "-a", "0", "--lang", "en")
    assert wrong.returncode == 1


def test_T_beside_a_sheet_is_not_ignored():
    result = _run("check", "--sheet", "td5", "--question", "II.2", "--T", "5", "-a", "0")
    assert result.returncode == 2
    assert "T = 3" in result.stderr and "Traceback" not in result.stderr


def test_messages_are_french_with_lang_fr():
    result = _run("check", "-q", "dh_3/dh_1", "-a", f"{D2} W {D3} W", "--lang", "fr")
    assert result.returncode == 1
    assert "✗ non équivalent" in result.stdout and "mauvais ordre" in result.stdout
    error = _run("check", "-q", "dh_3/dh_1", "-a", r"\operatorname{Diag}(", "--lang", "fr")
    assert error.returncode == 2 and "jamais fermé" in error.stderr


def test_counterexamples_are_the_same_under_any_hash_seed():
    answer = (
        r"\frac{\partial L_1}{\partial h_1}\frac{\partial^+ h_1}{\partial W} + "
        r"\frac{\partial L_2}{\partial h_2}\frac{\partial^+ h_2}{\partial W}"
    )
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = _run("check", "-q", "dL/dW", "--T", "2", "-a", answer, "--format", "json", env=env)
        assert result.returncode == 1
        example = json.loads(result.stdout)["counterexample"]
        assert "opaque" in example  # ∂L_t/∂h_t and ∂⁺h_k/∂W: enough to reproduce it
        outputs.add(json.dumps(example, sort_keys=True))
    assert len(outputs) == 1


# -- grading derivations --------------------------------------------------------------


def test_grade_reads_multi_line_derivations_and_credits_the_steps_before_the_mistake():
    rows = [
        {"student": "ana", "quantity": "dh_3/dh_1", "answer": f"{CHAIN}\n= {D3} W {D2} W"},
        {"student": "bob", "quantity": "dh_3/dh_1", "answer": f"{CHAIN}\n= {D3} W {D3} W"},
    ]
    scheme = {"correct": 1.0, "notes": {}, "step": 0.25}
    ana, bob = grade_rows(rows, scheme=scheme)
    assert ana.status == "correct" and ana.score == 1.0
    assert bob.status == "wrong" and bob.first_wrong_step == 2
    assert bob.score == 0.25 and "WRONG_FACTOR" in bob.answer_notes


# -- element-level members (II.1) ------------------------------------------------------

LEMMA = make_cell("lemma")


@pytest.mark.parametrize(
    "answer",
    [
        r"\frac{\partial u_i}{\partial v_j} = \sigma'\left(\sum_k A_{ik} v_k\right) A_{ij}",
        r"\sigma'\left(\sum_{k=1}^{d} A_{ik} v_k\right) A_{ij}",
        r"\frac{\partial u}{\partial v} = \operatorname{Diag}(\sigma'(A v)) A",
        r"\operatorname{Diag}(u \odot (1-u)) A",
        r"u_i (1 - u_i) A_{ij}",
        r"\sum_k \delta_{ik} \sigma'((Av)_k) A_{kj} = [\operatorname{Diag}(\sigma'(Av)) A]_{ij}",
    ],
)
def test_the_lemma_is_checked_entry_by_entry_or_in_matrices(answer):
    verdict = check_answer(LEMMA, "du/dv", answer)
    assert verdict.equivalent, verdict.as_json()


@pytest.mark.parametrize(
    ("answer", "note"),
    [
        (r"\sigma'\left(\sum_k A_{ik} v_k\right) A_{ji}", "INDEX_ORDER"),
        (r"\sigma\left(\sum_k A_{ik} v_k\right) A_{ij}", "SIGMA_FOR_PRIME"),
        (r"A \operatorname{Diag}(\sigma'(A v))", "ORDER"),
    ],
)
def test_wrong_entries_of_the_lemma_are_named(answer, note):
    verdict = check_answer(LEMMA, "du/dv", answer)
    assert verdict.outcome == "not_equivalent" and verdict.answer_notes == [note]


def test_an_entry_is_computed_the_way_sympy_differentiates_it():
    """Brute force: at the test points, the element-level member equals SymPy's jacobian of
    u_i = σ(Σ_k A_ik v_k), evaluated with the same numbers."""
    import numpy as np
    import sympy as sp

    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.answer_parser import parse_derivation
    from symbrnn.judge.points import Points

    quantity = parse_quantity("du/dv", allow_input=True)
    answer = r"\sigma'\left(\sum_k A_{ik} v_k\right) A_{ij}"
    (member,) = parse_derivation(answer, LEMMA, {"step": 1}, quantity)
    points = Points(Derivation(LEMMA), 1)
    for point in points.points:
        n, d = point.n, point.d
        A = sp.Matrix(point.values["A"])
        v = sp.Matrix(point.xs[0])
        z = sp.symbols(f"z:{d}")
        u = (A * sp.Matrix(z)).applyfunc(lambda e: 1 / (1 + sp.exp(-e)))
        exact = u.jacobian(z).subs(dict(zip(z, v, strict=True)))
        value = points.evaluate(member.expr, point)
        assert value.shape == (n, d)
        assert np.allclose(value, np.array(exact.evalf(), dtype=float))


def test_II_1_is_checkable_from_the_sheet():
    result = _run(
        "check",
        "--sheet",
        "td5",
        "--question",
        "II.1",
        "--lang",
        "en",
        "-a",
        r"\frac{\partial u_i}{\partial v_j} = \sigma'\left(\sum_k A_{ik} v_k\right) A_{ij}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "expected: Diag(σ'(A v)) A" in result.stdout


def test_III_1_written_as_the_course_writes_it():
    """[Diag(σ')W] and its powers inside the group after ∂L_t/∂h_t, no exponent for one."""
    D = r"[\operatorname{Diag}(\sigma')W]"
    answer = (
        r"\frac{\partial L}{\partial W} = \sum_{t=1}^{3} \frac{\partial L_t}{\partial W} = "
        r"\frac{\partial L_1}{\partial h_1}\frac{\partial h_1}{\partial W} + "
        r"\frac{\partial L_2}{\partial h_2}\left(\frac{\partial h_2}{\partial W} + "
        + D
        + r"\frac{\partial h_1}{\partial W}\right) + \frac{\partial L_3}{\partial h_3}\left("
        r"\frac{\partial h_3}{\partial W} + "
        + D
        + r"\frac{\partial h_2}{\partial W} + "
        + D
        + r"^2\frac{\partial h_1}{\partial W}\right)"
    )
    verdict = check_answer(RNN, "dL/dW", answer, T=3)
    assert verdict.equivalent, verdict.as_json()
    assert len(verdict.steps) == 2
    wrong = answer.replace("^2", "^3")
    assert check_answer(RNN, "dL/dW", wrong, T=3).first_wrong_step == 2


def test_expected_shows_no_empty_product_and_the_course_form():
    verdict = check_answer(RNN, "dL/dW", r"\frac{\partial L_1}{\partial h_1}", T=2)
    assert "∏" not in verdict.expected and "⁰" not in verdict.course_form
    assert "[Diag(σ') W]" in verdict.course_form
    block = check_answer(lstm(bias=False), "dc_3/dc_2", r"\operatorname{Diag}(f_3)")
    # the expected side is the course's sum, never the engine's internal block form
    assert "[0  I]" not in block.expected and block.expected.endswith("+ Diag(f₃)")
    assert "Diag(o₂) Diag(tanh'(c₂))" in block.expected and "Diag(f₃)" in block.course_form


DG = r"\operatorname{Diag}(\sigma'(a_%d))"
LT = r"\frac{\partial L_%d}{\partial h_%d}"
HW = r"\frac{\partial^+ h_%d}{\partial W}"


@pytest.mark.parametrize(
    ("quantity", "answer", "note", "words"),
    [
        ("dh_3/dh_1", f"{DG % 3} W {DG % 2}", "MISSING_FACTOR", "position 4"),
        ("dh_3/dh_1", f"W {DG % 3} W {DG % 2}", "ORDER", "wrong order"),
        (
            "dh_3/dh_2",
            r"\operatorname{Diag}(\sigma'(W h_3 + U x_3)) W",
            "TIME_ONE",
            "h₃ should be h₂",
        ),
        ("dh_3/dh_1", "W W", "MISSING_DIAG", "Diag(φ′(a_j)) are missing"),
        ("dh_3/dh_1", f"{DG % 3} W + {DG % 2} W", "SUM_FOR_PRODUCT", "multiplies"),
        ("dh_3/dh_1", f"-{DG % 3} W {DG % 2} W", "SIGN", "opposite"),
        ("dh_3/dh_1", f"2 {DG % 3} W {DG % 2} W", "SCALE", "2 times"),
        (
            "dL/dW",
            r"\sum_{t=1}^{3}\sum_{k=1}^{t}\frac{\partial L_t}{\partial h_t}\prod_{j=k}^{t}"
            r"\operatorname{Diag}(\sigma'(a_j)) W \frac{\partial^+ h_k}{\partial W}",
            "BOUNDS",
            "every term (t, k) has the same mistake",
        ),
        (
            "dL/dW",
            f"{LT % (1, 1)}{HW % 1} + {LT % (2, 2)}{HW % 2} + {LT % (2, 2)} W {DG % 2} {HW % 1}",
            "ORDER",
            "the term (t, k) = (2, 1) is wrong",
        ),
    ],
)
def test_single_mistakes_are_named(quantity, answer, note, words):
    verdict = check_answer(RNN, quantity, answer, T=3 if quantity == "dL/dW" else None)
    if quantity == "dL/dW" and "(2, 1)" in words:
        verdict = check_answer(RNN, quantity, answer, T=2)
    assert verdict.answer_notes == [note], verdict.diagnosis
    assert words in verdict.diagnosis[0]


def test_the_gradient_with_the_shape_of_W_is_accepted_with_a_note():
    answer = r"\nabla_W L = \sum_{k=1}^{3} \operatorname{Diag}(\sigma'(a_k)) \delta_k h_{k-1}^\top"
    verdict = check_answer(RNN, "dL/dW", answer, T=3)
    assert verdict.equivalent, verdict.as_json()
    assert "shape of the parameter W" in verdict.note and "**" not in verdict.note
    wrong = check_answer(RNN, "dL/dW", answer.replace("h_{k-1}", "h_{k}"), T=3)
    assert not wrong.equivalent
