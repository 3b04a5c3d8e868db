"""Diagnoses that name the mistake (issue 35, point 4), the last classes: the LSTM's steps
added instead of multiplied (IV.3), said with c; a GRU factor left out of W_h's
argument; a summand left out of a written-out pre-activation (or the 1 of tanh′); the
LSTM's ∂L/∂W_f through ∂⁺c_k/∂W_f, never echoed as the engine's block form."""

import pytest

from symbrnn.judge.check import check_answer
from tests.judge.test_derivation_battery import key
from tests.judge.test_diagnoses import SEEDS, _td5


@pytest.mark.parametrize("seed", SEEDS)
def test_iv3_steps_added_are_said_with_c_in_both_languages(seed):
    cell, quantity, key, options = _td5(seed, "IV.3")
    assert check_answer(cell, quantity, key, **options).equivalent
    verdict = check_answer(cell, quantity, "(t-k) I", **options)
    assert verdict.outcome == "not_equivalent", verdict.as_json()
    assert verdict.answer_notes[0] == "SUM_FOR_PRODUCT", verdict.answer_notes
    en = " ".join(verdict.diagnosis)
    assert "multiplies" in en and "∂c_t/∂c_k" in en and "∂h" not in en, en
    fr = check_answer(cell, quantity, "(t-k) I", lang="fr", **options)
    said = " ".join(fr.diagnosis)
    assert "multiplie" in said and "∂c_j/∂c_{j−1}" in said, said


def test_the_rnn_steps_added_are_still_said_with_h():
    from symbrnn.engine.cells import make_cell

    answer = r"\mathrm{Diag}(\sigma'(a_3)) W + \mathrm{Diag}(\sigma'(a_2)) W"
    verdict = check_answer(make_cell("rnn", bias=False), "dh_3/dh_1", answer)
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "SUM_FOR_PRODUCT" and "∂h_t/∂h_k" in said, said


DG = r"\operatorname{Diag}"


def _gru_written_out(a_h):
    z = rf"{DG}(\sigma'(W_{{z}} h_{{2}} + U_{{z}} x_{{3}}))"
    r = rf"{DG}(\sigma'(W_{{r}} h_{{2}} + U_{{r}} x_{{3}}))"
    return (
        rf"{DG}(h_{{2}}) {z} W_{{z}} + {DG}(z_{{3}}) - {DG}(\tilde{{h}}_{{3}}) {z} W_{{z}} + "
        rf"{DG}(\mathbf{{1}} - z_{{3}}) {DG}(\tanh'({a_h})) W_{{h}} "
        rf"\left[{DG}(h_{{2}}) {r} W_{{r}} + {DG}(r_{{3}})\right]"
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_gru_pre_activation_without_r_times_h_names_that_vector(lang):
    from symbrnn.engine.cells import make_cell

    cell = make_cell("gru", bias=False)
    right = _gru_written_out(r"W_{h} (r_{3} \odot h_{2}) + U_{h} x_{3}")
    assert check_answer(cell, "dh_3/dh_2", right).equivalent
    verdict = check_answer(cell, "dh_3/dh_2", _gru_written_out(r"W_{h} + U_{h} x_{3}"), lang=lang)
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "MISSING_FACTOR" and "r₃ ⊙ h₂" in said, said
    assert ("vector is missing" if lang == "en" else "il manque un vecteur") in said, said


@pytest.mark.parametrize(
    ("pre", "left_out"),
    [(r"W_{i} h_{3}", "U_i x₄"), (r"U_{i} x_{4}", "W_i h₃")],
)
def test_a_summand_left_out_of_a_written_out_pre_activation_is_named(pre, left_out):
    """IV.4 with σ′(a_i,4) written out and one summand left out: that summand is named (not
    'factor 2 is wrong'); French and English."""
    from symbrnn.engine.cells import make_cell

    def iv4(a_i):
        return (
            rf"\left[{DG}(c_{{3}}) {DG}(\sigma'(a_{{f,4}})) W_{{f}} + {DG}(\tilde{{c}}_{{4}}) "
            rf"{DG}(\sigma'({a_i})) W_{{i}} + {DG}(i_{{4}}) {DG}(\tanh'(a_{{c,4}})) W_{{c}}\right] "
            rf"{DG}(o_{{3}}) {DG}(\tanh'(c_{{3}})) + {DG}(f_{{4}})"
        )

    cell = make_cell("lstm", bias=False)
    assert check_answer(cell, "dc_4/dc_3", iv4(r"W_{i} h_{3} + U_{i} x_{4}")).equivalent
    verdict = check_answer(cell, "dc_4/dc_3", iv4(pre))
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "MISSING_SUMMAND" and f": {left_out} (" in said, said
    assert "wrong" not in said, said
    fr = " ".join(check_answer(cell, "dc_4/dc_3", iv4(pre), lang="fr").diagnosis)
    assert "il manque un terme" in fr and left_out in fr, fr


def test_the_one_of_tanh_prime_left_out_is_named():
    from symbrnn.engine.cells import make_cell

    cell = make_cell("rnn", bias=False, activation="tanh")
    answer = rf"{DG}(-h_{{3}}^{{2}}) W {DG}(\mathbf{{1}} - h_{{2}}^{{2}}) W"
    verdict = check_answer(cell, "dh_3/dh_1", answer)
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "MISSING_SUMMAND" and "the 1 is missing" in said, said


@pytest.mark.parametrize(
    ("quantity", "answer"),
    [
        ("dh_3/dh_1", r"\prod_{j=2}^{3} [\mathrm{Diag}(\sigma'(a_j)) U]"),
        ("dh_4/dh_1", r"\prod_{j=2}^{4} \left[\mathrm{Diag}(\sigma'(a_j))\, U\right]"),
        ("dh_t/dh_k", r"\prod_{j=k+1}^{t} [\mathrm{Diag}(\sigma'(a_j)) U]"),
        ("dh_t/dh_k", r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j))\, U"),
    ],
)
def test_u_for_w_inside_a_product_is_the_parameter_not_a_shape(quantity, answer):
    """∏ [Diag(σ'(a_j)) U]: the reader leaves U (not square) after the product; the
    diagnosis puts it back inside and names U for W (in the general case, at t − k ≥ 1)."""
    from symbrnn.engine.cells import make_cell

    cell = make_cell("rnn", bias=False)
    assert check_answer(cell, quantity, answer.replace("U", "W")).equivalent
    verdict = check_answer(cell, quantity, answer)
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "PARAMETER" and "U in place of W" in said, said


def test_a_wrong_gate_is_named_by_its_gate():
    from symbrnn.engine.cells import make_cell

    cell = make_cell("lstm", bias=False)
    for quantity in ("dc_3/dc_2", "dc_t/dc_k"):
        answer = (
            r"\prod_{j=k+1}^{t} \mathrm{Diag}(i_j)" if "t" in quantity else r"\mathrm{Diag}(i_3)"
        )
        verdict = check_answer(cell, quantity, answer, paths="direct")
        said = " ".join(verdict.diagnosis)
        assert verdict.answer_notes[0] == "GATE" and "in place of f" in said, said


@pytest.mark.parametrize("param", ["W_f", "U_i", "W_o"])
def test_an_lstm_gradient_is_expected_and_diagnosed_in_its_written_form(param):
    """∂L/∂W_f of the LSTM: the expected answer, its LaTeX key and every diagnosis are
    written with named Jacobians (∂h_t/∂c_k ∂⁺c_k/∂W_f), never the engine's block form."""
    from symbrnn.engine.cells import make_cell

    cell = make_cell("lstm", bias=False)
    right = check_answer(cell, f"dL/d{param}", key(cell, f"dL/d{param}", T=2), T=2)
    assert right.equivalent, right.as_json()
    assert "∂h₂/∂" in right.expected and "[I" not in right.expected + right.course_form
    assert "pmatrix" not in right.answer_latex and "\\partial h_{2}" in right.answer_latex
    first, *rest = right.answer_latex.split(" + ")
    verdict = check_answer(cell, f"dL/d{param}", f"- {first} + " + " + ".join(rest), T=2)
    said = " ".join(verdict.diagnosis) + verdict.text()
    assert verdict.answer_notes[0] == "SIGN", verdict.answer_notes
    assert "[I  0]" not in said and "[0; I]" not in said and "∏" not in said, said


def test_u_for_w_inside_a_bracketed_product_of_a_gradient_is_the_parameter():
    from symbrnn.engine.cells import make_cell

    answer = (
        r"\sum_{t=1}^{T} \sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t} \left(\prod_{j=k+1}^{t}"
        r" \mathrm{Diag}(\sigma'(a_j))\, U\right) \frac{\partial^+ h_k}{\partial W}"
    )
    cell = make_cell("rnn", bias=False)
    assert check_answer(cell, "dL/dW", answer.replace("U", "W"), T=2).equivalent
    verdict = check_answer(cell, "dL/dW", answer, T=2)
    assert verdict.answer_notes[0] == "PARAMETER", verdict.answer_notes
