"""Diagnoses that name the mistake (issue 35, point 4): a single edit of the key, in the
course's LaTeX, gets the row's code and says what to change, in French and in English;
no misleading message (a right term never "does not belong", one bias is one bias), and
II.1 is said in its own letters (v, A v, u), never x₁, a₁."""

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.judge.check import check_answer

D = r"\operatorname{Diag}"
S = {j: rf"{D}(\sigma'(a_{{{j}}}))" for j in range(1, 6)}
LT = r"\frac{\partial L_%d}{\partial h_%d}"
HW = r"\frac{\partial^+ h_%d}{\partial W}"


def _lstm_iv4(*, drop_o=False, extra_i=False, drop_wc=False):
    i = rf" {D}(i_{{4}})" if extra_i else ""
    o = "" if drop_o else rf"{D}(o_{{3}}) "
    wc = "" if drop_wc else " W_{c}"
    return (
        rf"\left[{D}(c_{{3}}) {D}(\sigma'(a_{{f,4}})) W_{{f}} + {D}(\tilde{{c}}_{{4}}){i} "
        rf"{D}(\sigma'(a_{{i,4}})) W_{{i}} + {D}(i_{{4}}) {D}(\tanh'(a_{{c,4}})){wc}\right] "
        rf"{o}{D}(\tanh'(c_{{3}})) + {D}(f_{{4}})"
    )


def _gru(*, square=True, one_minus_z=True, z_summand=True, wz="W_{z}"):
    tanh = r"1 - \tilde{h}_{3}^2" if square else r"1 - \tilde{h}_{3}"
    gate = rf"{D}(\mathbf{{1}} - z_{{3}}) " if one_minus_z else ""
    parts = [rf"{D}(h_{{2}}) {D}(\sigma'(a_{{z,3}})) {wz}"]
    parts += [rf"{D}(z_{{3}})"] if z_summand else []
    parts += [rf"- {D}(\tilde{{h}}_{{3}}) {D}(\sigma'(a_{{z,3}})) W_{{z}}"]
    parts += [
        rf"{gate}{D}({tanh}) W_{{h}} \left[{D}(h_{{2}}) {D}(\sigma'(a_{{r,3}})) W_{{r}} + {D}(r_{{3}})\right]"
    ]
    return " + ".join(parts).replace("+ -", "-")


def _bptt(T, term):
    return " + ".join(term(t, k) for t in range(1, T + 1) for k in range(1, t + 1))


def _right_term(t, k, param="W"):
    steps = " ".join(f"{S[j]} {param}" for j in range(t, k, -1))
    return f"{LT % (t, t)} {steps} {HW % k}"


RNN = ("rnn", {"bias": False})
SUM = r"\sum_{t=1}^{3}\sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t}"
CASES = [
    # (cell, quantity, answer, options, code, English words, French words)
    (
        ("lemma", {}),
        "du/dv",
        rf"{D}(\sigma'(v)) A",
        {},
        "ARGUMENT",
        "at A v, not at v",
        "en A v, pas en v",
    ),
    (
        ("lemma", {}),
        "du/dv",
        rf"{D}(\sigma'(u)) A",
        {},
        "ARGUMENT",
        "A v, not at u",
        "A v, pas en u",
    ),
    (
        ("lemma", {}),
        "du/dv",
        rf"{D}(\sigma'(A v)) A^T",
        {},
        "TRANSPOSE_ONE",
        "Aᵀ should be A",
        "Aᵀ devrait être A",
    ),
    (
        RNN,
        "dh_4/dh_1",
        f"{S[4]} W {S[3]} U {S[2]} W",
        {},
        "PARAMETER",
        "U in place of W",
        "U à la place de W",
    ),
    (
        RNN,
        "dh_4/dh_1",
        f"{S[4]} U {S[3]} U {S[2]} U",
        {},
        "PARAMETER",
        "U in place of W",
        "U à la place de W",
    ),
    (RNN, "dh_4/dh_1", f"{S[4]} W {S[3]} {S[2]} W", {}, "MISSING_FACTOR", ": W", ": W"),
    (RNN, "dh_3/dh_2", rf"{D}(\sigma'(W h_2 + U x_3 + b)) U", {}, None, None, None),
    (
        ("rnn", {}),
        "dh_3/dh_2",
        rf"{D}(\sigma'(W h_2 + U x_3 + b)) U",
        {},
        "PARAMETER",
        "U in place of W",
        "U à la place de W",
    ),
    (
        ("rnn", {}),
        "dh_3/dh_2",
        rf"{D}(\sigma'(W h_2 + U x_3)) W",
        {},
        "BIAS_MISSING",
        "missing bias b:",
        "biais b manquant",
    ),
    (("lstm", {}), "dh_3/dh_2", None, {}, None, None, None),
    (
        ("lstm", {"bias": False}),
        "dc_4/dc_3",
        _lstm_iv4(drop_o=True),
        {},
        "MISSING_FACTOR",
        "Diag(o₃)",
        "Diag(o₃)",
    ),
    (
        ("lstm", {"bias": False}),
        "dc_4/dc_3",
        _lstm_iv4(extra_i=True),
        {},
        "EXTRA_FACTOR",
        "Diag(i₄), does not belong",
        "Diag(i₄), est en trop",
    ),
    (
        ("lstm", {"bias": False}),
        "dc_4/dc_3",
        _lstm_iv4(drop_wc=True),
        {},
        "MISSING_FACTOR",
        ": W_c",
        ": W_c",
    ),
    (
        ("gru", {"bias": False}),
        "dh_3/dh_2",
        _gru(square=False),
        {},
        "SQUARE",
        "the square is missing",
        "le carré manque",
    ),
    (
        ("gru", {"bias": False}),
        "dh_3/dh_2",
        _gru(one_minus_z=False),
        {},
        "MISSING_FACTOR",
        "Diag(1 − z₃)",
        "Diag(1 − z₃)",
    ),
    (
        ("gru", {"bias": False}),
        "dh_3/dh_2",
        _gru(z_summand=False),
        {},
        "MISSING_SUMMAND",
        "Diag(z₃)",
        "Diag(z₃)",
    ),
    (
        ("gru", {"bias": False}),
        "dh_3/dh_2",
        _gru(wz="W_{h}"),
        {},
        "PARAMETER",
        "W_h in place of W_z",
        "W_h à la place de W_z",
    ),
    (
        RNN,
        "dL/dW",
        SUM + r"\frac{\partial h_k}{\partial h_t}\frac{\partial^+ h_k}{\partial W}",
        {"T": 3},
        "INVERTED",
        "∂h_k/∂h_t with k < t is 0",
        "∂h_k/∂h_t avec k < t vaut 0",
    ),
    (
        RNN,
        "dL/dW",
        _bptt(
            3,
            lambda t, k: (
                f"{LT % (t, t)} " + rf"\frac{{\partial h_{t}}}{{\partial h_{k}}} " + HW % t
            ),
        ),
        {"T": 3},
        "IMMEDIATE_STEP",
        "∂⁺h_t/∂W in place of ∂⁺h_k/∂W",
        "∂⁺h_t/∂W à la place de ∂⁺h_k/∂W",
    ),
    (
        RNN,
        "dL/dW",
        _bptt(2, lambda t, k: _right_term(t, k, "U")),
        {"T": 2},
        "PARAMETER",
        "U in place of W",
        "U à la place de W",
    ),
    (
        RNN,
        "dL/dW",
        _bptt(
            3,
            lambda t, k: (
                _right_term(t, k).replace(f"{S[3]} W", f"{S[3]}")
                if (t, k) == (3, 2)
                else _right_term(t, k)
            ),
        ),
        {"T": 3},
        "MISSING_FACTOR",
        "(3, 2)",
        "(3, 2)",
    ),
    (
        ("lstm", {"bias": False}),
        "dc_4/dc_3",
        _lstm_iv4().replace("_{3}", "_{2}").replace("4}", "3}").replace(",4", ",3"),
        {},
        "TIME_SHIFT",
        "∂c_t/∂c_{t−1}",
        "∂c_t/∂c_{t−1}",
    ),
]
CASES = [c for c in CASES if c[2] is not None and c[4] is not None]


@pytest.mark.parametrize(("cell", "quantity", "answer", "options", "code", "en", "fr"), CASES)
def test_a_single_edit_is_named_in_both_languages(cell, quantity, answer, options, code, en, fr):
    cell = make_cell(cell[0], **cell[1])
    said = {}
    for lang in ("en", "fr"):
        verdict = check_answer(cell, quantity, answer, lang=lang, **options)
        assert verdict.outcome == "not_equivalent", verdict.as_json()
        assert verdict.answer_notes[0] == code, (verdict.answer_notes, verdict.diagnosis)
        said[lang] = " ".join(verdict.diagnosis)
    assert en in said["en"] and fr in said["fr"], said
    assert "x₁" not in said["en"] + said["fr"] and "a₁" not in said["en"] + said["fr"]


def test_one_missing_bias_names_that_bias_only():
    """A GRU step with its pre-activations written out, b_z left out: b_z, not every bias."""
    written = {g: rf"W_{{{g}}} h_{{2}} + U_{{{g}}} x_{{3}} + b_{{{g}}}" for g in ("z", "r", "h")}
    right = _gru().replace("a_{z,3}", written["z"]).replace("a_{r,3}", written["r"])
    gru = make_cell("gru")
    assert check_answer(gru, "dh_3/dh_2", right).equivalent
    verdict = check_answer(gru, "dh_3/dh_2", right.replace(" + b_{z}", ""))
    assert verdict.answer_notes[0] == "BIAS_MISSING", verdict.diagnosis
    shown = " ".join(verdict.diagnosis)
    assert "b_z" in shown and "b_r" not in shown and "b_h" not in shown, shown


def test_a_right_term_never_said_not_to_belong():
    """A GRU answer without Diag(z_t): the W_z terms it keeps are right and never 'extra'."""
    verdict = check_answer(make_cell("gru", bias=False), "dh_3/dh_2", _gru(z_summand=False))
    shown = " ".join(verdict.diagnosis)
    assert "W_z" not in shown and "does not belong" not in shown, shown


def test_the_power_note_only_when_the_student_writes_the_power():
    rnn = make_cell("rnn", bias=False)
    plain = check_answer(rnn, "dh_4/dh_1", f"{S[4]} W {S[3]} W")
    power = check_answer(rnn, "dh_4/dh_1", r"[\mathrm{Diag}(\sigma')W]^{2}")
    assert "[Diag(σ') W]^n" not in plain.note and "[Diag(σ') W]^n" in power.note


# -- each class of single edit, made on td5's keys over several variants ----------------

SEEDS = range(4)
OPS = r"\operatorname{Diag}"


def _td5(seed, qid):
    from symbrnn.sheets.variants import variant_json

    q = next(q for q in variant_json("td5", seed)["questions"] if q["id"] == qid)
    options = {k: v for k, v in q["check"].items() if k not in ("variant_seed", "also")}
    cell = make_cell(
        options.pop("cell"),
        bias=options.pop("bias", True),
        activation=options.pop("activation", None),
    )
    return cell, options.pop("quantity"), q["answer_latex"], options


def _drop_first(text, piece):
    assert piece in text, (piece, text)
    return text.replace(piece, "", 1)


EDITS = [
    # (question, the key edited, code, words of the English diagnosis)
    ("II.1", lambda k: k[: k.rindex(" A")], "MISSING_FACTOR", ": A"),
    (
        "II.2",
        lambda k: _drop_first(k, r" \frac{\partial^{+} h_{1}}{\partial W}"),
        "MISSING_FACTOR",
        "(t, k) = (1, 1)",
    ),
    (
        "III.1",
        lambda k: k.replace(r"\frac{\partial L_{1}}{\partial h_{1}} ", "", 1),
        "MISSING_FACTOR",
        "(t, k) = (1, 1)",
    ),
    ("III.2", lambda k: k + " + I", "EXTRA_SUMMAND", "does not belong: I"),
    ("III.2", lambda k: k + " - W", "EXTRA_SUMMAND", "does not belong: − W"),
    ("IV.4", lambda k: k.replace(r"\operatorname{Diag}\left(o_{", r"\left(o_{"), None, None),
]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("qid", "edit", "code", "en"), [e for e in EDITS if e[2]])
def test_each_class_of_edit_is_named_over_variants(seed, qid, edit, code, en):
    cell, quantity, key, options = _td5(seed, qid)
    assert check_answer(cell, quantity, key, **options).equivalent
    verdict = check_answer(cell, quantity, edit(key), **options)
    assert verdict.outcome == "not_equivalent", verdict.as_json()
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == code and en in said, (verdict.answer_notes, said)
    assert "x₁" not in said and "a₁" not in said and "∏_{j=" not in said, said


@pytest.mark.parametrize("answer", ["2I - W", "2 I - W", "I + I"])
def test_a_multiple_of_the_identity_is_never_called_a_bound(answer):
    """2I − W for ∂h_2/∂h_2 = I: what does not belong is said (I − W), never that a bound
    was written for the Jacobian."""
    verdict = check_answer(make_cell("rnn", bias=False), "dh_2/dh_2", answer)
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "EXTRA_SUMMAND" and "bound" not in said, said
    assert ("I − W" in said) if "W" in answer else said.endswith(": I"), said


def test_a_missing_factor_in_every_term_of_the_general_sum():
    answer = (
        r"\sum_{t=1}^{T} \sum_{k=1}^{t} \left(\prod_{j=k+1}^{t} "
        rf"{D}(\sigma'(a_j)) W\right) \frac{{\partial^+ h_k}}{{\partial W}}"
    )
    verdict = check_answer(make_cell("rnn", bias=False), "dL/dW", answer, T=3)
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "MISSING_FACTOR" and "every term" in said, said


@pytest.mark.parametrize("gate", ["z", "r"])
def test_a_vector_without_its_matrix_names_the_matrix(gate):
    """A pre-activation written out with U x₃ left as x₃ (not defined): U is named."""
    written = {g: rf"W_{{{g}}} h_{{2}} + U_{{{g}}} x_{{3}} + b_{{{g}}}" for g in ("z", "r")}
    right = _gru().replace("a_{z,3}", written["z"]).replace("a_{r,3}", written["r"])
    gru = make_cell("gru")
    assert check_answer(gru, "dh_3/dh_2", right).equivalent
    wrong = right.replace(f"U_{{{gate}}} x_{{3}}", "x_{3}", 1)
    for lang, words in (
        ("en", "missing in front of x₃: U_"),
        ("fr", "manque une matrice devant x₃"),
    ):
        verdict = check_answer(gru, "dh_3/dh_2", wrong, lang=lang)
        said = " ".join(verdict.diagnosis)
        assert verdict.answer_notes[0] == "MISSING_FACTOR" and words in said, said


@pytest.mark.parametrize(
    "answer",
    [
        r"\sum_{t=1}^{T} \sum_{k=1}^{t} \frac{\partial h_t}{\partial h_k} \frac{\partial^+ h_k}{\partial W}",
        r"\sum_{t=1}^{T} \sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t} \frac{\partial h_t}{\partial h_k}",
    ],
)
def test_a_factor_left_out_of_the_named_sum_is_named(answer):
    verdict = check_answer(make_cell("rnn", bias=False), "dL/dW", answer, T=3)
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "MISSING_FACTOR" and "every term" in said, said


def test_an_identity_added_to_tanh_written_by_its_states():
    d = r"\operatorname{Diag}\left(\mathbf{1} - h_{%d}^{2}\right) W"
    answer = " ".join(d % j for j in (4, 3, 2)) + " + I"
    verdict = check_answer(make_cell("rnn", bias=False, activation="tanh"), "dh_4/dh_1", answer)
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "EXTRA_SUMMAND" and said.endswith(": I"), said


def test_a_gate_path_left_out_is_said_with_the_gate_as_printed():
    """The GRU's path through h̃_t left out: h̃_t, never the name h_tilde of the code."""
    gru = make_cell("gru", bias=False)
    without = _gru().split(rf" + {D}(\mathbf{{1}} - z_{{3}})")[0]
    for lang in ("en", "fr"):
        verdict = check_answer(gru, "dh_3/dh_2", without, lang=lang)
        said = " ".join(verdict.diagnosis)
        assert verdict.answer_notes[0] == "MISSING_PATH" and "h̃_t" in said, said
        assert "tilde" not in said, said


@pytest.mark.parametrize(
    ("left_out", "kept", "words"),
    [("W_{f} h_{3}", "W_{f}", "vector is missing after W_f: h₃"), ("U_{f} x_{4}", "x_{4}", "U_f")],
)
def test_a_matrix_or_a_vector_left_out_of_a_pre_activation(left_out, kept, words):
    written = r"\sigma'(W_{f} h_{3} + U_{f} x_{4})"
    key = _lstm_iv4().replace(r"\sigma'(a_{f,4})", written)
    lstm = make_cell("lstm", bias=False)
    assert check_answer(lstm, "dc_4/dc_3", key).equivalent
    verdict = check_answer(lstm, "dc_4/dc_3", key.replace(left_out, kept, 1))
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "MISSING_FACTOR" and words in said, said


@pytest.mark.parametrize("seed", SEEDS)
def test_ii1_without_its_diag_names_the_diag_in_its_own_letters(seed):
    """II.1 answered A: the Diag(σ′(A v)) left out is named, never a chain of steps a_j."""
    cell, quantity, _, options = _td5(seed, "II.1")
    verdict = check_answer(cell, quantity, "A", **options)
    said = " ".join(verdict.diagnosis)
    assert verdict.answer_notes[0] == "MISSING_DIAG" and "factor Diag(" in said, said
    assert (
        "(A v)) is missing" in said
        and "a_j" not in said
        and "step" not in said
        and "x₁" not in said
    ), said
