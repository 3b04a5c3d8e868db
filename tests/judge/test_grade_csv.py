"""A class CSV read as RFC 4180 says, and a report that a spreadsheet trusts: doubled quotes,
a BOM, ; and tab separators, rows over several lines with the right line numbers, a
student's answer given twice kept once, a report of one table and its totals beside it."""

import csv
import io
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from symbrnn.errors import InputError
from symbrnn.judge.class_csv import (
    REPORT_COLUMNS,
    delimiter_of,
    keep_last,
    read_answers,
    read_class_csv,
    spreadsheet_safe,
    totals_path,
    write_report,
)
from symbrnn.judge.grade import grade_rows
from symbrnn.judge.grade_row import GradeRow

RIGHT = "Diag(sigma'(a_2)) W"


def _write(tmp_path, text: str, name="class.csv", bom=False):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


def test_a_doubled_quote_is_a_quote_even_when_the_header_has_none(tmp_path):
    source = _write(
        tmp_path,
        'student,quantity,answer\nana,dh_2/dh_1,"\\text{""}"\nbob,dh_2/dh_1,"a ""b"", c"\n',
    )
    ana, bob = read_answers(source)
    assert ana["answer"] == '\\text{"}' and bob["answer"] == 'a "b", c'
    assert (ana.line, bob.line) == (2, 3)


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_a_bom_and_each_separator(tmp_path, bom, sep):
    text = sep.join(["Student", "quantity", "answer"]) + "\r\n"
    text += sep.join(["ana", "dh_2/dh_1", f'"{RIGHT}"']) + "\r\n"
    text += sep.join(["bob", "dh_2/dh_1", "f(a,b;c)" if sep == "\t" else '"f(a,b;c)"']) + "\r\n"
    rows = read_answers(_write(tmp_path, text, bom=bom))
    assert [r["student"] for r in rows] == ["ana", "bob"]
    assert [r["answer"] for r in rows] == [RIGHT, "f(a,b;c)"]
    assert grade_rows(rows[:1])[0].status == "correct"


def test_the_separator_is_counted_outside_quotes_in_the_header():
    assert delimiter_of('"a;b;c",student,answer\n') == ","
    assert delimiter_of('student;"x,y,z";answer\n') == ";"
    assert delimiter_of("student\tquantity\tanswer\nana,b,c,d,e\n") == "\t"
    assert delimiter_of("answer\n") == ","


def test_a_semicolon_file_with_commas_in_an_answer_left_unquoted(tmp_path):
    source = _write(tmp_path, "student;quantity;answer\nana;dh_2/dh_1;W^{a,b}\n")
    assert read_answers(source)[0]["answer"] == "W^{a,b}"


def test_rows_over_several_lines_know_their_first_line(tmp_path):
    text = (
        "student,quantity,answer\n"  # 1
        'ana,dh_3/dh_1,"first line\n'  # 2
        "= second\n"  # 3
        '= third"\n'  # 4
        "\n"  # 5 (blank)
        "bob,dh_2/dh_1,W\n"  # 6
        'eve,dh_2/dh_1,"a\r\nb"\n'  # 7, 8
        "zoe,,W\n"  # 9
    )
    rows = read_answers(_write(tmp_path, text))
    assert [(r["student"], r.line) for r in rows] == [
        ("ana", 2),
        ("bob", 6),
        ("eve", 7),
        ("zoe", 9),
    ]
    assert rows[0]["answer"] == "first line\n= second\n= third"
    assert rows[2]["answer"] == "a\r\nb"
    zoe = grade_rows(rows)[-1]
    assert zoe.status == "malformed" and "class.csv, line 9: " in zoe.diagnosis
    assert "ligne 9 : " in grade_rows(rows[-1:], lang="fr")[0].diagnosis


@pytest.mark.parametrize(
    ("tail", "line", "words"),
    [
        ('eve,dh_2/dh_1,"never closed\nmore\n', 7, "never closed"),
        ('eve,dh_2/dh_1,"closed" then text\n', 7, 'write a " as ""'),
        ("eve,dh_2/dh_1,W,extra\n", 7, "4 fields, the header has 3"),
    ],
)
def test_an_error_names_its_own_line_after_a_multiline_row(tmp_path, tail, line, words):
    text = 'student,quantity,answer\nana,dh_3/dh_1,"a\n= b\n= c"\nbob,dh_2/dh_1,"W\nW"\n' + tail
    with pytest.raises(InputError) as error:
        read_answers(_write(tmp_path, text))
    message = str(error.value)
    assert re.search(rf"class\.csv, line {line}\b", message) and words in message, message
    assert "\n" not in message


def test_empty_trailing_fields_are_no_error(tmp_path):
    rows = read_answers(_write(tmp_path, "student;quantity;answer;;\nana;dh_2/dh_1;W;;\n;;;;\n"))
    assert [r["answer"] for r in rows] == ["W"]


def test_a_header_without_the_columns_is_one_line(tmp_path):
    with pytest.raises(InputError, match="missing column"):
        read_answers(_write(tmp_path, "name,answer\nana,W\n"))
    with pytest.raises(InputError, match="named twice"):
        read_answers(_write(tmp_path, "student,answer,quantity,Answer\nana,W,dh_2/dh_1,X\n"))


def test_a_second_answer_replaces_the_first_with_a_warning(tmp_path):
    text = (
        "student,quantity,answer\n"
        f'ana,dh_2/dh_1,"{RIGHT}"\n'
        "bob,dh_2/dh_1,W\n"
        'ana,dh_2/dh_1,"W\n= W"\n'
        f'ana,dh_2/dh_1,"{RIGHT}"\n'
    )
    rows, warnings = keep_last(read_class_csv(text, "class.csv"))
    assert [(r["student"], r.line) for r in rows] == [("bob", 3), ("ana", 6)]
    assert warnings[0] == (
        "warning: class.csv, line 4: ana answers rnn dh_2/dh_1 again (first at class.csv, "
        "line 2); the answer of line 4 is kept"
    )
    assert "line 6: ana" in warnings[1] and "(first at class.csv, line 4)" in warnings[1]
    _, french = keep_last(read_class_csv(text, "class.csv"), lang="fr")
    assert french[0].startswith("attention : ") and "ligne 2" in french[0]
    results = grade_rows(rows)
    totals = {r["student"]: r for r in _totals(tmp_path, results)}
    assert float(totals["ana"]["total"]) == 1.0  # never summed past the question's point


def test_an_answer_to_another_question_is_no_duplicate(tmp_path):
    text = (
        "student,cell,quantity,answer\nana,rnn,dh_2/dh_1,W\nana,gru,dh_2/dh_1,W\nana,,dh_2/dh_1,W\n"
    )
    rows, warnings = keep_last(read_answers(_write(tmp_path, text)))
    assert [r.line for r in rows] == [3, 4] and len(warnings) == 1  # rnn is the default cell


def _totals(tmp_path, results):
    report = tmp_path / "report.csv"
    write_report(results, str(report))
    return list(csv.DictReader(io.StringIO(totals_path(str(report)).read_text("utf-8-sig"))))


def test_the_report_is_one_table_and_its_totals_another(tmp_path):
    rows = [
        {"student": "ana", "quantity": "dh_2/dh_1", "answer": RIGHT},
        {"student": "ana", "quantity": "dh_3/dh_1", "answer": '=W, "quoted"\nnext'},
        {"student": "bob", "quantity": "dh_2/dh_1", "answer": "W"},
    ]
    results = grade_rows(rows)
    report = tmp_path / "report.csv"
    text = write_report(results, str(report))
    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig") == text.lstrip("\ufeff")
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(table) == len(results)
    assert all(set(r) == set(REPORT_COLUMNS) and None not in r.values() for r in table)
    assert [r["answer"] for r in table] == [spreadsheet_safe(r["answer"]) for r in rows]
    totals = _totals(tmp_path, results)
    assert [(t["student"], float(t["total"])) for t in totals] == [("ana", 1.0), ("bob", 0.0)]
    try:
        import pandas
    except ImportError:  # pandas is not a dependency: csv.DictReader has read it whole
        return
    frame = pandas.read_csv(report, encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == list(REPORT_COLUMNS) and len(frame) == len(results)


def test_the_cli_writes_the_totals_beside_the_report(tmp_path):
    from click.testing import CliRunner

    from symbrnn.cli import cli

    source = _write(
        tmp_path, f'student,quantity,answer\nana,dh_2/dh_1,W\nana,dh_2/dh_1,"{RIGHT}"\n'
    )
    result = CliRunner().invoke(cli, ["grade", source, "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    assert "line 3: ana answers rnn dh_2/dh_1 again (first at" in result.output
    table = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig"))))
    assert [r["status"] for r in table] == ["correct"]
    totals = list(csv.DictReader(io.StringIO((tmp_path / "r.totals.csv").read_text("utf-8-sig"))))
    assert totals == [{"student": "ana", "rnn dh_2/dh_1": "1.0", "total": "1.0"}]


# -- any answer a spreadsheet writes is read back exactly ------------------------------------

ANSWER = st.lists(
    st.sampled_from([*"aW_{}()'\\^ é=+-", '"', ",", ";", "\t", "\n", "\r\n", "\r"]), max_size=30
).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    answers=st.lists(ANSWER, min_size=1, max_size=6),
    sep=st.sampled_from([",", ";", "\t"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    ending=st.sampled_from(["\r\n", "\n"]),
    bom=st.booleans(),
)
def test_any_answer_written_by_a_csv_writer_is_read_back_exactly(
    answers, sep, quoting, ending, bom
):
    # Python's writer leaves a CR unquoted when its lines end in LF alone: a file no
    # reader can read back (RFC 4180 quotes every field that holds a line break)
    assume(quoting == csv.QUOTE_ALL or ending == "\r\n" or not any("\r" in a for a in answers))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sep, quoting=quoting, lineterminator=ending)
    writer.writerow(["student", "quantity", "answer"])
    lines = []
    for i, answer in enumerate(answers):
        lines.append(len(re.findall(r"\r\n|\r|\n", buffer.getvalue())) + 1)
        writer.writerow([f"s{i}", "dh_2/dh_1", answer])
    text = buffer.getvalue()
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    rows = read_class_csv(data.decode("utf-8-sig"), "class.csv")
    assert [r["answer"] for r in rows] == answers
    assert [r.line for r in rows] == lines
    assert [r["student"] for r in rows] == [f"s{i}" for i in range(len(answers))]


@settings(max_examples=100, deadline=None)
@given(answers=st.lists(ANSWER, min_size=1, max_size=5))
def test_the_report_gives_back_each_answer(answers):
    results = [
        GradeRow(f"s{i}", quantity="dh_2/dh_1", answer=a, status="wrong")
        for i, a in enumerate(answers)
    ]
    text = write_report(results, None)
    table = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["answer"] for r in table] == [spreadsheet_safe(a) for a in answers]
