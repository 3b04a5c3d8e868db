"""An exam's records (its variants, questions and options: what ``build`` and ``formulas``
make and ``scans`` reads back) and the error of a question the engine could not make."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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


@dataclass
class ExamQuestion:
    """One question of one variant: ``kind`` is ``formula`` or ``count``; ``stem`` is LaTeX
    text (math in ``$…$`` and ``\\[…\\]``); ``check`` the settings that judge an option
    again (``symbrnn check`` for a formula, ``symbrnn params`` for a count)."""

    id: str
    kind: str
    points: float | None
    stem: str
    check: dict
    options: list[Option] = field(default_factory=list)

    @property
    def right_index(self) -> int:
        return next(i for i, o in enumerate(self.options) if o.right)


@dataclass
class ExamVariant:
    seed: int
    questions: list[ExamQuestion]


@dataclass
class Exam:
    sheet: str
    title: str
    lang: str
    choices: int
    variants: list[ExamVariant]
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The exam as ``symbrnn exam --format json`` prints it (no warnings; an option's
        ``value`` for a count only)."""
        return asdict(self, dict_factory=_json_fields)


def _json_fields(items) -> dict:
    return {k: v for k, v in items if k != "warnings" and not (k == "value" and v is None)}


class ExamError(SymbrnnError):
    """The engine could not make a question (a bug, not the user's input): exit 1."""
