"""The general case: an answer with free t, k (or T) is judged as an identity in them, at
instances t ≥ k (t − k = 0..7, t = k included, k = 1..6) or T = 1..7; a wrong one
gets a verdict naming the instance where it fails, even when it vanishes at most instances
or cannot be written at one (a power t − k − 1 at t = k)."""

import json
import subprocess
import sys

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.engine.quantity import parse_quantity
from symbrnn.judge.check import check_answer
from symbrnn.judge.general import instances

RNN, LSTM = make_cell("rnn", bias=False), make_cell("lstm", bias=False)
D = r"\mathrm{Diag}(\sigma')"
DJ = r"\mathrm{Diag}(\sigma'(a_j))"
SUMS = r"\sum_{t=1}^{T}\sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t}"
PLUS = r"\frac{\partial^+ h_k}{\partial W}"
PLUS1 = r"\frac{\partial^+ h_1}{\partial W}"


def test_the_instances_cover_every_gap_and_t_equal_k():
    cases = instances(parse_quantity("dh_t/dh_k"), "dh_t/dh_k")
    gaps = {c.letters["t"] - c.letters["k"] for c in cases}
    assert gaps == set(range(8)) and all(c.letters["k"] >= 1 for c in cases)
    assert {c.letters["k"] for c in cases} == {1, 2, 3, 4, 5, 6}
    assert {c.letters["k"] for c in cases if c.letters["t"] == c.letters["k"]} == {1, 2, 3, 6}
    assert [c.T for c in instances(parse_quantity("dL/dW"), "dL/dW")] == [1, 2, 3, 4, 5, 6, 7]


RIGHT = [
    (RNN, "dh_t/dh_k", rf"\prod_{{j=k+1}}^{{t}} {DJ} W", {}),
    (RNN, "dh_t/dh_k", rf"[{D} W]^{{t-k}}", {}),
    (LSTM, "dc_t/dc_k", r"\prod_{j=k+1}^{t} \mathrm{Diag}(f_j)", {"paths": "direct"}),
    (LSTM, "dc_t/dc_k", "I", {"paths": "direct", "hypothesis": {"f": 1, "i": 0}}),
    (RNN, "dL/dW", rf"{SUMS} \frac{{\partial h_t}}{{\partial h_k}} {PLUS}", {}),
    (RNN, "dL/dW", rf"{SUMS} [{D} W]^{{t-k}} {PLUS}", {}),
    (RNN, "dL/dW", rf"{SUMS} \prod_{{j=k+1}}^{{t}} {DJ} W {PLUS}", {}),
]


@pytest.mark.parametrize(("cell", "quantity", "answer", "options"), RIGHT)
def test_a_right_general_answer_is_accepted(cell, quantity, answer, options):
    verdict = check_answer(cell, quantity, answer, **options)
    assert verdict.outcome == "equivalent", verdict.text()
    assert verdict.instance is None and "identity in" in verdict.note


WRONG = [
    (RNN, "dh_t/dh_k", r"(t-k)\,I", {}, {"t": 3, "k": 1}),  # 0 for I at t = k: named at t − k = 2
    (RNN, "dh_t/dh_k", r"W^{t-k}", {}, {"t": 2, "k": 1}),
    (RNN, "dh_t/dh_k", r"\mathrm{Diag}(\sigma'(a_t)) W", {}, {"t": 1, "k": 1}),
    (RNN, "dh_t/dh_k", rf"\prod_{{j=k}}^{{t}} {DJ} W", {}, {"t": 1, "k": 1}),
    (RNN, "dh_t/dh_k", rf"[{D} W]^{{t-k+1}}", {}, {"t": 1, "k": 1}),
    (LSTM, "dc_t/dc_k", r"\prod_{j=k+1}^{t} \mathrm{Diag}(f_j)", {}, {"t": 2, "k": 1}),
    (RNN, "dL/dW", rf"{SUMS} W^{{t-k}} {PLUS}", {}, {"T": 2}),
    (RNN, "dL/dW", rf"\frac{{\partial L_T}}{{\partial h_T}} [{D} W]^{{T-1}} {PLUS1}", {}, None),
    (RNN, "dL/dW", rf"\frac{{\partial L_T}}{{\partial h_T}} [{D} W]^{{T}} {PLUS1}", {}, None),
    (
        RNN,
        "dL/dW",
        r"\sum_{t=1}^{T} \frac{\partial L_t}{\partial h_t} \frac{\partial^+ h_t}{\partial W}",
        {},
        {"T": 2},
    ),
    # a term that vanishes at the first instances, seen at a further one
    (RNN, "dh_t/dh_k", rf"[{D} W]^{{t-k}} + (k-1)(k-2) W", {}, {"t": 3, "k": 3}),
    (RNN, "dh_t/dh_k", rf"[{D} W]^{{t-k}} + (t-k)(t-k-1)(t-k-2)(t-k-3) W", {}, {"t": 5, "k": 1}),
    (RNN, "dL/dW", rf"{SUMS} [{D} W]^{{t-k}} {PLUS} + (T-1)(T-2)(T-3)(T-4) W", {}, {"T": 5}),
    # readable at t > k, a power −1 at t = k: wrong there, not unreadable
    (RNN, "dh_t/dh_k", rf"{DJ.replace('_j', '_t')} W [{D} W]^{{t-k-1}}", {}, {"t": 1, "k": 1}),
]


@pytest.mark.parametrize(("cell", "quantity", "answer", "options", "where"), WRONG)
def test_a_wrong_general_answer_gets_a_verdict_naming_its_instance(
    cell, quantity, answer, options, where
):
    verdict = check_answer(cell, quantity, answer, **options)
    assert verdict.outcome == "not_equivalent"
    if where is not None:
        assert verdict.instance == where
    shown = ", ".join(f"{k} = {v}" for k, v in verdict.instance.items())
    assert f"wrong at ({shown})" in verdict.note
    french = check_answer(cell, quantity, answer, lang="fr", **options)
    assert f"fausse en ({shown})" in french.note


def test_the_cli_judges_the_general_case_with_its_instance_in_json():
    answer = r"\mathrm{Diag}(\sigma'(a_t)) W"
    args = ["check", "--no-bias", "-q", "dh_t/dh_k", "-a", answer, "--format", "json"]
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    body = json.loads(result.stdout)
    assert body["instance"] == {"t": 1, "k": 1} and body["equivalent"] is False
    assert {"equivalent", "outcome", "diagnosis", "counterexample", "note"} <= set(body)
    assert {"expected_latex", "yours_latex"} <= set(body)


def test_a_general_answer_is_diagnosed_where_its_mistake_can_be_named():
    """IV.3 in t and k: (t − k) I is 0 for I at t = k (named nowhere), the steps added at
    t − k = 2: the verdict says the latter."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.judge.check import check_answer

    cell = make_cell("lstm", bias=False)
    options = {"paths": "direct", "hypothesis": {"f": 1, "i": 0}, "lang": "en"}
    verdict = check_answer(cell, "dc_t/dc_k", "(t-k) I", **options)
    assert verdict.outcome == "not_equivalent"
    assert verdict.answer_notes == ["SUM_FOR_PRODUCT"]
    assert verdict.instance["t"] - verdict.instance["k"] >= 2
    assert check_answer(cell, "dc_t/dc_k", "I", **options).outcome == "equivalent"


# ∏ and ⊙ of vectors, ⋯ chains, ⨀ (issue 35, points 2-3): a ∏ whose factors are vectors is
# their elementwise product, decided by the factors' shape for every cell; a chain
# f_t ⊙ f_{t−1} ⊙ ⋯ ⊙ f_{k+1} is the whole product (the empty one at t = k)
GRU = make_cell("gru", bias=False)
DIRECT = {"paths": "direct"}
SIG = r"\mathrm{Diag}(\sigma'(a"
GRU_STEP = (
    r"\mathrm{Diag}(z_j) + \mathrm{Diag}(h_{j-1}-\tilde h_j)\mathrm{Diag}(\sigma'(a_{z,j})) W_z"
    r" + \mathrm{Diag}(1-z_j)\mathrm{Diag}(\tanh'(a_{h,j})) W_h"
    r" \left(\mathrm{Diag}(r_j) + \mathrm{Diag}(h_{j-1}) \mathrm{Diag}(\sigma'(a_{r,j})) W_r\right)"
)
NO_Z = GRU_STEP.replace(r"\mathrm{Diag}(z_j) + ", "")  # the GRU's step, Diag(z_j) missing
NO_TANH = GRU_STEP.replace(r"\mathrm{Diag}(\tanh'(a_{h,j}))", "")  # tanh′ missing
CHAIN = r"\frac{\partial h_t}{\partial h_{t-1}} \cdots \frac{\partial h_{k+1}}{\partial h_k}"

RIGHT_VECTORS = [
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(\prod_{j=k+1}^{t} f_j\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(∏_{j=k+1}^{t} f_j\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(\prod_{j=t}^{k+1} f_j\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(\prod_{k < j \le t} f_j\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(\bigodot_{j=k+1}^{t} f_j\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(⨀_{j=k+1}^{t} f_j\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(\prod^{\odot}_{j=k+1}^{t} f_j\right)", DIRECT),
    (
        LSTM,
        "dc_t/dc_k",
        r"\mathrm{Diag}\left(f_t \odot f_{t-1} \odot \cdots \odot f_{k+1}\right)",
        DIRECT,
    ),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(f_t \odot \cdots \odot f_{k+1}\right)", DIRECT),
    (
        LSTM,
        "dc_t/dc_k",
        r"\mathrm{Diag}\left(f_t \odot f_{t-1} \odot \ldots \odot f_{k+1}\right)",
        DIRECT,
    ),
    (
        LSTM,
        "dc_t/dc_k",
        r"\mathrm{Diag}\left(f_t \circ f_{t-1} \circ \cdots \circ f_{k+1}\right)",
        DIRECT,
    ),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(f_{k+1} \odot \cdots \odot f_{t}\right)", DIRECT),
    (
        LSTM,
        "dc_t/dc_k",
        r"\mathrm{Diag}(f_t)\,\mathrm{Diag}(f_{t-1}) \cdots \mathrm{Diag}(f_{k+1})",
        DIRECT,
    ),
    (
        LSTM,
        "dc_t/dc_k",
        r"\mathrm{Diag}\left(\prod_{j=k+1}^{t} f_j\right)",
        {"paths": "direct", "hypothesis": {"f": 1, "i": 0}},
    ),
    (RNN, "dh_t/dh_k", rf"{SIG}_t)) W\, {SIG}_{{t-1}})) W \cdots {SIG}_{{k+1}})) W", {}),
    (RNN, "dh_t/dh_k", rf"\prod_{{j=k+1}}^{{t}} \left({DJ} W\right)", {}),
    (RNN, "dh_t/dh_k", CHAIN, {}),
    (GRU, "dh_t/dh_k", rf"\prod_{{j=k+1}}^{{t}} \left[{GRU_STEP}\right]", {}),
    (RNN, "dL/dW", rf"{SUMS} {CHAIN} {PLUS}", {}),
]


@pytest.mark.parametrize(("cell", "quantity", "answer", "options"), RIGHT_VECTORS)
def test_a_product_of_vectors_or_a_chain_is_accepted_in_the_general_case(
    cell, quantity, answer, options
):
    verdict = check_answer(cell, quantity, answer, **options)
    assert verdict.outcome == "equivalent", verdict.text()
    assert verdict.instance is None and "identity in" in verdict.note


SUMS_D = rf"{SUMS} \mathrm{{Diag}}\left(\prod_{{j=k+1}}^{{t}} \sigma'(a_j)\right)"
WRONG_VECTORS = [
    (LSTM, "dc_t/dc_k", r"\prod_{j=k+1}^{t} f_j", DIRECT),  # a vector where a matrix is due
    (LSTM, "dc_t/dc_k", r"\bigodot_{j=k+1}^{t} f_j", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(\prod_{j=k}^{t} f_j\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(\prod_{j=k+1}^{t} f_j \odot i_j\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(\prod_{j=k+1}^{t} o_j\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(\bigodot_{j=k+1}^{t} i_j\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\bigodot_{j=k+1}^{t} \mathrm{Diag}(f_j)", DIRECT),  # 1 1ᵀ at t = k
    (
        LSTM,
        "dc_t/dc_k",
        r"\mathrm{Diag}\left(f_t \odot f_{t-1} \odot \cdots \odot f_{k}\right)",
        DIRECT,
    ),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(f_t \odot \cdots \odot f_{k+2}\right)", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}(f_t)^{t-k}", DIRECT),
    (LSTM, "dc_t/dc_k", r"\mathrm{Diag}\left(\prod_{j=k+1}^{t} f_j\right)", {}),  # every path
    (RNN, "dh_t/dh_k", r"\mathrm{Diag}\left(\prod_{j=k+1}^{t} \sigma'(a_j)\right) W^{t-k}", {}),
    (RNN, "dh_t/dh_k", r"\mathrm{Diag}\left(\prod_{j=k+1}^{t} \sigma'(a_j)\right) W", {}),
    (RNN, "dh_t/dh_k", r"W^{t-k} \mathrm{Diag}\left(\prod_{j=k+1}^{t} \sigma'(a_j)\right)", {}),
    (
        RNN,
        "dh_t/dh_k",
        r"\mathrm{Diag}\left(\sigma'(a_t) \odot \cdots \odot \sigma'(a_{k+1})\right) W^{t-k}",
        {},
    ),
    (RNN, "dh_t/dh_k", rf"\prod_{{j=k+1}}^{{t}} {DJ} W^T", {}),
    (RNN, "dh_t/dh_k", rf"{SIG}_t)) W \cdots {SIG}_{{k}})) W", {}),
    (RNN, "dh_t/dh_k", rf"\bigodot_{{j=k+1}}^{{t}} {DJ} W", {}),
    (GRU, "dh_t/dh_k", r"\mathrm{Diag}\left(\prod_{j=k+1}^{t} z_j\right)", {}),
    (
        GRU,
        "dh_t/dh_k",
        rf"\prod_{{j=k+1}}^{{t}} \left[{NO_Z}\right]",
        {},
    ),
    (
        GRU,
        "dh_t/dh_k",
        rf"\prod_{{j=k+1}}^{{t}} \left[{NO_TANH}\right]",
        {},
    ),
    (GRU, "dh_t/dh_k", rf"\prod_{{j=k}}^{{t}} \left[{GRU_STEP}\right]", {}),
    (RNN, "dL/dW", rf"{SUMS_D} W^{{t-k}} {PLUS}", {}),
    (RNN, "dL/dW", rf"{SUMS_D} W {PLUS}", {}),
    (
        RNN,
        "dL/dW",
        rf"{SUMS} \frac{{\partial h_t}}{{\partial h_{{t-1}}}} \cdots \frac{{\partial h_{{k+2}}}}{{\partial h_{{k+1}}}} {PLUS}",
        {},
    ),
]


@pytest.mark.parametrize(("cell", "quantity", "answer", "options"), WRONG_VECTORS)
def test_a_wrong_product_of_vectors_or_chain_is_refused_with_a_verdict(
    cell, quantity, answer, options
):
    """Refused with its instance, never "not defined" nor an unreadable answer (exit 2)."""
    verdict = check_answer(cell, quantity, answer, **options)
    assert verdict.outcome == "not_equivalent", verdict.text()
    assert verdict.instance is not None
    assert "not defined" not in verdict.text()


def test_an_elementwise_product_of_matrices_inside_a_sum_says_why_it_is_not_read():
    from symbrnn.judge.notation import AnswerParseError

    answer = rf"{SUMS} \bigodot_{{j=k+1}}^{{t}} \mathrm{{Diag}}(\sigma'(a_j)) {PLUS}"
    with pytest.raises(AnswerParseError, match="elementwise"):
        check_answer(RNN, "dL/dW", answer)


@pytest.mark.parametrize(
    "quantity, answer",
    [
        ("dh_t/dh_k", rf"[{D} W]^{{t-k}} + (k-1)(k-2)(k-3)(k-4)(k-5) W"),
        ("dh_t/dh_k", rf"[{D} W]^{{t-k}} + (t-k)(t-k-1)(t-k-2)(t-k-3)(t-k-4)(t-k-5)(t-k-6) W"),
        ("dL/dW", rf"{SUMS} [{D} W]^{{t-k}} {PLUS} + (T-1)(T-2)(T-3)(T-4)(T-5)(T-6) W"),
    ],
)
def test_a_term_vanishing_at_all_but_one_instance_is_seen(quantity, answer):
    """Each polynomial vanishes at every instance but the last of its letter: removing that
    instance from the set would accept it."""
    verdict = check_answer(RNN, quantity, answer)
    assert verdict.outcome == "not_equivalent"


def test_a_product_of_vectors_inside_a_sum_is_written_out_elementwise():
    verdict = check_answer(RNN, "dL/dW", rf"{SUMS_D} W^{{t-k}} {PLUS}", T=3)
    assert verdict.outcome == "not_equivalent"
    assert "σ'(a₃) ⊙ σ'(a₂)" in verdict.answer and "Diag(Diag" not in verdict.answer


@pytest.mark.parametrize("body", [DJ + " W", r"\sigma'(a_j)"])
def test_a_huge_product_inside_a_sum_is_refused_for_its_work(body):
    from symbrnn.judge.notation import AnswerParseError

    product = rf"\prod_{{j=k}}^{{100000}} {body}"
    if "W" not in body:
        product = rf"\mathrm{{Diag}}\left({product}\right) W"
    answer = rf"{SUMS} {product} {PLUS}"
    with pytest.raises(AnswerParseError):
        check_answer(RNN, "dL/dW", answer, T=3)
