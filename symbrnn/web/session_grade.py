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
from symbrnn.web.session_store import SessionStore
from symbrnn.web.session_views import SHEET, latest, questions

FORMATS = ("report", "moodle", "amc")
# the roster's id column → the field Moodle's import maps it to (its own export's header)
MOODLE_ID = {"email": "Email address", "idnumber": "ID number", "id": "ID number"}


def moodle_header(id_column: str) -> str:
    return MOODLE_ID.get(id_column, "ID number")


def session_rows(store: SessionStore, attempt: str = "last") -> list[dict]:
    """One row of a class CSV per student and question (their last answer, or their best
    scored one): student (the roster's id), question, variant, answer."""
    chosen = latest(store.submissions(), attempt)
    subs = sorted(chosen.values(), key=lambda s: s.n)
    return [
        {
            "student": s.student,
            "question": s.question,
            "variant": str(s.variant),
            "answer": s.answer,
        }
        for s in subs
    ]


def grade_session(store: SessionStore, attempt="last", lang="fr", jobs=1, progress=None):
    """grade's results of the session's answers (as ``grade --sheet td5`` of the same CSV)."""
    from symbrnn.judge.grade import grade_rows
    from symbrnn.sheets import load

    rows = session_rows(store, attempt)
    asked = load(SHEET).question
    return grade_rows(rows, questions=asked, lang=lang, jobs=jobs, progress=progress)


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
        total = round(sum(mine.values()), 4) if mine else None
        rows.append([s.id, s.name, *(_number(mine.get(q)) for q in questions()), _number(total)])
    return _table(header, rows)


def amc_csv(store: SessionStore, results: list[GradeRow]) -> str:
    """AMC's student list (``id`` and ``name``, the columns it associates copies with),
    with each student's variant and total."""
    scores = _scores(results)
    rows = []
    for s in store.students():
        mine = scores.get(s.id, {})
        rows.append([s.id, s.name, s.seed, _number(round(sum(mine.values()), 4) if mine else None)])
    return _table(["id", "name", "variant", "total"], rows)
