"""A class's roster: a CSV of student ids and names (RFC 4180), as Moodle and AMC export it.

Columns are found by their names, spelled as a gradebook spells them (case, spaces,
underscores and hyphens ignored): the id is ``id``, ``student``, ``idnumber`` (Moodle's
« ID number ») or ``email``; the name is ``name`` (AMC's; with ``surname`` when there is
one) or ``firstname`` + ``lastname``; an optional ``variant`` (or ``seed``) column gives a
student's variant seed, else one is drawn and kept.

>>> students, column = read_roster_text("idnumber;First name;Last name\\n42;Ana;Lopez\\n")
>>> students[0], column
(Student(id='42', name='Ana Lopez', seed=None, token='', drawn=False), 'idnumber')
"""

from __future__ import annotations

import csv
import io

from symbrnn.errors import InputError
from symbrnn.web.session_store import Student

MAX_STUDENTS = 2_000
MAX_ROSTER_BYTES = 2_000_000
ID_COLUMNS = ("id", "student", "idnumber", "email")
SEED_COLUMNS = ("variant", "seed", "variantseed")


def _plain(header: str) -> str:
    return "".join(ch for ch in header.strip().lower() if ch not in " _-")


def read_roster(path: str) -> tuple[list[Student], str]:
    """The students of a roster file and the name of its id column (what a gradebook
    matches on); an InputError of one line naming the file and the line otherwise."""
    from symbrnn.io import read_text

    return read_roster_text(read_text(path, MAX_ROSTER_BYTES, f"roster {path}"), path)


def read_roster_text(text: str, name: str = "roster") -> tuple[list[Student], str]:
    from symbrnn.judge.class_csv import delimiter_of

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text), strict=True)
    try:
        records = [(reader.line_num, r) for r in reader if any(f.strip() for f in r)]
    except csv.Error as exc:
        raise InputError.said(
            "roster.error.csv", name=name, line=reader.line_num, reason=exc
        ) from None
    if not records:
        raise InputError.said("roster.error.empty", name=name)
    header = [_plain(h) for h in records[0][1]]
    id_column = next((c for c in ID_COLUMNS if c in header), None)
    if id_column is None:
        raise InputError.said("roster.error.no_id", name=name, columns=", ".join(ID_COLUMNS))
    if len(records) - 1 > MAX_STUDENTS:
        raise InputError.said("roster.error.many", name=name, top=MAX_STUDENTS)
    students, seen = [], {}
    for line, fields in records[1:]:
        row = dict(zip(header, (f.strip() for f in fields), strict=False))
        student = _student(row, id_column, name, line)
        if student.id in seen:
            again = dict(name=name, line=line, id=repr(student.id[:60]), first=seen[student.id])
            raise InputError.said("roster.error.twice", **again)
        seen[student.id] = line
        students.append(student)
    if not students:
        raise InputError.said("roster.error.no_student", name=name)
    return students, id_column


def _student(row: dict, id_column: str, file: str, line: int) -> Student:
    from symbrnn.sheets.spec import MAX_SEED

    sid = row.get(id_column, "")
    if not sid or len(sid) > 200 or not sid.isprintable():
        raise InputError.said("roster.error.bad_id", name=file, line=line, column=id_column)
    full = " ".join(filter(None, (row.get("firstname"), row.get("lastname"))))
    name = row.get("name") or full or sid
    if row.get("surname") and row.get("name"):  # AMC: name and surname
        name = f"{row['name']} {row['surname']}"
    seed = next((row[c] for c in SEED_COLUMNS if row.get(c)), "")
    if seed and not (seed.isdigit() and len(seed) <= 10 and int(seed) <= MAX_SEED):
        raise InputError.said("roster.error.variant", name=file, line=line, top=MAX_SEED)
    return Student(sid, name[:200], int(seed) if seed else None)
