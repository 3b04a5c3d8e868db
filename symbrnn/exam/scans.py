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
from symbrnn.exam.words import word
from symbrnn.judge.grade_row import GradeRow

COPY_COLUMNS = ("exam", "copie", "copy", "examen", "sujet", "copia", "exemplar")
NAME_COLUMNS = ("name", "nom", "nombre", "nome")
MAX_BYTES = 64_000_000
MAX_EXAM_BYTES = 200_000_000
MAX_ROWS = 100_000


def read_amc(path: str, exam) -> list[GradeRow]:
    """The report rows of AMC's CSV export ``path`` for ``exam`` (one row per student and
    question)."""
    return amc_rows(export_text(path, "export as UTF-8"), exam, where=path)


def export_text(path: str, hint: str) -> str:
    """The UTF-8 text (a BOM dropped) of an exported CSV of at most MAX_BYTES; ``hint``
    says how to export it again when it is not UTF-8."""
    from symbrnn.io import read_bytes

    try:
        return read_bytes(path, MAX_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); {hint}") from None


def amc_rows(text: str, exam, where: str = "the AMC export") -> list[GradeRow]:
    """The report rows of the text of an AMC CSV export (see :func:`read_amc`)."""
    first = text.splitlines()[0] if text.strip() else ""
    try:
        dialect = csv.Sniffer().sniff(first or ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect=dialect)
    try:
        header = [h.strip() for h in next(reader, [])]
        body = list(reader)
    except csv.Error as exc:
        raise InputError(f"{where}: not a CSV file ({exc})") from None
    ticked = {h[len("TICKED:") :]: i for i, h in enumerate(header) if h.startswith("TICKED:")}
    if not ticked:
        raise InputError(
            f"{where}: no TICKED: column; export with "
            "auto-multiple-choice export --module CSV --option-out ticked=AB"
        )
    lowered = [h.lower() for h in header]
    copy_col = next((i for i, h in enumerate(lowered) if h in COPY_COLUMNS), 0)
    name_col = next((i for i, h in enumerate(lowered) if h in NAME_COLUMNS), None)
    key_col = next((i for i, h in enumerate(header) if h.startswith("A:")), None)
    if len(body) > MAX_ROWS:
        raise InputError(f"{where}: more than {MAX_ROWS:,} copies")
    rows = []
    for line, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        variant = _variant_of(cells[copy_col], exam, where, line)
        student = next(
            (cells[c].strip() for c in (name_col, key_col) if c is not None and cells[c].strip()),
            word("exam.variant", exam.lang, seed=variant.seed),
        )[:200]
        by_id = {amc_id(q.id): q for q in variant.questions}
        for column, col in ticked.items():
            question = by_id.get(column)
            if question is None:
                raise InputError(
                    f"{where}, line {line}: question {column[:40]!r} is not in this exam "
                    f"(it asks {', '.join(by_id)})"
                )
            rows.append(box_row(student, variant, question, cells[col].strip(), exam.lang))
    if not rows:
        raise InputError(f"{where}: no copy")
    return rows


def _variant_of(cell: str, exam, where, line):
    copy = cell.strip().split(":")[0]
    if not copy.isdigit() or not 1 <= int(copy) <= len(exam.variants):
        raise InputError(
            f"{where}, line {line}: copy {cell.strip()[:20]!r} is not one of the exam's "
            f"{len(exam.variants)} copies"
        )
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
        row.diagnosis = word("scan.blank", lang)
    elif len(letters) > 1:
        row.diagnosis = word("scan.several", lang, boxes="".join(letters))
    elif index >= len(question.options):
        row.diagnosis = word("scan.unknown_box", lang, box=letters[0], count=len(question.options))
    elif question.options[index].right:
        row.answer = f"{letters[0]}: {question.options[index].latex}"
        row.status, row.score = "correct", float(question.points or 1)
    else:
        chosen = question.options[index]
        row.answer = f"{letters[0]}: {chosen.latex}"
        row.status, row.answer_notes, row.diagnosis = (
            "wrong",
            chosen.answer_note or "",
            chosen.mistake,
        )
        row.group = f"{question.id}:{chosen.answer_note}"
    return row


# -- the exam's JSON, read back ----------------------------------------------------------


def load_exam(path: str):
    """The exam ``symbrnn exam --format json`` (or the JSON written beside the AMC
    document) wrote, checked: a file of another shape is one line of error."""
    from symbrnn.exam.build import Exam, ExamQuestion, ExamVariant, Option
    from symbrnn.io import read_text

    text = read_text(path, MAX_EXAM_BYTES)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{path}: not JSON ({exc})") from None

    def need(cond, what):
        if not cond:
            raise InputError(f"{path}: not an exam of symbrnn exam ({what})")

    need(isinstance(data, dict) and isinstance(data.get("variants"), list), "no variants")
    need(data.get("lang") in ("fr", "en"), "lang is fr or en")
    variants = []
    for v in data["variants"]:
        need(isinstance(v, dict) and isinstance(v.get("seed"), int), "a variant's seed")
        need(isinstance(v.get("questions"), list), "a variant's questions")
        questions = []
        for q in v["questions"]:
            need(isinstance(q, dict) and isinstance(q.get("id"), str), "a question's id")
            need(q.get("kind") in ("formula", "count"), "a question's kind")
            points = q.get("points")
            need(
                points is None
                or (isinstance(points, int | float) and not isinstance(points, bool)),
                "a question's points",
            )
            need(isinstance(q.get("check"), dict), "a question's check")
            options = q.get("options")
            need(isinstance(options, list) and len(options) >= 2, "a question's options")
            made = []
            for o in options:
                need(
                    isinstance(o, dict)
                    and isinstance(o.get("latex"), str)
                    and isinstance(o.get("right"), bool),
                    "an option's latex and right",
                )
                note, mistake = o.get("answer_note"), o.get("mistake", "")
                need(note is None or isinstance(note, str), "an option's answer_note")
                need(isinstance(mistake, str), "an option's mistake")
                made.append(Option(o["latex"], o["right"], note, mistake))
            need(sum(o.right for o in made) == 1, f"question {q['id'][:40]} has one right option")
            questions.append(
                ExamQuestion(q["id"], q["kind"], str(q.get("stem", "")), q["check"], points, made)
            )
        variants.append(ExamVariant(v["seed"], questions))
    need(variants, "no variants")
    return Exam(
        str(data.get("sheet", "")),
        str(data.get("title", "")),
        data["lang"],
        int(data.get("choices") or 0),
        variants,
    )
