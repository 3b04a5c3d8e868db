"""Answers as an attacker or a careless student types them: one line, exit 2, nothing run."""

import subprocess
import sys

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.errors import SymbrnnError
from symbrnn.judge.check import check_answer
from symbrnn.judge.mutations import mutated_answers
from symbrnn.judge.notation import AnswerParseError

RNN = make_cell("rnn")

HOSTILE = [
    "a_{open('PROOF','w')}",
    "h_{__import__('os').system('touch PROOF')}",
    r"\prod_{j=exec('x')}^{3} W",
    "W^{eval('1')}",
    r"\sum_{k=1}^{10^{12}} W",
    r"\prod_{j=1}^{999999999999} W",
    "W^{999999999}",
    "W" + "^T" * 3000,
    "(" * 3000 + "W" + ")" * 3000,
    "{" * 5000,
    "W " * 20000,
    r"\frac{\partial h}{\partial h_1}",
    "h_{1.5}",
    "\x00W",
]


@pytest.mark.parametrize("answer", HOSTILE)
def test_hostile_answers_are_refused_in_one_line(tmp_path, answer):
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "check", "-q", "dh_3/dh_1", "--answer-file", "-"],
        input=answer,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("symbrnn: error: ")
    assert not (tmp_path / "PROOF").exists()


def test_an_unbound_step_is_named():
    with pytest.raises(AnswerParseError, match=r"^the step j is not bound"):
        check_answer(RNN, "dh_3/dh_2", r"\operatorname{Diag}(\sigma'(a_j)) W")


def test_positions_count_the_text_as_typed():
    with pytest.raises(AnswerParseError, match=r"position 16: expected '\)', got '\}'"):
        check_answer(RNN, "dh_3/dh_2", r"$\left( W \right}$")


@pytest.mark.parametrize("quantity", ["dh_100000/dh_1", "dc_2000/dc_1", "dh_99999999999/dh_1"])
def test_horizons_are_bounded(quantity):
    with pytest.raises(SymbrnnError, match=r"at most 500 steps|cannot read the quantity"):
        check_answer(make_cell("lstm"), quantity, "I")


def test_a_gradient_horizon_is_bounded():
    with pytest.raises(SymbrnnError, match=r"^T must be 1\.\.30"):
        check_answer(RNN, "dL/dW", "W", T=500)


def test_fuzzed_answers_give_a_verdict_or_one_of_our_errors():
    outcomes = set()
    for cell, quantity, answer, options in mutated_answers(seed=11, count=300):
        try:
            outcomes.add(check_answer(cell, quantity, answer, **options).outcome)
        except SymbrnnError:
            outcomes.add("refused")
    assert {"refused", "equivalent", "not_equivalent"} <= outcomes


def test_a_key_too_big_to_fingerprint_is_not_looked_up():
    """∂h_200/∂h_1 written out is too big to apply the table of mistakes to edit by edit
    (each mistaken key costs 199 products at every point): the search names the mistake."""
    from symbrnn.judge import lookup

    lookup._TABLES.clear()
    assert check_answer(RNN, "dh_200/dh_1", "0").outcome == "not_equivalent"
    assert [len(t.table) for t in lookup._TABLES.values()] == [0]
    assert check_answer(RNN, "dh_20/dh_1", "0").outcome == "not_equivalent"
    assert any(t.table for t in lookup._TABLES.values())


@pytest.mark.parametrize("answer", [r"\implies", r"\Rightarrow", r"\Longrightarrow \quad"])
def test_an_answer_of_arrows_alone_is_refused_in_one_line(answer):
    with pytest.raises(AnswerParseError) as caught:
        check_answer(make_cell("rnn"), "dh_3/dh_2", answer)
    assert caught.value.key == "answer.no_expression"


@pytest.mark.parametrize("answer", [r"W \underbrace{W}_", r"W \overbrace{W}^", r"\underbrace{}"])
def test_an_unfinished_brace_label_is_refused_in_one_line(answer):
    """Found by fuzzing the keys with inserted commands: an index past the end, not a message."""
    with pytest.raises(SymbrnnError):
        check_answer(make_cell("rnn"), "dh_3/dh_1", answer)


def test_an_elementwise_product_over_a_named_jacobian_gets_a_verdict():
    """Found by fuzzing: ⨀ wrote its factors with Python ints inside a named ∂h_t/∂h_k."""
    answer = r"\mathrm{Diag}\left(\bigodot_{j=1}^{3} \frac{\partial h_t}{\partial h_k} \sigma'(a_4)\right) W"
    assert check_answer(make_cell("rnn"), "dh_4/dh_3", answer).outcome != "equivalent"
