"""A class's CSV files: the answers read as RFC 4180 says, the report written as one table.

An export of any spreadsheet is read: UTF-8 with or without a BOM, separated by ``,``,
``;`` or tabs (the one the header line holds most of, outside quotes), fields quoted with
``"`` and a quote inside a quoted field doubled (``"\\text{""}"`` is ``\\text{"}``), a
field over several lines (a derivation). Each row knows the physical line it starts on,
so that an error, a duplicate or a malformed row names it. A student's second answer to
a question replaces the first (the last one is kept) and says so. The report is one table
that a spreadsheet, pandas or ``csv.DictReader`` reads whole; the students' totals are a
table of their own, in a file beside it (``r.totals.csv`` for ``-o r.csv``).

>>> rows = read_class_csv('student;answer;quantity\\r\\nana;"W ""x"" y";dh_2/dh_1\\r\\n', "a.csv")
>>> rows[0]["answer"], rows[0].line
('W "x" y', 2)
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

from symbrnn.errors import InputError
from symbrnn.judge.grade_row import REPORT_COLUMNS as REPORT_COLUMNS  # the report's rows
from symbrnn.judge.grade_row import GradeRow
from symbrnn.judge.grade_row import question_key as question_key
from symbrnn.judge.messages import say

COLUMNS = ("student", "answer")
DELIMITERS = (",", ";", "\t")  # a tie goes to the first
REPORT_SUFFIXES = (".csv", ".json", ".html")
MAX_FIELD = 200_000  # characters of one CSV cell (the checker reads at most 10 000 of an answer)
MAX_ROWS = 100_000
MAX_CSV_BYTES = 64_000_000  # one CSV file of a class


class Row(dict):
    """A row of a class CSV (column → text) that knows where it comes from."""

    file: str = ""
    line: int = 0

    def where(self, lang: str = "en") -> str:
        return say("csv.at", lang, file=self.file, line=self.line)


def read_answers(source: str, lang: str = "en") -> list[Row]:
    """Rows of a CSV file, or of every CSV file in a folder, in order."""
    path = Path(source)
    if not path.exists():
        raise InputError(say("csv.not_found", lang, file=source))
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    if not files:
        raise InputError(say("csv.no_csv", lang, file=source))
    rows: list[Row] = []
    for f in files:
        rows.extend(_read_file(f, lang))
        if len(rows) > MAX_ROWS:
            raise InputError(say("csv.rows", lang, limit=MAX_ROWS))
    return rows


def _read_file(f: Path, lang: str) -> list[Row]:
    from symbrnn.io import read_bytes

    try:
        text = read_bytes(str(f), MAX_CSV_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(say("csv.not_utf8", lang, file=f, byte=exc.start)) from None
    return read_class_csv(text, str(f), lang)


def delimiter_of(text: str) -> str:
    """The separator the header line (the text's first line) holds most of, outside quotes.

    >>> delimiter_of('student;"a,b";answer\\n1,2,3,4')
    ';'
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text[:65_536]:
        if ch == '"':
            quoted = not quoted  # a doubled quote turns twice: still inside
        elif not quoted and ch in "\r\n":
            break
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=counts.__getitem__)
    return best if counts[best] else ","


def read_class_csv(text: str, name: str = "", lang: str = "en") -> list[Row]:
    """The rows of a class CSV's text (a BOM already dropped), each with its first line."""
    delimiter = delimiter_of(text)
    records = list(_records(text, delimiter, name, lang))
    if not records:
        raise InputError(say("csv.columns", lang, file=name, missing=", ".join(COLUMNS)))
    header = [field.strip().lower() for field in records[0][1]]
    missing = [c for c in COLUMNS if c not in header]
    if missing or not {"quantity", "question"} & set(header):
        missing = missing or ["quantity or question"]
        raise InputError(say("csv.columns", lang, file=name, missing=", ".join(missing)))
    twice = [c for c, n in Counter(h for h in header if h).items() if n > 1]
    if twice:
        raise InputError(say("csv.column_twice", lang, file=name, column=twice[0]))
    rows, long_rows = [], []
    for line, fields in records[1:]:
        row = Row(zip(header, fields, strict=False))
        row.pop("", None)
        row.file, row.line = name, line
        for column in header[len(fields) :]:
            row.setdefault(column, "")
        if any(f.strip() for f in fields[len(header) :]):
            long_rows.append((line, len(fields)))
        rows.append(row)
    if long_rows:
        line, count = long_rows[0]
        at = say("csv.at", lang, file=name, line=line)
        sep = {"\t": "TAB"}.get(delimiter, delimiter)
        raise InputError(say("csv.fields", lang, at=at, count=count, header=len(header), sep=sep))
    return rows


def _records(text: str, delimiter: str, name: str, lang: str):
    """(the physical line a record starts on, its fields), blank records left out."""
    reader = csv.reader(
        io.StringIO(text, newline=""),  # a line break inside quotes is kept as written
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        strict=True,
    )
    previous = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD)
    start = 1
    try:
        for fields in reader:
            if any(f.strip() for f in fields):
                yield start, fields
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(_csv_error(exc, start, reader.line_num, name, lang)) from None
    finally:
        csv.field_size_limit(previous)


def _csv_error(exc: csv.Error, start: int, line: int, name: str, lang: str) -> str:
    reason = str(exc)
    if "unexpected end of data" in reason:  # the record's opening quote is the culprit
        return say("csv.unclosed", lang, at=say("csv.at", lang, file=name, line=start))
    at = say("csv.at", lang, file=name, line=line)
    if "expected after" in reason:
        return say("csv.after_quote", lang, at=at)
    if "field larger than field limit" in reason:
        return say("csv.too_long", lang, at=at, limit=MAX_FIELD)
    return say("csv.csv", lang, at=at, reason=reason)


def keep_last(rows: list, default_cell: str = "rnn", lang: str = "en") -> tuple[list, list[str]]:
    """The rows with one answer per student and question (the last one given), and a
    warning per answer given again, naming both its lines."""
    last: dict = {}
    dropped: set[int] = set()
    warnings = []
    for index, row in enumerate(rows):
        student = str(row.get("student", "")).strip()
        if not student:
            continue  # no one to credit: graded as malformed
        key = (student, _question_of(row, default_cell))
        if key in last:
            dropped.add(last[key])
            warnings.append(
                say(
                    "csv.duplicate",
                    lang,
                    at=_where(row, lang),
                    student=student[:60],
                    question=key[1][:60],
                    first=_where(rows[last[key]], lang),
                    line=getattr(row, "line", "?"),
                )
            )
        last[key] = index
    return [r for i, r in enumerate(rows) if i not in dropped], warnings


def _where(row, lang: str) -> str:
    return row.where(lang) if isinstance(row, Row) else "?"


def _question_of(row, default_cell: str) -> str:
    """What a row answers, as :func:`question_key` names it once graded."""
    question = str(row.get("question", "")).strip()
    if question:
        return question
    cell = str(row.get("cell", "")).strip().lower() or default_cell
    return f"{cell} {str(row.get('quantity', '')).strip()}"


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ (or tab, CR) is quoted with '."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def check_report_path(output: str | None) -> None:
    """A report is .csv, .json or .html: any other suffix is one line, before any grading."""
    if output is not None and not output.lower().endswith(REPORT_SUFFIXES):
        raise InputError.said("report.error.suffix", output=repr(output))


def report_outputs(output: str | None) -> list[Path]:
    """The files of ``-o``: a .csv report has its students' totals beside it."""
    if output is None:
        return []
    if output.lower().endswith(".csv"):
        return [Path(output), totals_path(output)]
    return [Path(output)]


def totals_path(output: str) -> Path:
    """Where the totals of a .csv report go: ``r.csv`` → ``r.totals.csv``."""
    path = Path(output)
    return path.with_name(path.name[: -len(".csv")] + ".totals.csv")


def write_report(
    results: list[GradeRow],
    output: str | None,
    lang: str = "en",
    also: dict | None = None,
    items: list | None = None,
) -> str:
    """The report (its summary: ``class_summary``). The report is a CSV with a BOM (a spreadsheet reads UTF-8), one row
    per answer, its students' totals (a column per question and the total) in
    ``r.totals.csv`` beside ``r.csv``; or JSON (``answers`` and ``students``) for a .json
    output; or the class page for .html. An exam's item analysis (``items``, rows of
    ``exam.items``) goes in the JSON report and the class page. The files of ``output`` and
    ``also`` (path → text) are written all or none."""
    from symbrnn.io import write_all

    check_report_path(output)
    students = per_student(results)
    files: dict = {}
    if output and output.lower().endswith(".html"):
        from symbrnn.judge.report_html import class_page

        report = class_page(results, lang, items)
    elif output and output.lower().endswith(".json"):
        extra = {"items": items} if items is not None else {}
        report = json.dumps(
            {"answers": [r.as_json() for r in results], "students": students} | extra,
            indent=2,
            ensure_ascii=False,
        )
    else:
        report = _csv_table([r.as_csv_row() for r in results], REPORT_COLUMNS)
        if output:
            report = "\ufeff" + report  # the BOM: « é » survives a spreadsheet on Windows
            columns = list(students[0]) if students else ["student", "total"]
            files[totals_path(output)] = "\ufeff" + _csv_table(students, columns)
    if output:
        files = {Path(output): report} | files
    files |= also or {}
    if files:
        write_all(files, lang=lang)
    return report


def _csv_table(rows: list[dict], columns) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: spreadsheet_safe(r.get(k, "")) for k in columns})
    return buffer.getvalue()


def per_student(results: list[GradeRow]) -> list[dict]:
    """One row per student: their score on each question (the last answer's) and the total."""
    questions = list(dict.fromkeys(question_key(r) for r in results))
    table: dict = {}
    for r in results:
        row = table.setdefault(r.student, {"student": r.student} | dict.fromkeys(questions, ""))
        row[question_key(r)] = float(r.score or 0)
    for row in table.values():
        row["total"] = round(sum(v for k, v in row.items() if k in questions and v != ""), 4)
    return list(table.values())
