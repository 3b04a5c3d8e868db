"""Item analysis: per question of an exam, how many students chose each option, by mistake.

The rows read back from a scanned AMC exam (``scans``) or a Moodle responses report
(``moodle_responses``) carry the option each student chose (``option``: the letter of the
box, as the exam's document orders its options; empty for no answer; several letters for
several boxes; ``?`` for a response that is none of the options). Each option of a variant is one named mistake (its ``answer_note``); the
variants of a question reshuffle the same mistakes, so the tally is per question and per
mistake, over every variant the class sat. A line of the table is one of:

- ``CORRECT``: the right option;
- a mistake's answer note (``ORDER``, ``MISSING_DIAG``…): the options made from it, with the
  letters they had in the copies sat (``B`` or ``A/C``), counted even when nobody chose them;
- ``BLANK``: no box ticked, no response; ``SEVERAL``: more than one box ticked;
  ``OTHER``: a box the question does not have, or a Moodle response that is none of its options.

``share`` is the count over the students who sat the question (a question's shares sum to 1).

>>> from symbrnn.exam.build import Exam, ExamQuestion, ExamVariant, Option
>>> q = ExamQuestion("I.1", "count", 1, "", {}, [Option("1", True), Option("2", False, "NO_BIAS")])
>>> exam = Exam("td5", "", "en", 2, [ExamVariant(1, [q])])
>>> from symbrnn.judge.grade_row import GradeRow
>>> rows = [GradeRow(question="I.1", variant=1, option=o) for o in ("A", "B", "B", "")]
>>> [(i["option"], i["answer_note"], i["count"], i["share"]) for i in item_analysis(exam, rows)]
[('A', 'CORRECT', 1, 0.25), ('B', 'NO_BIAS', 2, 0.5), ('', 'BLANK', 1, 0.25)]
"""

from __future__ import annotations

import csv
import io
from collections import Counter

ITEM_COLUMNS = ("question", "option", "answer_note", "count", "share")
CORRECT, BLANK, SEVERAL, OTHER = "CORRECT", "BLANK", "SEVERAL", "OTHER"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def note_of(option) -> str:
    """The line of the table an option is counted on."""
    return CORRECT if option.right else (option.answer_note or OTHER)


def chosen_line(question, letters: str) -> str:
    """The line of the table a student's boxes ``letters`` are counted on."""
    if letters.strip() == "?":
        return OTHER
    letters = "".join(c for c in letters.upper() if c.isalpha())
    if not letters:
        return BLANK
    if len(letters) > 1:
        return SEVERAL
    index = LETTERS.index(letters)
    return note_of(question.options[index]) if index < len(question.options) else OTHER


def item_analysis(exam, rows: list[dict]) -> list[dict]:
    """The item analysis of ``rows`` (the report rows of ``scans`` or ``moodle_responses``,
    each with its ``variant`` seed and chosen ``option``), one dict per line of the table,
    the questions in the exam's order."""
    variants = {v.seed: v for v in exam.variants}
    order = [q.id for q in exam.variants[0].questions] if exam.variants else []
    lines_of: dict[str, dict] = {}  # question → line → [letters, count]
    seen: set = set()  # (question, variant) whose options are on the table
    totals: Counter = Counter()
    for r in rows:
        variant = variants.get(r.variant)
        questions = variant.questions if variant is not None else ()
        question = next((q for q in questions if q.id == r.question), None)
        if question is None:
            continue
        lines = lines_of.setdefault(question.id, {})
        if (question.id, variant.seed) not in seen:
            seen.add((question.id, variant.seed))
            for index, option in enumerate(question.options):
                lines.setdefault(note_of(option), [set(), 0])[0].add(LETTERS[index])
        lines.setdefault(chosen_line(question, r.option), [set(), 0])[1] += 1
        totals[question.id] += 1
    items = []
    rank = {CORRECT: 0, BLANK: 2, SEVERAL: 3, OTHER: 4}
    for qid in sorted(lines_of, key=lambda k: (order.index(k) if k in order else len(order), k)):
        lines = lines_of[qid]
        for note in sorted(lines, key=lambda n: (rank.get(n, 1), -lines[n][1], n)):
            letters, count = lines[note]
            line = (qid, "/".join(sorted(letters)), note, count, round(count / totals[qid], 4))
            items.append(dict(zip(ITEM_COLUMNS, line, strict=True)))
    return items


def items_csv(items: list[dict]) -> str:
    """The item analysis as one RFC 4180 table (CRLF line ends, quoted where needed)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(ITEM_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(items)
    return buffer.getvalue()
