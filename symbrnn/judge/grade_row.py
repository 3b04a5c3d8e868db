"""One graded answer: the record ``grade`` builds for each row (and an exam's scan reads back),
and the report's columns.

>>> row = GradeRow(student="ana", quantity="dh_2/dh_1", status="correct", score=1.0)
>>> list(row.as_csv_row())[:4], question_key(row)
(['student', 'question', 'variant', 'cell'], '? dh_2/dh_1')
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

REPORT_COLUMNS = (
    "student",
    "question",
    "variant",
    "cell",
    "T",
    "quantity",
    "answer",
    "status",
    "answer_notes",
    "first_wrong_step",
    "score",
    "expected",
    "diagnosis",
    "group",
)


@dataclass
class GradeRow:
    """A student's answer to a question and its verdict (``status``: correct, wrong, cannot
    judge, malformed or error), its answer notes, score and the expected formula; ``option``
    the boxes an exam's copy ticked (``exam.scans``)."""

    student: str = ""
    question: str = ""
    variant: int | str = ""
    cell: str = ""
    T: int | str = ""
    quantity: str = ""
    answer: str = ""
    status: str = ""
    answer_notes: str = ""
    first_wrong_step: int | str = ""
    score: float = 0.0
    expected: str = ""
    diagnosis: str = ""
    group: str = ""
    option: str = ""

    def refused(self, status: str, diagnosis: str) -> GradeRow:
        """The row of an answer that could not be judged (``malformed`` or ``error``)."""
        verdict = {"answer_notes": "", "first_wrong_step": "", "expected": "", "group": ""}
        return dataclasses.replace(self, status=status, diagnosis=diagnosis, score=0.0, **verdict)

    def as_csv_row(self) -> dict:
        """The report's row: its columns in order (``class_csv.write_report``)."""
        return {k: getattr(self, k) for k in REPORT_COLUMNS}

    def as_json(self) -> dict:
        """The JSON report's answer: the columns, and the ticked boxes of an exam's copy."""
        return self.as_csv_row() | ({"option": self.option} if self.option else {})


def question_key(r: GradeRow) -> str:
    """A question of the sheet, else its cell and quantity (never the quantity alone: the
    GRU's and the LSTM's dh_3/dh_1 are different questions)."""
    return r.question or f"{r.cell or '?'} {r.quantity}"
