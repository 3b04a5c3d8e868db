"""The exam: every option re-judged by check as the exam says, counts against brute force,
the same exam from the same seeds, and one-line errors."""

import json
import subprocess
import sys

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.exam.build import build_exam
from symbrnn.exam.counts import COUNT_MISTAKES
from symbrnn.exam.words import WORDS
from symbrnn.judge.check import check_answer
from symbrnn.judge.messages import placeholders
from symbrnn.sheets.spec import load_sheet, sheet_sizes
from tests.processes import symbrnn

SEEDS = [1, 2, 3, 4, 5, 6]


def run(*args):
    return symbrnn(*args)


@pytest.fixture(scope="module")
def exam():
    return build_exam("td5", SEEDS, lang="fr")


def _judge(settings, answer):
    cell = make_cell(
        settings["cell"],
        activation=settings.get("activation"),
        bias=settings.get("bias", True),
        reset_after=settings.get("reset_after", False),
    )
    return check_answer(
        cell,
        settings["quantity"],
        answer,
        T=settings.get("T"),
        paths=settings.get("paths", "all"),
        hypothesis=settings.get("hypothesis"),
    )


def test_the_variants_cover_both_activations_and_both_T():
    spec = load_sheet("td5")
    drawn = {(sheet_sizes(spec, s)["T"], sheet_sizes(spec, s)["activation"]) for s in SEEDS}
    assert len({t for t, _ in drawn}) == 2 and len({a for _, a in drawn}) == 2


def test_every_formula_option_is_judged_by_check_as_the_exam_says(exam):
    asked = 0
    for variant in exam.variants:
        for q in (q for q in variant.questions if q.kind == "formula"):
            groups = set()
            assert sum(o.right for o in q.options) == 1
            assert len(q.options) >= 2
            for option in q.options:
                verdict = _judge(q.check, option.latex)
                if option.right:
                    assert verdict.equivalent, (variant.seed, q.id)
                else:
                    assert verdict.outcome == "not_equivalent", (variant.seed, q.id, option.latex)
                    assert option.answer_note in ("GATE_FOR_GATE", "ZERO_FOR_IDENTITY") or (
                        option.answer_note in verdict.answer_notes
                        or verdict.answer_notes[:1] == ["SHAPE"]
                    )
                    assert option.counterexample and option.mistake
                groups.add(verdict.group or option.latex)  # an undefined product: its own
                asked += 1
            if not q.check.get("hypothesis"):  # under one, 0 and Diag(i)… are both 0
                assert len(groups) == len(q.options)  # different values at the test points
    assert asked >= 100


def test_most_formula_questions_get_the_asked_number_of_named_mistakes(exam):
    full = [len(q.options) == exam.choices for v in exam.variants for q in v.questions]
    assert sum(full) >= 0.7 * len(full)
    assert all(len(q.options) >= 4 for v in exam.variants for q in v.questions)
    notes = {o.answer_note for v in exam.variants for q in v.questions for o in q.options}
    assert {"SIGMA_FOR_PRIME", "MISSING_DIAG", "NO_BIAS", "INPUT_SIZE", "KERAS3_GRU"} <= notes


def test_an_option_right_under_the_hypothesis_is_never_a_wrong_option(exam):
    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.expected import reference
    from symbrnn.judge.points import hypothesis_points

    for variant in exam.variants:
        q = next(q for q in variant.questions if q.id == "IV.3")
        cell = make_cell("lstm", bias=False)
        D = Derivation(cell)
        quantity = parse_quantity(q.check["quantity"])
        ref = reference(D, quantity, paths="direct")
        held = hypothesis_points(D, quantity.t, q.check["hypothesis"])
        from symbrnn.judge.answer_parser import parse_derivation
        from symbrnn.judge.check import reading_context

        for option in q.options:
            member = parse_derivation(option.latex, cell, reading_context(quantity), quantity)[-1]
            assert held.equal(member.expr, ref)[0] == option.right


def _brute_count(cell, n, d, convention="keras", reset_after=False):
    """Parameters of one layer written out by hand: blocks × (n·d + n·n + biases·n)."""
    blocks = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    biases = 2 if convention == "pytorch" or (cell == "gru" and reset_after) else 1
    return blocks * (n * d + n * n + biases * n)


def test_count_options_are_the_layer_and_each_mistake_computed_by_hand(exam):
    for variant in exam.variants:
        sizes = sheet_sizes(load_sheet("td5"), variant.seed)
        for q in (q for q in variant.questions if q.kind == "count"):
            p = q.check["params"]
            n, d, cell = p["units"], p["features"], p["cell"]
            assert (n, d) == (sizes["units"][1], sizes["units"][0])  # the second layer
            blocks = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
            expected = {
                None: _brute_count(cell, n, d),
                "NO_BIAS": blocks * (n * d + n * n),
                "NO_RECURRENT": blocks * (n * d + n),
                "ONE_BLOCK": n * d + n * n + n,
                "INPUT_SIZE": _brute_count(cell, n, sizes["features"]),
                "PYTORCH": _brute_count(cell, n, d, "pytorch"),
                "KERAS3_GRU": _brute_count(cell, n, d, reset_after=True),
            }
            values = [o.value for o in q.options]
            assert len(set(values)) == len(values)
            for o in q.options:
                assert o.value == expected[o.answer_note], (q.id, o.answer_note)
                assert o.right == (o.answer_note is None)


def test_the_pytorch_option_is_what_torch_counts(exam):
    from tests.conftest import require

    torch = require("torch")
    for q in (q for q in exam.variants[0].questions if q.kind == "count"):
        p = q.check["params"]
        module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[p["cell"]]
        counted = sum(t.numel() for t in module(p["features"], p["units"]).parameters())
        pytorch = [o for o in q.options if o.answer_note == "PYTORCH"]
        assert not pytorch or pytorch[0].value == counted
        if p["cell"] == "gru":
            keras3 = next(o for o in q.options if o.answer_note == "KERAS3_GRU")
            assert keras3.value == counted  # Keras 3's GRU has PyTorch's two biases


def test_the_same_seeds_make_the_same_exam_and_other_seeds_another_order():
    a = build_exam("td5", [7, 8], lang="en", only=["III.2", "I.3"]).as_json()
    b = build_exam("td5", [7, 8], lang="en", only=["III.2", "I.3"]).as_json()
    assert a == b
    orders = {
        tuple(o["right"] for o in q["options"]) for v in a["variants"] for q in v["questions"]
    }
    assert len(orders) > 1


def test_the_json_has_the_fixed_shape_and_check_reads_its_settings(tmp_path):
    result = run("exam", "td5", "--variants", "2", "--question", "III.2", "--lang", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    q = data["variants"][0]["questions"][0]
    assert set(q) >= {"id", "kind", "check", "options"} and q["kind"] == "formula"
    assert all(set(o) >= {"latex", "right", "answer_note"} for o in q["options"])
    wrong = next(o for o in q["options"] if not o["right"])
    s = q["check"]
    args = ["--cell", s["cell"], "-q", s["quantity"], "--format", "json", "--no-bias"]
    args += ["--activation", s["activation"]] if "activation" in s else []
    verdict = run("check", *args, "-a", wrong["latex"])
    assert verdict.returncode == 1
    assert json.loads(verdict.stdout)["answer_notes"][0] == wrong["answer_note"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--variants", "1", "--choices", "9"], "--choices"),
        (["--variants", "1", "--question", "IX.9"], "IX.9"),
        (["--variants", "x"], "--variants"),
        (["--variants", "1", "--format", "amc"], "-o FILE.tex"),
        (["--variants", "1", "--format", "amc", "-o", "exam.pdf"], "-o FILE.tex"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args, message, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "exam", "td5", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_sheet_count_is_validated(tmp_path, data):
    from symbrnn.errors import InputError

    text = (data / "mini_sheet.toml").read_text()
    for count in ('{ cell = "lstm", layer = 1 }', '{ cell = "lstm", layer = 9 }'):
        bad = tmp_path / "bad.toml"  # the mini sheet has no units: no layer to count
        bad.write_text(text.replace('id = "1.1"', f'id = "1.1"\ncount = {count}', 1))
        with pytest.raises(InputError, match="count is"):
            load_sheet(str(bad))
    sized = text.replace('activation = "tanh"', 'activation = "tanh"\nunits = [4, 3]', 1)
    good = tmp_path / "good.toml"
    good.write_text(sized.replace('id = "1.1"', 'id = "1.1"\ncount = { cell = "gru", layer = 2 }'))
    assert load_sheet(str(good)).data["sections"][0]["questions"][0]["count"]["layer"] == 2


def test_every_word_and_count_mistake_is_said_in_both_languages():
    for key, row in WORDS.items():
        assert set(row) == {"fr", "en"}, key
        assert placeholders(row["fr"]) == placeholders(row["en"]), key
    for mistake in COUNT_MISTAKES:
        assert f"count.{mistake.code}" in WORDS
