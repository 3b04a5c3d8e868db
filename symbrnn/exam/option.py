"""An exam's option and the error of a question the engine could not make (records the
builders share: ``build`` and ``formulas``)."""

from __future__ import annotations

from dataclasses import dataclass

from symbrnn.errors import SymbrnnError


@dataclass
class Option:
    """One option: its LaTeX (math, without $), whether it is right, and for a wrong one its
    answer note (the checker's code), the mistake said in the exam's language and the
    counterexample that proves it wrong (for the teacher's notes only)."""

    latex: str
    right: bool
    answer_note: str | None = None
    mistake: str = ""
    counterexample: dict | None = None
    value: int | None = None  # a count's number


class ExamError(SymbrnnError):
    """The engine could not make a question (a bug, not the user's input): exit 1."""
