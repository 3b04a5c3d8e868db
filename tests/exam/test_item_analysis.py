"""Item analysis of an exam read back (grade --amc, grade --moodle): per question, how many
students chose each option, by named mistake, in the JSON report, its own CSV and the page."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from symbrnn.exam.scans import load_exam

EXAM = Path(__file__).parents[2] / "examples" / "td5-exam.json"
LETTERS = "ABCDE"


@pytest.fixture(scope="module")
def exam():
    return load_exam(str(EXAM))


def letter(exam, copy, qid, note):
    """The box of ``note`` (``CORRECT`` for the right one) in copy ``copy``'s question."""
    question = next(q for q in exam.variants[copy - 1].questions if q.id == qid)
    for i, option in enumerate(question.options):
        if (note == "CORRECT" and option.right) or (
            not option.right and option.answer_note == note
        ):
            return LETTERS[i]
    raise AssertionError(f"no {note} in copy {copy} {qid}")


def grade(tmp_path, *args):
    done = subprocess.run(
        [sys.executable, "-m", "symbrnn", "grade", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done


def tallies(path, qid):
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert list(rows[0]) == ["question", "option", "answer_note", "count", "share"]
    return {
        r["answer_note"]: (int(r["count"]), float(r["share"])) for r in rows if r["question"] == qid
    }


def test_known_ticks_in_an_amc_export_give_the_exact_tallies(tmp_path, exam):
    # five students on III.2 (copies 1, 2, 3): two right, two ORDER, one blank;
    # on II.1: one right, one MISSING_DIAG, two boxes ticked, one SIGMA_FOR_PRIME
    plan = [
        (1, "Ana", "CORRECT", "CORRECT"),
        (2, "Bo", "ORDER", "MISSING_DIAG"),
        (3, "Cy", "ORDER", None),
        (1, "Di", "CORRECT", "SIGMA_FOR_PRIME"),
        (2, "Ed", "", "SIGMA_FOR_PRIME"),
    ]
    lines = ['"Exam","Name","Mark","III-2","TICKED:III-2","II-1","TICKED:II-1"']
    for copy, name, iii2, ii1 in plan:
        a = letter(exam, copy, "III.2", iii2) if iii2 else ""
        b = "AB" if ii1 is None else letter(exam, copy, "II.1", ii1)
        lines.append(f'"{copy}","{name}","0","0","{a}","0","{b}"')
    (tmp_path / "results.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    grade(tmp_path, "--amc", "results.csv", "--exam", str(EXAM), "-o", "r.json", "--lang", "en")

    iii2 = tallies(tmp_path / "r.items.csv", "III.2")
    assert iii2["CORRECT"] == (2, 0.4) and iii2["ORDER"] == (2, 0.4) and iii2["BLANK"] == (1, 0.2)
    others = {n: c for n, c in iii2.items() if n not in ("CORRECT", "ORDER", "BLANK")}
    assert others and all(c == (0, 0.0) for c in others.values())  # offered, chosen by nobody
    ii1 = tallies(tmp_path / "r.items.csv", "II.1")
    assert ii1["CORRECT"][0] == 1 and ii1["MISSING_DIAG"][0] == 1
    assert ii1["SIGMA_FOR_PRIME"][0] == 2 and ii1["SEVERAL"] == (1, 0.2)
    assert sum(c for c, _ in ii1.values()) == 5

    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {(i["question"], i["answer_note"], i["count"]) for i in report["items"]} >= {
        ("III.2", "ORDER", 2),
        ("II.1", "SEVERAL", 1),
    }
    # the option column gives the letters the mistake had in the copies sat
    order_row = next(
        i for i in report["items"] if i["question"] == "III.2" and i["answer_note"] == "ORDER"
    )
    assert set(order_row["option"].split("/")) == {
        letter(exam, c, "III.2", "ORDER") for c in (1, 2, 3)
    }
    assert [i["question"] for i in report["items"]].index("II.1") < [
        i["question"] for i in report["items"]
    ].index("III.2")  # the exam's order


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["Options choisies (analyse des items)", "la bonne réponse", "sans réponse"]),
        ("en", ["Options chosen (item analysis)", "the right answer", "no answer"]),
    ],
)
def test_the_class_page_shows_the_tallies_in_both_languages(tmp_path, exam, lang, words):
    lines = ['"Exam","Name","Mark","IV-4","TICKED:IV-4"']
    lines += [f'"1","S{i}","0","0","{letter(exam, 1, "IV.4", "MISSING_PATH")}"' for i in range(3)]
    lines.append('"2","S9","0","0",""')
    (tmp_path / "results.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = grade(
        tmp_path,
        "--amc",
        "results.csv",
        "--exam",
        str(EXAM),
        "--report",
        "class.html",
        "--lang",
        lang,
    )
    page = (tmp_path / "class.html").read_text(encoding="utf-8")
    table = re.search(r'<h3>([^<]*)</h3>\s*<table data-testid="items">.*?</table>', page, re.S)
    assert table[1] == words[0]
    for w in words[1:]:
        assert w in table[0]
    share = {"fr": "75\u202f%", "en": "75%"}[lang]  # French: a narrow space before %
    assert f"<td>MISSING_PATH</td><td>3</td><td>{share}</td>" in table[0]
    assert tallies(tmp_path / "class.items.csv", "IV.4")["MISSING_PATH"] == (3, 0.75)
    assert "class.items.csv" in done.stderr
    other = {"fr": "Options chosen", "en": "Options choisies"}[lang]
    assert other not in page


def moodle_text(exam, copy, qid, note):
    """An option as Moodle's Responses report shows it: the answer's HTML without its tags."""
    from symbrnn.exam.moodle import _display

    question = next(q for q in exam.variants[copy - 1].questions if q.id == qid)
    option = question.options[LETTERS.index(letter(exam, copy, qid, note))]
    if question.kind == "count":
        return re.sub(r"\\,", "", option.latex)  # the number typed
    return re.sub(r"<[^>]+>", "", _display(option.latex))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_moodle_responses_export_gives_the_exact_tallies(tmp_path, exam, lang):
    head = ["Surname", "First name", "Email address", "State", "Grade/10.00"]
    head += ["Response 1", "Response 2", "Response 3"]  # essay, III.2, I.2 (any order)
    rows = [
        [
            "Martin",
            "Ana",
            "a@x",
            "Finished",
            "2",
            "some essay",
            moodle_text(exam, 2, "III.2", "ORDER"),
            moodle_text(exam, 1, "I.2", "CORRECT"),
        ],
        [
            "Petit",
            "Bo",
            "b@x",
            "Finished",
            "1",
            "-",
            moodle_text(exam, 3, "III.2", "ORDER"),
            moodle_text(exam, 2, "I.2", "NO_BIAS"),
        ],
        ["Roux", "Cy", "c@x", "Finished", "1", "", moodle_text(exam, 1, "III.2", "CORRECT"), "-"],
        ["Blanc", "Di", "d@x", "Finished", "0", "", r"\( W^{5} \)", "123"],
        ["Overall average", "", "", "", "1", "", "", ""],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([head, *rows])
    (tmp_path / "responses.csv").write_text(buffer.getvalue(), encoding="utf-8")
    grade(
        tmp_path, "--moodle", "responses.csv", "--exam", str(EXAM), "-o", "r.json", "--lang", lang
    )

    iii2 = tallies(tmp_path / "r.items.csv", "III.2")
    assert iii2["ORDER"] == (2, 0.5) and iii2["CORRECT"] == (1, 0.25) and iii2["OTHER"] == (1, 0.25)
    i2 = tallies(tmp_path / "r.items.csv", "I.2")
    assert i2["CORRECT"][0] == 1 and i2["NO_BIAS"][0] == 1
    assert i2["BLANK"] == (1, 0.25) and i2["OTHER"] == (1, 0.25)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    answers = {(a["student"], a["question"]): a for a in report["answers"]}
    assert {q for _, q in answers} == {"III.2", "I.2"}  # the essay column is no question
    assert answers[("Ana Martin", "III.2")]["answer_notes"] == "ORDER"
    assert answers[("Ana Martin", "I.2")]["status"] == "correct"
    assert answers[("Di Blanc", "I.2")]["status"] == "wrong"  # a number not offered
    assert "Overall average" not in {s for s, _ in answers}


def test_amc_and_moodle_go_with_an_exam_only(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "symbrnn", "grade", "--moodle", "x.csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
