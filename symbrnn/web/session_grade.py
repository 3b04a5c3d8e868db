"""A session's grades out: its stored submissions as the rows of a class CSV (graded by
``judge.grade`` as ``symbrnn grade --sheet td5`` grades them), and the exports a gradebook
reads: Moodle's grade import (a CSV with the id column Moodle matches on) and AMC's
student list.

>>> moodle_header("email")
'Email address'
"""

from __future__ import annotations

import csv
import io

from symbrnn.judge.grade_row import GradeRow
from symbrnn.web.app import SHEET, questions
from symbrnn.web.session_store import SessionStore
from symbrnn.web.session_views import latest

# the roster's id column → the field Moodle's import maps it to (its own export's header)
MOODLE_ID = {"email": "Email address", "idnumber": "ID number", "id": "ID number"}


def moodle_header(id_column: str) -> str:
    return MOODLE_ID.get(id_column, "ID number")


def grade_session(store: SessionStore, attempt="last", lang="fr", jobs=1):
    """grade's results of the session's answers (as ``grade --sheet td5`` of the same CSV):
    one row per student and question, their last answer or their best scored one."""
    from symbrnn.judge.grade import grade_rows
    from symbrnn.sheets import load

    chosen = sorted(latest(store.submissions(), attempt).values(), key=lambda s: s.n)
    rows = [
        {
            "student": s.student,
            "question": s.question,
            "variant": str(s.variant),
            "answer": s.answer,
        }
        for s in chosen
    ]
    return grade_rows(rows, questions=load(SHEET).question, lang=lang, jobs=jobs)


def _table(header: list[str], rows: list[list]) -> str:
    from symbrnn.judge.class_csv import spreadsheet_safe

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[spreadsheet_safe(v) for v in row] for row in rows])
    return buffer.getvalue()


def _scores(results: list[GradeRow]) -> dict[str, dict[str, float]]:
    out: dict = {}
    for r in results:
        out.setdefault(r.student, {})[r.question] = float(r.score or 0)
    return out


def _number(value) -> str:
    return "" if value is None else f"{value:g}"


def _total(scores: dict[str, float]) -> str:
    return _number(round(sum(scores.values()), 4) if scores else None)


def moodle_csv(store: SessionStore, results: list[GradeRow]) -> str:
    """Moodle's grade import: the id column it matches on (ID number or Email address, as
    the roster gave it), the full name, a column per question and the total; a student
    without an answer gets empty cells (Moodle leaves their grade alone)."""
    scores = _scores(results)
    header = [moodle_header(store.meta("id_column") or "id"), "Full name"]
    header += [f"{SHEET.upper()} {q}" for q in questions()] + [f"{SHEET.upper()} total"]
    rows = []
    for s in store.students():
        mine = scores.get(s.id, {})
        rows.append([s.id, s.name, *(_number(mine.get(q)) for q in questions()), _total(mine)])
    return _table(header, rows)


def amc_csv(store: SessionStore, results: list[GradeRow]) -> str:
    """AMC's student list (``id`` and ``name``, the columns it associates copies with),
    with each student's variant and total."""
    scores = _scores(results)
    rows = [[s.id, s.name, s.seed, _total(scores.get(s.id, {}))] for s in store.students()]
    return _table(["id", "name", "variant", "total"], rows)
