"""The AMC exam compiled by the real package and prepared by auto-multiple-choice, and its
scanned results read back into the class's named mistakes."""

import csv
import io
import json
import sqlite3
import subprocess

import pytest

from symbrnn.exam.amc import amc_id, group_name
from symbrnn.exam.build import build_exam
from symbrnn.exam.scans import amc_rows, load_exam
from tests.conftest import need_program
from tests.processes import symbrnn


def run(*args, cwd=None):
    return symbrnn(*args, cwd=cwd)


@pytest.mark.slow
def test_an_exam_of_30_variants_is_prepared_by_auto_multiple_choice(tmp_path):
    need_program("auto-multiple-choice", "auto-multiple-choice")
    tex = tmp_path / "td5-exam.tex"
    made = run("exam", "td5", "--variants", "1-30", "--format", "amc", "-o", str(tex))
    assert made.returncode == 0, made.stderr
    assert "copy N is the N-th variant" in made.stderr
    exam = json.loads(tex.with_suffix(".json").read_text())
    assert [v["seed"] for v in exam["variants"]] == list(range(1, 31))
    source = tex.read_text()
    assert source.count("\\onecopy{1}") == 30 and source.count("\\correctchoice") == 30 * 9
    assert "counterexample" not in source and "SIGMA_FOR_PRIME" not in source  # teacher's only
    (tmp_path / "data").mkdir()
    prepared = subprocess.run(
        [
            "auto-multiple-choice", "prepare", "--mode", "s", "--prefix", str(tmp_path),
            "--data", str(tmp_path / "data"), str(tex), "--out-sujet", "subject.pdf",
            "--out-corrige", "key.pdf", "--out-calage", "layout.xy",
        ],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert prepared.returncode == 0, prepared.stdout[-2000:] + prepared.stderr[-2000:]
    assert (tmp_path / "subject.pdf").stat().st_size > 10_000
    log = (tmp_path / "amc-compiled.log").read_text(errors="replace")
    assert "Overfull" not in log
    assert source.count("\\scoring{b=2.5") == 30  # II.2's marks, from the sheet
    assert "\\AMCcodeGridInt{student}" in source
    layout = subprocess.run(
        ["auto-multiple-choice", "meptex", "--src", "layout.xy", "--data", "data"],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert layout.returncode == 0, layout.stderr[-2000:]
    with sqlite3.connect(tmp_path / "data" / "layout.sqlite") as db:
        copies = db.execute("SELECT COUNT(DISTINCT student) FROM layout_page").fetchone()[0]
        boxes = db.execute("SELECT COUNT(*) FROM layout_box").fetchone()[0]
    assert copies == 30
    options = sum(len(q["options"]) for v in exam["variants"] for q in v["questions"])
    assert boxes >= options  # every option has its box on the copies
    from tests.exam.test_exam import _judge

    for v in exam["variants"]:  # every option of the 30 variants, judged again by check
        for q in (q for q in v["questions"] if q["kind"] == "formula"):
            for o in q["options"]:
                verdict = _judge(q["check"], o["latex"])
                assert verdict.equivalent == o["right"], (v["seed"], q["id"], o["latex"])
                assert (
                    o["right"]
                    or o["answer_note"] in OWN
                    or (
                        o["answer_note"] in verdict.answer_notes
                        or verdict.answer_notes[:1] == ["SHAPE"]
                    )
                )


def _export(exam, choices_by_copy) -> str:
    """An AMC CSV export (AMC::Export::CSV with ticked=AB): Exam, Name, Mark, then per
    question its score and TICKED:<question>, quoted, comma-separated."""
    questions = [amc_id(q["id"]) for q in exam["variants"][0]["questions"]]
    header = ["Exam", "A:id", "Name", "Mark"] + [c for q in questions for c in (q, f"TICKED:{q}")]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    for copy, (name, ticks) in choices_by_copy.items():
        row = [str(copy), "", name, "0,5"]
        for q in questions:
            row += ["0", ticks.get(q, "")]
        writer.writerow(row)
    return out.getvalue()


def test_ticked_boxes_grade_into_counts_of_named_mistakes(tmp_path):
    made = run(
        "exam", "td5", "--variants", "3-5", "--format", "amc", "--lang", "en",
        "-o", str(tmp_path / "exam.tex"),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    exam = json.loads((tmp_path / "exam.json").read_text())

    def box(copy, qid, pick):
        q = next(q for q in exam["variants"][copy - 1]["questions"] if q["id"] == qid)
        index = next(i for i, o in enumerate(q["options"]) if pick(o))
        return "ABCDEFGH"[index]

    def right(o):
        return o["right"]

    def wrong_as(note):
        return lambda o: o["answer_note"] == note

    first = next(q for q in exam["variants"][1]["questions"] if q["id"] == "III.2")
    third = next(q for q in exam["variants"][2]["questions"] if q["id"] == "III.2")
    shared = [o["answer_note"] for o in first["options"] if not o["right"]]
    note = next(n for n in shared if n in [o["answer_note"] for o in third["options"]])
    ticks = {
        1: ("Ada", {"III-2": box(1, "III.2", right), "I-2": box(1, "I.2", right)}),
        2: ("Bob", {"III-2": box(2, "III.2", wrong_as(note)), "I-2": "AB"}),
        3: ("Cy", {"III-2": box(3, "III.2", wrong_as(note))}),
    }
    results = tmp_path / "results.csv"
    results.write_text(_export(exam, ticks))
    report = tmp_path / "report.json"
    graded = run(
        "grade", "--amc", str(results), "--exam", str(tmp_path / "exam.json"), "-o", str(report)
    )
    assert graded.returncode == 0, graded.stderr
    rows = json.loads(report.read_text())["answers"]
    by = {(r["student"], r["question"]): r for r in rows}
    assert by["Ada", "III.2"]["status"] == "correct" and by["Ada", "III.2"]["score"] == 1.5
    assert by["Bob", "III.2"]["answer_notes"] == note
    assert by["Cy", "III.2"]["variant"] == 5 and by["Cy", "III.2"]["status"] == "wrong"
    assert by["Bob", "I.2"]["status"] == "malformed" and "several" in by["Bob", "I.2"]["diagnosis"]
    assert by["Cy", "I.2"]["status"] == "malformed"  # no box ticked
    assert f"III.2: 1/3 correct; mistakes: {note} ×2" in graded.stderr


def test_a_copy_a_question_or_a_file_that_is_not_the_exams_is_one_line(tmp_path):
    made = run(
        "exam", "td5", "--variants", "1-2", "--question", "III.2", "--format", "amc",
        "-o", str(tmp_path / "exam.tex"),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    key = str(tmp_path / "exam.json")
    cases = {
        "copy.csv": '"Exam","Name","TICKED:III-2"\n"7","X","A"\n',
        "question.csv": '"Exam","Name","TICKED:IX-1"\n"1","X","A"\n',
        "plain.csv": "student,answer\nx,y\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        result = run("grade", "--amc", str(tmp_path / name), "--exam", key)
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    (tmp_path / "not-exam.json").write_text('{"variants": [{"seed": "x"}], "lang": "fr"}')
    result = run(
        "grade", "--amc", str(tmp_path / "copy.csv"), "--exam", str(tmp_path / "not-exam.json")
    )
    assert result.returncode == 2 and "not an exam" in result.stderr
    result = run("grade", "--amc", str(tmp_path / "copy.csv"))
    assert result.returncode == 2 and "go together" in result.stderr


def test_the_box_letters_are_the_options_in_the_json_order():
    exam = build_exam("td5", [2], lang="fr", choices=4, only=["IV.4"])
    q = exam.variants[0].questions[0]
    for index, option in enumerate(q.options):
        text = f'"Copie","Nom","TICKED:IV-4"\n"1","Zoé","{"ABCD"[index]}"\n'
        row = amc_rows(text, exam)[0]
        assert row.status == ("correct" if option.right else "wrong")
        assert row.answer_notes == (option.answer_note or "")


def test_load_exam_reads_back_what_the_exam_wrote(tmp_path):
    exam = build_exam("td5", [1], lang="en", choices=3, only=["I.4"])
    path = tmp_path / "e.json"
    path.write_text(json.dumps(exam.as_json()))
    back = load_exam(str(path))
    assert [o.latex for o in back.variants[0].questions[0].options] == [
        o.latex for o in exam.variants[0].questions[0].options
    ]


def test_group_names_are_letters_only():
    names = [group_name(i) for i in range(60)]
    assert len(set(names)) == 60 and all(n.isalpha() for n in names)


OWN = ("GATE_FOR_GATE", "ZERO_FOR_IDENTITY")  # the exam's own edits (exam/formulas.py)


def test_the_example_exam_is_what_symbrnn_exam_makes_now():
    from pathlib import Path

    def options(exam):  # the counterexamples' last digits may differ from one BLAS to another
        return [
            [(o["latex"], o["right"], o["answer_note"]) for o in q["options"]]
            for v in exam["variants"]
            for q in v["questions"]
        ]

    example = Path(__file__).parents[2] / "examples" / "td5-exam.json"
    assert options(json.loads(example.read_text())) == options(
        build_exam("td5", [1, 2, 3], lang="fr").as_json()
    )
