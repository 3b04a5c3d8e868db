"""One graded answer: the record ``grade`` builds for each row, and the report's columns.

>>> row = GradeRow(student="ana", quantity="dh_2/dh_1", status="correct", score=1.0)
>>> list(row.as_csv_row())[:4], question_key(row.as_csv_row())
(['student', 'question', 'variant', 'cell'], '? dh_2/dh_1')
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass
class GradeRow:
    """A student's answer to a question and its verdict (``status``: correct, wrong, cannot
    judge, malformed or error), its answer notes, score and the expected formula."""

    student: str = ""
    question: str = ""
    variant: int | str = ""
    cell: str = ""
    T: int | str = ""
    quantity: str = ""
    answer: str = ""
    expected: str = ""
    group: str = ""
    status: str = ""
    answer_notes: str = ""
    first_wrong_step: int | str = ""
    score: float = 0.0
    diagnosis: str = ""

    def refused(self, status: str, diagnosis: str) -> GradeRow:
        """The row of an answer that could not be judged (``malformed`` or ``error``)."""
        verdict = {"answer_notes": "", "first_wrong_step": "", "expected": "", "group": ""}
        return dataclasses.replace(self, status=status, diagnosis=diagnosis, score=0.0, **verdict)

    def as_csv_row(self) -> dict:
        """The report's row: its columns in order (``class_csv.write_report``)."""
        return dataclasses.asdict(self)


def question_key(r: dict) -> str:
    """A question of the sheet, else its cell and quantity (never the quantity alone: the
    GRU's and the LSTM's dh_3/dh_1 are different questions)."""
    if r.get("question"):
        return r["question"]
    return f"{r.get('cell') or '?'} {r.get('quantity', '')}"
