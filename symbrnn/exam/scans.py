"""Back from the scanner: AMC's export of the ticked boxes, read into the class's mistakes.

AMC exports its scoring database as CSV (``auto-multiple-choice export --module CSV
--option-out ticked=AB``): a column for the copy (``Exam``, ``Copie``…), the student's name,
the mark, and per question its score and ``TICKED:<question>``, the letters of the boxes
ticked (``B``, ``AC``, empty). Copy N is the N-th variant of the exam (see ``amc``); each
ticked box is that variant's option, so a wrong box is a named mistake. The rows come out
as ``grade``'s report rows (``status``, ``answer_notes``, ``score``…), and ``grade``'s
report and summary count the class's common misconceptions.

>>> from symbrnn.exam.build import build_exam
>>> exam = build_exam("td5", [1], lang="en", choices=3, only=["III.2"])
>>> right = "ABC"[exam.variants[0].questions[0].right_index]
>>> rows = amc_rows(f'"Exam","Name","Mark","III-2","TICKED:III-2"\\n"1","Ada","1","1","{right}"\\n', exam)
>>> [(r.student, r.question, r.status) for r in rows]
[('Ada', 'III.2', 'correct')]
"""

from __future__ import annotations

import csv
import io
import json

from symbrnn.errors import InputError
from symbrnn.exam.amc import amc_id
from symbrnn.judge.grade_row import GradeRow
from symbrnn.words import Msg, say

COPY_COLUMNS = ("exam", "copie", "copy", "examen", "sujet", "copia", "exemplar")
NAME_COLUMNS = ("name", "nom", "nombre", "nome")
MAX_BYTES = 64_000_000
MAX_EXAM_BYTES = 200_000_000
MAX_ROWS = 100_000


def read_amc(path: str, exam) -> list[GradeRow]:
    """The report rows of AMC's CSV export ``path`` for ``exam`` (one row per student and
    question)."""
    return amc_rows(export_text(path, "exam.hint.amc"), exam, where=path)


def export_text(path: str, hint: str) -> str:
    """The UTF-8 text (a BOM dropped) of an exported CSV of at most MAX_BYTES; ``hint`` (a
    key of the word book) says how to export it again when it is not UTF-8."""
    from symbrnn.io import read_bytes

    try:
        return read_bytes(path, MAX_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.said(
            "exam.error.not_utf8", path=path, byte=exc.start, hint=Msg.of(hint)
        ) from None


def amc_rows(text: str, exam, where: str = "the AMC export") -> list[GradeRow]:
    """The report rows of the text of an AMC CSV export (see :func:`read_amc`)."""
    header, body = read_table(text, where, "exam.rows.copies")
    ticked = {h[len("TICKED:") :]: i for i, h in enumerate(header) if h.startswith("TICKED:")}
    if not ticked:
        raise InputError.said("exam.error.no_ticked", where=where)
    lowered = [h.lower() for h in header]
    copy_col = next((i for i, h in enumerate(lowered) if h in COPY_COLUMNS), 0)
    name_col = next((i for i, h in enumerate(lowered) if h in NAME_COLUMNS), None)
    key_col = next((i for i, h in enumerate(header) if h.startswith("A:")), None)
    rows = []
    for line, cells in body:
        variant = _variant_of(cells[copy_col], exam, where, line)
        student = next(
            (cells[c].strip() for c in (name_col, key_col) if c is not None and cells[c].strip()),
            say("exam.variant", exam.lang, seed=variant.seed),
        )[:200]
        by_id = {amc_id(q.id): q for q in variant.questions}
        for column, col in ticked.items():
            question = by_id.get(column)
            if question is None:
                words = dict(
                    where=where, line=line, question=repr(column[:40]), ids=", ".join(by_id)
                )
                raise InputError.said("exam.error.not_asked", **words)
            rows.append(box_row(student, variant, question, cells[col].strip(), exam.lang))
    if not rows:
        raise InputError.said("exam.error.no_copy", where=where)
    return rows


def read_table(text: str, where: str, what: str) -> tuple[list[str], list]:
    """An exported CSV (its delimiter sniffed): its header and its rows that are not blank,
    each as (line, cells padded to the header); at most MAX_ROWS ``what`` (a key of the book)."""
    try:
        dialect = csv.Sniffer().sniff((text.strip() and text.splitlines()[0]) or ",", ",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), dialect=dialect))
    except csv.Error as exc:
        raise InputError.said("exam.error.not_csv", where=where, reason=exc) from None
    if len(records) > MAX_ROWS + 1:
        raise InputError.said("exam.error.many_rows", where=where, top=MAX_ROWS, rows=Msg.of(what))
    header = [h.strip() for h in records[0]] if records else []
    pad = [""] * len(header)
    return header, [
        (line, cells + pad[len(cells) :])
        for line, cells in enumerate(records[1:], start=2)
        if any(c.strip() for c in cells)
    ]


def _variant_of(cell: str, exam, where, line):
    copy = cell.strip().split(":")[0]
    if not copy.isdigit() or not 1 <= int(copy) <= len(exam.variants):
        words = dict(where=where, line=line, copy=repr(cell.strip()[:20]), count=len(exam.variants))
        raise InputError.said("exam.error.copy", **words)
    return exam.variants[int(copy) - 1]


def box_row(student, variant, question, boxes: str, lang) -> GradeRow:
    """The report row of a student's ``boxes`` (letters) ticked on ``question``."""
    letters = [c for c in boxes.upper() if c.isalpha()]  # '0' is AMC's "none of these"
    right = question.options[question.right_index]
    check = question.check
    row = GradeRow(
        student,
        question.id,
        variant.seed,
        check.get("cell") or check.get("params", {}).get("cell", ""),
        check.get("T") or "",
        check.get("quantity", ""),
        boxes,
        status="malformed",
        expected=right.latex,
        option="".join(letters),
    )
    index = ord(letters[0]) - ord("A") if len(letters) == 1 else 0
    if not letters:
        row.diagnosis = say("scan.blank", lang)
    elif len(letters) > 1:
        row.diagnosis = say("scan.several", lang, boxes="".join(letters))
    elif index >= len(question.options):
        row.diagnosis = say("scan.unknown_box", lang, box=letters[0], count=len(question.options))
    else:
        chosen = question.options[index]
        row.answer = f"{letters[0]}: {chosen.latex}"
        if chosen.right:
            row.status, row.score = "correct", float(question.points or 1)
        else:
            row.status, row.diagnosis = "wrong", chosen.mistake
            row.answer_notes, row.group = (
                chosen.answer_note or "",
                f"{question.id}:{chosen.answer_note}",
            )
    return row


# -- the exam's JSON, read back ----------------------------------------------------------


def load_exam(path: str):
    """The exam ``symbrnn exam --format json`` (or the JSON written beside the AMC
    document) wrote, checked: a file of another shape is one line of error."""
    from symbrnn.exam.option import Exam, ExamQuestion, ExamVariant, Option
    from symbrnn.io import read_text

    try:
        data = json.loads(read_text(path, MAX_EXAM_BYTES))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError.said("exam.error.not_json", path=path, reason=exc) from None

    def need(cond, what):
        if not cond:
            raise InputError.said("exam.error.not_exam", path=path, what=what)

    def option(o) -> Option:
        latex, right = (o.get("latex"), o.get("right")) if isinstance(o, dict) else (None, None)
        need(isinstance(latex, str) and isinstance(right, bool), "an option's latex and right")
        note, mistake = o.get("answer_note"), o.get("mistake", "")
        need(note is None or isinstance(note, str), "an option's answer_note")
        need(isinstance(mistake, str), "an option's mistake")
        return Option(latex, right, note, mistake)

    def question(q) -> ExamQuestion:
        need(isinstance(q, dict) and isinstance(q.get("id"), str), "a question's id")
        need(q.get("kind") in ("formula", "count"), "a question's kind")
        points = q.get("points")
        number = isinstance(points, int | float) and not isinstance(points, bool)
        need(points is None or number, "a question's points")
        need(isinstance(q.get("check"), dict), "a question's check")
        need(isinstance(q.get("options"), list) and len(q["options"]) >= 2, "a question's options")
        options = [option(o) for o in q["options"]]
        need(sum(o.right for o in options) == 1, f"question {q['id'][:40]} has one right option")
        return ExamQuestion(q["id"], q["kind"], points, str(q.get("stem", "")), q["check"], options)

    def variant(v) -> ExamVariant:
        need(isinstance(v, dict) and isinstance(v.get("seed"), int), "a variant's seed")
        need(isinstance(v.get("questions"), list), "a variant's questions")
        return ExamVariant(v["seed"], [question(q) for q in v["questions"]])

    need(isinstance(data, dict) and isinstance(data.get("variants"), list), "no variants")
    need(data.get("lang") in ("fr", "en"), "lang is fr or en")
    need(data["variants"], "no variants")
    variants = [variant(v) for v in data["variants"]]
    sheet, title, choices = (
        str(data.get("sheet", "")),
        str(data.get("title", "")),
        data.get("choices"),
    )
    return Exam(sheet, title, data["lang"], int(choices or 0), variants)
