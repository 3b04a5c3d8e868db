"""Back from Moodle: a quiz's "Responses" report (CSV) read into the class's mistakes.

The quiz is built from ``symbrnn exam --format moodle``: one random question per category
(one category per question of the exam, its variants inside). Moodle's Responses report,
downloaded as CSV, has a row per attempt (``Surname``, ``First name``, ``Email address``,
``State``, ``Grade/…``) and a column ``Response N`` per slot: the text of the chosen option
(Moodle strips the HTML of the answer: ``\\(…\\)`` stays) or the number typed for a count.

What is accepted:

- a slot is the exam's question whose options its responses match most (essays and
  questions of other quizzes match none and are left out), so the slots' order is free;
- a response is an option of a variant of that question when it is equal to the option's
  text as the Moodle file shows it (``<p>\\(…\\)</p>`` with the tags dropped, entities read)
  or to its LaTeX, spaces ignored; a count, when its number (spaces, thin spaces and
  separators ``,`` of thousands ignored) is the option's; the variant is the one whose
  option it is (two variants offering the same text with different meanings: the first);
- ``-`` or an empty cell is no response; any other text is ``OTHER`` (none of the options);
- a row without a ``State`` (Moodle's averages) is left out; the student is their first
  name and surname, else their e-mail address.
"""

from __future__ import annotations

import html
import re

from symbrnn.errors import InputError
from symbrnn.exam.items import LETTERS
from symbrnn.exam.moodle import _display
from symbrnn.exam.scans import box_row, export_text, read_table
from symbrnn.judge.grade_row import GradeRow
from symbrnn.words import say

_TAGS = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+|\\[ ,;!]|\\quad|\\qquad")


def _flat(text: str) -> str:
    """A text as compared: tags dropped, entities read, math delimiters and spaces gone."""
    text = html.unescape(_TAGS.sub("", text))
    for mark in ("\\(", "\\)", "\\[", "\\]"):
        text = text.replace(mark, "")
    return _SPACE.sub("", text)


def _number(text: str) -> str:
    return re.sub(r"[\s\u202f\u00a0,']|\\,", "", text)


def read_moodle(path: str, exam) -> list[GradeRow]:
    """The report rows of Moodle's Responses report ``path`` for ``exam``."""
    return moodle_rows(export_text(path, "exam.hint.moodle"), exam, where=path)


def _options(exam) -> dict:
    """question id → text as compared → (variant, option index), the first variant first."""
    table: dict = {}
    for variant in exam.variants:
        for q in variant.questions:
            known = table.setdefault(q.id, {})
            for index, option in enumerate(q.options):
                shown = option.latex if q.kind == "count" else _display(option.latex)
                for key in {_key(q.kind, shown), _key(q.kind, option.latex)}:
                    known.setdefault(key, (variant, index))
    return table


def _read(text: str, where: str):
    header, records = read_table(text, where, "exam.rows.attempts")
    slots = {i: h for i, h in enumerate(header) if re.fullmatch(r"(?i)response \d+", h)}
    if not slots:
        raise InputError.said("exam.error.no_response_column", where=where)
    lowered = [h.lower() for h in header]
    body = []
    for _, cells in records:
        if "state" in lowered and not cells[lowered.index("state")].strip():
            continue  # Moodle's "Overall average" line
        body.append(
            dict(zip(lowered, (c.strip() for c in cells), strict=False))
            | {"_slots": {h: cells[i].strip() for i, h in slots.items()}}
        )
    return list(slots.values()), body


def _key(question_kind: str, cell: str) -> str:
    return _number(cell) if question_kind == "count" else _flat(cell)


def moodle_rows(text: str, exam, where: str = "the Moodle responses") -> list[GradeRow]:
    """The report rows of the text of Moodle's Responses report (see module doc)."""
    slots, body = _read(text, where)
    table = _options(exam)
    kinds = {q.id: q.kind for q in exam.variants[0].questions} if exam.variants else {}
    chosen: dict[str, str] = {}
    for slot in slots:
        hits = {
            qid: sum(_key(kinds[qid], r["_slots"][slot]) in known for r in body)
            for qid, known in table.items()
        }
        best = max(hits, key=hits.get, default=None)
        if best is not None and hits[best]:
            chosen[slot] = best
    if not chosen:
        raise InputError.said("exam.error.no_response", where=where)
    rows = []
    for r in body:
        first, last = r.get("first name", ""), r.get("surname", "")
        student = (f"{first} {last}".strip() or r.get("email address", "") or "?")[:200]
        for slot, qid in chosen.items():
            cell = r["_slots"][slot]
            variant, letter = exam.variants[0], "" if cell in ("", "-") else "?"
            if letter and _key(kinds[qid], cell) in table[qid]:
                variant, index = table[qid][_key(kinds[qid], cell)]
                letter = LETTERS[index]
            question = next(q for q in variant.questions if q.id == qid)
            row = box_row(student, variant, question, letter, exam.lang)
            if letter == "?":
                other = say("scan.other", exam.lang)
                row.option, row.answer, row.diagnosis = "?", cell[:2000], other
                if question.kind == "count" and _number(cell).isdigit():
                    row.status = "wrong"  # a number, not one of the options
            rows.append(row)
    return rows
