"""One variant everywhere: the sheet's JSON, check and grade judge each student's own variant."""

import csv
import json
import subprocess
import sys

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.errors import InputError
from symbrnn.judge.check import check_answer
from symbrnn.judge.class_summary import class_summary
from symbrnn.judge.grade import grade_rows, write_report
from symbrnn.sheets import load
from symbrnn.sheets.questions import question_check
from symbrnn.sheets.variants import variant_json


def _run(*args):
    return subprocess.run([sys.executable, "-m", "symbrnn", *args], capture_output=True, text=True)


def _judge(options, answer):
    cell = make_cell(
        options["cell"],
        bias=options.get("bias", True),
        activation=options.get("activation"),
        allow_files=False,
    )
    return check_answer(
        cell,
        options["quantity"],
        answer,
        T=options.get("T") or options.get("sheet_T"),
        paths=options.get("paths") or "all",
        hypothesis=options.get("hypothesis"),
    )


def _differs(a: dict, b: dict, check: dict) -> bool:
    """Whether two variants differ in something the question's check depends on."""
    if a["T"] != b["T"] and check["cell"] != "lemma":
        return True
    return a["activation"] != b["activation"] and check["cell"] in ("rnn", "lemma")


SEEDS = [0, 2, 5, 11, 23, 1234, 4_000_000_000]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_keys_answers_are_right_for_their_own_variant_only(seed):
    own = variant_json("td5", seed)
    others = [variant_json("td5", s) for s in SEEDS if s != seed]
    checked = 0
    for q in own["questions"]:
        if not q["checkable"]:
            continue
        options = question_check("td5", q["id"], seed)
        verdict = _judge(options, q["answer_latex"])
        assert verdict.equivalent, (seed, q["id"], verdict.as_json())
        for other in others:
            if _differs(own, other, options):
                wrong = _judge(
                    question_check("td5", q["id"], other["variant_seed"]), q["answer_latex"]
                )
                assert not wrong.equivalent, (seed, other["variant_seed"], q["id"])
                checked += 1
                break
    assert checked >= 3


def test_a_correct_student_of_variant_2_is_right_under_variant_2():
    answer = r"\prod_{j=2}^{T} \operatorname{Diag}(\tanh'(a_j)) W"
    args = ["check", "--sheet", "td5", "--question", "III.2", "-a", answer, "--lang", "en"]
    assert _run(*args, "--variant-seed", "2").returncode == 0
    assert _run(*args).returncode == 1  # the default sheet: σ and T = 3


def test_a_seed_the_sheet_cannot_draw_is_one_line():
    result = _run(
        "check",
        "--sheet",
        "examples/my-sheet.toml",
        "--question",
        "x",
        "--variant-seed",
        "1",
        "-a",
        "W",
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = _run("check", "-q", "dh_3/dh_1", "--variant-seed", "1", "-a", "W")
    assert result.returncode == 2 and "--sheet" in result.stderr
    with pytest.raises(InputError, match="no \\[variants\\]"):
        variant_json("examples/my-sheet.toml", 3)


def test_the_sheet_json_names_each_question_and_its_check():
    result = _run("sheet", "td5", "--variant-seed", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"sheet", "variant_seed", "lang", "sizes", "activation", "T", "questions"} <= set(data)
    assert data["variant_seed"] == 2 and data["T"] == data["sizes"]["T"]
    ids = {q["id"]: q for q in data["questions"]}
    assert not ids["I.1"]["checkable"] and ids["III.2"]["checkable"]
    assert ids["III.2"]["check"]["quantity"] == f"dh_{data['T']}/dh_1"
    assert "answer_latex" in ids["III.2"] and ids["III.2"]["points"] > 0


def test_grade_judges_each_row_against_its_variant_and_reports_it(tmp_path):
    rows = []
    for student, seed in (("ana", 2), ("bob", 7), ("eve", 11)):
        for q in variant_json("td5", seed)["questions"]:
            if q["checkable"]:
                rows.append(
                    {
                        "student": student,
                        "question": q["id"],
                        "variant": str(seed),
                        "answer": q["answer_latex"],
                    }
                )
    rows.append({"student": "zoe", "question": "III.2", "variant": "2", "answer": "W W W"})
    results = grade_rows(rows, questions=load("td5").question)
    assert all(r.status == "correct" for r in results[:-1]), [
        (r.student, r.question, r.diagnosis) for r in results if r.status != "correct"
    ]
    assert results[-1].status == "wrong" and results[-1].variant == 2
    report = tmp_path / "report.csv"
    write_report(results, str(report))
    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    header = next(csv.reader([lines[0]]))
    for column in ("student", "question", "variant", "cell", "T", "quantity", "answer", "expected"):
        assert column in header
    assert "" not in lines  # one table: the students' totals are a file of their own
    totals = (tmp_path / "report.totals.csv").read_text(encoding="utf-8-sig").splitlines()
    table = list(csv.DictReader(totals))
    assert {r["student"] for r in table} == {"ana", "bob", "eve", "zoe"}
    ana = next(r for r in table if r["student"] == "ana")
    # every answer of ana's is right: she gets each question's points, as the sheet gives them
    points = sum(load("td5").marks(r.question).correct for r in results if r.student == "ana")
    assert float(ana["total"]) == points == sum(r.score for r in results if r.student == "ana")


def test_a_report_is_csv_or_json(tmp_path):
    answers = tmp_path / "a.csv"
    answers.write_text("student,quantity,answer\nana,dh_2/dh_1,W\n")
    result = _run("grade", str(answers), "-o", str(tmp_path / "r.xlsx"))
    assert result.returncode == 2 and ".csv" in result.stderr and ".html" in result.stderr
    assert not (tmp_path / "r.xlsx").exists()
    result = _run("grade", str(answers), "-o", str(tmp_path / "r.html"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "r.html").read_text().startswith("<!doctype html>")


def test_the_summary_never_merges_two_cells_asking_the_same_quantity():
    rows = [
        {"student": "a", "cell": "gru", "quantity": "dh_3/dh_1", "answer": "W"},
        {"student": "a", "cell": "lstm", "quantity": "dh_3/dh_1", "answer": "W"},
    ]
    summary = class_summary(grade_rows(rows))
    assert "gru dh_3/dh_1: 0/1" in summary and "lstm dh_3/dh_1: 0/1" in summary
